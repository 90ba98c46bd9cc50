// Property-based tests over the node's parameters (fast-check): for each operation, many random
// parameter sets go through the operation's real `prepare` (with a minimal stand-in for n8n's
// execute functions) and `validateSendRequest`. Every run must end either
//  (a) with a request the Graph API emulator's rules (emulator/rules.cts `validateSend`) accept,
//      in every encoding the node sends: JSON, a Graph batch operation, multipart with the file;
//  (b) with InvalidSendRequest naming the field and `item <n>` (limits: the size and the limit),
//      or n8n's own NodeOperationError for a missing binary field,
// and never with any other error. Counts per operation are printed at the end.
// FUZZ_RUNS and FUZZ_SEED override the number of runs and the seed. The generators and the stand-in
// for n8n's execute functions: test/helpers/fuzzUnitRuns.ts.
import fc from 'fast-check';
import { NodeOperationError } from 'n8n-workflow';

import { decodeJsonParams, validateSend, type UploadedFile } from '../../emulator/rules.cjs';
import { parseBody, parseOperationBody } from '../../emulator/requestBody.cjs';
import type { GraphError } from '../../emulator/types.cjs';
import { RETIRED_TAGS, SEND_API_LIMITS, type Limit } from '../../nodes/MessengerSend/rules';
import type { SendRequest } from '../../nodes/MessengerSend/request/types';
import { InvalidSendRequest } from '../../nodes/MessengerSend/rules';
import { validateSendRequest } from '../../nodes/MessengerSend/rules/validate';
import { toBatchOperation, toMultipart } from '../../nodes/MessengerSend/transport/graphApi';
import { codePoints } from '../helpers/fuzzArbitraries';
import { ARBITRARIES, defaultsOf, executeFunctions, FILE_MAX, ISSUED_ATTACHMENT_IDS, OPERATIONS, type OperationName, type Run } from '../helpers/fuzzUnitRuns';
import { numberFromEnv, report } from '../helpers/testEnv.cjs';

const RUNS = numberFromEnv('FUZZ_RUNS', 10_000);
const SEED = numberFromEnv('FUZZ_SEED', 20_261_124);

// ---- What the emulator says ---------------------------------------------------------------------

const sendContext = {
	isAttachmentUsable: (id: string) => ISSUED_ATTACHMENT_IDS.includes(id),
	outsideWindow: [],
	// Each run is a new comment or post: "already replied" is the platform's state, not a rule.
	alreadyReplied: () => false,
};

function rulesSay(params: Record<string, unknown>, file?: UploadedFile): GraphError | null {
	const decoded = decodeJsonParams(params);
	if ('error' in decoded) return decoded.error;
	return validateSend(decoded.params, { ...sendContext, file });
}

/**
 * The emulator's verdict on a request in each encoding the transport uses, parsed as the emulator
 * parses it: JSON (one send), a urlencoded batch operation, and multipart for a file (encoded by
 * the node's own `toMultipart`; the bytes are cut to 16 so a 25 MB file costs nothing, the rules
 * get its real size, as graphEmulator.ts passes them `fileInfo(files.filedata)`).
 * `first`: only the first encoding (JSON or multipart), for the tally of stricter refusals.
 */
async function emulatorVerdicts(request: SendRequest, encodings: 'all' | 'first' = 'all'): Promise<Array<{ encoding: string; error: GraphError | null }>> {
	if (request.file) {
		const form = toMultipart({ ...request, file: { ...request.file, data: request.file.data.subarray(0, 16) } });
		const response = new Response(form);
		const raw = Buffer.from(await response.arrayBuffer());
		const { body, files } = await parseBody({ 'content-type': response.headers.get('content-type') ?? '' }, raw);
		const upload = files.filedata;
		const file = upload ? { fileName: upload.fileName, mimeType: upload.mimeType, size: request.file.data.length } : undefined;
		return [{ encoding: 'multipart', error: rulesSay(body, file) }];
	}
	const json = await parseBody({ 'content-type': 'application/json' }, Buffer.from(JSON.stringify(request.body)));
	const verdicts = [{ encoding: 'json', error: rulesSay(json.body) }];
	if (encodings === 'all') verdicts.push({ encoding: 'batch', error: rulesSay(parseOperationBody(toBatchOperation({ pageId: 'me', request }).body)) });
	return verdicts;
}

// ---- The property ---------------------------------------------------------------------------------

const LIMIT_MESSAGE = /^(.+) in item (\d+): (\d+) (.+), more than the limit of (\d+) \((.+)\)$/;

function limitFor(field: string): Limit | undefined {
	if (/^Quick Reply \d+ Title$/.test(field)) return SEND_API_LIMITS.quickReplyTitle;
	if (/^Quick Reply \d+ Payload$/.test(field)) return SEND_API_LIMITS.quickReplyPayload;
	return Object.values(SEND_API_LIMITS).find((limit) => limit.field === field);
}

/** The size of a field of a built request, measured here independently of the node. */
function sizeIn(request: SendRequest, field: string): number {
	const message = (request.body.message ?? {}) as Record<string, unknown>;
	const replies = (message.quick_replies ?? []) as Array<Record<string, unknown>>;
	const reply = /^Quick Reply (\d+) (Title|Payload)$/.exec(field);
	if (reply) return Array.from(String(replies[Number(reply[1]) - 1][reply[2].toLowerCase()])).length;
	if (field === 'Text') return Array.from(String(message.text)).length;
	if (field === 'Metadata') return Array.from(String(message.metadata)).length;
	if (field === 'Quick Replies') return replies.length;
	if (field === 'Input Binary Field') return request.file?.data.length ?? Number.NaN;
	return Number.NaN;
}

class PropertyBroken extends Error {}

function kindOf(message: string): string {
	if (message.includes('more than the limit')) return 'over the limit';
	if (/empty/.test(message)) return 'empty';
	if (message.includes('must be text')) return 'not text';
	if (message.includes('use one of')) return 'not an allowed value';
	if (message.includes('http(s) URL')) return 'not an http(s) URL';
	if (message.includes('exactly one')) return 'not exactly one';
	return 'other';
}

/** Checks a refusal and names its category; throws PropertyBroken when it breaks the property. */
function refusal(error: unknown, run: Run, request?: SendRequest): string {
	const item = run.item;
	if (error instanceof InvalidSendRequest) {
		const { message, field } = error;
		if (!field || !message.includes(field)) throw new PropertyBroken(`the message does not name its field "${field}": ${message}`);
		if (!new RegExp(`\\bitem ${item}\\b`, 'i').test(message)) throw new PropertyBroken(`the message does not name item ${item}: ${message}`);
		if (/^undefined|undefined in item/.test(message)) throw new PropertyBroken(`the message has no field label: ${message}`);
		const limit = LIMIT_MESSAGE.exec(message);
		if (limit) {
			const [, limitField, limitItem, size, unit, max, rule] = limit;
			const expected = limitFor(limitField);
			if (!expected || !request) throw new PropertyBroken(`a limit message for an unknown limit: ${message}`);
			const actual = sizeIn(request, limitField);
			if (Number(limitItem) !== item || Number(size) !== actual || Number(max) !== expected.max || unit !== expected.unit || rule !== expected.rule || actual <= expected.max) {
				throw new PropertyBroken(`the limit message does not state the actual size ${actual} and the limit ${expected.max}: ${message}`);
			}
		}
		if (field === SEND_API_LIMITS.fileSize.field && message.includes('empty') && !message.includes('0 bytes')) {
			throw new PropertyBroken(`the empty-file message does not state the size: ${message}`);
		}
		return `${field.replace(/^Quick Reply \d+/, 'Quick Reply <n>')}: ${kindOf(message)}`;
	}
	if (error instanceof NodeOperationError && run.binary.where !== 'field') {
		// n8n's own message for a binary field the item does not have: "... '<name>' ... [item <n>]".
		if (!/binary (file|field) '.*'/s.test(error.message) || !error.message.endsWith(`[item ${item}]`)) {
			throw new PropertyBroken(`n8n's binary error does not name field and item: ${error.message}`);
		}
		return 'Input Binary Field: no such binary in the item (n8n)';
	}
	throw new PropertyBroken(`not a named refusal: ${(error as Error)?.stack ?? String(error)}`);
}

const describeRequest = (request: SendRequest) =>
	JSON.stringify({ ...request, file: request.file && { ...request.file, data: `<${request.file.data.length} bytes>` } }).slice(0, 1500);

/** Tallies per operation: outcome → runs, and refusals the emulator alone would have accepted. */
const outcomes: Record<string, Map<string, number>> = {};
const stricter: Record<string, Map<string, number>> = {};
const boundaries: Record<string, Map<string, number>> = {};
const count = (table: Record<string, Map<string, number>>, operation: string, key: string) => {
	const map = (table[operation] ??= new Map());
	map.set(key, (map.get(key) ?? 0) + 1);
};

/** Accepted requests exactly at a limit, so the counts show the limits were reached, not just approached. */
function noteBoundaries(operation: string, request: SendRequest): void {
	const message = (request.body.message ?? {}) as Record<string, unknown>;
	const replies = (message.quick_replies ?? []) as Array<Record<string, unknown>>;
	const at = (name: string, hit: boolean) => hit && count(boundaries, operation, name);
	at('text of 1999 characters', typeof message.text === 'string' && codePoints(message.text) === SEND_API_LIMITS.text.max);
	at('metadata of 999 characters', typeof message.metadata === 'string' && codePoints(message.metadata) === SEND_API_LIMITS.metadata.max);
	at('13 quick replies', replies.length === SEND_API_LIMITS.quickReplies.max);
	at('a quick reply title of 20 characters', replies.some((reply) => typeof reply.title === 'string' && codePoints(reply.title) === SEND_API_LIMITS.quickReplyTitle.max));
	at('a quick reply payload of 1000 characters', replies.some((reply) => typeof reply.payload === 'string' && codePoints(reply.payload) === SEND_API_LIMITS.quickReplyPayload.max));
	at('a file of 26214400 bytes', request.file?.data.length === FILE_MAX);
}

async function outcomeOf(operation: OperationName, run: Run): Promise<string> {
	const ctx = executeFunctions(run, defaultsOf(OPERATIONS[operation].description));
	let request: SendRequest;
	try {
		request = await OPERATIONS[operation].prepare.call(ctx, run.item);
	} catch (error) {
		return refusal(error, run);
	}
	try {
		validateSendRequest(request, run.item);
	} catch (error) {
		const key = refusal(error, run, request);
		if ((await emulatorVerdicts(request, 'first')).every((verdict) => verdict.error === null)) count(stricter, operation, key);
		return key;
	}
	const refused = (await emulatorVerdicts(request)).filter((verdict) => verdict.error !== null);
	if (refused.length === 0) {
		noteBoundaries(operation, request);
		return 'accepted';
	}
	// By design the node sends the retired tags (it lists them, marked Retired) and explains
	// Messenger's error 100 (shared/graphErrors.ts): the one refusal allowed, and only this one.
	const retiredTag = RETIRED_TAGS.includes(String(request.body.tag));
	if (retiredTag && refused.every(({ error }) => error?.error.code === 100 && /is no longer supported \(retired/.test(error.error.message))) {
		return 'sent; Messenger refuses the retired tag (by design, explained by the node)';
	}
	const [{ encoding, error }] = refused;
	throw new PropertyBroken(`the emulator refused (${encoding}) a request the node accepted: ${JSON.stringify(error?.error)}\nrequest: ${describeRequest(request)}`);
}

// ---- The tests ------------------------------------------------------------------------------------

const durations: Record<string, number> = {};

describe(`fuzz: ${RUNS} random parameter sets per operation (seed ${SEED})`, () => {
	test.each(Object.keys(OPERATIONS) as OperationName[])(
		'%s: every run ends as a request the emulator accepts or a refusal naming field and item',
		async (operation) => {
			const started = Date.now();
			await fc.assert(
				fc.asyncProperty(ARBITRARIES[operation], async (run) => {
					count(outcomes, operation, await outcomeOf(operation, run));
				}),
				{ numRuns: RUNS, seed: SEED, endOnFailure: false },
			);
			durations[operation] = Date.now() - started;

			const tally = outcomes[operation];
			// The generators must reach both ends: plenty of accepted requests and of refusals.
			expect(tally.get('accepted') ?? 0).toBeGreaterThan(RUNS / 10);
			expect(RUNS - (tally.get('accepted') ?? 0)).toBeGreaterThan(RUNS / 10);
		},
		120_000,
	);

	test('the generators reach every limit from both sides', () => {
		const keys = (operation: string) => [...(outcomes[operation]?.keys() ?? [])];
		for (const operation of ['sendMessage', 'taggedUpdate']) {
			expect(keys(operation)).toEqual(
				expect.arrayContaining([
					'Text: over the limit',
					'Metadata: over the limit',
					'Quick Replies: over the limit',
					'Quick Reply <n> Title: over the limit',
					'Quick Reply <n> Payload: over the limit',
				]),
			);
			expect([...(boundaries[operation]?.keys() ?? [])]).toEqual(
				expect.arrayContaining([
					'text of 1999 characters',
					'metadata of 999 characters',
					'13 quick replies',
					'a quick reply title of 20 characters',
					'a quick reply payload of 1000 characters',
				]),
			);
		}
		for (const operation of ['sendAttachment', 'taggedUpdate']) {
			expect(keys(operation)).toEqual(
				expect.arrayContaining(['Input Binary Field: over the limit', 'Input Binary Field: empty', 'Attachment URL: not an http(s) URL']),
			);
			expect([...(boundaries[operation]?.keys() ?? [])]).toContain('a file of 26214400 bytes');
		}
	});

	afterAll(() => {
		const lines = [`fuzz (unit): ${RUNS} runs per operation, seed ${SEED}`];
		for (const operation of Object.keys(OPERATIONS)) {
			const tally = outcomes[operation];
			if (!tally) continue;
			lines.push(`\n${operation} (${durations[operation] ?? '?'} ms):`);
			for (const [key, runs] of [...tally.entries()].sort((a, b) => b[1] - a[1])) {
				const alsoAccepted = stricter[operation]?.get(key);
				lines.push(`  ${String(runs).padStart(6)}  ${key}${alsoAccepted ? `  (${alsoAccepted} of them the emulator alone would accept)` : ''}`);
			}
			const hits = boundaries[operation];
			if (hits?.size) lines.push(`  accepted exactly at a limit: ${[...hits.entries()].map(([key, runs]) => `${key} ×${runs}`).join(', ')}`);
		}
		report(lines.join('\n'));
	});
});
