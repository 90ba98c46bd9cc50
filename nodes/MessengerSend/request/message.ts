import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Assert, QuickReplyContentType, Same } from '../rules';
import { asText, readLocator, readText } from './parameters';
import type { MessageOptions, QuickReplyInput, SendRequest } from './types';

/** request/types.ts spells the quick reply types out: this fails to compile if they drift from the value list in ../rules. */
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
		personaId: raw.personaId === undefined ? undefined : readLocator(ctx, 'options.personaId', item, 'Persona ID') || undefined,
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
