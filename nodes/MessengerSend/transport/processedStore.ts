import { randomUUID } from 'node:crypto';

import { sleep, type ICheckProcessedOptions, type IExecuteFunctions } from 'n8n-workflow';

/**
 * n8n's own deduplication store (the Remove Duplicates node's): one list of values per node in
 * n8n's database, so it outlives restarts and is shared by main and workers in queue mode.
 * n8n keeps the most recent `maxEntries` values of the list and drops the oldest, on every write.
 *
 * The node promises to remember its most recent MAX_REMEMBERED Deduplication Keys. The list also
 * holds, for a moment, a claim's token, and the records of failed executions (for their retry):
 * so the list is given room for twice as many entries, and a run may hold at most MAX_REMEMBERED
 * keys (more could not all be remembered: run twice, its first keys would be sent again).
 */
export const MAX_REMEMBERED = 10_000;

/** The list's size in n8n: the keys, plus as many again for retry records and claim tokens. */
export const STORE_ENTRIES = 2 * MAX_REMEMBERED;

const OPTIONS: ICheckProcessedOptions = { mode: 'entries', maxEntries: STORE_ENTRIES };

/**
 * Values written only to be looked up (and removed again) go in parts of this size, so that
 * such a write never pushes more than this many old entries out of the list.
 */
const LOOKUP_PART = 1_000;

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

/**
 * Which of the values are recorded, without recording the others. n8n has no read-only check:
 * the values are written and the new ones removed again, in parts, so the transient entries
 * never push many of the node's keys out of the list.
 */
export async function recorded(ctx: IExecuteFunctions, values: string[]): Promise<Set<string>> {
	const found = new Set<string>();
	for (let start = 0; start < values.length; start += LOOKUP_PART) {
		const part = values.slice(start, start + LOOKUP_PART);
		const processed = await inTurn(ctx, async () => {
			const { processed: there, new: added } = await ctx.helpers.checkProcessedAndRecord(part, 'node', OPTIONS);
			if (added.length) await ctx.helpers.removeProcessed(added, 'node', OPTIONS);
			return there;
		});
		for (const value of processed) found.add(String(value));
	}
	return found;
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

/** Whether the token is still recorded; it is then removed (it served once). */
async function standing(ctx: IExecuteFunctions, token: string): Promise<boolean> {
	return await inTurn(ctx, async () => {
		const { processed } = await ctx.helpers.checkProcessedAndRecord([token], 'node', OPTIONS);
		await ctx.helpers.removeProcessed([token], 'node', OPTIONS);
		return processed.length > 0;
	});
}

/**
 * Claims values against other processes (queue mode): the values are recorded together with one
 * token of this claim, in one write, and count as ours only if the token still stands a moment
 * later. n8n rewrites the node's whole list on every write, so a worker that read the list
 * before our write and wrote after it drops our values and our token alike: a standing token
 * means our write stood. The loser claims again (its values are then taken, or were lost to an
 * unrelated write and are free again). One token per claim, not one per value: a token per key
 * doubled the entries of a claim, and n8n's trimming then dropped older keys (a 6 000-key run
 * left 4 000 of its keys in a list of 10 000).
 * Returns the values taken by others; throws when a claim keeps being overwritten.
 */
export async function claimAgainstOthers(ctx: IExecuteFunctions, values: string[], settleMs = CLAIM_SETTLE_MS): Promise<Set<string>> {
	const taken = new Set<string>();
	const ours: string[] = [];
	let open = values;
	const id = randomUUID();
	for (let round = 0; round < CLAIM_ROUNDS && open.length > 0; round++) {
		const token = `claim:${id}:${round}`;
		const already = await claim(ctx, [...open, token]);
		const fresh = open.filter((value) => !already.has(value));
		for (const value of open) if (already.has(value)) taken.add(value);
		if (fresh.length === 0) {
			await release(ctx, [token]);
			return taken;
		}
		await sleep(settleMs);
		if (await standing(ctx, token)) {
			ours.push(...fresh);
			open = [];
		} else open = fresh;
	}
	if (open.length > 0) {
		await release(ctx, ours);
		throw new Error(`another execution kept overwriting the claim of ${open.length} Deduplication Key(s)`);
	}
	return taken;
}
