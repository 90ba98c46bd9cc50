// Property-based tests over the node's parameters (fast-check): for each operation, many random
// parameter sets go through the operation's real `prepare` (with a minimal stand-in for n8n's
// execute functions) and `validateSendRequest`. Every run must end either
//  (a) with a request the Graph API emulator's rules (emulator/rules.cts `validateSend`) accept,
//      in every encoding the node sends: JSON, a Graph batch operation, multipart with the file;
//  (b) with InvalidSendRequest naming the field and `item <n>` (limits: the size and the limit),
//      or n8n's own NodeOperationError for a missing binary field,
// and never with any other error. Counts per operation are printed at the end.
// FUZZ_RUNS and FUZZ_SEED override the number of runs and the seed.
import fc from 'fast-check';
import { assertBinaryData } from 'n8n-core';
import { NodeOperationError, type IBinaryData, type IExecuteFunctions, type INode, type INodeProperties, type ITaskDataConnections } from 'n8n-workflow';

import { decodeJsonParams, validateSend, type UploadedFile } from '../../emulator/rules.cjs';
import { parseBody, parseOperationBody } from '../../emulator/requestBody.cjs';
import type { GraphError } from '../../emulator/types.cjs';
import * as sendAttachment from '../../nodes/MessengerSend/actions/sendAttachment.operation';
import * as sendMessage from '../../nodes/MessengerSend/actions/sendMessage.operation';
import * as senderAction from '../../nodes/MessengerSend/actions/senderAction.operation';
import * as taggedUpdate from '../../nodes/MessengerSend/actions/taggedUpdate.operation';
import { MEGABYTE, RETIRED_TAGS, SEND_API_LIMITS, type Limit } from '../../nodes/MessengerSend/rules';
import type { SendRequest } from '../../nodes/MessengerSend/request/types';
import { InvalidSendRequest } from '../../nodes/MessengerSend/rules';
import { validateSendRequest } from '../../nodes/MessengerSend/rules/validate';
import { toBatchOperation, toMultipart } from '../../nodes/MessengerSend/transport/graphApi';
import {
	choice,
	codePoints,
	idText,
	midText,
	MISSING,
	padded,
	param,
	quickReplyCount,
	readableKinds,
	shortText,
	TAGS_ACTIVE,
	TAGS_RETIRED,
	textAround,
	textOf,
	urlText,
	wrongType,
} from '../helpers/fuzzArbitraries';
import { numberFromEnv, report } from '../helpers/testEnv.cjs';

const RUNS = numberFromEnv('FUZZ_RUNS', 10_000);
const SEED = numberFromEnv('FUZZ_SEED', 20_261_124);

const NODE: INode = {
	id: 'fuzz',
	name: 'Messenger Send',
	type: 'n8n-nodes-messenger-send.messengerSend',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

// ---- Generators ------------------------------------------------------------------------

/**
 * Attachment IDs the emulator issued to the Page (its first uploads). A random ID is left out of
 * the generator: the platform refuses IDs it never issued (100/2018074), which the node cannot
 * know. Still generated: issued IDs padded or as numbers, empty ones, and wrong types.
 */
const ISSUED_ATTACHMENT_IDS = ['1857000000000001', '1857000000000002'];

const FILE_MAX = SEND_API_LIMITS.fileSize.max;
/** One buffer for every file: a file of n bytes is a view of its first n bytes. */
const BIG = Buffer.alloc(FILE_MAX + MEGABYTE);

interface BinarySpec {
	/** Where the item holds its binary: under the field the node reads, another name, or none at all. */
	where: 'field' | 'otherField' | 'none';
	size: number;
	mimeType?: string;
	fileName?: string;
	fileExtension?: string;
}

const binarySpec: fc.Arbitrary<BinarySpec> = fc.record(
	{
		where: fc.oneof(
			{ arbitrary: fc.constant('field' as const), weight: 10 },
			{ arbitrary: fc.constantFrom('otherField' as const, 'none' as const), weight: 1 },
		),
		size: fc.oneof(
			{ arbitrary: fc.constantFrom(0, 1, FILE_MAX - 1, FILE_MAX, FILE_MAX + 1, FILE_MAX + MEGABYTE), weight: 3 },
			{ arbitrary: fc.integer({ min: 2, max: 4096 }), weight: 5 },
		),
		mimeType: fc.constantFrom('image/png', 'application/pdf', 'video/mp4', 'audio/mpeg', '', 'text/plain; charset=utf-8'),
		fileName: fc.oneof(fc.constantFrom('invoice.pdf', 'photo.jpg', '', 'a"b\r\n.png', 'ü 😀.pdf'), shortText),
		fileExtension: fc.constantFrom('png', 'pdf', ''),
	},
	{ requiredKeys: ['where', 'size'] },
);

const recipientParams = {
	recipientType: fc.oneof(
		{ arbitrary: fc.constantFrom('id', 'user_ref', 'comment_id', 'post_id'), weight: 12 },
		{ arbitrary: fc.constant(MISSING), weight: 1 },
	),
	// All four ID fields, whatever the type: the ones not shown are extra fields.
	psid: param(idText),
	userRef: param(idText),
	commentId: param(idText),
	postId: param(idText),
};

const messagingType = param(choice(['RESPONSE', 'UPDATE'], ['MESSAGE_TAG', 'UTILITY', 'PROMO']));

/** A quick reply list: "clean" lists keep every value within its limits, so 13 can pass. */
const quickReplies = fc.boolean().chain((clean) => {
	const title = clean ? fc.constantFrom(...readableKinds).chain((kind) => textOf(kind, fc.integer({ min: 1, max: 20 }))) : param(textAround(20));
	const payload = clean ? textOf('ascii', fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constant(1000))) : param(textAround(1000));
	const reply = fc.record(
		{
			contentType: clean
				? fc.constantFrom('text', 'text', 'text', 'user_email', 'user_phone_number')
				: param(choice(['text', 'user_email', 'user_phone_number'], ['TEXT', 'location'])),
			title,
			payload,
			imageUrl: clean ? fc.constantFrom('https://example.com/icon.png', '') : param(urlText),
			extra: wrongType,
		},
		{ requiredKeys: clean ? ['contentType', 'title', 'payload'] : [] },
	);
	return quickReplyCount.chain((count) => fc.array(reply, { minLength: count, maxLength: count }));
});

const quickRepliesParam = fc.oneof(
	{ arbitrary: quickReplies.map((reply) => ({ reply })), weight: 6 },
	{ arbitrary: fc.constantFrom({}, { reply: [] }), weight: 1 },
);

function optionsParam(withReplyTo: boolean): fc.Arbitrary<unknown> {
	return fc.oneof(
		{ arbitrary: fc.constant(MISSING), weight: 1 },
		{
			arbitrary: fc.record(
				{
					metadata: param(textAround(SEND_API_LIMITS.metadata.max)),
					notificationType: param(choice(['REGULAR', 'SILENT_PUSH', 'NO_PUSH'], ['LOUD'])),
					personaId: param(idText),
					// Reply To is not offered on Tagged Update: there it is an extra field.
					replyTo: withReplyTo ? param(midText) : param(midText, { good: 1, wrong: 1, missing: 6 }),
					quickReplies: quickRepliesParam,
					unknownOption: wrongType,
				},
				{ requiredKeys: [] },
			),
			weight: 6,
		},
	);
}

const attachmentId: fc.Arbitrary<unknown> = fc.oneof(
	{ arbitrary: fc.constantFrom(...ISSUED_ATTACHMENT_IDS), weight: 8 },
	{ arbitrary: padded(fc.constantFrom(...ISSUED_ATTACHMENT_IDS)), weight: 2 },
	{ arbitrary: fc.constantFrom(...ISSUED_ATTACHMENT_IDS.map(Number)), weight: 1 },
	{ arbitrary: fc.constantFrom('', ' ', '\u3000\n', null, MISSING), weight: 1 },
	{ arbitrary: fc.constantFrom<unknown>({ a: 1 }, [1, 2], {}, [], [ISSUED_ATTACHMENT_IDS[0]]), weight: 1 },
);

const attachmentParams = {
	attachmentType: param(choice(['image', 'audio', 'video', 'file'], ['location', 'sticker'])),
	attachmentSource: fc.oneof(
		{ arbitrary: fc.constantFrom('url', 'attachmentId', 'binary'), weight: 12 },
		{ arbitrary: fc.constant(MISSING), weight: 1 },
	),
	attachmentUrl: param(urlText),
	attachmentId,
	binaryPropertyName: param(fc.oneof({ arbitrary: fc.constant('data'), weight: 10 }, { arbitrary: fc.constantFrom('file', 'ü', ' data', ''), weight: 1 }, { arbitrary: shortText, weight: 1 })),
	isReusable: param(fc.boolean()),
};

/** Fields no operation reads. */
const extraParams = fc.dictionary(fc.constantFrom('resource', 'foo', 'Text', 'psid ', 'options2'), wrongType, { maxKeys: 2 });

interface Run {
	params: Record<string, unknown>;
	item: number;
	binary: BinarySpec;
}

const run = (params: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Run> =>
	fc.record({
		params: fc.tuple(extraParams, params).map(([extra, own]) => ({ ...extra, ...own })),
		item: fc.nat({ max: 9 }),
		binary: binarySpec,
	});

const ARBITRARIES = {
	sendMessage: run(
		fc.record({
			...recipientParams,
			messagingType,
			text: param(textAround(SEND_API_LIMITS.text.max)),
			options: optionsParam(true),
		}),
	),
	sendAttachment: run(
		fc.record({
			...recipientParams,
			messagingType,
			...attachmentParams,
			options: optionsParam(true),
		}),
	),
	senderAction: run(
		fc.record({
			...recipientParams,
			senderAction: param(choice(['typing_on', 'typing_off', 'mark_seen', 'react', 'unreact'], ['wave', 'TYPING_ON'])),
			messageId: param(midText),
			reaction: param(fc.oneof({ arbitrary: fc.constantFrom('❤', '😀', '👍🏽', '❤️', '🇫🇷'), weight: 8 }, { arbitrary: fc.constantFrom('', ' '), weight: 1 }, { arbitrary: shortText, weight: 2 })),
			personaId: param(idText),
		}),
	),
	taggedUpdate: run(
		fc.record({
			...recipientParams,
			// Retired tags stay in: the node sends them on purpose (see `outcomeOf`).
			tag: param(
				fc.oneof(
					{ arbitrary: choice(TAGS_ACTIVE, ['human_agent', 'MESSAGE_TAG', 'PROMOTION', 'CUSTOMER_FEEDBACK']), weight: 8 },
					{ arbitrary: fc.constantFrom(...TAGS_RETIRED), weight: 1 },
				),
			),
			contentType: fc.oneof({ arbitrary: fc.constantFrom('text', 'attachment'), weight: 12 }, { arbitrary: fc.constant(MISSING), weight: 1 }),
			text: param(textAround(SEND_API_LIMITS.text.max)),
			...attachmentParams,
			options: optionsParam(false),
		}),
	),
};

// ---- The stand-in for n8n's execute functions -----------------------------------------------

const OPERATIONS = { sendMessage, sendAttachment, senderAction, taggedUpdate };
type OperationName = keyof typeof OPERATIONS;

/** The defaults n8n fills in for an operation's parameters (NodeHelpers.getNodeParameters). */
function defaultsOf(properties: INodeProperties[]): Record<string, unknown> {
	const defaults: Record<string, unknown> = {};
	for (const property of properties) defaults[property.name] ??= property.default;
	return defaults;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

function executeFunctions(run: Run, defaults: Record<string, unknown>): IExecuteFunctions {
	const inputData = (field: string): ITaskDataConnections => {
		const { where, ...withSize } = run.binary;
		const metadata: Partial<typeof withSize> = { ...withSize };
		delete metadata.size;
		const binaryData = { data: '', ...metadata } as IBinaryData;
		const items = Array.from({ length: run.item + 1 }, () => ({ json: {} }));
		items[run.item] = {
			json: {},
			...(where === 'none' ? {} : { binary: { [where === 'field' ? field : `${field}-other`]: binaryData } }),
		};
		return { main: [items] };
	};
	return {
		getNode: () => NODE,
		// As n8n-core: the value at the (dotted) path, else the fallback, else the parameter's default.
		getNodeParameter(name: string, itemIndex: number, fallback?: unknown) {
			if (itemIndex !== run.item) throw new Error(`read "${name}" for item ${itemIndex} while preparing item ${run.item}`);
			const value = name.split('.').reduce<unknown>((parent, key) => (isRecord(parent) ? parent[key] : undefined), run.params);
			if (value !== undefined) return value;
			if (fallback !== undefined) return fallback;
			if (name in defaults) return defaults[name];
			throw new Error(`Could not get parameter "${name}"`);
		},
		helpers: {
			// n8n-core's own check, on an input item shaped by the run.
			assertBinaryData: (itemIndex: number, field: string) => assertBinaryData(inputData(field), NODE, itemIndex, field, 0),
			getBinaryDataBuffer: async () => BIG.subarray(0, run.binary.size),
		},
	} as unknown as IExecuteFunctions;
}

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
