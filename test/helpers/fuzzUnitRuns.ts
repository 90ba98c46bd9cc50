// The unit fuzz suite's runs (test/unit/fuzz.test.ts): random parameter sets per operation, the
// input item's binary, and a minimal stand-in for n8n's execute functions that the operations'
// real `prepare` reads them through.
import fc from 'fast-check';
import { assertBinaryData } from 'n8n-core';
import type { IBinaryData, IExecuteFunctions, INode, INodeProperties, ITaskDataConnections } from 'n8n-workflow';

import * as sendAttachment from '../../nodes/MessengerSend/actions/sendAttachment.operation';
import * as sendMessage from '../../nodes/MessengerSend/actions/sendMessage.operation';
import * as senderAction from '../../nodes/MessengerSend/actions/senderAction.operation';
import * as taggedUpdate from '../../nodes/MessengerSend/actions/taggedUpdate.operation';
import { MEGABYTE, SEND_API_LIMITS } from '../../nodes/MessengerSend/rules';
import {
	choice,
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
} from './fuzzArbitraries';

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
export const ISSUED_ATTACHMENT_IDS = ['1857000000000001', '1857000000000002'];

export const FILE_MAX = SEND_API_LIMITS.fileSize.max;
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

export interface Run {
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

export const ARBITRARIES = {
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

export const OPERATIONS = { sendMessage, sendAttachment, senderAction, taggedUpdate };
export type OperationName = keyof typeof OPERATIONS;

/** The defaults n8n fills in for an operation's parameters (NodeHelpers.getNodeParameters). */
export function defaultsOf(properties: INodeProperties[]): Record<string, unknown> {
	const defaults: Record<string, unknown> = {};
	for (const property of properties) defaults[property.name] ??= property.default;
	return defaults;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

export function executeFunctions(run: Run, defaults: Record<string, unknown>): IExecuteFunctions {
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
