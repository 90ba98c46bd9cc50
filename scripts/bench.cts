// `npm run bench`: figures, not a test; it asserts nothing. Sections (all by default; `BENCH_ONLY`
// picks some, comma-separated, e.g. `BENCH_ONLY=order,reply npm run bench`):
//   broadcast  the same broadcast sent by a real n8n three ways — this node with its defaults,
//              this node with batching or pacing off, and n8n's HTTP Request node as a user would
//              set it up — against the local Graph API emulator (sizes: BENCH_SIZES)
//   memory     peak RSS of n8n for 10 000 sends against a 100-send baseline
//   order      10 people × 100 numbered messages each, 0–40 ms jitter: is each person's order kept?
//   reply      a chatbot reply (4 messages to one person) for 200 people and for 1, 50 ms latency:
//              how many round trips does a reply cost?
//   params     10 000 items through n8n's own engine in process (WorkflowExecute, n8n's real
//              getNodeParameter): reading + building + validating per item, constant parameters
//              against expressions
//   micro      build + validate one request, called directly (no n8n)
//   trigger    a real `n8n start`: a burst of 1 000 signed events, 10 per request, to the Messenger
//              Trigger (its memory of events empty, and full) and to n8n's Webhook node, then the same
//              burst again (Meta's redelivery): answers, latency, executions, items and their size,
//              each event emitted once; the signature check per KB, reading + item per event and the
//              memory's check per request, called directly (BENCH_TRIGGER_CONCURRENCY: requests in
//              flight, default 10)
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import os from 'node:os';

import type { IDataObject } from 'n8n-workflow';

import { GraphEmulator, type EmulatorOptions } from '../emulator/graphEmulator.cjs';
import { metaJson, signWebhook, webhookBody } from '../emulator/webhooks.cjs';
import type * as SendMessageModule from '../nodes/MessengerSend/actions/sendMessage.operation';
import type * as ValidationModule from '../nodes/MessengerSend/rules/validate';
import type * as TriggerEventsModule from '../nodes/MessengerTrigger/events';
import type * as SeenEventsModule from '../nodes/MessengerTrigger/seenEvents';
import type * as SignatureModule from '../nodes/MessengerTrigger/signature';
import { lastOutput, N8nRest, poll, registeredWebhookMethods, storedRun } from '../test/e2e/support/rest.cjs';
import type * as RunNodeModule from '../test/helpers/runNode';
import { N8n, NODE_TYPE, outputOf, PACKAGE_NAME } from './n8n.cjs';
import { broadcastList, linearWorkflow, type NodeSpec } from './workflows.cjs';

// tsx (4.23 on Node 20.20) hands a plain `import` of a .ts file from this .cts module to Node
// untransformed ("Cannot use import statement outside a module"): load the TypeScript sources
// through tsx's CommonJS hook instead. `X.node` would resolve to the codex file X.node.json
// before X.node.ts: prefer the .ts beside it.
const load = createRequire(__filename);
(load('tsx/cjs/api') as { register: () => unknown }).register();
const moduleInternals = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const resolveFilename = moduleInternals._resolveFilename;
moduleInternals._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
	const resolved = resolveFilename.call(this, request, ...rest);
	const source = resolved.replace(/\.node\.json$/, '.node.ts');
	return source !== resolved && existsSync(source) ? source : resolved;
};
const { build: buildMessage } = load('../nodes/MessengerSend/actions/sendMessage.operation') as typeof SendMessageModule;
const { validateSendRequest } = load('../nodes/MessengerSend/rules/validate') as typeof ValidationModule;
const { runNode, NODE_NAME } = load('../test/helpers/runNode') as typeof RunNodeModule;
const { checkSignature } = load('../nodes/MessengerTrigger/signature') as typeof SignatureModule;
const { readWebhookPost, toItem, eventKey } = load('../nodes/MessengerTrigger/events') as typeof TriggerEventsModule;
const { claimEvents, REMEMBERED_EVENTS } = load('../nodes/MessengerTrigger/seenEvents') as typeof SeenEventsModule;

const PAGE = { id: '1029384756', name: 'Bench Shop', token: 'BENCH-PAGE-TOKEN' };
const CREDENTIAL = { id: 'msgrBenchCred001', name: 'Messenger Page (bench)' };
const SIZES = (process.env.BENCH_SIZES ?? '100,1000,5000').split(',').map(Number);
const PARTS = 2; // each broadcast recipient gets a two-part message, so order per person can be checked
const CAP = 300;
// Jitter on the way in (requests can overtake each other) and on the way back: 0–40 ms in all.
const ORDER = { people: 10, messages: 100, arrivalJitterMs: 20, jitterMs: 20 };
const REPLY = { people: 200, messages: 4, latencyMs: 50, singleRuns: 5, inProcessRuns: 10 };
const PARAMS = { items: 10_000, warmUpItems: 1_000, repeats: 3 };
// Its own `n8n start` on the bench's port (the other sections only run `n8n execute`, and are done by then).
const TRIGGER = {
	events: 1000,
	perRequest: 10,
	concurrency: Number(process.env.BENCH_TRIGGER_CONCURRENCY ?? 10),
	port: 5689,
	appSecret: 'BENCH-APP-SECRET',
	verifyToken: 'bench-verify-token',
	webhookId: 'bench-messenger-trigger',
	fullWebhookId: 'bench-messenger-trigger-full',
	webhookPath: 'bench-webhook-node',
	/** Requests (other mids) sent to each workflow first and not counted: n8n's first requests load and compile code. */
	warmUpRequests: 10,
	signatureSizesKb: [1, 10, 100, 1024],
};
const TRIGGER_CREDENTIAL = { id: 'msgrBenchTrig001', name: 'Messenger Page (bench trigger)' };
const TRIGGER_WORKFLOW = 'msgrBenchTrigWf01';
/** The same trigger with its memory of event keys already full (REMEMBERED_EVENTS keys in its static data). */
const FULL_TRIGGER_WORKFLOW = 'msgrBenchTrigWf02';
const WEBHOOK_WORKFLOW = 'msgrBenchHookWf01';

const SECTIONS = ['broadcast', 'memory', 'order', 'reply', 'params', 'micro', 'trigger'] as const;
type Section = (typeof SECTIONS)[number];
const ONLY = (process.env.BENCH_ONLY ?? SECTIONS.join(','))
	.split(',')
	.map((name) => name.trim())
	.filter(Boolean);
for (const name of ONLY) {
	if (!(SECTIONS as readonly string[]).includes(name)) throw new Error(`BENCH_ONLY: unknown section '${name}' (sections: ${SECTIONS.join(', ')})`);
}
const selected = (section: Section) => ONLY.includes(section);

type Variant = 'node' | 'node-no-batching' | 'node-no-pacing' | 'http-request';
type Arrangement = 'round-robin' | 'by-person';

/** One n8n workflow of the bench: `recipients` people, `parts` numbered messages each. */
interface Workload {
	variant: Variant;
	recipients: number;
	parts: number;
	arrangement: Arrangement;
	messagingType: 'UPDATE' | 'RESPONSE';
}

interface Row {
	profile: string;
	variant: Variant;
	recipients: number;
	sends: number;
	wallMs: number;
	nodeMs: number;
	delivered: number;
	lost: number;
	duplicated: number;
	outOfOrder: number;
	errorItems: number;
	httpRequests: number;
	peakRssMb: number;
	/** Delivered per second between the first and the last delivery: the pace the platform saw. */
	sendingRate: number;
	rejected613: number;
}

const keyOf = (w: Workload) => `${w.variant}|${w.recipients}|${w.parts}|${w.arrangement}|${w.messagingType}`;
const broadcast = (variant: Variant, recipients: number): Workload => ({ variant, recipients, parts: PARTS, arrangement: 'round-robin', messagingType: 'UPDATE' });
const orderWorkload = (variant: Variant, arrangement: Arrangement): Workload => ({ variant, recipients: ORDER.people, parts: ORDER.messages, arrangement, messagingType: 'UPDATE' });
const replyWorkload = (variant: Variant, recipients: number): Workload => ({ variant, recipients, parts: REPLY.messages, arrangement: 'by-person', messagingType: 'RESPONSE' });

const text = (part: number, parts: number, person: number) => `part ${part} of ${parts} for p${person}`;

/** Manual Trigger → Set (the list) → Split Out → the sending node. */
function benchWorkflow(id: string, w: Workload, graphUrl: string) {
	const psids = Array.from({ length: w.recipients }, (_, i) => `p${i}`);
	const sender: NodeSpec =
		w.variant === 'http-request'
			? {
					name: 'Send',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					// What the Send API docs lead a user to build: one POST per item, token in a header.
					parameters: {
						method: 'POST',
						url: `${graphUrl}/v25.0/me/messages`,
						sendHeaders: true,
						headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${PAGE.token}` }] },
						sendBody: true,
						specifyBody: 'json',
						jsonBody: `={{ JSON.stringify({ recipient: { id: $json.psid }, messaging_type: '${w.messagingType}', message: { text: 'part ' + $json.part + ' of ${w.parts} for ' + $json.psid } }) }}`,
						options: {},
					},
					onError: 'continueRegularOutput',
				}
			: {
					name: 'Send',
					type: NODE_TYPE,
					typeVersion: 1,
					parameters: {
						operation: 'sendMessage',
						recipientType: 'id',
						psid: '={{ $json.psid }}',
						messagingType: w.messagingType,
						text: `=part {{ $json.part }} of ${w.parts} for {{ $json.psid }}`,
						delivery:
							w.variant === 'node-no-batching' ? { batching: false } : w.variant === 'node-no-pacing' ? { maxPerSecond: 1_000_000 } : {},
					},
					credentials: { messengerPageApi: CREDENTIAL },
					onError: 'continueRegularOutput',
				};
	return linearWorkflow(id, `bench ${keyOf(w)}`, [...broadcastList(psids, w.parts, w.arrangement), sender]);
}

function peakRssWatcher() {
	let peakKb = 0;
	let timer: NodeJS.Timeout | undefined;
	return {
		start(pid: number) {
			timer = setInterval(() => {
				try {
					const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
					if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
				} catch {
					// the process has exited
				}
			}, 25);
		},
		stop() {
			clearInterval(timer);
			return Math.round(peakKb / 1024);
		},
	};
}

/**
 * delivered: distinct messages that arrived; dup: arrivals beyond the first of a message; lost:
 * messages that never arrived; out of order: arrivals numbered lower than the one before them in
 * the person's conversation.
 */
function account(emulator: GraphEmulator, recipients: number, parts: number) {
	const texts = emulator.inbox.map((entry) => String(entry.message?.text));
	const unique = new Set(texts);
	let lost = 0;
	let outOfOrder = 0;
	for (let person = 0; person < recipients; person++) {
		for (let part = 1; part <= parts; part++) if (!unique.has(text(part, parts, person))) lost++;
		const numbers = emulator.conversation(`id:p${person}`).map((entry) => Number(/part (\d+)/.exec(String(entry.message?.text))?.[1]));
		numbers.forEach((part, i) => i > 0 && part < numbers[i - 1] && outOfOrder++);
	}
	return { delivered: unique.size, duplicated: texts.length - unique.size, lost, outOfOrder };
}

function sendingRate(emulator: GraphEmulator): number {
	const times = emulator.inbox.map((entry) => entry.receivedAt);
	if (times.length < 2) return 0;
	return ((times.length - 1) / (Math.max(...times) - Math.min(...times))) * 1000;
}

async function run(n8n: N8n, emulator: GraphEmulator, profile: string, w: Workload, id: string): Promise<Row> {
	emulator.reset();
	const watcher = peakRssWatcher();
	const started = Date.now();
	const result = await n8n.execute(id, (pid) => watcher.start(pid));
	const wallMs = Date.now() - started;
	const peakRssMb = watcher.stop();
	// n8n 2.8.4 sometimes exits 1 after a finished run (its SQLite pool aborts on shutdown): the run data counts.
	if (!result.run) throw new Error(`${keyOf(w)}: n8n execute failed (${result.code})\n${result.stdout.slice(-2000)}`);
	const task = result.run.data.resultData.runData.Send?.[0];
	const items = outputOf(result.run, 'Send');
	return {
		profile,
		variant: w.variant,
		recipients: w.recipients,
		sends: w.recipients * w.parts,
		wallMs,
		nodeMs: task?.executionTime ?? wallMs,
		errorItems: items.filter((item) => item.json.error !== undefined).length,
		httpRequests: emulator.stats().requests,
		peakRssMb,
		sendingRate: sendingRate(emulator),
		rejected613: emulator.stats().rejected['613'] ?? 0,
		...account(emulator, w.recipients, w.parts),
	};
}

function microBenchmark(): { simpleUs: number; richUs: number } {
	const measure = (withOptions: boolean) => {
		const count = 100_000;
		const options = withOptions
			? {
					quickReplies: Array.from({ length: 5 }, (_, i) => ({ contentType: 'text' as const, title: `Option ${i}`, payload: `PAYLOAD_${i}` })),
					metadata: 'campaign-42',
					notificationType: 'SILENT_PUSH',
				}
			: {};
		for (let round = 0; round < 2; round++) {
			const started = process.hrtime.bigint();
			for (let i = 0; i < count; i++) {
				const request = buildMessage({
					recipient: { type: 'id', value: `p${i}` },
					messagingType: 'UPDATE',
					content: { text: `Hello person ${i}, your order has shipped 📦` },
					options,
				});
				validateSendRequest(request, i);
			}
			const us = Number(process.hrtime.bigint() - started) / 1000 / count;
			if (round === 1) return us; // the first round warms up the JIT
		}
		return 0;
	};
	return { simpleUs: measure(false), richUs: measure(true) };
}

const fmt = (n: number, digits = 0) => n.toFixed(digits);
/** The least time a run of `sends` needs under the node's default pace: a window of CAP sends per second. */
const pacingFloorS = (sends: number) => Math.max(0, Math.ceil(sends / CAP) - 1);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The node in process through n8n's WorkflowExecute (test/helpers/runNode.ts), n8n's real getNodeParameter and HTTP helpers. */
async function inProcessCase(emulator: GraphEmulator, graphUrl: string, items: number, psidExpression: boolean, textMode: 'constant' | 'expression' | 'too-long constant' | 'too-long expression') {
	const long = 'x'.repeat(2001);
	const textParameter = { constant: 'Hello, your order has shipped 📦', expression: '={{ $json.text }}', 'too-long constant': long, 'too-long expression': '={{ $json.text }}' }[textMode];
	const itemText = textMode === 'too-long expression' ? long : 'Hello, your order has shipped 📦';
	emulator.reset();
	const started = process.hrtime.bigint();
	const result = await runNode({
		parameters: {
			operation: 'sendMessage',
			recipientType: 'id',
			psid: psidExpression ? '={{ $json.psid }}' : '42',
			messagingType: 'UPDATE',
			text: textParameter,
			delivery: { maxPerSecond: 1_000_000 },
		},
		items: Array.from({ length: items }, (_, i) => ({ json: { psid: `p${i}`, text: itemText } })),
		credentials: { accessToken: PAGE.token, appSecret: '', apiVersion: 'v25.0', baseUrl: graphUrl },
		continueOnFail: true,
	});
	const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
	const task = result.run.data.resultData.runData[NODE_NAME]?.[0];
	if (result.error) throw new Error(`in-process run failed: ${result.error.message}`);
	return {
		nodeMs: task?.executionTime ?? wallMs,
		wallMs,
		httpRequests: emulator.stats().requests,
		delivered: emulator.inbox.length,
		errorItems: result.items.filter((item) => item.json.error !== undefined).length,
	};
}

// ---- trigger ----

/** One webhook request of the burst: Meta's serialisation, its signature, the mids it carries. */
interface TriggerPost {
	raw: string;
	signature: string;
	mids: string[];
}

/** `requests` deliveries of `perRequest` person messages each, every one with its own mid, as Meta sends them. */
function triggerDeliveries(requests: number, tag: string): TriggerPost[] {
	const time = Date.now();
	return Array.from({ length: requests }, (_, r) => {
		const messaging = Array.from({ length: TRIGGER.perRequest }, (_, j) => {
			const n = r * TRIGGER.perRequest + j;
			// Meta's mids are long opaque strings; the person is one of 100, each writing 10 times.
			const mid = `m_${createHash('sha256').update(`bench|${tag}|${time}|${n}`).digest('base64url')}`;
			return {
				sender: { id: `79${String(n % 100).padStart(14, '0')}` },
				recipient: { id: PAGE.id },
				timestamp: time + n,
				message: { mid, text: `Bonjour, où en est ma commande n° ${n} ? 📦` },
			};
		});
		const raw = metaJson(webhookBody('page', [{ id: PAGE.id, time: time + r, messaging }]));
		return { raw, signature: signWebhook(TRIGGER.appSecret, raw).sha256, mids: messaging.map((event) => event.message.mid) };
	});
}

/** Runs `work` on every element, at most `concurrency` at a time. */
async function inPool<T, R>(elements: readonly T[], concurrency: number, work: (element: T, index: number) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array(elements.length);
	let next = 0;
	const worker = async () => {
		while (next < elements.length) {
			const index = next++;
			results[index] = await work(elements[index], index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, elements.length) }, worker));
	return results;
}

interface BurstResult {
	startedAt: number;
	wallMs: number;
	latenciesMs: number[];
	statuses: Map<number, number>;
	answers: Map<string, number>;
}

/** POSTs every delivery to `url`, `concurrency` at a time, as Meta would (JSON, X-Hub-Signature-256). */
async function burst(url: string, deliveries: readonly TriggerPost[]): Promise<BurstResult> {
	const statuses = new Map<number, number>();
	const answers = new Map<string, number>();
	const startedAt = Date.now();
	const started = process.hrtime.bigint();
	const latenciesMs = await inPool(deliveries, TRIGGER.concurrency, async (delivery) => {
		const sent = process.hrtime.bigint();
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-hub-signature-256': delivery.signature, 'user-agent': 'facebookexternalua' },
			body: delivery.raw,
		});
		const answer = (await response.text()).slice(0, 60);
		const ms = Number(process.hrtime.bigint() - sent) / 1e6;
		statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
		answers.set(answer, (answers.get(answer) ?? 0) + 1);
		return ms;
	});
	return { startedAt, wallMs: Number(process.hrtime.bigint() - started) / 1e6, latenciesMs, statuses, answers };
}

const ALL_STATUSES = ['canceled', 'crashed', 'error', 'new', 'running', 'success', 'unknown', 'waiting'];

interface ExecutionRow {
	id: string;
	status: string;
	startedAt?: string;
	stoppedAt?: string;
}

/** One page of a workflow's executions (newest first by ID) and how many there are with these statuses. */
async function executionPage(rest: N8nRest, workflowId: string, status: string[], limit: number, lastId?: string): Promise<{ count: number; results: ExecutionRow[] }> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId, status }));
	const { status: code, json } = await rest.call('GET', `/executions?filter=${filter}&limit=${limit}${lastId ? `&lastId=${lastId}` : ''}`);
	if (code !== 200) throw new Error(`GET /rest/executions: ${code} ${JSON.stringify(json).slice(0, 300)}`);
	const data = json.data ?? json;
	return { count: Number(data.count), results: (data.results ?? []).map((row: ExecutionRow) => ({ ...row, id: String(row.id) })) };
}

/** All executions of a workflow, paging through n8n's list (at most 100 per call). */
async function allExecutions(rest: N8nRest, workflowId: string): Promise<ExecutionRow[]> {
	const rows: ExecutionRow[] = [];
	for (let lastId: string | undefined; ; ) {
		const page = await executionPage(rest, workflowId, ALL_STATUSES, 100, lastId);
		rows.push(...page.results);
		if (page.results.length < 100) return rows;
		lastId = page.results[page.results.length - 1].id;
	}
}

/**
 * Waits until the workflow has at least `expected` executions and none is still new, running or
 * waiting; then 1 s more for stragglers. n8n stores an execution before it answers the request that
 * started it, so once a burst's last answer is in, every execution it started is listed.
 */
async function settledExecutions(rest: N8nRest, workflowId: string, expected: number): Promise<ExecutionRow[]> {
	const settled = async () => {
		const [all, busy] = await Promise.all([
			executionPage(rest, workflowId, ALL_STATUSES, 1),
			executionPage(rest, workflowId, ['new', 'running', 'waiting'], 1),
		]);
		return all.count >= expected && busy.count === 0 ? true : undefined;
	};
	await poll(`${expected} executions of ${workflowId}`, settled, 120_000, 200);
	await new Promise((resolve) => setTimeout(resolve, 1000));
	await poll(`executions of ${workflowId} settled`, settled, 30_000, 200);
	return await allExecutions(rest, workflowId);
}

/**
 * The mids the workflow's NoOp node put out, per execution: the trigger's items' `mid`, the Webhook
 * node's body's events; and the size of what n8n keeps of an execution (its REST answer: the run data
 * and the workflow as it ran, static data included).
 */
async function midsOut(rest: N8nRest, rows: readonly ExecutionRow[], kind: 'trigger' | 'webhook'): Promise<{ items: number; mids: string[]; executionKb: number }> {
	let bytes = 0;
	const outputs = await inPool(rows, 10, async (row) => {
		const { status, json } = await rest.call('GET', `/executions/${row.id}`);
		if (status !== 200) throw new Error(`GET /rest/executions/${row.id}: ${status}`);
		bytes += JSON.stringify(json).length;
		return lastOutput(storedRun(json.data.data), 'NoOp');
	});
	const mids: string[] = [];
	for (const item of outputs.flat()) {
		if (kind === 'trigger') mids.push(String(item.json.mid));
		else {
			const body = item.json.body as { entry?: Array<{ messaging?: Array<{ message?: { mid?: string } }> }> } | undefined;
			for (const entry of body?.entry ?? []) for (const event of entry.messaging ?? []) mids.push(String(event.message?.mid));
		}
	}
	return { items: outputs.reduce((sum, items) => sum + items.length, 0), mids, executionKb: rows.length ? bytes / rows.length / 1024 : 0 };
}

/** `count` keys shaped as the trigger's event keys (22 base64url characters). */
const eventKeys = (count: number) => Array.from({ length: count }, () => randomBytes(16).toString('base64url').slice(0, 22));

function triggerWorkflows(): Array<Record<string, unknown>> {
	const noOp: NodeSpec = { name: 'NoOp', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} };
	const trigger = (webhookId: string): NodeSpec & { webhookId: string } => ({
		name: 'Messenger Trigger',
		type: `${PACKAGE_NAME}.messengerTrigger`,
		typeVersion: 1,
		webhookId,
		parameters: { subscription: 'manual', verifyToken: TRIGGER.verifyToken, pageId: PAGE.id, events: ['message', 'quick_reply', 'postback'], options: {} },
		credentials: { messengerPageApi: TRIGGER_CREDENTIAL },
	});
	const webhook: NodeSpec & { webhookId: string } = {
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path: TRIGGER.webhookPath, responseMode: 'onReceived', options: {} },
	};
	return [
		linearWorkflow(TRIGGER_WORKFLOW, 'bench: Messenger Trigger → NoOp', [trigger(TRIGGER.webhookId), noOp]),
		// n8n keeps a node's static data under "node:<name>"; earlier events' keys, as after 5 000 events.
		{
			...linearWorkflow(FULL_TRIGGER_WORKFLOW, 'bench: Messenger Trigger (memory full) → NoOp', [trigger(TRIGGER.fullWebhookId), noOp]),
			staticData: { 'node:Messenger Trigger': { seenEvents: eventKeys(REMEMBERED_EVENTS) } },
		},
		linearWorkflow(WEBHOOK_WORKFLOW, "bench: n8n's Webhook node → NoOp", [webhook, noOp]),
	];
}

/** µs per call of `work`, the best of 3 rounds of `count` calls after a warm-up round. */
function microseconds(count: number, work: (i: number) => void): number {
	let best = Infinity;
	for (let round = 0; round < 4; round++) {
		const started = process.hrtime.bigint();
		for (let i = 0; i < count; i++) work(i);
		const us = Number(process.hrtime.bigint() - started) / 1000 / count;
		if (round > 0) best = Math.min(best, us);
	}
	return best;
}

const percentile = (values: readonly number[], p: number) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const counts = (map: Map<string | number, number>) => [...map].map(([key, n]) => `${typeof key === 'string' ? JSON.stringify(key) : key}×${n}`).join(' ');

async function triggerSection(graphUrl: string) {
	const requests = TRIGGER.events / TRIGGER.perRequest;
	const deliveries = triggerDeliveries(requests, 'burst');
	const warmUp = triggerDeliveries(TRIGGER.warmUpRequests, 'warm-up');
	const bytes = deliveries.reduce((sum, d) => sum + Buffer.byteLength(d.raw), 0);
	const n8n = new N8n({ port: TRIGGER.port }).prepare();
	try {
		await n8n.importCredentials([
			{ ...TRIGGER_CREDENTIAL, type: 'messengerPageApi', data: { accessToken: PAGE.token, appSecret: TRIGGER.appSecret, apiVersion: 'v25.0', baseUrl: graphUrl } },
		]);
		await n8n.importWorkflows(triggerWorkflows());
		const url = await n8n.start();
		const rest = new N8nRest(url);
		await rest.setUpOwner();
		await rest.signIn();
		for (const id of [TRIGGER_WORKFLOW, FULL_TRIGGER_WORKFLOW, WEBHOOK_WORKFLOW]) await rest.activate(id);
		const triggerPath = `${TRIGGER.webhookId}/webhook`;
		const fullTriggerPath = `${TRIGGER.fullWebhookId}/webhook`;
		for (const path of [triggerPath, fullTriggerPath, TRIGGER.webhookPath]) {
			await poll(`POST /webhook/${path} registered`, async () => ((await registeredWebhookMethods(url, path)).includes('POST') ? true : undefined), 60_000, 250);
		}

		console.log(
			`== Trigger: a burst of ${TRIGGER.events} signed events, ${TRIGGER.perRequest} per request (${requests} requests, ${fmt(bytes / requests / 1024, 1)} KB each, Meta's escaped JSON, X-Hub-Signature-256), ${TRIGGER.concurrency} requests at a time (BENCH_TRIGGER_CONCURRENCY)`,
		);
		console.log(`   a real \`n8n start\` on 127.0.0.1:${TRIGGER.port} (regular mode, SQLite), three published workflows, each → NoOp; each burst sent twice: the second is Meta's redelivery, same bytes;`);
		console.log(`   before its bursts, each workflow gets ${TRIGGER.warmUpRequests} requests of other events (not counted: n8n's first requests load and compile code)`);
		console.log('   Messenger Trigger: manual subscription, events message/quick_reply/postback; Webhook: n8n-nodes-base.webhook 2.1, POST, Respond Immediately (onReceived)');
		console.log(`   Trigger, memory full: the same trigger whose static data already holds ${REMEMBERED_EVENTS} event keys (the most it keeps; imported with the workflow), as after ${REMEMBERED_EVENTS} events`);
		console.log('   accepted: 200 answers; req/s and ev/s: accepted ÷ wall time of the burst; latency: request sent → answer read; done s: burst start → the');
		console.log('   round\'s last execution stopped; mids out / dup / missing: the burst\'s mids in the NoOp\'s output (dup: each further appearance, or a mid');
		console.log('   not of the burst), counted over the rounds so far; the Webhook node\'s one item per request carries the raw body: its mids are those of');
		console.log('   body.entry[].messaging[]. exec KB: what n8n keeps per execution (its REST answer: run data + the workflow as it ran, static data');
		console.log('   included); static KB: the workflow\'s static data after the round (the trigger\'s remembered event keys), rewritten by n8n after each');
		console.log('   request with new events.');
		console.log(`   Load average before: ${os.loadavg().map((l) => fmt(l, 2)).join(' ')} (${os.cpus().length} CPUs)`);
		console.log('workflow             round       requests  wall s  req/s  ev/s  p50 ms  p95 ms  max ms  statuses  answers                                   executions  items  exec KB  done s  mids out  dup  missing  static KB');
		const targets = [
			{ label: 'Messenger Trigger', workflowId: TRIGGER_WORKFLOW, url: `${url}/webhook/${triggerPath}`, kind: 'trigger' as const },
			{ label: 'Trigger, memory full', workflowId: FULL_TRIGGER_WORKFLOW, url: `${url}/webhook/${fullTriggerPath}`, kind: 'trigger' as const },
			{ label: 'Webhook node', workflowId: WEBHOOK_WORKFLOW, url: `${url}/webhook/${TRIGGER.webhookPath}`, kind: 'webhook' as const },
		];
		const wanted = new Set(deliveries.flatMap((d) => d.mids));
		const summary: string[] = [];
		for (const target of targets) {
			const seen = new Map<string, number>();
			await burst(target.url, warmUp);
			let known = new Set((await settledExecutions(rest, target.workflowId, 0)).map((row) => row.id));
			const perRound: number[] = [];
			for (const round of ['first', 'redelivery']) {
				const before = known.size;
				const result = await burst(target.url, deliveries);
				// The Webhook node says when it started one; the trigger answers EVENT_RECEIVED either way.
				const started = result.answers.get('{"message":"Workflow was started"}') ?? 0;
				const rows = await settledExecutions(rest, target.workflowId, before + started);
				const fresh = rows.filter((row) => !known.has(row.id));
				known = new Set(rows.map((row) => row.id));
				const out = await midsOut(rest, fresh, target.kind);
				for (const mid of out.mids) seen.set(mid, (seen.get(mid) ?? 0) + 1);
				const accepted = result.statuses.get(200) ?? 0;
				const lastStop = Math.max(...fresh.map((row) => Date.parse(row.stoppedAt ?? '') || 0));
				const doneS = fresh.length ? (lastStop - result.startedAt) / 1000 : 0;
				const outOfSet = [...seen.keys()].filter((mid) => !wanted.has(mid)).length;
				const emitted = [...seen.keys()].filter((mid) => wanted.has(mid)).length;
				const dup = [...seen.values()].reduce((sum, n) => sum + n - 1, 0) + outOfSet;
				perRound.push(fresh.length);
				console.log(
					`${target.label.padEnd(20)} ${round.padEnd(11)} ${String(requests).padStart(8)} ${fmt(result.wallMs / 1000, 2).padStart(7)} ${fmt(accepted / (result.wallMs / 1000)).padStart(6)} ${fmt((accepted * TRIGGER.perRequest) / (result.wallMs / 1000)).padStart(5)} ${fmt(percentile(result.latenciesMs, 50), 1).padStart(7)} ${fmt(percentile(result.latenciesMs, 95), 1).padStart(7)} ${fmt(Math.max(...result.latenciesMs), 1).padStart(7)}  ${counts(result.statuses).padEnd(8)}  ${counts(result.answers).padEnd(40)} ${String(fresh.length).padStart(10)} ${String(out.items).padStart(6)} ${(fresh.length ? fmt(out.executionKb, 1) : '').padStart(8)} ${fmt(doneS, 2).padStart(7)} ${String(emitted).padStart(9)} ${String(dup).padStart(4)} ${String(wanted.size - emitted).padStart(8)} ${fmt(JSON.stringify((await rest.call('GET', `/workflows/${target.workflowId}`)).json.data?.staticData ?? {}).length / 1024, 1).padStart(10)}`,
				);
			}
			summary.push(`${target.label}: ${perRound[0]} executions for the burst, ${perRound[1]} for its redelivery`);
		}
		console.log(`  ${summary.join('; ')}`);
		console.log(`  (the trigger: one execution per request, one item per event, a redelivered event starts nothing; the Webhook node: one execution and one item per request, whatever it holds, again on redelivery)`);
	} finally {
		await n8n.stop();
		n8n.remove();
	}

	// The node's own work per request, called directly.
	const secret = TRIGGER.appSecret;
	const sizes = TRIGGER.signatureSizesKb.map((kb) => {
		const body = randomBytes(kb * 1024);
		const header = signWebhook(secret, body).sha256;
		const us = microseconds(Math.max(20, Math.round(20_000 / kb)), () => {
			if (checkSignature(body, header, secret) !== 'valid') throw new Error('signature check failed');
		});
		return `${kb >= 1024 ? `${kb / 1024} MB` : `${kb} KB`} ${fmt(us, 1)} µs (${fmt(us / kb, 2)} µs/KB)`;
	});
	console.log('  checkSignature (HMAC-SHA256 of the raw body + constant-time compare), called directly, best of 3 rounds after a warm-up:');
	console.log(`    ${sizes.join('; ')}`);
	const sample = Buffer.from(deliveries[0].raw);
	const readUs = microseconds(20_000, () => {
		const reading = readWebhookPost(sample.toString('utf8'), 'page');
		if ('problem' in reading) throw new Error(reading.problem);
		for (const event of reading.events) toItem(event, 'messenger');
	});
	const first = readWebhookPost(sample.toString('utf8'), 'page');
	const events = 'events' in first ? first.events : [];
	const keyUs = microseconds(20_000, () => {
		for (const event of events) eventKey(event);
	});
	console.log(
		`  a ${fmt(sample.length / 1024, 1)} KB delivery of ${events.length} events: readWebhookPost + toItem ${fmt(readUs / events.length, 2)} µs per event (${fmt(readUs, 1)} µs per request); eventKey ${fmt(keyUs / events.length, 2)} µs per event`,
	);
	// claimEvents per request of 10 new keys, as a trigger's memory fills: from empty to the cap and on (each call
	// adds 10 keys; the process's own list and the static data hold the same keys, as in n8n).
	const claimSequence = () => {
		const staticData: IDataObject = {};
		const scope = `bench-${randomUUID()}`;
		const fresh = eventKeys(10 * 600);
		const us: number[] = [];
		const sizeKb: number[] = [];
		for (let call = 0; call < 600; call++) {
			const started = process.hrtime.bigint();
			claimEvents(staticData, scope, fresh.slice(call * 10, call * 10 + 10));
			us.push(Number(process.hrtime.bigint() - started) / 1000);
			sizeKb.push(call === 99 || call === 599 ? JSON.stringify(staticData).length / 1024 : 0);
		}
		const mean = (from: number, to: number) => us.slice(from, to).reduce((sum, x) => sum + x, 0) / (to - from);
		// Calls 90–110 find about 1 000 keys remembered; from call 500 on, the cap.
		return { atThousand: mean(90, 110), atCap: mean(500, 600), thousandKb: sizeKb[99], capKb: sizeKb[599] };
	};
	const sequences = [claimSequence(), claimSequence(), claimSequence()].slice(1); // the first warms up
	const best = (pick: (s: ReturnType<typeof claimSequence>) => number) => Math.min(...sequences.map(pick));
	const claims = [
		`about 1 000 remembered ${fmt(best((x) => x.atThousand), 0)} µs (static data ${fmt(sequences[0].thousandKb, 0)} KB)`,
		`${REMEMBERED_EVENTS} remembered, the cap, ${fmt(best((x) => x.atCap), 0)} µs (static data ${fmt(sequences[0].capKb, 0)} KB)`,
	];
	console.log(`  claimEvents (which of a request's 10 events are new; synchronous, on n8n's main thread) per request: ${claims.join('; ')}`);
	console.log('  (n8n writes a workflow\'s static data back to its database after every webhook request that changed it: a request with new events rewrites it whole)');
	console.log('');
}

async function main() {
	const startedAll = Date.now();
	const emulator = new GraphEmulator({ pages: [PAGE] });
	const graphUrl = await emulator.start();
	const usesN8n = selected('broadcast') || selected('memory') || selected('order') || selected('reply');
	const n8n = usesN8n ? new N8n({ port: 5689 }).prepare() : undefined;

	const broadcastProfiles: Array<{ name: string; options: Partial<EmulatorOptions>; variants: Variant[] }> = [
		{ name: '50 ms latency, no cap', options: { latencyMs: 50, jitterMs: undefined, arrivalJitterMs: undefined, rateCapPerSecond: undefined }, variants: ['node', 'node-no-batching', 'node-no-pacing', 'http-request'] },
		{ name: `50 ms latency, cap ${CAP}/s`, options: { latencyMs: 50, jitterMs: undefined, arrivalJitterMs: undefined, rateCapPerSecond: CAP }, variants: ['node', 'node-no-batching', 'http-request'] },
	];
	const orderVariants: Variant[] = ['node', 'node-no-pacing', 'http-request'];
	const orderArrangements: Arrangement[] = ['by-person', 'round-robin'];
	const replyVariants: Variant[] = ['node', 'node-no-pacing', 'http-request'];

	const workloads: Workload[] = [];
	if (selected('broadcast')) for (const recipients of SIZES) for (const variant of ['node', 'node-no-batching', 'node-no-pacing', 'http-request'] as Variant[]) workloads.push(broadcast(variant, recipients));
	if (selected('memory')) workloads.push(broadcast('node-no-pacing', 50), broadcast('node-no-pacing', 5000));
	if (selected('order')) for (const arrangement of orderArrangements) for (const variant of orderVariants) workloads.push(orderWorkload(variant, arrangement));
	if (selected('reply')) for (const variant of replyVariants) workloads.push(replyWorkload(variant, REPLY.people), replyWorkload(variant, 1));
	const ids = new Map<string, string>();
	for (const w of workloads) if (!ids.has(keyOf(w))) ids.set(keyOf(w), `msgrBench${String(ids.size).padStart(7, '0')}`);
	const idOf = (w: Workload) => ids.get(keyOf(w))!;

	try {
		console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, n8n 2.8.4`);
		const git = (...args: string[]) => execFileSync('git', args, { cwd: __dirname, encoding: 'utf8' }).trimEnd();
		const dirty = git('status', '--porcelain', '--', '../nodes', '../emulator', '../credentials').split('\n').filter(Boolean).map((line) => line.slice(3));
		console.log(`Code: commit ${git('rev-parse', '--short', 'HEAD')}${dirty.length ? ` with uncommitted changes in ${dirty.join(', ')}` : ''}`);
		console.log(`Sections: ${ONLY.join(', ')} (BENCH_ONLY picks some). Graph API emulator on 127.0.0.1.`);
		console.log('node s: the Send node\'s executionTime in n8n\'s run data; wall s: the whole `n8n execute` process (start-up included).\n');
		if (n8n) {
			await n8n.importCredentials([
				{ ...CREDENTIAL, type: 'messengerPageApi', data: { accessToken: PAGE.token, appSecret: '', apiVersion: 'v25.0', baseUrl: graphUrl } },
			]);
			const unique = [...new Map(workloads.map((w) => [keyOf(w), w])).values()];
			await n8n.importWorkflows(unique.map((w) => benchWorkflow(idOf(w), w, graphUrl)));
		}

		if (n8n && selected('broadcast')) {
			console.log(`Broadcast: each recipient gets a ${PARTS}-part message (sends = ${PARTS} × recipients).\n`);
			const rows: Row[] = [];
			for (const profile of broadcastProfiles) {
				emulator.configure(profile.options);
				console.log(`== ${profile.name}`);
				console.log('variant             recipients  sends  node s  wall s   msg/s  send msg/s  delivered  lost  dup  order  errors  613s  http req  peak RSS MB');
				for (const recipients of SIZES) {
					for (const variant of profile.variants) {
						const row = await run(n8n, emulator, profile.name, broadcast(variant, recipients), idOf(broadcast(variant, recipients)));
						rows.push(row);
						const rate = row.delivered / (row.nodeMs / 1000);
						console.log(
							`${variant.padEnd(18)} ${String(recipients).padStart(10)} ${String(row.sends).padStart(6)} ${fmt(row.nodeMs / 1000, 2).padStart(7)} ${fmt(row.wallMs / 1000, 1).padStart(7)} ${fmt(rate).padStart(7)} ${fmt(row.sendingRate).padStart(11)} ${String(row.delivered).padStart(10)} ${String(row.lost).padStart(5)} ${String(row.duplicated).padStart(4)} ${String(row.outOfOrder).padStart(6)} ${String(row.errorItems).padStart(7)} ${String(row.rejected613).padStart(5)} ${String(row.httpRequests).padStart(9)} ${String(row.peakRssMb).padStart(12)}`,
						);
					}
				}
				for (const recipients of SIZES) {
					const ofVariant = (variant: Variant) => rows.find((r) => r.profile === profile.name && r.variant === variant && r.recipients === recipients);
					const http = ofVariant('http-request')!;
					const httpRate = http.delivered / (http.nodeMs / 1000);
					const ratios = profile.variants
						.filter((variant) => variant !== 'http-request')
						.map((variant) => {
							const row = ofVariant(variant)!;
							return `${variant} ${fmt(row.delivered / (row.nodeMs / 1000) / httpRate, 2)}× msg/s, ${fmt(row.delivered / Math.max(1, http.delivered), 2)}× delivered`;
						});
					console.log(`  vs HTTP Request node, ${recipients} recipients: ${ratios.join('; ')}`);
				}
				console.log('');
			}
		}

		if (n8n && selected('memory')) {
			// Memory: peak RSS of n8n for 10 000 sends against a 100-send baseline.
			emulator.configure({ latencyMs: 50, jitterMs: undefined, arrivalJitterMs: undefined, rateCapPerSecond: undefined });
			const small = await run(n8n, emulator, 'memory', broadcast('node-no-pacing', 50), idOf(broadcast('node-no-pacing', 50)));
			const large = await run(n8n, emulator, 'memory', broadcast('node-no-pacing', 5000), idOf(broadcast('node-no-pacing', 5000)));
			console.log(`== Memory: peak RSS of the n8n process (this node, pacing off, 50 ms latency)`);
			console.log(`  ${small.sends} sends: ${small.peakRssMb} MB; ${large.sends} sends: ${large.peakRssMb} MB; growth ${large.peakRssMb - small.peakRssMb} MB (lost ${large.lost}, dup ${large.duplicated})\n`);
		}

		if (n8n && selected('order')) {
			emulator.configure({ latencyMs: 0, arrivalJitterMs: ORDER.arrivalJitterMs, jitterMs: ORDER.jitterMs, rateCapPerSecond: undefined });
			console.log(`== Order: ${ORDER.people} people × ${ORDER.messages} messages numbered 1..${ORDER.messages} (${ORDER.people * ORDER.messages} sends), emulator latency 0 ms + jitter 0–${ORDER.arrivalJitterMs} ms before handling and 0–${ORDER.jitterMs} ms before answering, no cap`);
			console.log('   by-person: the input lists p0\'s 1..100, then p1\'s 1..100...; round-robin: everyone\'s 1, then everyone\'s 2...');
			console.log('   out of order: arrivals numbered lower than the message before them in the person\'s conversation (emulator.conversation)');
			console.log('   (the emulator handles a request after its arrival jitter, so requests sent a few ms apart can overtake each other,');
			console.log('   as on the way to Graph: a sender that does not wait for the previous answer, or chain, gets them out of order)');
			console.log('variant            arrangement   sends  node s  wall s  delivered  lost  dup  out of order  errors  http req');
			const rows: Array<Row & { arrangement: Arrangement }> = [];
			for (const arrangement of orderArrangements) {
				for (const variant of orderVariants) {
					const w = orderWorkload(variant, arrangement);
					const row = { ...(await run(n8n, emulator, 'order', w, idOf(w))), arrangement };
					rows.push(row);
					console.log(
						`${variant.padEnd(18)} ${arrangement.padEnd(12)} ${String(row.sends).padStart(6)} ${fmt(row.nodeMs / 1000, 2).padStart(7)} ${fmt(row.wallMs / 1000, 1).padStart(7)} ${String(row.delivered).padStart(10)} ${String(row.lost).padStart(5)} ${String(row.duplicated).padStart(4)} ${String(row.outOfOrder).padStart(13)} ${String(row.errorItems).padStart(7)} ${String(row.httpRequests).padStart(9)}`,
					);
				}
			}
			for (const arrangement of orderArrangements) {
				const of = (variant: Variant) => rows.find((r) => r.arrangement === arrangement && r.variant === variant)!;
				const http = of('http-request');
				const ratios = orderVariants
					.filter((variant) => variant !== 'http-request')
					.map((variant) => `${variant} ${fmt(of(variant).nodeMs / http.nodeMs, 2)}× the time`);
				console.log(`  node time vs HTTP Request node's (${fmt(http.nodeMs / 1000, 2)} s), ${arrangement}: ${ratios.join('; ')}`);
			}
			console.log(`  default pacing (${CAP}/s, each send counted for a second from the middle of its round trip) alone needs ≥ ${pacingFloorS(ORDER.people * ORDER.messages)} s for ${ORDER.people * ORDER.messages} sends`);
			console.log('');
		}

		if (n8n && selected('reply')) {
			emulator.configure({ latencyMs: REPLY.latencyMs, jitterMs: undefined, arrivalJitterMs: undefined, rateCapPerSecond: undefined });
			console.log(`== Reply: a chatbot reply = ${REPLY.messages} text messages to one person (4 input items in order, one Send node, messaging type RESPONSE), ${REPLY.latencyMs} ms latency, no cap`);
			console.log('   (all four plain text: Quick Replies are set per node, not per item, so one Send node cannot give them to the last message only)');
			console.log(`   round trips per reply: HTTP requests ÷ people; for 1 person also node time ÷ latency (the median of ${REPLY.singleRuns} runs)`);
			console.log('variant            people  sends  node s  wall s  delivered  lost  dup  out of order  errors  http req  http req per reply  node ms ÷ latency');
			for (const variant of replyVariants) {
				const many = await run(n8n, emulator, 'reply', replyWorkload(variant, REPLY.people), idOf(replyWorkload(variant, REPLY.people)));
				const singles: Row[] = [];
				for (let i = 0; i < REPLY.singleRuns; i++) singles.push(await run(n8n, emulator, 'reply', replyWorkload(variant, 1), idOf(replyWorkload(variant, 1))));
				const single = singles.find((row) => row.nodeMs === median(singles.map((s) => s.nodeMs)))!;
				for (const [row, people] of [[many, REPLY.people], [single, 1]] as const) {
					console.log(
						`${variant.padEnd(18)} ${String(people).padStart(6)} ${String(row.sends).padStart(6)} ${fmt(row.nodeMs / 1000, 2).padStart(7)} ${fmt(row.wallMs / 1000, 1).padStart(7)} ${String(row.delivered).padStart(10)} ${String(row.lost).padStart(5)} ${String(row.duplicated).padStart(4)} ${String(row.outOfOrder).padStart(13)} ${String(row.errorItems).padStart(7)} ${String(row.httpRequests).padStart(9)} ${fmt(row.httpRequests / people, 2).padStart(19)} ${(people === 1 ? fmt(row.nodeMs / REPLY.latencyMs, 1) : '').padStart(18)}`,
					);
				}
				console.log(`${''.padEnd(18)} 1 person, node ms of the ${REPLY.singleRuns} runs (each a fresh n8n process): ${singles.map((s) => s.nodeMs).join(', ')}; min ÷ latency ${fmt(Math.min(...singles.map((s) => s.nodeMs)) / REPLY.latencyMs, 1)}`);
			}
			console.log(`  default pacing (${CAP}/s) alone needs ≥ ${pacingFloorS(REPLY.people * REPLY.messages)} s for ${REPLY.people * REPLY.messages} sends`);
			// The same reply through n8n's engine in a warm process (no CLI start-up noise), this node with its defaults.
			const warm: Array<{ nodeMs: number; httpRequests: number; outOfOrder: number; duplicated: number }> = [];
			for (let i = 0; i <= REPLY.inProcessRuns; i++) {
				emulator.reset();
				const result = await runNode({
					parameters: { operation: 'sendMessage', recipientType: 'id', psid: '={{ $json.psid }}', messagingType: 'RESPONSE', text: `=part {{ $json.part }} of ${REPLY.messages} for {{ $json.psid }}` },
					items: Array.from({ length: REPLY.messages }, (_, part) => ({ json: { psid: 'p0', part: part + 1 } })),
					credentials: { accessToken: PAGE.token, appSecret: '', apiVersion: 'v25.0', baseUrl: graphUrl },
				});
				if (result.error) throw new Error(`in-process reply failed: ${result.error.message}`);
				const { outOfOrder, duplicated } = account(emulator, 1, REPLY.messages);
				// The first run warms up (JIT, the connection) and is not counted.
				if (i > 0) warm.push({ nodeMs: result.run.data.resultData.runData[NODE_NAME]?.[0]?.executionTime ?? 0, httpRequests: emulator.stats().requests, outOfOrder, duplicated });
			}
			const warmMs = median(warm.map((w) => w.nodeMs));
			console.log(
				`  in process (n8n's engine via test/helpers/runNode.ts, warm), this node with defaults, 1 person × ${REPLY.messages}: median node time ${warmMs} ms of ${REPLY.inProcessRuns} runs = ${fmt(warmMs / REPLY.latencyMs, 1)} × latency; http req per reply ${warm.map((w) => w.httpRequests).join('/')}; out of order ${warm.reduce((sum, w) => sum + w.outOfOrder, 0)}, dup ${warm.reduce((sum, w) => sum + w.duplicated, 0)}`,
			);
			console.log('');
		}

		if (selected('params')) {
			emulator.configure({ latencyMs: 0, jitterMs: undefined, arrivalJitterMs: undefined, rateCapPerSecond: undefined });
			console.log(`== Reading + building + validating per item through n8n (in process: n8n-core's WorkflowExecute via test/helpers/runNode.ts, n8n's real getNodeParameter)`);
			console.log(`   ${PARAMS.items} items, Send Message, emulator latency 0 ms, pacing off (maxPerSecond 1 000 000), Continue On Fail; node ms: executionTime in n8n's run data`);
			console.log('   "nothing sent" runs: the text is 2 001 characters (over the 2 000 limit), so every item fails validation and nothing is sent:');
			console.log('   their µs per item = n8n reading the parameters + building + validating + making the item\'s error output (n8n\'s');
			console.log('   NodeOperationError and its stack: not free); "sends" runs include sending. Direct build + validate without n8n: section micro');
			const cases: Array<{ label: string; psidExpression: boolean; textMode: Parameters<typeof inProcessCase>[4] }> = [
				{ label: 'sends, all constant (one person, psid 42)', psidExpression: false, textMode: 'constant' },
				{ label: 'sends, psid from an expression', psidExpression: true, textMode: 'constant' },
				{ label: 'sends, psid and text from expressions', psidExpression: true, textMode: 'expression' },
				{ label: 'nothing sent, all constant', psidExpression: false, textMode: 'too-long constant' },
				{ label: 'nothing sent, psid from an expression', psidExpression: true, textMode: 'too-long constant' },
				{ label: 'nothing sent, psid and text from expressions', psidExpression: true, textMode: 'too-long expression' },
			];
			// Warm-up (JIT, sockets), not printed.
			for (const c of cases) await inProcessCase(emulator, graphUrl, PARAMS.warmUpItems, c.psidExpression, c.textMode);
			console.log(`case                                           items  node ms  µs per item  delivered  error items  http req  (median of ${PARAMS.repeats} runs; node ms of each)`);
			const perItem: Record<string, number> = {};
			for (const c of cases) {
				const runs: Array<Awaited<ReturnType<typeof inProcessCase>>> = [];
				for (let i = 0; i < PARAMS.repeats; i++) runs.push(await inProcessCase(emulator, graphUrl, PARAMS.items, c.psidExpression, c.textMode));
				const r = runs.find((each) => each.nodeMs === median(runs.map((x) => x.nodeMs)))!;
				perItem[c.label] = (r.nodeMs * 1000) / PARAMS.items;
				console.log(
					`${c.label.padEnd(45)} ${String(PARAMS.items).padStart(6)} ${fmt(r.nodeMs).padStart(8)} ${fmt(perItem[c.label], 1).padStart(12)} ${String(r.delivered).padStart(10)} ${String(r.errorItems).padStart(12)} ${String(r.httpRequests).padStart(9)}  (${runs.map((x) => fmt(x.nodeMs)).join(', ')})`,
				);
			}
			console.log(
				`  reading + building + validating: ${fmt(perItem['nothing sent, all constant'], 1)} µs per item with constant parameters, ${fmt(perItem['nothing sent, psid from an expression'], 1)} µs with psid from an expression, ${fmt(perItem['nothing sent, psid and text from expressions'], 1)} µs with psid and text from expressions\n`,
			);
		}

		if (selected('micro')) {
			const micro = microBenchmark();
			console.log('== Build + validate one request (in process, called directly without n8n, 100 000 items, after warm-up)');
			console.log(`  text message: ${fmt(micro.simpleUs, 2)} µs per item; with 5 quick replies, metadata and notification type: ${fmt(micro.richUs, 2)} µs per item`);
		}

		if (selected('trigger')) {
			if (selected('micro')) console.log('');
			await triggerSection(graphUrl);
		}
		console.log(`\nBench finished in ${fmt((Date.now() - startedAll) / 1000, 0)} s.`);
	} finally {
		await emulator.stop();
		n8n?.remove();
	}
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
