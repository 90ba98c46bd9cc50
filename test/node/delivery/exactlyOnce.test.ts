// Exactly once, whatever n8n retries around the node, run by n8n's engine against the emulator:
// Retry On Fail (n8n runs the node again in the same execution), a retried execution (mode
// `retry`, with what the failed one left in the execution's custom data and n8n's deduplication
// store) and the Deduplication Key.
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { credentials, server, useGraphServer } from '../../helpers/fixtures';
import { eachPerson } from '../../helpers/parameters';
import { MemoryProcessedData } from '../../helpers/processedData';
import { processedStore, runNode, type NodeRun, type RunOptions } from '../../helpers/runNode';

useGraphServer();
beforeEach(() => {
	processedStore.clear();
	server.configure({ outsideWindow: undefined });
});

const people = (count: number) => Array.from({ length: count }, (_, p) => ({ json: { psid: `p${p}`, orderId: `o${p}` } }));

const broadcast = (delivery: INodeParameters = {}): INodeParameters => eachPerson('=Your order {{ $json.orderId }} has shipped', { delivery });

let executions = 0;

async function run(options: Partial<RunOptions> & { items: INodeExecutionData[] }): Promise<NodeRun> {
	return await runNode({ parameters: broadcast(), credentials: credentials(), executionId: `exec-${++executions}`, ...options });
}

/** How many messages each person got, by PSID. */
function received(): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const entry of server.inbox) counts[entry.recipient.id] = (counts[entry.recipient.id] ?? 0) + 1;
	return counts;
}

const sendRequests = () => server.requests.filter((request) => request.method === 'POST');
const everyoneOnce = (count: number, except: string[] = []) =>
	Object.fromEntries(people(count).flatMap(({ json }) => (except.includes(json.psid) ? [] : [[json.psid, 1]])));

describe('Retry On Fail: n8n runs the node again, the node sends only what it has not delivered', () => {
	test.each([
		[3, true],
		[3, false],
		[5, true],
	])('Max Tries %i, batching %s: one refused person, everyone else once', async (maxTries, batching) => {
		server.configure({ outsideWindow: ['p2'] });
		const result = await run({ items: people(6), retryOnFail: { maxTries }, parameters: broadcast({ batching }) });

		expect(result.error?.message).toBe('The person is outside the 24-hour messaging window (item 2)');
		expect(received()).toEqual(everyoneOnce(6, ['p2']));
		// Every try sends the refused person's message again, and only that one.
		const tried = sendRequests().flatMap((request) =>
			request.body.batch === undefined ? [request.body] : (JSON.parse(String(request.body.batch)) as Array<{ body: string }>).map((op) => Object.fromEntries(new URLSearchParams(op.body))),
		);
		expect(tried.length).toBe(5 + maxTries);
		expect(result.error?.description).toContain('Sent in this run: 5 delivered, 1 failed (of 6).');
	});

	test('with Continue On Fail and the refused person first, n8n retries; the output is what each item got the first time', async () => {
		server.configure({ outsideWindow: ['p0'] });
		const result = await run({ items: people(4), retryOnFail: { maxTries: 3 }, continueOnFail: true });

		expect(received()).toEqual(everyoneOnce(4, ['p0']));
		expect(result.items).toHaveLength(4);
		expect(result.items[0]).toMatchObject({ json: { code: 10, error_subcode: 2018278, attempts: 1 }, pairedItem: { item: 0 } });
		const byPsid = new Map(server.inbox.map((entry) => [entry.recipient.id, entry.message_id]));
		for (const item of [1, 2, 3]) {
			expect(result.items[item]).toEqual({ json: { recipient_id: `p${item}`, message_id: byPsid.get(`p${item}`), attempts: 1 }, pairedItem: { item } });
		}
		// p0 once per try, the others once.
		expect(server.stats().rejected).toEqual({ '10/2018278': 3 });
	});

	test('the memory of a run is released when it ends: the same execution run again later sends again', async () => {
		const first = await run({ items: people(2), retryOnFail: { maxTries: 3 }, executionId: 'exec-reused' });
		const second = await run({ items: people(2), retryOnFail: { maxTries: 3 }, executionId: 'exec-reused' });

		expect(first.error).toBeUndefined();
		expect(second.error).toBeUndefined();
		expect(received()).toEqual({ p0: 2, p1: 2 });
	});
});

describe('a retried execution (mode retry) does not send again what the failed one delivered', () => {
	test('only the refused person is sent; the others say already delivered; a retry of the retry too', async () => {
		server.configure({ outsideWindow: ['p1', 'p3'] });
		const failed = await run({ items: people(5), executionId: 'exec-failed' });
		expect(failed.error?.message).toBe('The person is outside the 24-hour messaging window (item 1)');
		const inherited = failed.run.data.resultData.metadata as Record<string, string>;
		expect(inherited).toEqual({ messengerSendFirstRun: 'exec-failed' });

		server.configure({ outsideWindow: ['p3'] });
		const retried = await run({ items: people(5), executionId: 'exec-retry-1', mode: 'retry', customData: inherited });
		expect(retried.error?.message).toBe('The person is outside the 24-hour messaging window (item 3)');
		expect(received()).toEqual({ p0: 1, p1: 1, p2: 1, p4: 1 });
		expect(retried.error?.description).toContain('Sent in this run: 1 delivered, 1 failed (of 2); 3 skipped as delivered before.');

		server.configure({ outsideWindow: [] });
		const again = await run({
			items: people(5),
			executionId: 'exec-retry-2',
			mode: 'retry',
			customData: retried.run.data.resultData.metadata as Record<string, string>,
			continueOnFail: true,
		});
		expect(again.error).toBeUndefined();
		expect(received()).toEqual(everyoneOnce(5));
		expect(again.items.map((item) => item.json)).toEqual([
			{ skipped: 'already delivered', attempts: 0 },
			{ skipped: 'already delivered', attempts: 0 },
			{ skipped: 'already delivered', attempts: 0 },
			{ recipient_id: 'p3', message_id: server.conversation('id:p3')[0].message_id, attempts: 1 },
			{ skipped: 'already delivered', attempts: 0 },
		]);
		expect(again.items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
	});

	test('an execution that is not a retry sends everything, whatever an earlier one delivered', async () => {
		server.configure({ outsideWindow: ['p1'] });
		await run({ items: people(3) });
		server.configure({ outsideWindow: [] });
		await run({ items: people(3) });

		expect(received()).toEqual({ p0: 2, p1: 1, p2: 2 });
	});
});

describe('Deduplication Key', () => {
	const keyed = broadcast({ deduplicationKey: '={{ $json.orderId }}-shipped' });

	test('the same workflow executed twice sends the second time nothing', async () => {
		const first = await run({ items: people(3), parameters: keyed });
		const second = await run({ items: people(3), parameters: keyed });

		expect(first.items.map((item) => item.json.message_id)).toEqual(server.inbox.map((entry) => entry.message_id));
		expect(received()).toEqual(everyoneOnce(3));
		expect(second.items).toEqual(
			[0, 1, 2].map((item) => ({ json: { skipped: 'duplicate', deduplicationKey: `o${item}-shipped`, attempts: 0 }, pairedItem: { item } })),
		);
	});

	test('two items with the same key in one run: the second is a duplicate', async () => {
		const items = [{ json: { psid: 'p0', orderId: 'o1' } }, { json: { psid: 'p0', orderId: 'o1' } }, { json: { psid: 'p1', orderId: 'o2' } }];
		const result = await run({ items, parameters: keyed });

		expect(received()).toEqual({ p0: 1, p1: 1 });
		expect(result.items[1].json).toEqual({ skipped: 'duplicate', deduplicationKey: 'o1-shipped', attempts: 0 });
	});

	test('a refused item frees its key: a later execution sends it once the person can receive it', async () => {
		server.configure({ outsideWindow: ['p1'] });
		const refused = await run({ items: people(2), parameters: keyed, continueOnFail: true });
		expect(refused.items[1].json).toMatchObject({ code: 10, error_subcode: 2018278 });

		server.configure({ outsideWindow: [] });
		const later = await run({ items: people(2), parameters: keyed });
		expect(later.items.map((item) => item.json.skipped ?? item.json.recipient_id)).toEqual(['duplicate', 'p1']);
		expect(received()).toEqual({ p0: 1, p1: 1 });
	});

	test('a refused item whose key cannot be freed (the store keeps failing) says that the key stays claimed and how to free it', async () => {
		server.configure({ outsideWindow: ['p1'] });
		const removeProcessed = jest.spyOn(processedStore, 'removeProcessed');
		// Only freeing a key fails: the claim's own bookkeeping still works.
		removeProcessed.mockImplementation(async function (this: typeof processedStore, items, ...rest) {
			if (items.some((value) => String(value).startsWith('key:'))) throw new Error('SQLITE_BUSY: database is locked');
			return await MemoryProcessedData.prototype.removeProcessed.call(this, items, ...rest);
		});
		try {
			const refused = await run({ items: people(2), parameters: keyed, continueOnFail: true });
			const freeAttempts = removeProcessed.mock.calls.filter(([items]) => items.some((value) => String(value).startsWith('key:'))).length;

			expect(refused.items[0].json.recipient_id).toBe('p0');
			expect(refused.items[1].json).toMatchObject({ code: 10, error_subcode: 2018278, attempts: 1 });
			expect(refused.items[1].json.description).toContain(
				'Its Deduplication Key "o1-shipped" stays claimed: n8n\'s deduplication store could not free it (3 tries: SQLITE_BUSY: database is locked), so later executions will skip this item as a duplicate. To send it, give it another key (e.g. "o1-shipped-2").',
			);
			expect(freeAttempts).toBe(3);
		} finally {
			removeProcessed.mockRestore();
		}
	});

	test('without Continue On Fail, the error says it too', async () => {
		server.configure({ outsideWindow: ['p0'] });
		const removeProcessed = jest.spyOn(processedStore, 'removeProcessed').mockImplementation(async (items) => {
			if (items.some((value) => String(value).startsWith('key:'))) throw new Error('connection lost');
		});
		try {
			const refused = await run({ items: people(1), parameters: keyed });

			expect(refused.error?.message).toBe('The person is outside the 24-hour messaging window (item 0)');
			expect(refused.error?.description).toContain('Its Deduplication Key "o0-shipped" stays claimed');
		} finally {
			removeProcessed.mockRestore();
		}
	});

	test('an item without a key is always sent; an object as a key names the field and the item', async () => {
		const items = [{ json: { psid: 'p0', key: '' } }, { json: { psid: 'p1', key: { not: 'text' } } }];
		const result = await run({ items, parameters: broadcast({ deduplicationKey: '={{ $json.key }}' }), continueOnFail: true });

		expect(result.items[0].json.recipient_id).toBe('p0');
		expect(result.items[1].json.error).toBe('Deduplication Key in item 1 must be text, but the expression gave an object');
		expect(received()).toEqual({ p0: 1 });
	});
});

describe('Deduplication Key: the most recent 10 000 delivered keys are remembered, whatever the run sizes', () => {
	const orders = (from: number, count: number) => Array.from({ length: count }, (_, n) => ({ json: { psid: `p${(from + n) % 50}`, orderId: `o${from + n}` } }));
	const keyed = broadcast({ deduplicationKey: '={{ $json.orderId }}', maxPerSecond: 100_000 });
	const sentCount = () => server.inbox.length;
	const skippedCount = (result: NodeRun) => result.items.filter((item) => item.json.skipped === 'duplicate').length;

	test('the same 6 000-key run twice: the second sends nothing', async () => {
		const first = await run({ items: orders(0, 6_000), parameters: keyed });
		expect(first.error).toBeUndefined();
		expect(sentCount()).toBe(6_000);

		const second = await run({ items: orders(0, 6_000), parameters: keyed });
		expect(second.error).toBeUndefined();
		expect(skippedCount(second)).toBe(6_000);
		expect(sentCount()).toBe(6_000);
	}, 120_000);

	test('a full store (10 000 keys) and then a smaller run: the newest 10 000 keys are all still skipped', async () => {
		await run({ items: orders(0, 10_000), parameters: keyed });
		await run({ items: orders(10_000, 500), parameters: keyed });
		expect(sentCount()).toBe(10_500);

		const again = await run({ items: orders(500, 10_000), parameters: keyed });
		expect(again.error).toBeUndefined();
		expect(skippedCount(again)).toBe(10_000);
		expect(sentCount()).toBe(10_500);
	}, 180_000);

	test('a run of 20 000 keys is refused before anything is sent: the node could not remember them all', async () => {
		const result = await run({ items: orders(0, 20_000), parameters: keyed, continueOnFail: true });

		expect(sentCount()).toBe(0);
		expect(result.error?.message).toBe('This run has 20000 Deduplication Keys, more than the 10000 the node remembers');
		expect(result.error?.description).toBe(
			'Nothing was sent. Run a second time, the first keys of such a run would already be forgotten and sent again. Split the input into runs of at most 10000 items (e.g. Loop Over Items with a Batch Size of 10000).',
		);
	}, 60_000);
});
