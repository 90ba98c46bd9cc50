import { sleep, type ICredentialDataDecryptedObject, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { appSecretProofParams } from '../../../credentials/MessengerPageApi.credentials';
import { graphTarget, graphUrl, readAnswer, type GraphOutcome, type GraphTarget } from '../../shared/graph';
import { formFields, MAX_BATCH_OPERATIONS, postBatchOperations, request } from './graphApi';
import { dispose, retryDelayMs, type RetrySettings } from './retryPolicy';

// Graph calls that are not sends (thread control, reads of owners, people and conversations): the
// whole round of a run's calls goes out at once, in Graph batches of up to 50 (GET and POST alike),
// a bounded number of HTTP requests in flight, each call retried alone after a temporary failure.

/** One Graph call, below `/{version}/`: pure data, built by the actions. */
export interface GraphCall {
	method: 'GET' | 'POST' | 'DELETE';
	/** e.g. `me/thread_owner`, `6789012345678901`. */
	path: string;
	qs?: Record<string, string>;
	body?: IDataObject;
	/**
	 * A refusal for the rate limit (code 613) is final: the Page's profile allows about 10 writes
	 * per 10 minutes, so waiting the retry policy's seconds would only spend another of them.
	 */
	rateLimitFinal?: boolean;
	/** It creates something (a persona): sent again only when it surely did not arrive, never after a lost answer. */
	creates?: boolean;
}

export interface CallSettings extends RetrySettings {
	batching: boolean;
	maxConcurrency: number;
	timeoutMs: number;
}

/** The outcome of a call and how many times it was sent. */
export interface CallResult {
	outcome: GraphOutcome;
	attempts: number;
}

/** `path?query` of a call, with extra query parameters (a batch operation's proof). */
export function relativeUrl(call: GraphCall, extra: Record<string, string> = {}): string {
	const query = new URLSearchParams({ ...(call.qs ?? {}), ...extra }).toString();
	return query ? `${call.path}?${query}` : call.path;
}

/** A Graph batch operation of a call; the proof goes where Graph reads it for that method. */
export function toBatchOperation(call: GraphCall, proof: Record<string, string>): IDataObject {
	if (call.method === 'GET') return { method: 'GET', relative_url: relativeUrl(call, proof) };
	// A DELETE's parameters travel in its URL (Graph reads `fields` there as well).
	if (call.method === 'DELETE') return { method: 'DELETE', relative_url: relativeUrl(call, { ...Object.fromEntries(formFields(call.body ?? {})), ...proof }) };
	const fields = new URLSearchParams(formFields(call.body ?? {}));
	for (const [name, value] of Object.entries(proof)) fields.append(name, value);
	return { method: 'POST', relative_url: relativeUrl(call), body: fields.toString() };
}

async function single(ctx: IExecuteFunctions, target: GraphTarget, call: GraphCall, timeoutMs: number): Promise<GraphOutcome> {
	const answer = await request(ctx, {
		method: call.method,
		url: graphUrl(target, call.path),
		...(call.qs ? { qs: call.qs } : {}),
		...(call.method === 'POST' ? { body: call.body ?? {} } : call.method === 'DELETE' && call.body ? { body: call.body } : {}),
		json: true,
		timeout: timeoutMs,
	});
	return answer.kind === 'answer' ? readAnswer(answer.statusCode, answer.body, answer.headers) : answer;
}

async function batch(ctx: IExecuteFunctions, target: GraphTarget, calls: GraphCall[], timeoutMs: number, proof: Record<string, string>): Promise<GraphOutcome[]> {
	return await postBatchOperations(ctx, target, calls.map((call) => toBatchOperation(call, proof)), timeoutMs);
}

/** Runs `tasks` with at most `limit` at once; results in the order of `tasks`. */
export async function bounded<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
	const results: T[] = new Array(tasks.length);
	let next = 0;
	const worker = async () => {
		while (next < tasks.length) {
			const index = next++;
			results[index] = await tasks[index]();
		}
	};
	await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), tasks.length) }, worker));
	return results;
}

/**
 * Whether a call may go out again: nothing most of these calls do is seen twice (a read; a thread
 * control call the actions check against the thread's owner; a profile write of the same values),
 * so a lost answer is retried like a temporary error, except for a call that creates something.
 */
function retryable(outcome: GraphOutcome, call: GraphCall): boolean {
	if (call.rateLimitFinal && outcome.kind === 'refused' && outcome.error.code === 613) return false;
	const disposition = dispose(outcome);
	return call.creates ? disposition === 'retry' : disposition !== 'final';
}

/** Sends every call (batched when there are several), retrying each temporary failure; results in the order of `calls`. */
export async function callAll(
	ctx: IExecuteFunctions,
	credentials: ICredentialDataDecryptedObject,
	calls: GraphCall[],
	settings: CallSettings,
	random: () => number = Math.random,
): Promise<CallResult[]> {
	const target = graphTarget(credentials);
	const results: CallResult[] = calls.map(() => ({ outcome: { kind: 'notRun' }, attempts: 0 }));
	let pending = calls.map((_, index) => index);
	for (let retry = 0; pending.length > 0; retry++) {
		const size = settings.batching && pending.length > 1 ? MAX_BATCH_OPERATIONS : 1;
		const groups: number[][] = [];
		for (let start = 0; start < pending.length; start += size) groups.push(pending.slice(start, start + size));
		const outcomes = await bounded(
			groups.map((group) => async () =>
				group.length === 1
					? [await single(ctx, target, calls[group[0]], settings.timeoutMs)]
					: await batch(ctx, target, group.map((index) => calls[index]), settings.timeoutMs, appSecretProofParams(credentials)),
			),
			settings.maxConcurrency,
		);
		groups.forEach((group, position) =>
			group.forEach((index, offset) => (results[index] = { outcome: outcomes[position][offset], attempts: results[index].attempts + 1 })),
		);
		pending = pending.filter((index) => retryable(results[index].outcome, calls[index]) && retry < settings.maxRetries);
		if (pending.length > 0) {
			const wait = Math.max(...pending.map((index) => retryDelayMs(retry + 1, results[index].outcome, settings, random)));
			await sleep(wait);
		}
	}
	return results;
}
