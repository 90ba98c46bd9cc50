// Claims across processes (queue mode) on a store that behaves like n8n's: every call reads the
// node's whole list and writes it back a moment later, so two processes that call at once
// overwrite each other's write. Each "process" here is a context with its own node id (the
// package serializes calls within a process by workflow and node) sharing one list.
import { sleep, type IExecuteFunctions } from 'n8n-workflow';

import { claim, claimAgainstOthers } from '../../nodes/MessengerSend/transport/processedStore';

/** One row of n8n's processed_data: read, then rewritten whole after `gapMs`. */
function racyRow(gapMs: number) {
	let row: string[] = [];
	const readThenWrite = async (change: (snapshot: string[]) => string[]) => {
		const snapshot = [...row];
		await sleep(gapMs);
		row = change(snapshot);
	};
	return {
		get values() {
			return [...row];
		},
		contextFor(process: string): IExecuteFunctions {
			const helpers = {
				async checkProcessedAndRecord(items: string[]) {
					const result = { new: [] as string[], processed: [] as string[] };
					await readThenWrite((snapshot) => {
						for (const item of items) (snapshot.includes(item) ? result.processed : result.new).push(item);
						return [...snapshot, ...result.new];
					});
					return result;
				},
				async removeProcessed(items: string[]) {
					await readThenWrite((snapshot) => snapshot.filter((value) => !items.includes(value)));
				},
			};
			return { helpers, getWorkflow: () => ({ id: 'wf' }), getNode: () => ({ id: process }) } as unknown as IExecuteFunctions;
		},
	};
}

test('a plain claim on such a store lets two processes both take the same key (why claims are verified)', async () => {
	const row = racyRow(20);
	const [a, b] = await Promise.all([claim(row.contextFor('worker 1'), ['key:m1']), claim(row.contextFor('worker 2'), ['key:m1'])]);
	expect([a.has('key:m1'), b.has('key:m1')]).toEqual([false, false]);
});

test('two processes claiming the same keys at the same moment: each key goes to exactly one of them', async () => {
	const row = racyRow(20);
	const keys = ['key:m1', 'key:m2', 'key:m3'];
	const [a, b] = await Promise.all([
		claimAgainstOthers(row.contextFor('worker 1'), keys, 100),
		claimAgainstOthers(row.contextFor('worker 2'), keys, 100),
	]);
	for (const key of keys) expect([a.has(key), b.has(key)].filter((taken) => !taken)).toHaveLength(1);
	expect(row.values.filter((value) => value.startsWith('key:')).sort()).toEqual(keys);
});

test('a claim overwritten by an unrelated write is made again, not mistaken for taken', async () => {
	const row = racyRow(20);
	const [a, c] = await Promise.all([
		claimAgainstOthers(row.contextFor('worker 1'), ['key:m1'], 100),
		claimAgainstOthers(row.contextFor('worker 2'), ['key:other'], 100),
	]);
	expect([a.size, c.size]).toEqual([0, 0]);
	expect(row.values.filter((value) => value.startsWith('key:')).sort()).toEqual(['key:m1', 'key:other']);
});

test('a key recorded before is taken at once, without waiting', async () => {
	const row = racyRow(1);
	await claimAgainstOthers(row.contextFor('worker 1'), ['key:m1'], 50);
	const taken = await claimAgainstOthers(row.contextFor('worker 2'), ['key:m1'], 60_000);
	expect([...taken]).toEqual(['key:m1']);
	// Without a race, every claim token is cleaned up: only the key stays.
	expect(row.values).toEqual(['key:m1']);
});
