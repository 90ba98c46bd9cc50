// The Send API's rules for one message or sender action, as pure functions: parameters in,
// a Graph error (or null) out. Limits and codes follow /work/shared/messenger-send-api.md.
// The values and helpers are in ruleValues.cts, the attachments' and Instagram's rules in
// attachmentRules.cts; this module is the one the emulator and the tests call (and it
// re-exports the values, so `rules.cjs` still offers everything it did).
import { validateAttachment, validateImageList, validateInstagram, validateInstagramImage } from './attachmentRules.cjs';
import {
	ACTIVE_TAGS,
	codePoints,
	graphError,
	invalid,
	isObject,
	JSON_PARAMS,
	MAX_METADATA_CODE_POINTS,
	MAX_QUICK_REPLIES,
	MAX_QUICK_REPLY_PAYLOAD,
	MAX_QUICK_REPLY_TITLE,
	MAX_TEXT_CODE_POINTS,
	MEDIA_TYPES,
	MESSAGING_TYPES,
	nonEmptyString,
	NOTIFICATION_TYPES,
	QUICK_REPLY_TYPES,
	RECIPIENT_FIELDS,
	RETIRED_TAGS,
	SENDER_ACTIONS,
	type RecipientField,
	type SendContext,
	type UploadedFile,
} from './ruleValues.cjs';
import type { GraphError } from './types.cjs';

export * from './ruleValues.cjs';
export { validateAttachment } from './attachmentRules.cjs';

export interface Recipient {
	field: RecipientField;
	value: string;
	/** "field:value", the conversation key */
	key: string;
}

/** The recipient's one identifying field, or null unless exactly one non-empty field is present. */
export function recipientOf(value: unknown): Recipient | null {
	if (!isObject(value)) return null;
	const present = RECIPIENT_FIELDS.filter((field) => value[field] !== undefined && value[field] !== null);
	if (present.length !== 1) return null;
	const field = present[0];
	const raw = value[field];
	if (typeof raw !== 'string' && typeof raw !== 'number') return null;
	const text = String(raw).trim();
	if (!text) return null;
	return { field, value: text, key: `${field}:${text}` };
}

/**
 * Decodes the parameters that form and multipart bodies carry as JSON strings, so that every
 * content type is checked by the same rules.
 */
export function decodeJsonParams(params: Record<string, unknown>): { params: Record<string, unknown> } | { error: GraphError } {
	const decoded: Record<string, unknown> = { ...params };
	for (const name of JSON_PARAMS) {
		const value = decoded[name];
		if (typeof value !== 'string') continue;
		try {
			decoded[name] = JSON.parse(value);
		} catch {
			return { error: invalid(`Param ${name} must be a JSON object`) };
		}
	}
	return { params: decoded };
}

/** Checks one Send API request (message or sender action). Params must already be JSON-decoded. */
export function validateSend(params: Record<string, unknown>, context: SendContext): GraphError | null {
	if (params.recipient === undefined || params.recipient === '') return invalid('The parameter recipient is required');
	const recipient = recipientOf(params.recipient);
	if (!recipient) {
		return invalid(`Param recipient must have exactly one non-empty field of ${RECIPIENT_FIELDS.join(', ')}`);
	}

	const hasMessage = params.message !== undefined && params.message !== '';
	const hasAction = params.sender_action !== undefined && params.sender_action !== '';
	if (hasMessage && hasAction) return invalid('Cannot send a message and a sender_action in the same request', 2018014);
	if (!hasMessage && !hasAction) return invalid('Must send either message or sender_action');

	if (params.notification_type !== undefined && !NOTIFICATION_TYPES.includes(String(params.notification_type))) {
		return invalid(`Param notification_type must be one of {${NOTIFICATION_TYPES.join(', ')}}`);
	}
	if (params.reply_to !== undefined && !(isObject(params.reply_to) && nonEmptyString(params.reply_to.mid))) {
		return invalid('Param reply_to must be an object with a non-empty mid');
	}

	return hasAction ? validateSenderAction(params) : validateMessage(params, recipient, context);
}

function validateSenderAction(params: Record<string, unknown>): GraphError | null {
	const action = String(params.sender_action);
	if (!SENDER_ACTIONS.includes(action)) return invalid(`Param sender_action must be one of {${SENDER_ACTIONS.join(', ')}}`);
	if (action === 'react' || action === 'unreact') {
		const payload = params.payload;
		if (!isObject(payload) || !nonEmptyString(payload.message_id)) {
			return invalid(`Param payload[message_id] is required for sender_action ${action}`);
		}
		if (action === 'react' && !nonEmptyString(payload.reaction)) {
			return invalid('Param payload[reaction] is required for sender_action react');
		}
	}
	return null;
}

function validateMessage(params: Record<string, unknown>, recipient: Recipient, context: SendContext): GraphError | null {
	const typeError = validateMessagingType(params);
	if (typeError) return typeError;

	const message = params.message;
	if (!isObject(message)) return invalid('Param message must be a JSON object');
	if (context.instagram) {
		const instagramError = validateInstagram(params, message, context.file);
		if (instagramError) return instagramError;
	}
	const contentError = validateContent(message, context);
	if (contentError) return contentError;
	const feedback = isObject(message.attachment) && isObject(message.attachment.payload) && message.attachment.payload.template_type === 'customer_feedback';
	if (params.tag === 'CUSTOMER_FEEDBACK' && !feedback) {
		return invalid('The CUSTOMER_FEEDBACK tag can only be used with the customer feedback template');
	}
	if (feedback && params.tag !== 'CUSTOMER_FEEDBACK') {
		return invalid('The customer feedback template must be sent with messaging_type MESSAGE_TAG and tag CUSTOMER_FEEDBACK');
	}

	const messagingType = String(params.messaging_type);
	if (
		recipient.field === 'id' &&
		(messagingType === 'RESPONSE' || messagingType === 'UPDATE') &&
		context.outsideWindow.includes(recipient.value)
	) {
		return graphError(
			10,
			'(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview',
			{ subcode: 2018278 },
		);
	}
	if ((recipient.field === 'comment_id' || recipient.field === 'post_id') && context.alreadyReplied(recipient.key)) {
		return graphError(10900, '(#10900) Activity already replied to');
	}
	return null;
}

function validateMessagingType(params: Record<string, unknown>): GraphError | null {
	const type = params.messaging_type;
	if (type === undefined || type === '') return invalid('The parameter messaging_type is required when sending a message');
	if (!MESSAGING_TYPES.includes(String(type))) return invalid(`Param messaging_type must be one of {${MESSAGING_TYPES.join(', ')}}`);

	const tag = params.tag === '' ? undefined : params.tag;
	if (type !== 'MESSAGE_TAG') {
		return tag === undefined ? null : invalid('Param tag can only be used with messaging_type MESSAGE_TAG');
	}
	if (tag === undefined) return invalid('Param tag is required when messaging_type is MESSAGE_TAG');
	if (RETIRED_TAGS.includes(String(tag))) {
		// Retired 2026-04-27: the platform answers 100; say why, as a client would want to.
		return invalid(
			`The tag ${String(tag)} is no longer supported (retired on 2026-04-27). Use a utility template (messaging_type UTILITY) instead`,
		);
	}
	if (!ACTIVE_TAGS.includes(String(tag))) {
		return invalid(`Param tag must be one of {${[...RETIRED_TAGS, ...ACTIVE_TAGS].join(', ')}}`);
	}
	return null;
}

function validateContent(message: Record<string, unknown>, context: SendContext): GraphError | null {
	const hasText = message.text !== undefined && message.text !== '';
	const hasAttachment = message.attachment !== undefined || message.attachments !== undefined;
	if (hasText && hasAttachment) return invalid('A message can have text or an attachment, not both', 2018018);
	if (!hasText && !hasAttachment) return invalid('Message cannot be empty, must provide valid attachment or text', 2018034);

	if (hasText) {
		if (typeof message.text !== 'string') return invalid('Param message[text] must be a string');
		if (codePoints(message.text) >= MAX_TEXT_CODE_POINTS) {
			return invalid(`Param message[text] must be fewer than ${MAX_TEXT_CODE_POINTS} characters`);
		}
		if (context.file) return invalid('filedata needs message[attachment] with a media type');
	}
	if (message.metadata !== undefined) {
		if (typeof message.metadata !== 'string') return invalid('Param message[metadata] must be a string');
		if (codePoints(message.metadata) >= MAX_METADATA_CODE_POINTS) {
			return invalid(`Param message[metadata] must be fewer than ${MAX_METADATA_CODE_POINTS} characters`);
		}
	}
	if (message.quick_replies !== undefined) {
		const error = validateQuickReplies(message.quick_replies);
		if (error) return error;
	}
	if (message.attachment !== undefined) {
		if (message.attachments !== undefined) return invalid('Param message can have attachment or attachments, not both');
		return validateAttachment(message.attachment, context, 'message[attachment]');
	}
	if (message.attachments !== undefined) return validateImageList(message.attachments, context);
	return null;
}

function validateQuickReplies(quickReplies: unknown): GraphError | null {
	if (!Array.isArray(quickReplies)) return invalid('Param message[quick_replies] must be an array');
	if (quickReplies.length > MAX_QUICK_REPLIES) return invalid(`Param message[quick_replies] must have at most ${MAX_QUICK_REPLIES} elements`);
	for (const [index, reply] of quickReplies.entries()) {
		const at = `message[quick_replies][${index}]`;
		if (!isObject(reply)) return invalid(`Param ${at} must be an object`);
		const type = String(reply.content_type ?? '');
		if (!QUICK_REPLY_TYPES.includes(type)) return invalid(`Param ${at}[content_type] must be one of {${QUICK_REPLY_TYPES.join(', ')}}`);
		if (type !== 'text') continue;
		if (!nonEmptyString(reply.title)) return invalid(`Param ${at}[title] is required for a text quick reply`);
		if (codePoints(reply.title) > MAX_QUICK_REPLY_TITLE) {
			return invalid(`Param ${at}[title] must be at most ${MAX_QUICK_REPLY_TITLE} characters`);
		}
		if (reply.payload === undefined || reply.payload === '' || reply.payload === null) {
			return invalid(`Param ${at}[payload] is required for a text quick reply`);
		}
		if (codePoints(String(reply.payload)) > MAX_QUICK_REPLY_PAYLOAD) {
			return invalid(`Param ${at}[payload] must be at most ${MAX_QUICK_REPLY_PAYLOAD} characters`);
		}
	}
	return null;
}

/** Checks a `message_attachments` upload: a media attachment from a URL or an uploaded file. */
export function validateUpload(params: Record<string, unknown>, file: UploadedFile | undefined, instagram = false): GraphError | null {
	const message = params.message;
	if (!isObject(message) || message.attachment === undefined) return invalid('The parameter message[attachment] is required');
	const attachment = message.attachment;
	if (!isObject(attachment) || !MEDIA_TYPES.includes(String(attachment.type))) {
		return invalid(`Param message[attachment][type] must be one of {${MEDIA_TYPES.join(', ')}}`);
	}
	const payload = isObject(attachment.payload) ? attachment.payload : {};
	if (payload.attachment_id !== undefined) return invalid('Param message[attachment][payload][attachment_id] cannot be uploaded again');
	if (instagram && attachment.type === 'image' && file) {
		const instagramError = validateInstagramImage(file);
		if (instagramError) return instagramError;
	}
	return validateAttachment(attachment, { file, isAttachmentUsable: () => false }, 'message[attachment]');
}

/** Audio and video sends have their own, lower rate cap. */
export function isMediaSend(params: Record<string, unknown>): boolean {
	const message = params.message;
	if (!isObject(message) || !isObject(message.attachment)) return false;
	return message.attachment.type === 'audio' || message.attachment.type === 'video';
}
