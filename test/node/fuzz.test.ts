// Property-based tests through the real n8n engine (n8n-core's WorkflowExecute, test/helpers/runNode.ts)
// against the Graph API emulator over HTTP: random parameters (literals of every Unicode kind,
// values from the input items, and expressions that give objects, numbers, null and lists where
// text is expected) for 1 to 3 items, with and without Continue On Fail, batching on and off.
// Every run must end with an output item per input item holding message_id (and recipient_id),
// or an error (the node's, or an error item) naming field and item; never a TypeError, and never a
// request the emulator refuses. Counts per operation are printed at the end.
// FUZZ_NODE_RUNS and FUZZ_SEED override the number of runs per operation and the seed.
import fc from 'fast-check';
import { NodeHelpers, type IBinaryData, type IDataObject, type INodeExecutionData, type INodeParameters } from 'n8n-workflow';

import { MessengerSend } from '../../nodes/MessengerSend/MessengerSend.node';

import type { InboxEntry } from '../../emulator/types.cjs';
import { credentials, server, send, TOKEN, useGraphServer } from '../helpers/fixtures';
import {
	choice,
	idText,
	midText,
	padded,
	quickReplyCount,
	shortText,
	STRING_KINDS,
	TAGS_ACTIVE,
	textAround,
	textOf,
	urlText,
} from '../helpers/fuzzArbitraries';
import { numberFromEnv, report } from '../helpers/testEnv.cjs';

const RUNS = numberFromEnv('FUZZ_NODE_RUNS', 200);
const SEED = numberFromEnv('FUZZ_SEED', 20_261_124);
const MAX_ITEMS = 3;
const FILE_MAX = 25 * 1024 * 1024;

useGraphServer();

// ---- Parameters as a workflow holds them ----------------------------------------------------------

/**
 * A parameter's value in the workflow: a literal, an expression, or `={{ $json["<key>"] }}` with a
 * value per input item (any Unicode text, or a number, null, an object or a list).
 */
class Slot {
	constructor(
		readonly literal?: string,
		readonly expression?: string,
		readonly perItem?: unknown[],
	) {}
}

/** Expressions whose value is not text. */
const NOT_TEXT = ['={{ { a: 1 } }}', '={{ 42 }}', '={{ null }}', '={{ [1,2] }}', '={{ true }}', '={{ Object.create(null) }}', '={{ 10n }}', '={{ 1e21 }}', '={{ undefined }}', '={{ $json }}', '={{ "" }}', '={{ " " }}'];
const NOT_TEXT_IN_ITEMS: unknown[] = [null, 42, -1.5, 0, true, false, { a: 1 }, {}, [1, 2], [], ['text']];

/** Without numbers and booleans, which become text (an attachment ID "42" is one the Page never got). */
const NOT_TEXT_NOR_NUMBER = NOT_TEXT.filter((expression) => !/\d|true/.test(expression));
const NOT_TEXT_NOR_NUMBER_IN_ITEMS = NOT_TEXT_IN_ITEMS.filter((value) => typeof value !== 'number' && typeof value !== 'boolean');

/** A string starting with "=" would be an expression: a literal never does. */
const literal = (value: string) => (value.startsWith('=') ? ` ${value}` : value);

/**
 * A parameter slot. Clean: the good value as a literal or per item. Otherwise also values that are
 * not text per item, expressions that give no text, and missing parameters.
 */
function slot(good: fc.Arbitrary<string>, clean: boolean, numbersBecomeInvalid = false): fc.Arbitrary<Slot | undefined> {
	const expressions = numbersBecomeInvalid ? NOT_TEXT_NOR_NUMBER : NOT_TEXT;
	const inItems = numbersBecomeInvalid ? NOT_TEXT_NOR_NUMBER_IN_ITEMS : NOT_TEXT_IN_ITEMS;
	const perItem = (values: fc.Arbitrary<unknown>) =>
		fc.array(values, { minLength: MAX_ITEMS, maxLength: MAX_ITEMS }).map((list) => new Slot(undefined, undefined, list));
	if (clean) {
		return fc.oneof({ arbitrary: good.map((value) => new Slot(literal(value))), weight: 3 }, { arbitrary: perItem(good), weight: 1 });
	}
	return fc.oneof(
		{ arbitrary: good.map((value) => new Slot(literal(value))), weight: 10 },
		{ arbitrary: perItem(fc.oneof({ arbitrary: good, weight: 4 }, { arbitrary: fc.constantFrom(...inItems), weight: 1 })), weight: 4 },
		{ arbitrary: fc.constantFrom(...expressions).map((expression) => new Slot(undefined, expression)), weight: 2 },
		{ arbitrary: fc.constant(undefined), weight: 1 },
	);
}

/** Turns a tree of parameters with slots into node parameters, and fills the items' json. */
function materialize(tree: unknown, items: INodeExecutionData[], path: string[]): unknown {
	if (tree instanceof Slot) {
		if (tree.literal !== undefined) return tree.literal;
		if (tree.expression !== undefined) return tree.expression;
		const key = path.join('_');
		items.forEach((item, index) => (item.json[key] = tree.perItem?.[index] as IDataObject[string]));
		return `={{ $json["${key}"] }}`;
	}
	if (Array.isArray(tree)) return tree.map((value, index) => materialize(value, items, [...path, String(index)]));
	if (typeof tree === 'object' && tree !== null) {
		const result: Record<string, unknown> = {};
		for (const [name, value] of Object.entries(tree)) {
			if (value !== undefined) result[name] = materialize(value, items, [...path, name]);
		}
		return result;
	}
	return tree;
}

// ---- Generators ----------------------------------------------------------------------------

/** The first attachment_id the emulator issues after a reset: each run uploads once first. */
const ISSUED_ATTACHMENT_ID = '1857000000000001';

/** Text within the limit `max`, of any Unicode kind, never blank (it starts with a letter). */
const withinLimit = (max: number) =>
	fc
		.tuple(fc.constantFrom(...STRING_KINDS), fc.oneof(fc.integer({ min: 0, max: Math.min(30, max - 1) }), fc.constant(max - 1)))
		.chain(([kind, length]) => textOf(kind, fc.constant(length)))
		.map((text) => `x${text}`);
const digits = fc.stringMatching(/^[1-9][0-9]{5,16}$/);
const validUrl = urlText.filter((url) => {
	try {
		return ['http:', 'https:'].includes(new URL(url.trim()).protocol);
	} catch {
		return false;
	}
});

/** Good values per field; `clean` keeps every one valid, otherwise anything goes. */
function good(clean: boolean) {
	return {
		id: clean ? digits : idText,
		mid: clean ? fc.stringMatching(/^m_[A-Za-z0-9_-]{4,40}$/) : midText,
		text: clean ? withinLimit(1999) : textAround(1999),
		metadata: clean ? withinLimit(999) : textAround(999),
		title: clean ? withinLimit(20) : textAround(20),
		payload: clean ? withinLimit(1000) : textAround(1000),
		url: clean ? validUrl : urlText,
		messagingType: clean ? fc.constantFrom('RESPONSE', 'UPDATE') : choice(['RESPONSE', 'UPDATE'], ['MESSAGE_TAG', 'UTILITY', 'PROMO']),
		notificationType: clean ? fc.constantFrom('REGULAR', 'SILENT_PUSH', 'NO_PUSH') : choice(['REGULAR', 'SILENT_PUSH', 'NO_PUSH'], ['LOUD']),
		attachmentType: clean ? fc.constantFrom('image', 'audio', 'video', 'file') : choice(['image', 'audio', 'video', 'file'], ['location']),
		action: clean ? fc.constantFrom('typing_on', 'typing_off', 'mark_seen', 'react', 'unreact') : choice(['typing_on', 'typing_off', 'mark_seen', 'react', 'unreact'], ['wave']),
		reaction: clean ? fc.constantFrom('❤', '😀', '👍🏽') : fc.oneof({ arbitrary: fc.constantFrom('❤', '😀', '👍🏽'), weight: 6 }, { arbitrary: shortText, weight: 1 }),
		// The retired tags are left out: the node sends them on purpose, for Messenger to refuse and
		// the node to explain (test/node/errors.test.ts); test/unit/fuzz.test.ts counts them.
		tag: clean ? fc.constantFrom(...TAGS_ACTIVE) : choice(TAGS_ACTIVE, ['human_agent', 'PROMOTION', 'CUSTOMER_FEEDBACK']),
		/**
		 * Attachment IDs: the one issued to the Page, padded, empty, or not text. Any other ID is left
		 * out: the platform refuses IDs it never issued (100/2018074), which the node cannot know.
		 */
		attachmentId: clean ? fc.constant(ISSUED_ATTACHMENT_ID) : fc.oneof(fc.constant(ISSUED_ATTACHMENT_ID), padded(fc.constant(ISSUED_ATTACHMENT_ID)), fc.constantFrom('', '  ')),
		binaryField: clean ? fc.constant('data') : fc.oneof({ arbitrary: fc.constant('data'), weight: 8 }, { arbitrary: fc.constantFrom('file', ' data', ''), weight: 1 }),
	};
}

const ALL_TYPES = ['id', 'user_ref', 'comment_id', 'post_id'];
const PERSON_TYPES = ['id', 'user_ref'];

function parameters(operation: OperationName, clean: boolean): fc.Arbitrary<Record<string, unknown>> {
	const g = good(clean);
	const recipient = (types: string[]) => ({
		recipientType: fc.constantFrom(...types),
		psid: slot(g.id, clean),
		userRef: slot(g.id, clean),
		commentId: slot(g.id, clean),
		postId: slot(g.id, clean),
	});
	const replyCount = clean ? fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant(13)) : quickReplyCount;
	const quickReplies = replyCount.chain((count) =>
		fc.array(
			fc.record(
				{
					contentType: fc.oneof({ arbitrary: fc.constant('text'), weight: 6 }, { arbitrary: fc.constantFrom('user_email', 'user_phone_number'), weight: 1 }),
					title: slot(g.title, clean),
					payload: slot(g.payload, clean),
					imageUrl: slot(g.url, clean),
				},
				{ requiredKeys: ['contentType', 'title', 'payload'] },
			),
			{ minLength: count, maxLength: count },
		),
	);
	const options = (withReplyTo: boolean) =>
		fc.record(
			{
				metadata: slot(g.metadata, clean),
				notificationType: slot(g.notificationType, clean),
				personaId: slot(g.id, clean),
				...(withReplyTo ? { replyTo: slot(g.mid, clean) } : {}),
				quickReplies: quickReplies.map((reply) => ({ reply })),
			},
			{ requiredKeys: [] },
		);
	const attachment = {
		attachmentType: slot(g.attachmentType, clean),
		attachmentSource: fc.constantFrom('url', 'attachmentId', 'binary'),
		// URLs with a host ending in .invalid are left out (urlText): the emulator's unfetchable URLs.
		attachmentUrl: slot(g.url, clean),
		attachmentId: slot(g.attachmentId, clean, true),
		binaryPropertyName: slot(g.binaryField, clean),
		isReusable: fc.boolean(),
	};
	switch (operation) {
		case 'sendMessage':
			return fc.record({ operation: fc.constant(operation), ...recipient(ALL_TYPES), messagingType: slot(g.messagingType, clean), text: slot(g.text, clean), options: options(true) });
		case 'sendAttachment':
			return fc.record({ operation: fc.constant(operation), ...recipient(ALL_TYPES), messagingType: slot(g.messagingType, clean), ...attachment, options: options(true) });
		case 'senderAction':
			return fc.record({
				operation: fc.constant(operation),
				...recipient(PERSON_TYPES),
				senderAction: slot(g.action, clean),
				messageId: slot(g.mid, clean),
				reaction: slot(g.reaction, clean),
				personaId: slot(g.id, clean),
			});
		case 'taggedUpdate':
			return fc.record({
				operation: fc.constant(operation),
				...recipient(PERSON_TYPES),
				tag: slot(g.tag, clean),
				contentType: fc.constantFrom('text', 'attachment'),
				text: slot(g.text, clean),
				...attachment,
				options: options(false),
			});
	}
}

const OPERATIONS = ['sendMessage', 'sendAttachment', 'senderAction', 'taggedUpdate'] as const;
type OperationName = (typeof OPERATIONS)[number];

interface FileSpec {
	where: 'data' | 'elsewhere' | 'none';
	size: number;
	fileName?: string;
	mimeType: string;
}

const fileSpec = (clean: boolean): fc.Arbitrary<FileSpec> =>
	fc.record(
		{
			where: clean ? fc.constant('data' as const) : fc.oneof({ arbitrary: fc.constant('data' as const), weight: 8 }, { arbitrary: fc.constantFrom('elsewhere' as const, 'none' as const), weight: 1 }),
			size: clean
				? fc.oneof({ arbitrary: fc.integer({ min: 1, max: 2048 }), weight: 40 }, { arbitrary: fc.constant(FILE_MAX), weight: 1 })
				: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 2048 }), weight: 30 }, { arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.constant(FILE_MAX + 1), weight: 1 }),
			fileName: fc.oneof(fc.constantFrom('invoice.pdf', '', 'a"b\r\n.png', 'ü 😀.jpg'), shortText),
			mimeType: fc.constantFrom('image/png', 'application/pdf', ''),
		},
		{ requiredKeys: ['where', 'size', 'mimeType'] },
	);

/** Base64 of the 25 MB sizes, made once: not per run. */
const base64BySize = new Map<number, string>();
function base64Of(size: number): string {
	let data = base64BySize.get(size);
	if (data === undefined) {
		data = Buffer.alloc(size, 0x61).toString('base64');
		if (size > 4096) base64BySize.set(size, data);
	}
	return data;
}

function binaryOf(spec: FileSpec): INodeExecutionData['binary'] {
	if (spec.where === 'none') return undefined;
	const data: IBinaryData = { data: base64Of(spec.size), mimeType: spec.mimeType, ...(spec.fileName !== undefined ? { fileName: spec.fileName } : {}) };
	return { [spec.where === 'data' ? 'data' : 'attachment']: data };
}

interface Run {
	clean: boolean;
	parameters: Record<string, unknown>;
	itemCount: number;
	files: FileSpec[];
	continueOnFail: boolean;
	batching: boolean;
}

/** Half the runs clean (every value valid: they should all be sent), half anything goes. */
const runs = (operation: OperationName): fc.Arbitrary<Run> =>
	fc.boolean().chain((clean) =>
		fc.record({
			clean: fc.constant(clean),
			parameters: parameters(operation, clean),
			itemCount: fc.integer({ min: 1, max: MAX_ITEMS }),
			files: fc.array(fileSpec(clean), { minLength: MAX_ITEMS, maxLength: MAX_ITEMS }),
			continueOnFail: fc.boolean(),
			batching: fc.boolean(),
		}),
	);

// ---- The property -------------------------------------------------------------------------------

const FIELDS = [
	'PSID', 'User Ref', 'Comment ID', 'Post ID', 'Recipient', 'Messaging Type', 'Text', 'Metadata', 'Notification Type',
	'Persona ID', 'Reply To Message ID', 'Quick Replies', 'Quick Reply', 'Tag', 'Attachment Type', 'Attachment Source',
	'Attachment URL', 'URL', 'Attachment ID', 'Input Binary Field', 'Action', 'Message ID', 'Reaction', 'Message',
];
/** n8n's own message for a binary field the item does not have (NodeOperationError from assertBinaryData). */
const N8N_BINARY = /binary (file|field) '[^']*'.* \[item (\d+)\]$/s;
const NAMED = new RegExp(`^(Quick Reply \\d+ (?:Title|Payload|Image URL|Type)|${FIELDS.join('|')})\\b.*? in item (\\d+)\\b`, 's');

function categoryOf(message: string): string {
	const binary = N8N_BINARY.exec(message);
	if (binary) return 'Input Binary Field: no such binary in the item (n8n)';
	const field = NAMED.exec(message)?.[1] ?? '?';
	const kind = message.includes('more than the limit')
		? 'over the limit'
		: /empty/.test(message)
			? 'empty'
			: message.includes('must be text')
				? 'not text'
				: message.includes('use one of')
					? 'not an allowed value'
					: message.includes('http(s) URL')
						? 'not an http(s) URL'
						: 'other';
	return `${field.replace(/^Quick Reply \d+/, 'Quick Reply <n>')}: ${kind}`;
}

class PropertyBroken extends Error {}

const { description } = new MessengerSend();

/** Whether n8n finds parameter issues in the node, as WorkflowExecute checks before it runs. */
function hasParameterIssues(parameters: INodeParameters): boolean {
	const node = { id: 'fuzz', name: 'Messenger Send', type: description.name, typeVersion: 1, position: [0, 0] as [number, number], parameters };
	// The parameters as n8n's Workflow holds them: defaults filled in, hidden ones dropped.
	const shown = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node, description) ?? {};
	return NodeHelpers.getNodeParametersIssues(description.properties, { ...node, parameters: shown }, description) !== null;
}

/** The item an error message names; throws unless it names a field and an item. */
function itemNamedBy(message: string): number {
	if (/TypeError|Cannot (read|convert|destructure)|is not a function|undefined in item/.test(message)) {
		throw new PropertyBroken(`an error that is not a named refusal: ${message}`);
	}
	const match = N8N_BINARY.exec(message) ?? NAMED.exec(message);
	if (!match) throw new PropertyBroken(`an error that does not name a field and an item: ${message}`);
	return Number(match[2]);
}

const outcomes: Record<string, Map<string, number>> = {};
const count = (operation: string, key: string) => {
	const map = (outcomes[operation] ??= new Map());
	map.set(key, (map.get(key) ?? 0) + 1);
};

/** Makes the emulator issue ISSUED_ATTACHMENT_ID to the Page, as an earlier reusable upload would. */
async function issueAttachment(): Promise<void> {
	const response = await fetch(`${String(credentials().baseUrl)}/v25.0/me/message_attachments`, {
		method: 'POST',
		headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
		body: JSON.stringify({ message: { attachment: { type: 'image', payload: { url: 'https://example.com/a.png', is_reusable: true } } } }),
	});
	const body = (await response.json()) as { attachment_id?: string };
	if (body.attachment_id !== ISSUED_ATTACHMENT_ID) throw new Error(`the emulator issued ${JSON.stringify(body)}`);
}

async function check(operation: OperationName, run: Run): Promise<void> {
	// A private reply goes once per comment or post: one item, so no run replies twice (10900).
	const privateReply = run.parameters.recipientType === 'comment_id' || run.parameters.recipientType === 'post_id';
	const itemCount = privateReply ? 1 : run.itemCount;
	const items: INodeExecutionData[] = Array.from({ length: itemCount }, (_, index) => {
		const binary = binaryOf(run.files[index]);
		return { json: {}, ...(binary ? { binary } : {}) };
	});
	const parameters = materialize(run.parameters, items, []) as INodeParameters;
	parameters.delivery = { batching: run.batching };

	server.reset();
	await issueAttachment();
	const context = () => `\nparameters: ${JSON.stringify(parameters).slice(0, 1500)}\nitems: ${JSON.stringify(items.map((item) => item.json)).slice(0, 1500)}`;
	let result;
	let notRun: Error | undefined;
	try {
		result = await send(parameters, { items, continueOnFail: run.continueOnFail });
	} catch (error) {
		notRun = error as Error;
	}
	if (notRun || !result) {
		// n8n itself does not start a workflow whose node has parameter issues (a required field
		// shown but empty, as the editor marks it): the node never runs, nothing is sent.
		if (notRun?.name !== 'WorkflowHasIssuesError' || !hasParameterIssues(parameters) || server.stats().requests > 1) {
			throw new PropertyBroken(`n8n did not run the workflow: ${notRun?.stack}${context()}`);
		}
		count(operation, 'a required field is empty: n8n does not start the workflow (parameter issues)');
		return;
	}
	const stats = server.stats();
	if (run.clean && (result.error || result.items.some((item) => item.json.error !== undefined))) {
		throw new PropertyBroken(`a run of valid values was refused: ${JSON.stringify(result.error ?? result.items)}${context()}`);
	}

	if (Object.keys(stats.rejected).length) {
		const refused = server.requests.find((request) => request.path.endsWith('/messages') || request.path === '/v25.0/');
		throw new PropertyBroken(`the emulator refused a send: ${JSON.stringify(stats.rejected)} ${JSON.stringify(result.error ?? result.items)}${context()} ${JSON.stringify(refused?.body).slice(0, 800)}`);
	}
	if (result.error) {
		if (result.error.name === 'TypeError') throw new PropertyBroken(`a TypeError: ${result.error.message}${context()}`);
		const item = itemNamedBy(result.error.message);
		if (item >= itemCount) throw new PropertyBroken(`the error names item ${item} of ${itemCount}: ${result.error.message}`);
		count(operation, categoryOf(result.error.message));
		return;
	}
	if (result.items.length !== itemCount) throw new PropertyBroken(`${result.items.length} output items for ${itemCount} input items${context()}`);
	// Graph answers a sender action with recipient_id only, and a user_ref send without recipient_id.
	const userRef = (parameters.recipientType ?? 'id') === 'user_ref';
	const withMessage = operation !== 'senderAction';
	let delivered = 0;
	result.items.forEach((output, index) => {
		const json = output.json;
		if ((output.pairedItem as { item: number }).item !== index) throw new PropertyBroken(`output ${index} is paired with ${JSON.stringify(output.pairedItem)}`);
		if (typeof json.error === 'string') {
			if (itemNamedBy(json.error) !== index) throw new PropertyBroken(`the error item ${index} names another item: ${json.error}`);
			count(operation, categoryOf(json.error));
			return;
		}
		if ((withMessage && typeof json.message_id !== 'string') || (!userRef && typeof json.recipient_id !== 'string') || json.attempts !== 1) {
			throw new PropertyBroken(`output ${index} is neither a sent message nor an error: ${JSON.stringify(json)}${context()}`);
		}
		delivered++;
		count(operation, 'accepted');
	});
	if (delivered !== stats.accepted) throw new PropertyBroken(`${delivered} sent items, ${stats.accepted} messages in the emulator's inbox`);
	for (const entry of server.inbox) noteBoundaries(operation, entry);
}

/** Delivered messages exactly at a limit, as the emulator received them. */
const boundaries: Record<string, Map<string, number>> = {};
function noteBoundaries(operation: string, entry: InboxEntry): void {
	const message = entry.message ?? {};
	const replies = (Array.isArray(message.quick_replies) ? message.quick_replies : []) as Array<Record<string, unknown>>;
	const length = (value: unknown) => (typeof value === 'string' ? [...value].length : -1);
	const hits = [
		['text of 1999 characters', length(message.text) === 1999],
		['metadata of 999 characters', length(message.metadata) === 999],
		['13 quick replies', replies.length === 13],
		['a quick reply title of 20 characters', replies.some((reply) => length(reply.title) === 20)],
		['a quick reply payload of 1000 characters', replies.some((reply) => length(reply.payload) === 1000)],
		['a file of 26214400 bytes', entry.file?.size === FILE_MAX],
	] as const;
	const map = (boundaries[operation] ??= new Map());
	for (const [name, hit] of hits) if (hit) map.set(name, (map.get(name) ?? 0) + 1);
}

const durations: Record<string, number> = {};

describe(`fuzz through n8n's engine: ${RUNS} runs per operation (seed ${SEED})`, () => {
	test.each([...OPERATIONS])(
		'%s: every item is sent or refused naming field and item; the emulator refuses nothing',
		async (operation) => {
			const started = Date.now();
			await fc.assert(
				fc.asyncProperty(runs(operation), async (run) => await check(operation, run)),
				{ numRuns: RUNS, seed: SEED, endOnFailure: true },
			);
			durations[operation] = Date.now() - started;
			expect(outcomes[operation]?.get('accepted') ?? 0).toBeGreaterThan(RUNS / 10);
		},
		120_000,
	);

	afterAll(() => {
		const lines = [`fuzz (n8n engine, emulator over HTTP): ${RUNS} runs per operation, seed ${SEED}; counts per item, or per run when the node stopped`];
		for (const operation of OPERATIONS) {
			const tally = outcomes[operation];
			if (!tally) continue;
			lines.push(`\n${operation} (${durations[operation] ?? '?'} ms):`);
			for (const [key, runs] of [...tally.entries()].sort((a, b) => b[1] - a[1])) lines.push(`  ${String(runs).padStart(5)}  ${key}`);
			const hits = boundaries[operation];
			if (hits?.size) lines.push(`  delivered exactly at a limit: ${[...hits.entries()].map(([key, runs]) => `${key} ×${runs}`).join(', ')}`);
		}
		report(lines.join('\n'));
	});
});
