// The node on n8n's distributed engine (queue mode): Redis and PostgreSQL 15 (scripts/queue-services.sh,
// installed with apt when missing), one n8n 2.8.4 main in EXECUTIONS_MODE=queue and two
// `n8n worker --concurrency=2`, all with this package installed as users install it. A published
// webhook workflow (Webhook → Split Out → Messenger Send, On Error: Continue) receives three broadcasts
// at once; the workers run them against the Graph API emulator, which fails ~2 % of the sends with a
// temporary error (the node retries those) and caps the Page at Messenger's 300 sends per second.
// Checked: every message delivered exactly once, each person's messages in order, nothing lost, the
// executions enqueued by the main and run by the workers (both of them), stored in PostgreSQL as
// successful, and every process listening on 127.0.0.1 only.
import { randomUUID } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { GraphEmulator } from '../../emulator/graphEmulator';
import { NODE_TYPE, ROOT } from '../../scripts/n8n';
import { isLoopback, QueueCluster } from './queueCluster';

const PAGE = { id: '1029384756', name: 'Queue Shop', token: 'QUEUE-PAGE-TOKEN', appSecret: 'QUEUE-APP-SECRET', requireAppSecretProof: true };
const CREDENTIAL = { id: 'msgrQueueCred001', name: 'Messenger Page (queue e2e)' };
const WORKFLOW_ID = 'msgrQueueBcast01';
const WEBHOOK_PATH = 'messenger-queue-broadcast';
const BROADCASTS = 3;
const RECIPIENTS = 200;
const PARTS = 2;
/**
 * Each execution paces itself; three run at once for the same Page, so each gets less than a third
 * of Messenger's 300 per second (what the README tells users to do with several workers).
 */
const MAX_PER_SECOND_PER_EXECUTION = Number(process.env.QUEUE_E2E_MAX_PER_SECOND ?? 80);

const emulator = new GraphEmulator({
	pages: [PAGE],
	latencyMs: 20,
	jitterMs: 10,
	rateCapPerSecond: 300,
	faults: { temporary1200: { probability: 0.02 } },
	seed: 20261123,
});
const cluster = new QueueCluster({ workers: 2, concurrency: 2 });

const psid = (broadcast: number, person: number) => `7${broadcast}${String(person).padStart(14, '0')}`;
const text = (broadcast: number, part: number, person: number) => `Broadcast ${broadcast}, part ${part} of ${PARTS}, for person ${person}`;

/** One broadcast as posted: every person's part 1, then every person's part 2. */
function broadcastBody(broadcast: number) {
	const messages = [];
	for (let part = 1; part <= PARTS; part++) {
		for (let person = 0; person < RECIPIENTS; person++) messages.push({ psid: psid(broadcast, person), text: text(broadcast, part, person) });
	}
	return { broadcast, messages };
}

function broadcastWorkflow() {
	const nodes = [
		{
			name: 'Broadcast request',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2.1,
			webhookId: randomUUID(),
			parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'onReceived', options: {} },
		},
		{ name: 'One item per message', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'body.messages', options: {} } },
		{
			name: 'Send',
			type: NODE_TYPE,
			typeVersion: 1,
			parameters: {
				operation: 'sendMessage',
				recipientType: 'id',
				psid: '={{ $json.psid }}',
				messagingType: 'UPDATE',
				text: '={{ $json.text }}',
				delivery: { maxPerSecond: MAX_PER_SECOND_PER_EXECUTION },
			},
			credentials: { messengerPageApi: CREDENTIAL },
			onError: 'continueRegularOutput',
		},
	].map((node, index) => ({ id: randomUUID(), position: [index * 220, 0], ...node }));
	const names = nodes.map((node) => node.name);
	const connections = Object.fromEntries(names.slice(0, -1).map((from, index) => [from, { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] }]));
	return { id: WORKFLOW_ID, name: 'queue e2e: broadcast from a webhook', nodes, connections, settings: { executionOrder: 'v1' }, pinData: {} };
}

/** The workflow's executions in n8n's database. */
async function executions(): Promise<Array<{ id: string; status: string; mode: string; finished: boolean }>> {
	const rows = await cluster.sql(`SELECT id, status, mode, finished FROM execution_entity WHERE "workflowId" = '${WORKFLOW_ID}' ORDER BY id`);
	return rows.map(([id, status, mode, finished]) => ({ id, status, mode, finished: finished === 't' }));
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const result = await probe();
		if (result !== undefined) return result;
		if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

const timings: Record<string, number> = {};

beforeAll(async () => {
	if (!existsSync(path.join(ROOT, 'dist', 'nodes', 'MessengerSend', 'MessengerSend.node.js'))) {
		throw new Error('dist/ is missing: run `npm run build` before the queue-mode test');
	}
	let started = Date.now();
	await emulator.start();
	await cluster.startServices();
	timings.services = Date.now() - started;

	started = Date.now();
	cluster.n8n.prepare();
	const credentials = writeJson('credentials.json', [
		{ id: CREDENTIAL.id, name: CREDENTIAL.name, type: 'messengerPageApi', data: { accessToken: PAGE.token, appSecret: PAGE.appSecret, apiVersion: 'v25.0', baseUrl: emulator.url } },
	]);
	await cluster.cli(['import:credentials', `--input=${credentials}`]);
	rmSync(credentials); // n8n keeps it encrypted; the plain copy goes
	await cluster.cli(['import:workflow', `--input=${writeJson('workflow.json', broadcastWorkflow())}`]);
	// Before the main starts: a running n8n does not see what the CLI publishes.
	await cluster.cli(['publish:workflow', `--id=${WORKFLOW_ID}`]);
	timings.import = Date.now() - started;

	started = Date.now();
	await cluster.startN8n();
	// The production webhook is registered a little after /healthz.
	await cluster.waitForMainLog(/Activated workflow/, 60_000);
	timings.n8n = Date.now() - started;
}, 8 * 60_000);

afterAll(async () => {
	await cluster.stop();
	await emulator.stop();
	process.stderr.write(`queue e2e timings (ms): ${JSON.stringify(timings)}\n`);
}, 120_000);

function writeJson(name: string, value: unknown): string {
	const file = path.join(cluster.n8n.userFolder, name);
	writeFileSync(file, JSON.stringify(value));
	return file;
}

test('three broadcasts posted at once run on the workers: every message exactly once, in order per person', async () => {
	const started = Date.now();
	const answers = await Promise.all(
		Array.from({ length: BROADCASTS }, async (_, index) => {
			const body = JSON.stringify(broadcastBody(index + 1));
			// Right after activation the route can still answer 404 for a moment: nothing was started then.
			return await waitFor(
				`POST /webhook/${WEBHOOK_PATH}`,
				async () => {
					const response = await fetch(`${cluster.baseUrl}/webhook/${WEBHOOK_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
					return response.status === 404 ? undefined : { status: response.status, body: await response.text() };
				},
				30_000,
			);
		}),
	);
	for (const answer of answers) expect(answer).toEqual({ status: 200, body: expect.stringContaining('Workflow was started') });

	const total = BROADCASTS * RECIPIENTS * PARTS;
	const done = await waitFor(
		'three finished executions',
		async () => {
			const rows = await executions();
			return rows.length >= BROADCASTS && rows.every((row) => row.finished || ['success', 'error', 'crashed', 'canceled'].includes(row.status)) ? rows : undefined;
		},
		150_000,
	);
	timings.broadcasts = Date.now() - started;

	// The database: three webhook executions, all successful (the node's own retries absorbed the faults).
	expect(done).toHaveLength(BROADCASTS);
	for (const row of done) expect(row).toMatchObject({ status: 'success', mode: 'webhook', finished: true });

	// The emulator: each message exactly once, nothing lost, each person's part 1 before part 2.
	const texts = emulator.inbox.map((entry) => String(entry.message?.text));
	const counts = new Map<string, number>();
	for (const entry of texts) counts.set(entry, (counts.get(entry) ?? 0) + 1);
	const expected: string[] = [];
	let lost = 0;
	let outOfOrder = 0;
	for (let broadcast = 1; broadcast <= BROADCASTS; broadcast++) {
		for (let person = 0; person < RECIPIENTS; person++) {
			const parts = Array.from({ length: PARTS }, (_, index) => text(broadcast, index + 1, person));
			expected.push(...parts);
			lost += parts.filter((part) => !counts.has(part)).length;
			const conversation = emulator.conversation(`id:${psid(broadcast, person)}`).map((entry) => entry.message?.text);
			if (JSON.stringify(conversation) !== JSON.stringify(parts)) outOfOrder++;
		}
	}
	const duplicated = [...counts.values()].filter((count) => count > 1).length;
	expect({ delivered: emulator.inbox.length, lost, duplicated, outOfOrder }).toEqual({ delivered: total, lost: 0, duplicated: 0, outOfOrder: 0 });
	expect([...counts.keys()].sort()).toEqual(expected.sort());
	for (const request of emulator.requests) {
		expect(request.headers.authorization).toBe(`Bearer ${PAGE.token}`);
		expect(request.query.appsecret_proof).toMatch(/^[0-9a-f]{64}$/);
	}

	// Faults were injected and retried. Each execution paces itself at a third of the Page's cap, so
	// the three together rarely meet it: the node estimates when the platform counted a send, and on
	// this busy 2-core machine a few estimates are off by a little (each costs one 613, retried like
	// the faults). Unpaced, three executions would get hundreds of 613 answers.
	const stats = emulator.stats();
	expect(stats.faults.temporary1200).toBeGreaterThan(0);
	expect(stats.rejected['613'] ?? 0).toBeLessThan(total * 0.05);

	// Where they ran: enqueued by the main, started and finished by a worker — each exactly once, and
	// both workers took part (a worker holds at most two, so the third broadcast went to the other).
	const ranOn = (id: string) => cluster.workers.filter((worker) => worker.log.includes(`Worker started execution ${id} `)).map((worker) => worker.name);
	for (const { id } of done) {
		expect(cluster.main?.log).toContain(`Enqueued execution ${id} `);
		expect(ranOn(id)).toHaveLength(1);
		await waitFor(`worker log: finished execution ${id}`, () => (cluster.workers.some((worker) => worker.log.includes(`Worker finished execution ${id} `)) ? true : undefined), 10_000);
	}
	expect(new Set(done.flatMap(({ id }) => ranOn(id))).size).toBe(2);
	expect(cluster.main?.log).not.toMatch(/Worker started execution/);

	// The token never shows up in any process's output.
	for (const process_ of cluster.processes) expect(process_.log).not.toContain(PAGE.token);

	process.stderr.write(
		`queue e2e: ${total} messages in ${BROADCASTS} executions (${done.map(({ id }) => `${id} on ${ranOn(id)[0]}`).join(', ')}), ` +
			`${timings.broadcasts} ms from the first POST to the last finished execution; emulator ${JSON.stringify(stats)}\n`,
	);
}, 240_000);

test('every process of the cluster listens on 127.0.0.1 only', () => {
	const sockets = cluster.listeningSockets();
	const ports = sockets.map((socket) => socket.port);
	// The main's port and task broker, each worker's broker and health port, Redis, PostgreSQL.
	expect(ports).toEqual(expect.arrayContaining([
		cluster.ports.main,
		cluster.ports.mainBroker,
		...cluster.ports.workers.flatMap((worker) => [worker.broker, worker.health]),
		cluster.ports.redis,
		cluster.ports.postgres,
	]));
	expect(sockets.filter((socket) => !isLoopback(socket.address))).toEqual([]);
});
