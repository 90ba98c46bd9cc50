// Exactly once, end to end, in the real n8n (the version's shared `n8n start`) with the package
// installed as users install it, against the Graph API emulator. The three ways n8n or a user can
// make the node run again:
// - Retry On Fail (node settings): n8n runs the node again in the same execution;
// - a failed execution retried through n8n's REST API (and the retry retried);
// - a Deduplication Key: the same item arriving in another execution (a workflow run twice, a
//   webhook event delivered twice).
// The workflows a user would start by hand are started by a POST to their webhook (support/webhookRuns).
// The Deduplication Key across two queue-mode workers is in queue.test.ts.
// Counted: what each person received (the emulator's inbox), how often each person was sent to (the
// send operations the emulator received, batch operations included), and the output items.
import { GraphEmulator } from '../../emulator/graphEmulator.cjs';
import { linearWorkflow } from '../../scripts/workflows.cjs';
import { delivered, expectedCounts, manualBroadcast, people, perPerson, sendNode, sendOperations, webhookBroadcast, webhookNode } from './exactlyOnceFlows.cjs';
import { hasEnded, lastOutput, poll, type OutputItem } from './support/rest.cjs';
import { useSharedN8n } from './support/sharedN8n.cjs';
import { runByWebhook, startedByWebhook, type WebhookRun } from './support/webhookRuns.cjs';

const PAGE = { id: '1029384756', name: 'Exactly Once Shop', token: 'EXACTLY-ONCE-PAGE-TOKEN' };
/** This suite's own (the shared n8n holds every suite's credentials). */
const CREDENTIAL = { id: 'msgrE2eEoCred001', name: 'Messenger Page (exactly-once e2e)' };
const REFUSED_ERROR = 'The person is outside the 24-hour messaging window';

const emulator = new GraphEmulator({ pages: [PAGE] });

const timings: Record<string, number> = {};
const figures: string[] = [];

const shared = useSharedN8n({
	before: async () => {
		const started = Date.now();
		await emulator.start();
		timings.setup = Date.now() - started;
		return {
			credentials: [{ ...CREDENTIAL, type: 'messengerPageApi', data: { accessToken: PAGE.token, appSecret: '', apiVersion: 'v25.0', baseUrl: emulator.url } }],
			workflows: WORKFLOWS(),
		};
	},
	after: async () => {
		await emulator.stop();
		process.stderr.write(`exactly-once e2e timings (ms): ${JSON.stringify(timings)}\n${figures.join('\n')}\n`);
	},
});

beforeAll(async () => {
	for (const workflow of WORKFLOWS()) await shared().rest.activate(String(workflow.id));
}, 5 * 60_000);

const sendsSince = (mark: number) => sendOperations(emulator.requests.slice(mark));

// ---------------------------------------------------------------------------------------------
// Retry On Fail and the Deduplication Key
// ---------------------------------------------------------------------------------------------

interface RetryCase {
	id: string;
	maxTries: number;
	batching: boolean;
	continueOnFail: boolean;
	/** Indexes of the people outside the 24-hour window. */
	refused: number[];
	/** How often n8n runs the node: Max Tries, or once when the first output item is not an error. */
	tries: number;
}

const RETRY_CASES: RetryCase[] = [
	{ id: 'msgrEoRetry3BOn1', maxTries: 3, batching: true, continueOnFail: false, refused: [3, 11], tries: 3 },
	{ id: 'msgrEoRetry5BOff', maxTries: 5, batching: false, continueOnFail: false, refused: [3, 11], tries: 5 },
	{ id: 'msgrEoRetry3CoOf', maxTries: 3, batching: false, continueOnFail: true, refused: [0, 11], tries: 3 },
	{ id: 'msgrEoRetry5CoOn', maxTries: 5, batching: true, continueOnFail: true, refused: [0, 11], tries: 5 },
	// Continue On Fail with the refused person not first: n8n does not run the node again.
	{ id: 'msgrEoRetry3CoLt', maxTries: 3, batching: true, continueOnFail: true, refused: [11], tries: 1 },
];

const retryPeople = (index: number) => people(10 + index);
const retryWorkflow = (test: RetryCase, index: number) =>
	manualBroadcast(
		test.id,
		`exactly once: Retry On Fail ×${test.maxTries}, batching ${test.batching ? 'on' : 'off'}, Continue On Fail ${test.continueOnFail ? 'on' : 'off'}`,
		retryPeople(index),
		sendNode('Send', CREDENTIAL, {
			retryOnFail: true,
			maxTries: test.maxTries,
			waitBetweenTries: 100,
			continueOnFail: test.continueOnFail,
			delivery: { batching: test.batching },
		}),
	);

const DEDUP_TWICE = 'msgrEoDedupTwice';
const DEDUP_FREED = 'msgrEoDedupFreed';
const dedupTwicePeople = people(30);
const dedupFreedPeople = people(31);
/** The list has person 5 twice: the second item has the same key. */
const withRepeat = (psids: string[]) => [...psids, psids[5]];
const dedupWorkflow = (id: string, psids: string[]) =>
	manualBroadcast(
		id,
		'exactly once: Deduplication Key per person',
		withRepeat(psids),
		sendNode('Send', CREDENTIAL, { continueOnFail: true, text: '={{ "Spring sale for " + $json.psid }}', delivery: { deduplicationKey: '={{ $json.psid }}-spring-sale' } }),
	);

describe('Retry On Fail and the Deduplication Key', () => {
	beforeEach(() => {
		emulator.reset();
		emulator.configure({ outsideWindow: [] });
	});

	async function execute(id: string): Promise<WebhookRun> {
		const started = Date.now();
		const result = await runByWebhook(shared().rest, id);
		timings[id] = Date.now() - started;
		return result;
	}

	describe.each(RETRY_CASES.map((test, index) => ({ ...test, index })))(
		'Retry On Fail, Max Tries $maxTries, batching $batching, Continue On Fail $continueOnFail, refused $refused',
		(test) => {
			const psids = retryPeople(test.index);
			const refused = test.refused.map((index) => psids[index]);

			it(`sends each other person the message exactly once; the refused ${test.tries === 1 ? 'once' : `once per try (${test.tries})`}`, async () => {
				emulator.configure({ outsideWindow: refused });
				const result = await execute(test.id);

				// Everyone else got the message exactly once; the refused nothing.
				const inbox = delivered(emulator.inbox);
				expect(perPerson(psids, inbox)).toEqual(expectedCounts(psids, 1, Object.fromEntries(refused.map((psid) => [psid, 0]))));
				// The node sent each delivered person once in all tries, and each refused person once per try.
				const operations = sendOperations(emulator.requests);
				expect(perPerson(psids, operations)).toEqual(expectedCounts(psids, 1, Object.fromEntries(refused.map((psid) => [psid, test.tries]))));
				expect(operations).toHaveLength(psids.length - refused.length + refused.length * test.tries);
				expect(operations.every((operation) => operation.viaBatch === test.batching)).toBe(true);
				if (!test.batching) expect(emulator.requests).toHaveLength(operations.length);
				figures.push(
					`Retry On Fail ×${test.maxTries}, batching ${test.batching ? 'on ' : 'off'}, Continue On Fail ${test.continueOnFail ? 'on ' : 'off'}: ` +
						`${operations.length} send operations in ${emulator.requests.length} HTTP requests, ${inbox.length} delivered (${psids.length} people, ${refused.length} refused, ${test.tries} tries)`,
				);

				if (!test.continueOnFail) {
					// The node fails: the error names the first refused item.
					expect(result.status).toBe('error');
					expect(result.error).toContain(`${REFUSED_ERROR} (item ${test.refused[0]})`);
					// Counted over all tries: the earlier tries' deliveries are this run's.
					expect(result.error).toContain(`Sent in this run: ${psids.length - refused.length} delivered, ${refused.length} failed (of ${psids.length})`);
					return;
				}
				expect(result.status).toBe('success');
				const items = lastOutput(result.run, 'Send') as OutputItem[];
				expect(items).toHaveLength(psids.length);
				const messageIds = new Map(inbox.map((entry) => [entry.psid, entry.message_id]));
				items.forEach((item, index) => {
					expect(item.pairedItem).toEqual({ item: index });
					if (test.refused.includes(index)) {
						expect(item.json).toMatchObject({ error: `${REFUSED_ERROR} (item ${index})`, code: 10, error_subcode: 2018278, attempts: 1 });
					} else {
						// What it got the first time: the message ID of the one delivery, and one attempt.
						expect(item.json).toEqual({ recipient_id: psids[index], message_id: messageIds.get(psids[index]), attempts: 1 });
					}
				});
			}, 90_000);
		},
	);

	test('Deduplication Key: the same workflow executed twice sends nothing the second time; a repeated key in one run is skipped', async () => {
		const psids = dedupTwicePeople;
		const keyOf = (psid: string) => `${psid}-spring-sale`;

		const first = await execute(DEDUP_TWICE);
		expect(first.status).toBe('success');
		expect(perPerson(psids, delivered(emulator.inbox))).toEqual(expectedCounts(psids, 1));
		expect(perPerson(psids, sendOperations(emulator.requests))).toEqual(expectedCounts(psids, 1));
		const firstItems = lastOutput(first.run, 'Send') as OutputItem[];
		expect(firstItems).toHaveLength(psids.length + 1);
		firstItems.slice(0, psids.length).forEach((item, index) => {
			expect(item).toEqual({ json: { recipient_id: psids[index], message_id: expect.stringMatching(/^m_/), attempts: 1 }, pairedItem: { item: index } });
		});
		// The repeat of person 5 in the same run.
		expect(firstItems[psids.length]).toEqual({ json: { skipped: 'duplicate', deduplicationKey: keyOf(psids[5]), attempts: 0 }, pairedItem: { item: psids.length } });

		const mark = emulator.requests.length;
		const second = await execute(DEDUP_TWICE);
		expect(second.status).toBe('success');
		expect(sendsSince(mark)).toEqual([]);
		expect(emulator.requests.slice(mark)).toEqual([]);
		expect(emulator.inbox).toHaveLength(psids.length);
		const secondItems = lastOutput(second.run, 'Send') as OutputItem[];
		expect(secondItems).toEqual(withRepeat(psids).map((psid, index) => ({ json: { skipped: 'duplicate', deduplicationKey: keyOf(psid), attempts: 0 }, pairedItem: { item: index } })));
	}, 120_000);

	test('Deduplication Key: a refused item’s key is freed, and a later execution sends it once the person is acceptable', async () => {
		const psids = dedupFreedPeople;
		const refused = psids[7];
		emulator.configure({ outsideWindow: [refused] });

		const first = await execute(DEDUP_FREED);
		expect(first.status).toBe('success');
		expect(perPerson(psids, delivered(emulator.inbox))).toEqual(expectedCounts(psids, 1, { [refused]: 0 }));
		const firstItems = lastOutput(first.run, 'Send') as OutputItem[];
		expect(firstItems[7]).toMatchObject({ json: { error: `${REFUSED_ERROR} (item 7)`, attempts: 1 }, pairedItem: { item: 7 } });

		emulator.configure({ outsideWindow: [] });
		const mark = emulator.requests.length;
		const second = await execute(DEDUP_FREED);
		expect(second.status).toBe('success');
		// Only the refused person is sent to now, once; everyone has exactly one message.
		expect(perPerson(psids, sendsSince(mark))).toEqual(expectedCounts(psids, 0, { [refused]: 1 }));
		expect(perPerson(psids, delivered(emulator.inbox))).toEqual(expectedCounts(psids, 1));
		const secondItems = lastOutput(second.run, 'Send') as OutputItem[];
		expect(secondItems[7]).toEqual({ json: { recipient_id: refused, message_id: emulator.conversation(`id:${refused}`)[0].message_id, attempts: 1 }, pairedItem: { item: 7 } });
		withRepeat(psids).forEach((psid, index) => {
			if (index !== 7) expect(secondItems[index]).toEqual({ json: { skipped: 'duplicate', deduplicationKey: `${psid}-spring-sale`, attempts: 0 }, pairedItem: { item: index } });
		});
	}, 120_000);
});

// ---------------------------------------------------------------------------------------------
// Retried executions and webhook events
// ---------------------------------------------------------------------------------------------

const RETRY_WORKFLOW = 'msgrEoRetriedEx1';
const RETRY_PATH = 'exactly-once-broadcast';
const REPLY_WORKFLOW = 'msgrEoWebhookMid';
const REPLY_PATH = 'exactly-once-reply';

const retriedWorkflow = () =>
	webhookBroadcast(RETRY_WORKFLOW, 'exactly once: broadcast from a webhook, retried when it fails', RETRY_PATH, sendNode('Send', CREDENTIAL));

/** Webhook (a Messenger message event, simplified) → a reply to its sender, keyed by the message's mid. */
const replyWorkflow = () =>
	linearWorkflow(REPLY_WORKFLOW, 'exactly once: reply to an incoming message once', [
		webhookNode('Incoming message', REPLY_PATH, 'lastNode'),
		sendNode('Reply', CREDENTIAL, {
			psid: '={{ $json.body.sender }}',
			messagingType: 'RESPONSE',
			text: '={{ "Thanks, we got: " + $json.body.text }}',
			delivery: { deduplicationKey: '={{ $json.body.mid }}' },
		}),
	]);

/** Everything this suite imports; the broadcasts a user would start by hand get a webhook instead. */
const WORKFLOWS = () => [
	...[...RETRY_CASES.map(retryWorkflow), dedupWorkflow(DEDUP_TWICE, dedupTwicePeople), dedupWorkflow(DEDUP_FREED, dedupFreedPeople)].map(startedByWebhook),
	retriedWorkflow(),
	replyWorkflow(),
];

describe('Retried executions and webhook events', () => {
	beforeEach(() => {
		emulator.reset();
		emulator.configure({ outsideWindow: [] });
	});

	test('a failed broadcast retried through the REST API, and the retry retried: nobody gets a message twice', async () => {
		const started = Date.now();
		const { rest } = shared();
		const psids = people(40);
		const [ann, cy] = [psids[4], psids[13]];
		emulator.configure({ outsideWindow: [ann, cy] });

		// 1. The broadcast fails: two people are outside the 24-hour window.
		const answer = await rest.webhook(RETRY_PATH, { people: psids.map((psid) => ({ psid, part: 1 })) });
		expect(answer.status).toBe(200);
		const failed = await poll('the failed execution', async () => (await rest.executions(RETRY_WORKFLOW)).find((row) => hasEnded(row.status)));
		expect(failed).toMatchObject({ status: 'error', mode: 'webhook' });
		expect(perPerson(psids, delivered(emulator.inbox))).toEqual(expectedCounts(psids, 1, { [ann]: 0, [cy]: 0 }));
		expect(perPerson(psids, sendOperations(emulator.requests))).toEqual(expectedCounts(psids, 1));
		const failedRun = (await rest.execution(failed.id)).run;
		expect(failedRun.resultData.error?.message).toContain(`${REFUSED_ERROR} (item 4)`);
		// The execution remembers itself as the first run, for its retries.
		expect(failedRun.resultData.metadata).toMatchObject({ messengerSendFirstRun: failed.id });

		// 2. Retried with Ann acceptable now, Cy still not: only those two are tried; the retry fails again.
		emulator.configure({ outsideWindow: [cy] });
		let mark = emulator.requests.length;
		const retry = await rest.retry(failed.id);
		expect(retry).toMatchObject({ mode: 'retry', status: 'error' });
		expect(perPerson(psids, sendsSince(mark))).toEqual(expectedCounts(psids, 0, { [ann]: 1, [cy]: 1 }));
		expect(perPerson(psids, delivered(emulator.inbox))).toEqual(expectedCounts(psids, 1, { [cy]: 0 }));
		const retryRun = (await rest.execution(retry.id)).run;
		expect(retryRun.resultData.error?.message).toContain(`${REFUSED_ERROR} (item 13)`);
		expect(retryRun.resultData.metadata).toMatchObject({ messengerSendFirstRun: failed.id });

		// 3. The retry retried, everyone acceptable: only Cy is sent to.
		emulator.configure({ outsideWindow: [] });
		mark = emulator.requests.length;
		const retryOfRetry = await rest.retry(retry.id);
		expect(retryOfRetry).toMatchObject({ mode: 'retry', status: 'success' });
		expect(perPerson(psids, sendsSince(mark))).toEqual(expectedCounts(psids, 0, { [cy]: 1 }));
		expect(perPerson(psids, delivered(emulator.inbox))).toEqual(expectedCounts(psids, 1));

		const items = (await rest.execution(retryOfRetry.id)).run.resultData.runData.Send?.at(-1)?.data?.main[0] ?? [];
		expect(items).toHaveLength(psids.length);
		items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			if (index === 13) expect(item.json).toEqual({ recipient_id: cy, message_id: emulator.conversation(`id:${cy}`)[0].message_id, attempts: 1 });
			else expect(item.json).toEqual({ skipped: 'already delivered', attempts: 0 });
		});
		const executions = await rest.executions(RETRY_WORKFLOW);
		expect(executions.find((row) => row.id === retry.id)?.retryOf).toBe(failed.id);
		expect(executions.find((row) => row.id === retryOfRetry.id)?.retryOf).toBe(retry.id);
		timings.retriedExecutions = Date.now() - started;
	}, 120_000);

	test('Deduplication Key from the incoming message: the same webhook event twice gets one reply', async () => {
		const started = Date.now();
		const { rest } = shared();
		const [psid] = people(41, 1);
		const event = { sender: psid, mid: 'm_incoming_0001', text: 'Where is my order?' };

		const first = await rest.webhook(REPLY_PATH, event);
		expect(first).toEqual({ status: 200, json: { recipient_id: psid, message_id: expect.stringMatching(/^m_/), attempts: 1 } });
		const again = await rest.webhook(REPLY_PATH, event);
		expect(again).toEqual({ status: 200, json: { skipped: 'duplicate', deduplicationKey: event.mid, attempts: 0 } });
		expect(emulator.conversation(`id:${psid}`).map((entry) => entry.message?.text)).toEqual(['Thanks, we got: Where is my order?']);
		expect(first.json.message_id).toBe(emulator.conversation(`id:${psid}`)[0].message_id);

		// Another message from the same person is another key: replied to.
		const next = await rest.webhook(REPLY_PATH, { ...event, mid: 'm_incoming_0002', text: 'Thanks!' });
		expect(next).toEqual({ status: 200, json: { recipient_id: psid, message_id: expect.stringMatching(/^m_/), attempts: 1 } });
		expect(emulator.conversation(`id:${psid}`).map((entry) => entry.message?.text)).toEqual(['Thanks, we got: Where is my order?', 'Thanks, we got: Thanks!']);
		expect(sendOperations(emulator.requests)).toHaveLength(2);
		timings.webhookMid = Date.now() - started;
	}, 60_000);
});
