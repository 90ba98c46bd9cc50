// The in-memory deduplication store of the node tests behaves as n8n's own (DeduplicationHelper,
// 'entries' mode, n8n 2.8.x): the node's promises about what it remembers are only as good as
// this copy of n8n's trimming.
import type { ICheckProcessedContextData, ICheckProcessedOptions } from 'n8n-workflow';

import { MemoryProcessedData } from '../helpers/processedData';

const context = { workflow: { id: 'wf' }, node: { id: 'node-1' } } as unknown as ICheckProcessedContextData;
const options = (maxEntries: number): ICheckProcessedOptions => ({ mode: 'entries', maxEntries });

test('the first write records everything given, duplicates too, all new, and keeps the last maxEntries', async () => {
	const store = new MemoryProcessedData();
	expect(await store.checkProcessedAndRecord(['a', 'b', 'a', 'c', 'd'], 'node', context, options(4))).toEqual({ new: ['a', 'b', 'a', 'c', 'd'], processed: [] });
	expect(await store.getProcessedDataCount('node', context)).toBe(4);
	// 'a' (the first) was trimmed, its second copy stays.
	expect(await store.checkProcessedAndRecord(['a', 'b'], 'node', context, options(4))).toEqual({ new: [], processed: ['a', 'b'] });
});

test('a later write appends the new values (a repeat within the call is processed), then drops the oldest', async () => {
	const store = new MemoryProcessedData();
	await store.checkProcessedAndRecord(['a', 'b', 'c'], 'node', context, options(4));
	expect(await store.checkProcessedAndRecord(['d', 'e', 'e', 'b'], 'node', context, options(4))).toEqual({ new: ['d', 'e'], processed: ['e', 'b'] });
	// a, b, c, d, e → the oldest, a, goes.
	expect(await store.checkProcessedAndRecord(['a'], 'node', context, options(4))).toEqual({ new: ['a'], processed: [] });
	// b, c, d, e, a → b goes: what the node must expect when it writes more than the room left.
	expect(await store.checkProcessedAndRecord(['b', 'c'], 'node', context, options(4))).toEqual({ new: ['b'], processed: ['c'] });
});

test('removing takes one occurrence per value given; other nodes and workflows have their own lists', async () => {
	const store = new MemoryProcessedData();
	await store.checkProcessedAndRecord(['a', 'a', 'b'], 'node', context, options(10));
	await store.removeProcessed(['a', 'x'], 'node', context);
	expect(await store.getProcessedDataCount('node', context)).toBe(2);
	const other = { workflow: { id: 'wf' }, node: { id: 'node-2' } } as unknown as ICheckProcessedContextData;
	expect(await store.checkProcessedAndRecord(['a', 'b'], 'node', other, options(10))).toEqual({ new: ['a', 'b'], processed: [] });
	expect(await store.checkProcessedAndRecord(['a', 'b'], 'node', context, options(10))).toEqual({ new: [], processed: ['a', 'b'] });
});
