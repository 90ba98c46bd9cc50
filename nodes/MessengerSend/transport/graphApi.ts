import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { CREDENTIAL_TYPE, graphUrl, readAnswer, safeParse, type GraphOutcome, type GraphTarget } from '../../shared/graph';
import type { SendRequest } from '../request/types';
import { graphClock } from './graphClock';

/** One send: the Page it goes out from and the Send API request. */
export interface GraphSend {
	pageId: string;
	request: SendRequest;
	/** Wait this long after this send settles before the same person's next send (typing first). */
	pauseAfterMs?: number;
}

export const MAX_BATCH_OPERATIONS = 50;

export function edgePath(send: GraphSend): string {
	return `${encodeURIComponent(send.pageId.trim() || 'me')}/${send.request.edge ?? 'messages'}`;
}

/** Send API parameters as form fields: strings as they are, objects as JSON. */
export function formFields(body: IDataObject): Array<[string, string]> {
	return Object.entries(body)
		.filter(([, value]) => value !== undefined)
		.map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]);
}

/** Every Send API parameter becomes its own form field, then the file as `filedata`. */
export function toMultipart(request: SendRequest & { file: NonNullable<SendRequest['file']> }): FormData {
	const form = new FormData();
	for (const [key, value] of formFields(request.body)) form.append(key, value);
	const { data, mimeType, fileName } = request.file;
	form.append('filedata', new Blob([data as Uint8Array<ArrayBuffer>], { type: mimeType }), fileName);
	return form;
}

/**
 * The appsecret_proof parameters (with appsecret_time in the time-stamped mode) for a request
 * sent now; empty without an app secret. A function, because a time-stamped proof expires.
 */
export type ProofParams = () => Record<string, string>;

/**
 * A Graph batch operation. The token is never in it (the batch's Authorization header covers
 * every operation); the appsecret_proof is, because Graph checks it per operation.
 */
export function toBatchOperation(send: GraphSend, proof: Record<string, string> = {}, link: ChainLink = {}): IDataObject {
	const fields = new URLSearchParams(formFields(send.request.body));
	for (const [name, value] of Object.entries(proof)) fields.append(name, value);
	const operation: IDataObject = { method: 'POST', relative_url: edgePath(send), body: fields.toString() };
	// Graph leaves out the answer of an operation another depends on unless told not to: without
	// it a delivered message would look like one that never ran, and be sent again.
	if (link.name !== undefined) Object.assign(operation, { name: link.name, omit_response_on_success: false });
	if (link.dependsOn !== undefined) operation.depends_on = link.dependsOn;
	return operation;
}

/**
 * Where an operation stands in a person's chain: Graph runs an operation with `depends_on` only
 * after the named one succeeded, so one person's messages keep their order inside one batch.
 */
export interface ChainLink {
	name?: string;
	dependsOn?: string;
}

/**
 * Links for a batch made of chains (consecutive operations of one person, in order): each link
 * after the first depends on the one before it. `chainLengths` sum to the batch's length.
 */
export function chainLinks(chainLengths: number[]): ChainLink[] {
	const links: ChainLink[] = [];
	for (const length of chainLengths) {
		const first = links.length;
		for (let position = 0; position < length; position++) {
			const index = first + position;
			links.push({
				...(position < length - 1 ? { name: `m${index}` } : {}),
				...(position > 0 ? { dependsOn: `m${index - 1}` } : {}),
			});
		}
	}
	return links;
}

function hostOf(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return 'the configured base URL';
	}
}

// Errors raised before a connection exists: the request never left, so sending again is safe.
const NOT_SENT_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'];

/** The system error code (ECONNREFUSED, ECONNRESET...), wherever n8n's error wrapper put it. */
function transportErrorCode(error: unknown): string | undefined {
	const wrapped = error as { code?: unknown; httpCode?: unknown; cause?: { code?: unknown }; message?: unknown; messages?: unknown };
	const texts = [wrapped.code, wrapped.cause?.code, wrapped.httpCode, wrapped.message, ...(Array.isArray(wrapped.messages) ? wrapped.messages : [])];
	for (const text of texts) {
		const match = typeof text === 'string' ? /\b(E[A-Z]{3,}(?:_[A-Z]+)*)\b/.exec(text) : null;
		if (match) return match[1];
	}
	return undefined;
}

export type Answer = { kind: 'answer'; statusCode: number; body: unknown; headers: IDataObject } | Extract<GraphOutcome, { kind: 'noAnswer' }>;

/**
 * The only place that does HTTP. The credential's `authenticate` adds the token (as a header) and
 * the appsecret_proof; the raw HTTP error never leaves this function, so nothing it carries
 * (request headers included) can reach an output item or a log.
 */
export async function request(ctx: IExecuteFunctions, options: IHttpRequestOptions): Promise<Answer> {
	const leftMs = Date.now();
	let response: { statusCode: number; body: unknown; headers?: IDataObject };
	try {
		response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, {
			...options,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as { statusCode: number; body: unknown; headers?: IDataObject };
	} catch (error) {
		const code = transportErrorCode(error);
		return { kind: 'noAnswer', host: hostOf(options.url), code, requestLeft: !NOT_SENT_CODES.includes(code ?? '') };
	}
	graphClock.observe(response.headers?.date, leftMs, Date.now());
	return { kind: 'answer', statusCode: response.statusCode, body: response.body, headers: response.headers ?? {} };
}

/** Posts one request to its Page edge: JSON, or multipart when a file travels with it. */
export async function postSend(ctx: IExecuteFunctions, target: GraphTarget, send: GraphSend, timeoutMs: number): Promise<GraphOutcome> {
	const { request: sendRequest } = send;
	const answer = await request(ctx, {
		method: 'POST',
		url: graphUrl(target, edgePath(send)),
		body: sendRequest.file ? toMultipart({ ...sendRequest, file: sendRequest.file }) : sendRequest.body,
		json: !sendRequest.file,
		timeout: timeoutMs,
	});
	return answer.kind === 'answer' ? readAnswer(answer.statusCode, answer.body, answer.headers) : answer;
}

/** Posts up to 50 sends as one Graph batch; the outcomes are in the order of `sends`. */
export async function postBatch(
	ctx: IExecuteFunctions,
	target: GraphTarget,
	sends: GraphSend[],
	timeoutMs: number,
	proofParams?: ProofParams,
	links: ChainLink[] = [],
): Promise<GraphOutcome[]> {
	// Computed as this batch leaves (not once per run), so a retried batch minutes later is still valid.
	const proof = proofParams?.() ?? {};
	const operations = sends.map((send, index) => toBatchOperation(send, proof, links[index]));
	return brokenLinksNotRun(await postBatchOperations(ctx, target, operations, timeoutMs), links);
}

/**
 * One Graph batch request of `operations`; an outcome per operation, in their order. A batch refused
 * as a whole (a bad token, a 5xx) or without an answer gives every operation that outcome; a null
 * entry is an operation Graph did not run.
 */
export async function postBatchOperations(ctx: IExecuteFunctions, target: GraphTarget, operations: IDataObject[], timeoutMs: number): Promise<GraphOutcome[]> {
	const answer = await request(ctx, {
		method: 'POST',
		url: graphUrl(target, ''),
		body: new URLSearchParams({ batch: JSON.stringify(operations), include_headers: 'false' }),
		json: true,
		timeout: timeoutMs,
	});
	if (answer.kind !== 'answer') return operations.map(() => answer);
	const entries = typeof answer.body === 'string' ? safeParse(answer.body) : answer.body;
	if (!Array.isArray(entries) || entries.length !== operations.length) {
		const outcome = readAnswer(answer.statusCode, answer.body, answer.headers);
		return operations.map(() => outcome);
	}
	return entries.map((entry: unknown): GraphOutcome => {
		if (entry === null) return { kind: 'notRun' };
		const { code, body } = entry as { code?: number; body?: unknown };
		return readAnswer(Number(code ?? 500), body, answer.headers);
	});
}

/** What an operation's answer says about it, for the operation that depends on it. */
type LinkState = 'sent' | 'notSent' | 'unknown';

function stateOf(outcome: GraphOutcome): LinkState {
	if (outcome.kind === 'sent') return 'sent';
	return outcome.kind === 'refused' || outcome.kind === 'notRun' ? 'notSent' : 'unknown';
}

/**
 * Graph runs an operation with `depends_on` only after the named one succeeded. So behind a link
 * Graph refused or did not run, a link that did not succeed was not run: it can be sent again
 * later. Behind a link whose answer was unreadable (it may have run), a link's own answer counts;
 * a refusal of it delivered nothing either way. (Only for per-operation answers: an answer for
 * the whole batch is every operation's own.)
 */
export function brokenLinksNotRun(outcomes: GraphOutcome[], links: ChainLink[]): GraphOutcome[] {
	const states = new Map<string, LinkState>();
	return outcomes.map((outcome, index) => {
		const { name, dependsOn } = links[index] ?? {};
		const before = dependsOn === undefined ? 'sent' : (states.get(dependsOn) ?? 'notSent');
		const notRun = (before === 'notSent' && outcome.kind !== 'sent') || (before === 'unknown' && outcome.kind === 'refused');
		const result: GraphOutcome = notRun ? { kind: 'notRun' } : outcome;
		if (name !== undefined) states.set(name, stateOf(result));
		return result;
	});
}

