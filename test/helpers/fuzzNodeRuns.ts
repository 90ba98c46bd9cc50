// The node fuzz suite's runs (test/node/fuzz.test.ts): random parameters as a workflow holds them
// (literals, expressions, values from the input items), the input items' files, Continue On Fail
// and batching, for 1 to 3 items.
import fc from 'fast-check';
import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';

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
} from './fuzzArbitraries';

const MAX_ITEMS = 3;
export const FILE_MAX = 25 * 1024 * 1024;

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
export function materialize(tree: unknown, items: INodeExecutionData[], path: string[]): unknown {
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
export const ISSUED_ATTACHMENT_ID = '1857000000000001';

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

export const OPERATIONS = ['sendMessage', 'sendAttachment', 'senderAction', 'taggedUpdate'] as const;
export type OperationName = (typeof OPERATIONS)[number];

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

export function binaryOf(spec: FileSpec): INodeExecutionData['binary'] {
	if (spec.where === 'none') return undefined;
	const data: IBinaryData = { data: base64Of(spec.size), mimeType: spec.mimeType, ...(spec.fileName !== undefined ? { fileName: spec.fileName } : {}) };
	return { [spec.where === 'data' ? 'data' : 'attachment']: data };
}

export interface Run {
	clean: boolean;
	parameters: Record<string, unknown>;
	itemCount: number;
	files: FileSpec[];
	continueOnFail: boolean;
	batching: boolean;
}

/** Half the runs clean (every value valid: they should all be sent), half anything goes. */
export const runs = (operation: OperationName): fc.Arbitrary<Run> =>
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
