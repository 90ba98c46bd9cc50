// Section trigger: a real `n8n start` taking a burst of events, and its redelivery, through the
// Messenger Trigger and n8n's Webhook node; then the trigger's own work per request, called directly.
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';

import type { IDataObject } from 'n8n-workflow';

import { signWebhook } from '../../emulator/webhooks.cjs';
import { N8nRest, poll, registeredWebhookMethods } from '../../test/e2e/support/rest.cjs';
import { N8n, PACKAGE_NAME } from '../n8n.cjs';
import { linearWorkflow, type NodeSpec } from '../workflows.cjs';
import { burst, midsOut, settledExecutions, triggerDeliveries } from './burst.cjs';
import { fmt, FULL_TRIGGER_WORKFLOW, PAGE, TRIGGER, TRIGGER_CREDENTIAL, TRIGGER_WORKFLOW, WEBHOOK_WORKFLOW } from './common.cjs';
import { checkSignature, claimEvents, eventKey, readWebhookPost, REMEMBERED_EVENTS, toItem } from './sources.cjs';

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

export async function triggerSection(graphUrl: string) {
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
