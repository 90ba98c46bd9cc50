// The trigger section's traffic: a burst of signed webhook requests as Meta sends them, and what
// n8n recorded of it (its executions and their output, through its REST API).
import { createHash } from 'node:crypto';

import { metaJson, signWebhook, webhookBody } from '../../emulator/webhooks.cjs';
import { lastOutput, poll, storedRun, type N8nRest } from '../../test/e2e/support/rest.cjs';
import { PAGE, TRIGGER } from './common.cjs';

/** One webhook request of the burst: Meta's serialisation, its signature, the mids it carries. */
export interface TriggerPost {
	raw: string;
	signature: string;
	mids: string[];
}

/** `requests` deliveries of `perRequest` person messages each, every one with its own mid, as Meta sends them. */
export function triggerDeliveries(requests: number, tag: string): TriggerPost[] {
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
export async function burst(url: string, deliveries: readonly TriggerPost[]): Promise<BurstResult> {
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
export async function settledExecutions(rest: N8nRest, workflowId: string, expected: number): Promise<ExecutionRow[]> {
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
export async function midsOut(rest: N8nRest, rows: readonly ExecutionRow[], kind: 'trigger' | 'webhook'): Promise<{ items: number; mids: string[]; executionKb: number }> {
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
