// The Messenger Trigger on n8n's distributed engine (queue mode): Redis and PostgreSQL 15
// (scripts/queue-services.sh), one n8n main in EXECUTIONS_MODE=queue and two `n8n worker`s (the
// version N8N_TEST_VERSION picks: 2.8.4, 2.40.7 or 1.123.81), this package installed as users install
// it, against the Graph API emulator's webhook side. The workflow — Messenger Trigger (Subscription:
// Automatic; Message, Quick Reply, Postback) → Messenger Send ("You said: …" to the sender) — is
// published on the main through n8n's REST API, as the editor's Publish button does.
// Checked: the activation subscribed the app (its callback URL, the fields of the chosen events) and
// the Page; 20 people each write one message through the emulator, and every delivery is then
// redelivered once, as Meta does when it doubts an answer: exactly 20 executions, each enqueued by the
// main and run by a worker, each person gets exactly one reply, the echo of each reply (the app also
// receives echoes) starts nothing; unpublishing removes the app's subscription and the Page's
// subscribed app again.
import { randomUUID } from 'node:crypto';

import { sleep } from 'n8n-workflow';

import { GraphEmulator } from '../../emulator/graphEmulator.cjs';
import type { WebhookDelivery, WebhookState } from '../../emulator/types.cjs';
import { useSharedCluster, type ClusterSuite } from './support/cluster.cjs';
import { lastOutput, N8nRest, poll, registeredWebhookMethods, storedRun } from './support/rest.cjs';
import { messengerSendNode } from './workflows.cjs';

const APP = { id: '7788990011', secret: 'TRIGGER-QUEUE-APP-SECRET', name: 'Trigger Queue App' };
const PAGE = { id: '2039485761', name: 'Trigger Queue Shop', token: 'TRIGGER-QUEUE-PAGE-TOKEN', appSecret: APP.secret, appId: APP.id };
const CREDENTIAL = { id: 'msgrTrigQueueCr1', name: 'Messenger Page (trigger queue e2e)' };
const WORKFLOW_ID = 'msgrTrigQueue001';
const WEBHOOK_ID = randomUUID();
const TRIGGER = 'Messenger Trigger';
const REPLY = 'Reply';
const PEOPLE = 20;
/** The fields the trigger's events need (Message and Quick Reply: messages; Postback: messaging_postbacks). */
const TRIGGER_FIELDS = ['messages', 'messaging_postbacks'];

const emulator = new GraphEmulator({ pages: [PAGE], apps: [APP] });
let cluster: ClusterSuite['cluster'];
let n8nRest: N8nRest;

const callbackUrl = () => `${cluster.baseUrl}/webhook/${WEBHOOK_ID}/webhook`;

const psid = (person: number) => `65${String(person).padStart(14, '0')}`;
/** What each person writes: plain text, and for some what Meta escapes in a webhook body (non-ASCII, "/"). */
const said = (person: number) => [`Hello, I am person ${person}`, `Café for person ${person}? ½ price / today ✓`, `👋 person ${person} here`][person % 3];

function triggerWorkflow() {
	return {
		id: WORKFLOW_ID,
		name: 'trigger queue e2e: reply to every message',
		settings: { executionOrder: 'v1' },
		pinData: {},
		nodes: [
			{
				id: randomUUID(),
				name: TRIGGER,
				type: 'n8n-nodes-messenger-send.messengerTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: WEBHOOK_ID,
				parameters: { subscription: 'automatic', pageId: 'me', events: ['message', 'quick_reply', 'postback'], options: {} },
				credentials: { messengerPageApi: CREDENTIAL },
			},
			{
				id: randomUUID(),
				position: [260, 0],
				...messengerSendNode(
					REPLY,
					{ operation: 'sendMessage', recipientType: 'id', psid: '={{ $json.senderId }}', messagingType: 'RESPONSE', text: "={{ 'You said: ' + $json.text }}" },
					CREDENTIAL,
				),
			},
		],
		connections: { [TRIGGER]: { main: [[{ node: REPLY, type: 'main', index: 0 }]] } },
	};
}

/** One of the emulator's control endpoints, over HTTP as a test harness outside the process would call it. */
async function control<T>(method: 'GET' | 'POST', route: string, body?: unknown): Promise<T> {
	const response = await fetch(`${emulator.url}/__emulator/${route}`, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`${method} /__emulator/${route}: ${response.status} ${text}`);
	return JSON.parse(text) as T;
}

const webhookState = async () => await control<WebhookState>('GET', 'webhooks');

/** A Graph call to the emulator, with the Page token or the app token (App ID|App Secret), parameters in the query. */
async function graph(method: 'GET' | 'POST', pathName: string, token: string, query: Record<string, string> = {}): Promise<{ status: number; json: any }> {
	const response = await fetch(`${emulator.url}/v25.0/${pathName}?${new URLSearchParams(query)}`, { method, headers: { authorization: `Bearer ${token}` } });
	return { status: response.status, json: await response.json() };
}

/** The workflow's executions in n8n's database. */
async function executions(): Promise<Array<{ id: string; status: string; mode: string; finished: boolean }>> {
	const rows = await cluster.sql(`SELECT id, status, mode, finished FROM execution_entity WHERE "workflowId" = '${WORKFLOW_ID}' ORDER BY id`);
	return rows.map(([id, status, mode, finished]) => ({ id, status, mode, finished: finished === 't' }));
}

const ended = (row: { status: string; finished: boolean }) => row.finished || ['success', 'error', 'crashed', 'canceled'].includes(row.status);

const sorted = (values: readonly string[]) => [...values].sort();

const timings: Record<string, number> = {};

const suite = useSharedCluster({
	before: async () => {
		await emulator.start();
		return {
			credentials: [
				{
					id: CREDENTIAL.id,
					name: CREDENTIAL.name,
					type: 'messengerPageApi',
					data: { accessToken: PAGE.token, appSecret: APP.secret, appId: APP.id, apiVersion: 'v25.0', baseUrl: emulator.url },
				},
			],
			workflows: [triggerWorkflow()],
		};
	},
	// Published (and unpublished) by the tests themselves.
	publish: [],
	after: async () => {
		await emulator.stop();
		process.stderr.write(`trigger queue e2e timings (ms): ${JSON.stringify(timings)}\n`);
	},
});

beforeAll(() => {
	({ cluster, rest: n8nRest } = suite());
});

test('publishing on the main subscribes the app to this n8n and the Page to the app, for the fields of the chosen events', async () => {
	const started = Date.now();
	await n8nRest.activate(WORKFLOW_ID);
	const state = await poll(
		'the subscriptions on the emulator',
		async () => {
			const current = await webhookState();
			return current.subscriptions.length > 0 && current.subscribedApps.length > 0 ? current : undefined;
		},
		30_000,
	);
	timings.activation = Date.now() - started;

	expect(state.subscriptions.map((subscription) => ({ ...subscription, fields: sorted(subscription.fields) }))).toEqual([
		{ appId: APP.id, object: 'page', callback_url: callbackUrl(), fields: TRIGGER_FIELDS, verify_token: expect.any(String) },
	]);
	expect(state.subscriptions[0].verify_token).not.toBe('');
	expect(state.subscribedApps.map((subscribed) => ({ ...subscribed, fields: sorted(subscribed.fields) }))).toEqual([{ pageId: PAGE.id, appId: APP.id, fields: TRIGGER_FIELDS }]);
	// Nothing was delivered yet; the main serves both of the trigger's webhooks.
	expect(state.deliveries).toEqual([]);
	expect(sorted(await registeredWebhookMethods(cluster.baseUrl, `${WEBHOOK_ID}/webhook`))).toEqual(['GET', 'POST']);
	// The app's subscription as Graph lists it (verify tokens are write-only there).
	const listed = await graph('GET', `${APP.id}/subscriptions`, `${APP.id}|${APP.secret}`);
	expect(listed.json.data).toEqual([
		{ object: 'page', callback_url: callbackUrl(), active: true, fields: expect.arrayContaining(TRIGGER_FIELDS.map((name) => ({ name, version: 'v25.0' }))) },
	]);
}, 60_000);

test('20 people write once, every delivery comes again: 20 executions on the workers, one reply each, the echoes start nothing', async () => {
	// The app also receives the Page's echoes (ticked in the App Dashboard for another use of the same
	// app): same callback URL, with message_echoes added to the app's and the Page's fields.
	const before = await webhookState();
	const appToken = `${APP.id}|${APP.secret}`;
	const withEchoes = sorted([...TRIGGER_FIELDS, 'message_echoes']).join(',');
	expect(
		(await graph('POST', `${APP.id}/subscriptions`, appToken, { object: 'page', callback_url: callbackUrl(), verify_token: before.subscriptions[0].verify_token, fields: withEchoes })).json,
	).toEqual({ success: true });
	expect((await graph('POST', 'me/subscribed_apps', PAGE.token, { subscribed_fields: withEchoes })).json).toEqual({ success: true });

	const started = Date.now();
	// Everyone at once; the emulator, as Meta, sends one app's deliveries one after the other.
	const written = await Promise.all(
		Array.from({ length: PEOPLE }, async (_, person) => {
			const answer = await control<{ mid: string; delivery: WebhookDelivery | null }>('POST', 'person/message', { psid: psid(person), text: said(person) });
			return { person, psid: psid(person), text: said(person), ...answer };
		}),
	);
	timings.messagesDelivered = Date.now() - started;
	for (const { delivery, mid } of written) {
		expect(mid).toMatch(/^m_/);
		expect(delivery).toMatchObject({ url: callbackUrl(), fields: ['messages'], events: 1, signed: 'valid', status: 200 });
		// The answer goes before the workflow runs, with the trigger's Response Data.
		expect(delivery?.responseBody).toBe('EVENT_RECEIVED');
	}

	// Every delivery once more: the same bytes, the same signature.
	const redelivered = await Promise.all(
		written.map(async ({ delivery }) => (await control<{ delivery: WebhookDelivery }>('POST', 'webhooks/redeliver', { id: delivery?.id })).delivery),
	);
	timings.redelivered = Date.now() - started;
	written.forEach(({ delivery }, index) => {
		expect(redelivered[index]).toMatchObject({ redeliveryOf: delivery?.id, url: callbackUrl(), raw: delivery?.raw, signature256: delivery?.signature256, status: 200, responseBody: 'EVENT_RECEIVED' });
	});

	await poll(
		'20 finished executions',
		async () => {
			const rows = await executions();
			return rows.length >= PEOPLE && rows.every(ended) ? rows : undefined;
		},
		120_000,
	);
	timings.executionsFinished = Date.now() - started;
	// Each reply's echo went to the trigger too: wait until they all went out, then a moment for
	// anything they might have started to show up.
	await poll('the 20 echoes', async () => ((await emulator.settleWebhooks()).filter((delivery) => delivery.fields.includes('message_echoes')).length >= PEOPLE ? true : undefined), 30_000);
	await sleep(3000);
	timings.echoesSettled = Date.now() - started;

	// What every execution's trigger emitted, and where it ran. Exactly one message item per person:
	// a redelivery or an echo that had started something would show up here as an extra item.
	const rows = await executions();
	const ranOn = (id: string) => cluster.workers.filter((worker) => worker.log.includes(`Worker started execution ${id} `)).map((worker) => worker.name);
	const emitted = await Promise.all(
		rows.map(async ({ id }) => {
			const [[data] = []] = await cluster.sql(`SELECT data FROM execution_data WHERE "executionId" = ${Number(id)}`);
			const run = storedRun(data);
			return { id, trigger: lastOutput(run, TRIGGER).map((item) => item.json), reply: lastOutput(run, REPLY).map((item) => item.json) };
		}),
	);
	const emittedEvents = emitted.flatMap(({ id, trigger }) => trigger.map((item) => `${String(item.type)} ${String(item.mid)} from ${String(item.senderId)}`));
	expect(sorted(emittedEvents)).toEqual(sorted(written.map(({ mid, psid: sender }) => `message ${mid} from ${sender}`)));

	// Exactly 20 executions, all successful, started by the webhook.
	expect(rows).toHaveLength(PEOPLE);
	for (const row of rows) expect(row).toMatchObject({ status: 'success', mode: 'webhook', finished: true });

	// Each enqueued by the main and run by exactly one worker; the main ran none.
	for (const { id } of rows) {
		expect(cluster.main?.log).toContain(`Enqueued execution ${id} `);
		expect(ranOn(id)).toHaveLength(1);
		await poll(`worker log: finished execution ${id}`, () => (cluster.workers.some((worker) => worker.log.includes(`Worker finished execution ${id} `)) ? true : undefined), 10_000);
	}
	expect(cluster.main?.log).not.toMatch(/Worker started execution/);
	expect(cluster.main?.log.match(/Enqueued execution \d+ /g)).toHaveLength(PEOPLE);

	// Each item as the user sees it in the execution, and the reply's answer.
	const bySender = new Map(emitted.map(({ trigger }) => [String(trigger[0]?.senderId), trigger[0]]));
	for (const { psid: sender, text, mid } of written) {
		expect(bySender.get(sender)).toMatchObject({ type: 'message', platform: 'messenger', pageId: PAGE.id, senderId: sender, recipientId: PAGE.id, mid, text, quickReplyPayload: null, postbackPayload: null });
	}
	for (const { trigger, reply } of emitted) {
		expect(reply).toEqual([{ recipient_id: trigger[0].senderId, message_id: expect.stringMatching(/^m_/), attempts: expect.any(Number) }]);
	}

	// Each person got exactly one reply, with what they wrote.
	for (const { psid: person, text } of written) {
		expect(emulator.conversation(`id:${person}`).map((entry) => ({ type: entry.messaging_type, text: entry.message?.text }))).toEqual([{ type: 'RESPONSE', text: `You said: ${text}` }]);
	}
	expect(emulator.inbox).toHaveLength(PEOPLE);

	// The echoes: one per reply, answered 200 "EVENT_RECEIVED" (the trigger does not want them): nothing started.
	const state = await webhookState();
	const echoes = state.deliveries.filter((delivery) => delivery.fields.includes('message_echoes'));
	expect(echoes).toHaveLength(PEOPLE);
	for (const echo of echoes) expect(echo).toMatchObject({ fields: ['message_echoes'], status: 200, responseBody: 'EVENT_RECEIVED' });
	const echoed = echoes.map((echo) => (JSON.parse(echo.raw) as { entry: Array<{ messaging: Array<{ message: { text: string; is_echo: boolean } }> }> }).entry[0].messaging[0].message);
	expect(sorted(echoed.map((message) => message.text))).toEqual(sorted(written.map(({ text }) => `You said: ${text}`)));
	expect(echoed.every((message) => message.is_echo)).toBe(true);
	// 20 messages, 20 redeliveries, 20 echoes, nothing else.
	expect(state.deliveries).toHaveLength(3 * PEOPLE);

	// The secrets never show up in any process's output.
	for (const process_ of cluster.processes) {
		expect(process_.log).not.toContain(PAGE.token);
		expect(process_.log).not.toContain(APP.secret);
	}
	process.stderr.write(
		`trigger queue e2e: ${PEOPLE} messages, ${PEOPLE} redeliveries, ${PEOPLE} echoes → ${rows.length} executions (` +
			`${cluster.workers.map((worker) => `${worker.name}: ${rows.filter(({ id }) => ranOn(id)[0] === worker.name).length}`).join(', ')}); ` +
			`${timings.executionsFinished} ms from the first message to the last finished execution\n`,
	);
}, 180_000);

test('unpublishing removes the app’s subscription and the Page’s subscribed app', async () => {
	const started = Date.now();
	await n8nRest.deactivate(WORKFLOW_ID);
	const state = await poll(
		'the subscriptions gone from the emulator',
		async () => {
			const current = await webhookState();
			return current.subscriptions.length === 0 && current.subscribedApps.length === 0 ? current : undefined;
		},
		30_000,
	);
	timings.deactivation = Date.now() - started;
	expect({ subscriptions: state.subscriptions, subscribedApps: state.subscribedApps }).toEqual({ subscriptions: [], subscribedApps: [] });
	expect((await graph('GET', `${APP.id}/subscriptions`, `${APP.id}|${APP.secret}`)).json).toEqual({ data: [] });
	expect((await graph('GET', 'me/subscribed_apps', PAGE.token)).json).toEqual({ data: [] });
	expect(await registeredWebhookMethods(cluster.baseUrl, `${WEBHOOK_ID}/webhook`)).toEqual([]);

	// A person writing now reaches nobody, and nothing runs.
	const late = await control<{ delivery: WebhookDelivery | null }>('POST', 'person/message', { psid: psid(0), text: 'Anyone there?' });
	expect(late.delivery).toBeNull();
	await sleep(1000);
	expect(await executions()).toHaveLength(PEOPLE);
}, 60_000);
