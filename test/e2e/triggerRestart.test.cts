// The Messenger Trigger's "never twice" across a restart of n8n: a real `n8n start` of its own (a
// restart cannot be done to the n8n the other suites share), the trigger published (Subscription:
// Manual, so nothing talks to Graph), signed deliveries POSTed as Meta sends them.
// Checked: 10 fresh events, one delivery each (each starts an execution, and no request that starts
// nothing comes after them to save the keys on their behalf), start 10 executions and their keys
// reach n8n's database; n8n stopped (SIGTERM, its graceful shutdown) and started again on the same
// user folder; the same 10 deliveries again, byte for byte, start nothing; a fresh event after them,
// delivered twice at the same moment, is one execution. (Issue 20, finding 7: on n8n 2.40 a delivery
// that started an execution never got its keys saved, and all 10 ran again after a restart.)
import { randomUUID } from 'node:crypto';

import { metaJson, signWebhook } from '../../emulator/graphEmulator.cjs';
import { eventKey, readWebhookPost } from '../../nodes/MessengerTrigger/events';
import { N8n, NO_TASK_RUNNER, PACKAGE_NAME } from '../../scripts/n8n.cjs';
import { linearWorkflow } from '../../scripts/workflows.cjs';
import { freeN8nPort, portOf } from './support/ports.cjs';
import { byCliOn1x, lastOutput, N8nRest, poll, registeredWebhookMethods, type ExecutionSummary } from './support/rest.cjs';

const APP_SECRET = 'E2E-RESTART-APP-SECRET';
const PAGE_ID = '3049586071';
const CREDENTIAL = { id: 'msgrTrigRestCred', name: 'Messenger (restart e2e)' };
const WORKFLOW_ID = 'msgrTrigRestart1';
const HOOK = 'trigger-e2e-restart';
const TRIGGER = 'Messenger Trigger';
const EVENTS = 10;

const n8n = new N8n({ port: portOf('restart'), env: { ...NO_TASK_RUNNER, EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all' } });
let rest: N8nRest;

const run = randomUUID().slice(0, 8);
const mids = Array.from({ length: EVENTS }, (_, index) => `m_restart_${run}_${index}`);
const sentinelMid = `m_restart_${run}_after`;

/** One delivery of one person's message, as Meta sends it (escaped JSON). */
function deliveryOf(mid: string, index: number): string {
	const event = { sender: { id: `66${String(index).padStart(14, '0')}` }, recipient: { id: PAGE_ID }, timestamp: Date.now(), message: { mid, text: `Hello ${index}` } };
	return metaJson({ object: 'page', entry: [{ id: PAGE_ID, time: Date.now(), messaging: [event] }] });
}

const bodies = mids.map(deliveryOf);

/** The keys the trigger remembers for a delivery (the node's own function, so the test looks for exactly those). */
function keysOf(body: string): string[] {
	const reading = readWebhookPost(body, 'page');
	if ('problem' in reading) throw new Error(reading.problem);
	return reading.events.map(eventKey);
}

async function post(body: string): Promise<{ status: number; text: string }> {
	const response = await fetch(`${n8n.url}/webhook/${HOOK}/webhook`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-hub-signature-256': signWebhook(APP_SECRET, body).sha256 },
		body,
	});
	return { status: response.status, text: await response.text() };
}

/** The trigger's remembered keys as n8n has them in its database (the workflow's static data, read through REST). */
async function savedKeys(): Promise<string[]> {
	const { status, json } = await rest.call('GET', `/workflows/${WORKFLOW_ID}`);
	if (status !== 200) throw new Error(`GET /rest/workflows/${WORKFLOW_ID}: ${status} ${JSON.stringify(json)}`);
	const staticData = (json.data.staticData ?? {}) as Record<string, { seenEvents?: string[] }>;
	return staticData[`node:${TRIGGER}`]?.seenEvents ?? [];
}

/** The saved keys once they include `keys` (or, after `timeoutMs`, as they are, for the assertion to show what is missing). */
async function savedKeysWith(keys: string[], timeoutMs = 15_000): Promise<string[]> {
	return await poll(`${keys.length} keys in n8n’s database`, async () => {
		const saved = await savedKeys();
		return keys.every((key) => saved.includes(key)) ? saved : undefined;
	}, timeoutMs).catch(async () => await savedKeys());
}

const ended = (row: ExecutionSummary) => row.finished || ['success', 'error', 'crashed', 'canceled'].includes(row.status);

/** Waits until the workflow has at least `count` executions, all ended; then a moment for any that should not come. */
async function settledExecutions(count: number): Promise<ExecutionSummary[]> {
	await poll(
		`${count} ended executions of ${WORKFLOW_ID}`,
		async () => {
			const rows = await rest.executions(WORKFLOW_ID);
			return rows.length >= count && rows.every(ended) ? rows : undefined;
		},
		60_000,
	);
	await new Promise((resolve) => setTimeout(resolve, 2000));
	return await rest.executions(WORKFLOW_ID);
}

/** The mids the trigger emitted, over all the workflow's executions. */
async function emittedMids(rows: ExecutionSummary[]): Promise<string[]> {
	const items = await Promise.all(rows.map(async (row) => lastOutput((await rest.execution(row.id)).run, TRIGGER).map((item) => String(item.json.mid))));
	return items.flat().sort();
}

/** n8n started (again) on the suite's user folder. */
async function startN8n(): Promise<void> {
	await n8n.start();
	rest = new N8nRest(n8n.url);
}

async function triggerListening(): Promise<void> {
	await poll(
		'the trigger listening',
		async () => {
			const methods = await registeredWebhookMethods(n8n.url, `${HOOK}/webhook`);
			return methods.includes('GET') && methods.includes('POST') ? true : undefined;
		},
		60_000,
	);
}

const figures: Record<string, unknown> = { version: n8n.version };

beforeAll(async () => {
	await freeN8nPort(n8n.port);
	n8n.prepare();
	await startN8n();
	await rest.setUpOwner();
	await rest.signIn();
	const trigger = {
		name: TRIGGER,
		type: `${PACKAGE_NAME}.messengerTrigger`,
		typeVersion: 1,
		webhookId: HOOK,
		parameters: { subscription: 'manual', verifyToken: 'e2e-restart-verify', pageId: 'me', events: ['message'] },
		credentials: { messengerPageApi: CREDENTIAL },
	};
	await rest.importAll(
		[{ ...CREDENTIAL, type: 'messengerPageApi', data: { accessToken: 'E2E-RESTART-PAGE-TOKEN', appSecret: APP_SECRET, apiVersion: 'v25.0' } }],
		[linearWorkflow(WORKFLOW_ID, 'trigger e2e: remembered across a restart', [trigger, { name: 'Received', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} }])],
		undefined,
		byCliOn1x(n8n),
	);
	await rest.activate(WORKFLOW_ID);
	await triggerListening();
}, 10 * 60_000);

afterAll(async () => {
	process.stderr.write(`trigger restart e2e: ${JSON.stringify(figures)}\n`);
	await n8n.stop();
	n8n.remove();
}, 60_000);

test('10 fresh events, one delivery each: 10 executions, and their keys reach n8n’s database', async () => {
	figures.keysBefore = (await savedKeys()).length;
	// One after the other, as Meta sends an app's deliveries.
	for (const body of bodies) expect(await post(body)).toEqual({ status: 200, text: 'EVENT_RECEIVED' });

	const rows = await settledExecutions(EVENTS);
	figures.executionsBeforeRestart = rows.length;
	expect(rows).toHaveLength(EVENTS);
	for (const row of rows) expect(row).toMatchObject({ status: 'success', mode: 'webhook' });
	expect(await emittedMids(rows)).toEqual([...mids].sort());

	// Saved while the request is answered, before its execution starts: nothing for n8n to flush at shutdown.
	const expected = bodies.flatMap(keysOf);
	const saved = await savedKeysWith(expected);
	figures.keysAfterDeliveries = saved.length;
	expect(expected.filter((key) => !saved.includes(key))).toEqual([]);
}, 120_000);

test('n8n stopped and started again: the same 10 deliveries start nothing; a fresh one after them, delivered twice at the same moment, runs once', async () => {
	const before = await rest.executions(WORKFLOW_ID);
	await n8n.stop();
	await startN8n();
	await rest.signIn();
	await triggerListening();
	figures.keysAfterRestart = (await savedKeys()).length;

	// Meta redelivers the very same bytes, with the same signature.
	for (const body of bodies) expect(await post(body)).toEqual({ status: 200, text: 'EVENT_RECEIVED' });
	// A fresh event after them (its execution ended means the redeliveries' would have shown up too),
	// twice at the same moment: one of the two requests takes it.
	const sentinel = deliveryOf(sentinelMid, EVENTS);
	for (const answer of await Promise.all([post(sentinel), post(sentinel)])) expect(answer).toEqual({ status: 200, text: 'EVENT_RECEIVED' });

	const rows = await settledExecutions(before.length + 1);
	const after = rows.filter((row) => !before.some((old) => old.id === row.id));
	figures.executionsAfterRestart = after.length;
	figures.executionsOfRedeliveries = after.length - 1;
	expect(await emittedMids(after)).toEqual([sentinelMid]);
	expect(after).toHaveLength(1);
	// Over the whole run, each event came out once.
	expect(await emittedMids(rows)).toEqual([...mids, sentinelMid].sort());
	// The fresh event's key is saved as well, for the next restart.
	const [sentinelKey] = keysOf(sentinel);
	const saved = await savedKeysWith([sentinelKey]);
	figures.keysAtEnd = saved.length;
	expect(saved).toContain(sentinelKey);
}, 240_000);
