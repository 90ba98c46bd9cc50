import { randomUUID } from 'node:crypto';

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

function inTurn<T>(ctx: IExecuteFunctions, work: () => Promise<T>, retry = true): Promise<T> {
	const scope = `${ctx.getWorkflow().id ?? ''}|${ctx.getNode().id}`;
	const previous = queues.get(scope) ?? Promise.resolve();
	const task = async () => (retry ? await onceMore(work) : await work());
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

/** How often freeing claimed values is tried before the node says they stay claimed. */
export const FREE_TRIES = 3;

/**
 * Frees values that must not stay claimed (a refused send's Deduplication Key: otherwise every
 * later execution skips it as a duplicate). Tried FREE_TRIES times, a moment apart; returns why
 * the last try failed, or undefined when the values are free.
 */
export async function releaseSurely(ctx: IExecuteFunctions, values: string[]): Promise<string | undefined> {
	if (values.length === 0) return undefined;
	let problem = '';
	for (let attempt = 1; attempt <= FREE_TRIES; attempt++) {
		try {
			await inTurn(ctx, async () => await ctx.helpers.removeProcessed(values, 'node', OPTIONS), false);
			return undefined;
		} catch (error) {
			problem = (error as Error).message ?? String(error);
			if (attempt < FREE_TRIES) await sleep(100 * attempt);
		}
	}
	return problem;
}

/**
 * How long a claim must stand before it counts. n8n rewrites the whole list on every call, so a
 * worker that read the list just before our write can overwrite it a moment later; such a
 * read-and-rewrite takes milliseconds, far less than this.
 */
export const CLAIM_SETTLE_MS = 500;

const CLAIM_ROUNDS = 3;

/** Which of the tokens are still recorded; all of them are then removed (they served once). */
async function standing(ctx: IExecuteFunctions, tokens: string[]): Promise<Set<string>> {
	return await inTurn(ctx, async () => {
		const { processed } = await ctx.helpers.checkProcessedAndRecord(tokens, 'node', OPTIONS);
		await ctx.helpers.removeProcessed(tokens, 'node', OPTIONS);
		return new Set(processed.map(String));
	});
}

/**
 * Claims values against other processes (queue mode): each value is recorded with a token of this
 * claim, and counts as ours only if the token still stands a moment later. Two workers that both
 * found a value free overwrite each other's write: the one whose token is gone has lost, and
 * claims again (the value is then taken, or was lost to an unrelated write and is free again).
 * Returns the values taken by others; throws when a claim keeps being overwritten.
 */
export async function claimAgainstOthers(ctx: IExecuteFunctions, values: string[], settleMs = CLAIM_SETTLE_MS): Promise<Set<string>> {
	const taken = new Set<string>();
	const ours: string[] = [];
	let open = values;
	const id = randomUUID();
	for (let round = 0; round < CLAIM_ROUNDS && open.length > 0; round++) {
		const tokens = new Map(open.map((value) => [value, `claim:${id}:${round}:${value}`]));
		const already = await claim(ctx, [...open, ...tokens.values()]);
		const fresh = open.filter((value) => !already.has(value));
		const lost = open.filter((value) => already.has(value));
		for (const value of lost) taken.add(value);
		if (lost.length > 0) await release(ctx, lost.map((value) => tokens.get(value)!));
		if (fresh.length === 0) return taken;
		await sleep(settleMs);
		const stood = await standing(
			ctx,
			fresh.map((value) => tokens.get(value)!),
		);
		ours.push(...fresh.filter((value) => stood.has(tokens.get(value)!)));
		open = fresh.filter((value) => !stood.has(tokens.get(value)!));
	}
	if (open.length > 0) {
		await release(ctx, ours);
		throw new Error(`another execution kept overwriting the claim of ${open.length} Deduplication Key(s)`);
	}
	return taken;
}
