import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { MESSAGING_TYPE, NOTIFICATION_TYPE, QUICK_REPLY_TYPE, SEND_API_LIMITS, type Assert, type QuickReplyContentType, type Same } from '../rules';
import { asText, readText } from './parameters';
import type { MessageOptions, QuickReplyInput, SendRequest } from './types';

export const messagingTypeField: INodeProperties = {
	displayName: 'Messaging Type',
	name: 'messagingType',
	type: 'options',
	options: MESSAGING_TYPE.options,
	default: 'RESPONSE',
	description:
		'Why the message is sent. Outside the 24-hour window, use the Tagged Update operation instead.',
};

export const textField: INodeProperties = {
	displayName: 'Text',
	name: 'text',
	type: 'string',
	typeOptions: { rows: 4 },
	required: true,
	default: '',
	description: `The message text, fewer than ${SEND_API_LIMITS.text.max + 1} characters`,
};

/** The optional settings of a message; Reply To is left out where the 24-hour window is over. */
export function messageOptionsField(withReplyTo: boolean): INodeProperties {
	const options: INodeProperties[] = [
		{
			displayName: 'Metadata',
			name: 'metadata',
			type: 'string',
			default: '',
			description: `Text returned to your webhook in the message_echo event, fewer than ${SEND_API_LIMITS.metadata.max + 1} characters. The person does not see it.`,
		},
		{
			displayName: 'Notification Type',
			name: 'notificationType',
			type: 'options',
			options: NOTIFICATION_TYPE.options,
			default: 'REGULAR',
			description: 'How the person’s phone announces the message',
		},
		{
			displayName: 'Persona ID',
			name: 'personaId',
			type: 'string',
			default: '',
			description: 'Send as a persona of the Page (a named human agent with their own picture)',
		},
		{
			displayName: 'Quick Replies',
			name: 'quickReplies',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			default: {},
			placeholder: 'Add Quick Reply',
			description: `Buttons shown above the keyboard, at most ${SEND_API_LIMITS.quickReplies.max}. They disappear once one is tapped.`,
			options: [
				{
					displayName: 'Quick Reply',
					name: 'reply',
					values: [
						{
							displayName: 'Type',
							name: 'contentType',
							type: 'options',
							options: QUICK_REPLY_TYPE.options,
							default: 'text',
						},
						{
							displayName: 'Title',
							name: 'title',
							type: 'string',
							default: '',
							description: `The button text, at most ${SEND_API_LIMITS.quickReplyTitle.max} characters`,
							displayOptions: { show: { contentType: ['text'] } },
						},
						{
							displayName: 'Payload',
							name: 'payload',
							type: 'string',
							default: '',
							description: `Sent back to your webhook when tapped, at most ${SEND_API_LIMITS.quickReplyPayload.max} characters`,
							displayOptions: { show: { contentType: ['text'] } },
						},
						{
							displayName: 'Image URL',
							name: 'imageUrl',
							type: 'string',
							default: '',
							description: 'Optional small icon shown on the button',
							displayOptions: { show: { contentType: ['text'] } },
						},
					],
				},
			],
		},
	];
	if (withReplyTo) {
		options.push({
			displayName: 'Reply To Message ID',
			name: 'replyTo',
			type: 'string',
			default: '',
			placeholder: 'e.g. m_AbC123',
			description:
				'Quote an earlier message of the conversation (its mid). The person must have written in the last 24 hours.',
		});
	}
	options.push({
		displayName: 'Show Typing First (Seconds)',
		name: 'typingFirstSeconds',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: SEND_API_LIMITS.typingFirstSeconds.max, numberPrecision: 1 },
		default: 2,
		description:
			'Show the typing indicator this long before the message arrives, as a person typing would (PSID and User Ref recipients)',
	});
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options,
	};
}

/** shared/types.ts spells the quick reply types out: this fails to compile if they drift from the value list in ../rules. */
export type QuickReplyTypesFollowValueList = Assert<Same<QuickReplyInput['contentType'], QuickReplyContentType>>;

interface QuickRepliesParameter {
	reply?: Array<{ contentType?: string; title?: unknown; payload?: unknown; imageUrl?: unknown }>;
}

export function readMessageOptions(ctx: IExecuteFunctions, item: number): MessageOptions {
	const raw = ctx.getNodeParameter('options', item, {}) as IDataObject;
	const quickReplies = ((raw.quickReplies as QuickRepliesParameter | undefined)?.reply ?? []).map(
		(reply, index): QuickReplyInput => {
			const text = (value: unknown, label: string) => asText(value, item, `Quick Reply ${index + 1} ${label}`) || undefined;
			return {
				contentType: (reply.contentType ?? 'text') as QuickReplyInput['contentType'],
				title: text(reply.title, 'Title'),
				payload: text(reply.payload, 'Payload'),
				imageUrl: text(reply.imageUrl, 'Image URL'),
			};
		},
	);
	const text = (name: string, label: string) =>
		raw[name] === undefined ? undefined : readText(ctx, `options.${name}`, item, label) || undefined;
	return {
		quickReplies: quickReplies.length ? quickReplies : undefined,
		metadata: text('metadata', 'Metadata'),
		notificationType: text('notificationType', 'Notification Type'),
		personaId: text('personaId', 'Persona ID'),
		replyTo: text('replyTo', 'Reply To Message ID'),
		typingFirstSeconds: raw.typingFirstSeconds === undefined ? undefined : Number(raw.typingFirstSeconds),
	};
}

function buildQuickReply(reply: QuickReplyInput): IDataObject {
	if (reply.contentType !== 'text') return { content_type: reply.contentType };
	const quickReply: IDataObject = { content_type: 'text', title: reply.title ?? '', payload: reply.payload ?? '' };
	if (reply.imageUrl) quickReply.image_url = reply.imageUrl;
	return quickReply;
}

/** Adds the optional settings to a request body that already holds `message`. */
export function withMessageOptions(body: IDataObject, options: MessageOptions): IDataObject {
	const message: IDataObject = { ...(body.message as IDataObject) };
	if (options.quickReplies?.length) message.quick_replies = options.quickReplies.map(buildQuickReply);
	if (options.metadata !== undefined) message.metadata = options.metadata;
	const result: IDataObject = { ...body, message };
	if (options.notificationType !== undefined) result.notification_type = options.notificationType;
	if (options.personaId?.trim()) result.persona_id = options.personaId.trim();
	if (options.replyTo !== undefined) result.reply_to = { mid: options.replyTo.trim() };
	return result;
}

/** The request with the typing indicator the options ask for, if any. */
export function withTyping(request: SendRequest, options: MessageOptions): SendRequest {
	const seconds = options.typingFirstSeconds;
	return seconds === undefined ? request : { ...request, typingFirstMs: Math.round(seconds * 1000) };
}
