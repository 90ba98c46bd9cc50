import { sleep, type ICredentialDataDecryptedObject, type IExecuteFunctions } from 'n8n-workflow';

import { appSecretProofParams } from '../../../credentials/MessengerPageApi.credentials';

import { MAX_BATCH_OPERATIONS, chainLinks, postBatch, postSend, type ChainLink, type GraphSend, type ProofParams } from './graphApi';
import { graphTarget, type GraphOutcome } from '../../shared/graph';
import { isRateLimit } from '../errors/graphErrors';
import { contentOf, lookUpSend, RecentDeliveries, type LookupResult } from './lookup';
import { SlidingWindowLimiter } from './rateLimiter';
import { BatchSizer, disposeSend, retryDelayMs, shouldRetry, wasLost, type Disposition, type RetrySettings } from './retryPolicy';

export interface SenderSettings extends RetrySettings {
	/** Send through Graph batch requests (up to 50 sends per HTTP request). */
	batching: boolean;
	/** HTTP requests in flight at once. */
	maxConcurrency: number;
	/** Sends per second across the run (the platform allows 300 for text per Page). */
	maxPerSecond: number;
	/** Audio and video sends per second (the platform allows 10). */
	maxMediaPerSecond: number;
	timeoutMs: number;
	/** Look a send up in the person's conversation when its answer was lost. */
	lookUpUncertain: boolean;
}

export interface SendResult {
	outcome: GraphOutcome;
	attempts: number;
	/** `uncertain`: the send may or may not have arrived, and nothing could tell. */
	status: 'delivered' | 'failed' | 'uncertain';
	/** What the conversation said when the answer of the last attempt was lost. */
	lookup?: LookupResult;
}

export interface Transport {
	send(send: GraphSend): Promise<GraphOutcome>;
	/** `links` chain a person's consecutive sends, so Graph runs them in order. */
	batch(sends: GraphSend[], links: ChainLink[]): Promise<GraphOutcome[]>;
	/**
	 * Whether a send whose answer was lost arrived; `knownIds` are message IDs the run owns,
	 * `unaccounted` the run's sends of the same content to the same person whose message is not
	 * known, this one included.
	 */
	lookup?(send: GraphSend, sentAtMs: number, knownIds: ReadonlySet<string>, unaccounted: number): Promise<LookupResult>;
}

/** A timed-out request may still be working at Graph's end: give it a moment before looking. */
export const LOOKUP_PAUSE_MS = 1000;

/**
 * Two sends to the same person from the same Page must arrive in input order. An upload has no
 * recipient: it waits for nothing.
 */
export function orderKey(send: GraphSend, index: number): string {
	const { recipient } = send.request.body;
	return recipient === undefined ? `#${index}` : `${send.pageId.trim() || 'me'}|${JSON.stringify(recipient)}`;
}

function isMedia(send: GraphSend): boolean {
	const message = send.request.body.message as { attachment?: { type?: string } } | undefined;
	return message?.attachment?.type === 'audio' || message?.attachment?.type === 'video';
}

interface Picked {
	key: string;
	index: number;
	/** Its place in the person's chain in this batch (0: the chain's first send). */
	link: number;
}

/** The lengths of the batch's chains, in batch order. */
function chainLengths(picked: Picked[]): number[] {
	const lengths: number[] = [];
	for (const { link } of picked) {
		if (link === 0) lengths.push(1);
		else lengths[lengths.length - 1]++;
	}
	return lengths;
}

/** A file travels alone as multipart, and an upload alone to its own edge: never in a batch. */
function travelsAlone(send: GraphSend): boolean {
	return send.request.file !== undefined || (send.request.edge ?? 'messages') !== 'messages';
}

/**
 * Show Typing First: a typing_on to the same person goes ahead of the message, and the person's
 * next send waits out the pause after it.
 */
function withTypingAhead(send: GraphSend): GraphSend[] {
	const { request } = send;
	if (request.typingFirstMs === undefined) return [send];
	const typing: GraphSend = {
		pageId: send.pageId,
		request: { body: { recipient: request.body.recipient, sender_action: 'typing_on' } },
		pauseAfterMs: request.typingFirstMs,
	};
	return [typing, send];
}

/**
 * Sends every request of a run and returns one result per request, in the same order. A typing
 * indicator sent ahead of a message has no result of its own: one that failed does not stop the
 * message it announced.
 * - Per-recipient order: a person's consecutive messages travel in one batch as a chain (each
 *   operation depends on the one before, so Graph runs them one after another); a person's next
 *   message never leaves before the previous one is settled (delivered, failed for good, or out
 *   of retries), so retries never reorder a conversation. A link that failed leaves the rest of
 *   its chain unsent: they stay queued behind it, and no attempt is counted for them.
 * - After a batch is lost (dropped, timed out) the next ones are smaller, so one bad connection
 *   leaves few sends in doubt.
 * - Only failures that delivered nothing are retried (see retryPolicy), so retries never
 *   double-send. A send whose answer was lost is looked up in the person's conversation: found,
 *   it is delivered; not found, it is sent once more; when the lookup cannot tell, it is sent
 *   again only when the user allows it.
 */
export async function sendAll(
	requests: GraphSend[],
	settings: SenderSettings,
	transport: Transport,
	random: () => number = Math.random,
	now: () => number = Date.now,
): Promise<SendResult[]> {
	const expanded = requests.map(withTypingAhead);
	const delivered = await sendInOrder(expanded.flat(), settings, transport, random, now);
	const results: SendResult[] = [];
	let position = 0;
	for (const sends of expanded) {
		position += sends.length;
		results.push(delivered[position - 1]);
	}
	return results;
}

async function sendInOrder(
	sends: GraphSend[],
	settings: SenderSettings,
	transport: Transport,
	random: () => number,
	now: () => number,
): Promise<SendResult[]> {
	const results: SendResult[] = new Array(sends.length);
	const attempts: number[] = new Array(sends.length).fill(0);
	const notBefore: number[] = new Array(sends.length).fill(0);
	/** When a send's first attempt with a lost answer left: a late arrival of it still counts. */
	const uncertainSince: Array<number | undefined> = new Array(sends.length);
	const knownIds = new Set<string>();
	/** Per person and content: the run's sends that may have arrived without a known message ID. */
	const unknownArrivals = new Map<string, number>();
	const contentKey = (key: string, index: number) => `${key}|${JSON.stringify(contentOf(sends[index]))}`;
	/** Resends of a lost batch's sends that the conversation showed never arrived: not the send's fault. */
	const freeRetries: number[] = new Array(sends.length).fill(0);
	// Insertion-ordered: recipients are served in the order they first appear.
	const queues = new Map<string, number[]>();
	sends.forEach((send, index) => {
		const key = orderKey(send, index);
		const queue = queues.get(key);
		if (queue) queue.push(index);
		else queues.set(key, [index]);
	});
	const inFlight = new Set<string>();
	const limiter = new SlidingWindowLimiter(settings.maxPerSecond, now);
	const mediaLimiter = new SlidingWindowLimiter(settings.maxMediaPerSecond, now);
	const sizer = new BatchSizer(settings.batching ? Math.max(1, Math.min(MAX_BATCH_OPERATIONS, settings.maxPerSecond)) : 1);
	let wake: () => void = () => {};
	let changed = new Promise<void>((resolve) => (wake = resolve));
	const signal = () => {
		wake();
		changed = new Promise<void>((resolve) => (wake = resolve));
	};

	/**
	 * Up to `limit` sends: each person's chain is their queue's due head and what follows it, up to
	 * a send that travels alone, waits for a retry, or is followed by a pause (typing first).
	 */
	const pick = (limit: number): Picked[] => {
		const picked: Picked[] = [];
		const time = now();
		for (const [key, queue] of queues) {
			if (picked.length >= limit) break;
			if (inFlight.has(key) || notBefore[queue[0]] > time) continue;
			if (travelsAlone(sends[queue[0]])) {
				if (picked.length > 0) continue;
				picked.push({ key, index: queue[0], link: 0 });
				break;
			}
			for (let link = 0; link < queue.length && picked.length < limit; link++) {
				const index = queue[link];
				if (link > 0 && (travelsAlone(sends[index]) || notBefore[index] > time)) break;
				picked.push({ key, index, link });
				if (sends[index].pauseAfterMs) break;
			}
		}
		return picked;
	};

	/** Takes a send out of its person's queue; the next one waits out a pause after the head. */
	const dequeue = (key: string, index: number) => {
		const queue = queues.get(key)!;
		// Almost always the head: shift is cheap even for one person's long queue.
		const position = queue[0] === index ? 0 : queue.indexOf(index);
		if (position === 0) queue.shift();
		else queue.splice(position, 1);
		if (queue.length === 0) queues.delete(key);
		else if (position === 0 && sends[index].pauseAfterMs) notBefore[queue[0]] = now() + (sends[index].pauseAfterMs ?? 0);
	};

	const settle = (key: string, index: number, outcome: GraphOutcome, disposition: Disposition, lookup?: LookupResult, free = false) => {
		attempts[index]++;
		if (free && freeRetries[index] < settings.maxRetries) freeRetries[index]++;
		const retries = attempts[index] - 1 - freeRetries[index];
		if (disposition !== 'final' && shouldRetry(disposition, retries, settings)) {
			notBefore[index] = now() + retryDelayMs(retries + 1, outcome, settings, random);
		} else {
			const status = outcome.kind === 'sent' ? 'delivered' : disposition === 'ambiguous' ? 'uncertain' : 'failed';
			results[index] = { outcome, attempts: attempts[index], status, ...(lookup ? { lookup } : {}) };
			if (status === 'uncertain') unknownArrivals.set(contentKey(key, index), (unknownArrivals.get(contentKey(key, index)) ?? 0) + 1);
			if (outcome.kind === 'sent' && typeof outcome.body.message_id === 'string') knownIds.add(outcome.body.message_id);
			dequeue(key, index);
		}
	};

	/**
	 * Looks up the sends of a batch whose answers were lost; the people stay held meanwhile. A
	 * person's sends are looked up one after another, oldest first, each found message claimed
	 * before the next lookup, so two links with the same text never claim the same message.
	 */
	const resolve = async (picked: Picked[], outcomes: GraphOutcome[], sentAt: number) => {
		const dispositions = outcomes.map((outcome, position) => disposeSend(sends[picked[position].index], outcome));
		const lookups: Array<LookupResult | undefined> = new Array(outcomes.length);
		const lookup = transport.lookup;
		const uncertain = new Map<string, number[]>();
		dispositions.forEach((disposition, position) => {
			if (disposition !== 'ambiguous') return;
			const { key } = picked[position];
			uncertain.set(key, [...(uncertain.get(key) ?? []), position]);
		});
		if (!settings.lookUpUncertain || !lookup || uncertain.size === 0) return { outcomes, dispositions, lookups };
		await sleep(LOOKUP_PAUSE_MS);
		const lookUpOne = async (position: number, later: number[]) => {
			const { key, index } = picked[position];
			uncertainSince[index] ??= sentAt;
			// The run's own sends that the messages found could be: this one, the person's later ones
			// in this lookup with the same content, and earlier ones that may have arrived unseen.
			const same = contentKey(key, index);
			const unaccounted = 1 + later.filter((other) => contentKey(key, picked[other].index) === same).length + (unknownArrivals.get(same) ?? 0);
			const result = await lookup(sends[index], uncertainSince[index]!, knownIds, unaccounted);
			lookups[position] = result;
			if (result.kind === 'found') {
				knownIds.add(result.messageId);
				outcomes[position] = { kind: 'sent', statusCode: 200, body: { recipient_id: result.recipientId, message_id: result.messageId } };
				dispositions[position] = 'final';
			} else if (result.kind === 'notFound') {
				// Checked: it did not arrive, so sending it again cannot make a duplicate.
				dispositions[position] = 'retry';
			}
		};
		await Promise.all(
			[...uncertain.values()].map(async (positions) => {
				for (const [order, position] of positions.entries()) await lookUpOne(position, positions.slice(order + 1));
			}),
		);
		return { outcomes, dispositions, lookups };
	};

	const worker = async () => {
		while (queues.size > 0) {
			let picked = pick(sizer.size);
			if (picked.length === 0) {
				// Wait for a send to settle or for the earliest retry to become due.
				const due = [...queues.values()]
					.map((queue) => notBefore[queue[0]])
					.filter((time) => time > now());
				const until = due.length ? Math.min(...due) - now() : 1000;
				await Promise.race([changed, sleep(Math.max(1, Math.min(until, 1000)))]);
				continue;
			}
			for (const { key } of picked) inFlight.add(key);
			// Hold the picked people while waiting for room under the cap; send what fits (a chain may
			// be cut short: its rest stays queued), free the people left out.
			const room = await limiter.take(picked.length);
			const left = picked.slice(room);
			picked = picked.slice(0, room);
			const kept = new Set(picked.map(({ key }) => key));
			for (const { key } of left) if (!kept.has(key)) inFlight.delete(key);
			const batch = picked.map(({ index }) => sends[index]);
			const media = batch.filter(isMedia).length;
			if (media) await mediaLimiter.acquire(media);
			const sentAt = now();
			const links = chainLinks(chainLengths(picked));
			const answered = batch.length === 1 ? [await transport.send(batch[0])] : await transport.batch(batch, links);
			limiter.done(batch.length, sentAt);
			if (media) mediaLimiter.done(media, sentAt);
			const lost = answered.every(wasLost);
			if (lost) sizer.lost();
			else sizer.answered();
			if (answered.some((outcome) => outcome.kind === 'refused' && isRateLimit(outcome.error))) limiter.slowDown();
			limiter.speedUp(answered.filter((outcome) => outcome.kind === 'sent').length);
			const { outcomes, dispositions, lookups } = await resolve(picked, answered, sentAt);
			// A batch cut off by a connection loss did not run most of its sends: resending those is
			// the batch's cost, not theirs (bounded: at most Max Retries such resends per send).
			const batchLost = lost && batch.length > 1;
			let held: string | undefined;
			picked.forEach(({ key, index, link }, position) => {
				if (link === 0) held = undefined;
				// Behind a link that did not go through, a link Graph did not run waits its turn, uncounted.
				if (held === key && outcomes[position].kind === 'notRun') return;
				settle(key, index, outcomes[position], dispositions[position], lookups[position], batchLost && lookups[position]?.kind === 'notFound');
				if (outcomes[position].kind !== 'sent') held = key;
			});
			for (const key of kept) inFlight.delete(key);
			signal();
		}
	};

	const workers = Math.max(1, Math.min(settings.maxConcurrency, queues.size));
	await Promise.all(Array.from({ length: workers }, worker));
	return results;
}

/**
 * The sender wired to n8n's HTTP helpers and the credential. The credential's `authenticate` signs
 * single requests; batch operations carry their own appsecret_proof, made as each batch leaves (a
 * time-stamped one expires).
 */
/** What this node delivered lately in this process, across executions. */
const recentDeliveries = new RecentDeliveries();

/** Forgets them: for tests, whose Graph emulator numbers its message IDs anew after a reset. */
export function forgetRecentDeliveries(): void {
	recentDeliveries.clear();
}

function remember(send: GraphSend, outcome: GraphOutcome, leftMs: number): GraphOutcome {
	const recipientId = (send.request.body.recipient as { id?: unknown } | undefined)?.id;
	if (outcome.kind === 'sent' && typeof outcome.body.message_id === 'string' && typeof recipientId === 'string') {
		recentDeliveries.add(outcome.body.message_id, recipientId, leftMs, Date.now());
	}
	return outcome;
}

export function graphTransport(ctx: IExecuteFunctions, credentials: ICredentialDataDecryptedObject, settings: SenderSettings): Transport {
	const target = graphTarget(credentials);
	const instagram = credentials.platform === 'instagram';
	const proofParams: ProofParams = () => appSecretProofParams(credentials);
	return {
		send: async (send) => {
			const leftMs = Date.now();
			return remember(send, await postSend(ctx, target, send, settings.timeoutMs), leftMs);
		},
		batch: async (sends, links) => {
			const leftMs = Date.now();
			const outcomes = await postBatch(ctx, target, sends, settings.timeoutMs, proofParams, links);
			return outcomes.map((outcome, index) => remember(sends[index], outcome, leftMs));
		},
		lookup: async (send, sentAtMs, knownIds, unaccounted) => {
			const result = await lookUpSend(ctx, credentials, settings, send, sentAtMs, { knownIds, recent: recentDeliveries, unaccounted, instagram });
			if (result.kind === 'found') recentDeliveries.add(result.messageId, result.recipientId, sentAtMs, Date.now());
			return result;
		},
	};
}
