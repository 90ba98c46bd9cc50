import { sleep, type ICheckProcessedOptions, type IExecuteFunctions } from 'n8n-workflow';

/**
 * n8n's own deduplication store (the Remove Duplicates node's): one list of values per node in
 * n8n's database, so it outlives restarts and is shared by main and workers in queue mode.
 * n8n keeps the most recent `maxEntries` values and drops the oldest.
 */
export const MAX_REMEMBERED = 10_000;

const OPTIONS: ICheckProcessedOptions = { mode: 'entries', maxEntries: MAX_REMEMBERED };

/** A delivery a retried execution must not repeat: the first failed execution, node run, item. */
export function deliveredKey(origin: string, runIndex: number, item: number): string {
	return `delivered:${origin}:${runIndex}:${item}`;
}

export function deduplicationEntry(key: string): string {
	return `key:${key}`;
}

// n8n reads and rewrites the node's whole list on every call: two calls at once in one process
// would lose one's entries, so this process makes them one after the other.
const queues = new Map<string, Promise<unknown>>();

/**
 * The node's first write creates its row: two executions doing that at once on two workers make
 * one of them fail on the row's unique key. Once more after a moment, the row is there.
 */
async function onceMore<T>(task: () => Promise<T>): Promise<T> {
	try {
		return await task();
	} catch {
		await sleep(100 + Math.random() * 200);
		return await task();
	}
}

function inTurn<T>(ctx: IExecuteFunctions, work: () => Promise<T>): Promise<T> {
	const scope = `${ctx.getWorkflow().id ?? ''}|${ctx.getNode().id}`;
	const previous = queues.get(scope) ?? Promise.resolve();
	const task = async () => await onceMore(work);
	const next = previous.then(task, task);
	const settled = next.then(
		() => undefined,
		() => undefined,
	);
	queues.set(scope, settled);
	void settled.then(() => queues.get(scope) === settled && queues.delete(scope));
	return next;
}

/**
 * Records values and returns those that were there already. Recording first and sending after
 * makes a racing execution see the value as taken, instead of both sending.
 */
export async function claim(ctx: IExecuteFunctions, values: string[]): Promise<Set<string>> {
	if (values.length === 0) return new Set();
	const { processed } = await inTurn(ctx, async () => await ctx.helpers.checkProcessedAndRecord(values, 'node', OPTIONS));
	return new Set(processed.map(String));
}

/** Which of the values are recorded, without recording the others. */
export async function recorded(ctx: IExecuteFunctions, values: string[]): Promise<Set<string>> {
	if (values.length === 0) return new Set();
	return await inTurn(ctx, async () => {
		const { processed, new: added } = await ctx.helpers.checkProcessedAndRecord(values, 'node', OPTIONS);
		if (added.length) await ctx.helpers.removeProcessed(added, 'node', OPTIONS);
		return new Set(processed.map(String));
	});
}

export async function release(ctx: IExecuteFunctions, values: string[]): Promise<void> {
	if (values.length === 0) return;
	await inTurn(ctx, async () => await ctx.helpers.removeProcessed(values, 'node', OPTIONS));
}
