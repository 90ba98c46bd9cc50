import type { IDataObject } from 'n8n-workflow';

import { RETIRED_TAGS, SEND_API_LIMITS, type Limit } from './limits';
import type { SendRequest } from './types';

/** A request the Send API would refuse, found before anything is sent. */
export class InvalidSendRequest extends Error {
	constructor(
		message: string,
		readonly field: string,
	) {
		super(message);
		this.name = 'InvalidSendRequest';
	}
}

export const RECIPIENT_KEYS = ['id', 'user_ref', 'comment_id', 'post_id', 'phone_number'];
export const MESSAGING_TYPES = ['RESPONSE', 'UPDATE', 'MESSAGE_TAG', 'UTILITY'];
export const NOTIFICATION_TYPES = ['REGULAR', 'SILENT_PUSH', 'NO_PUSH'];
/** Every documented tag; the retired ones are sent anyway, so Messenger's answer can be explained. */
export const MESSAGE_TAGS = ['HUMAN_AGENT', 'CUSTOMER_FEEDBACK', ...RETIRED_TAGS];
export const SENDER_ACTIONS = ['typing_on', 'typing_off', 'mark_seen', 'react', 'unreact'];
export const ATTACHMENT_TYPES = ['image', 'audio', 'video', 'file'];
export const QUICK_REPLY_TYPES = ['text', 'user_phone_number', 'user_email'];

/** Characters as a person counts them: emoji and other astral symbols count once. */
export function countCharacters(value: string): number {
	return [...value].length;
}

function checkMax(limit: Limit, size: number, item: number, field = limit.field): void {
	if (size > limit.max) {
		throw new InvalidSendRequest(
			`${field} in item ${item}: ${size} ${limit.unit}, more than the limit of ${limit.max} (${limit.rule})`,
			field,
		);
	}
}

function requireText(value: unknown, field: string, item: number): string {
	if (typeof value !== 'string' || value.trim() === '') {
		throw new InvalidSendRequest(`${field} in item ${item} is empty: enter a value`, field);
	}
	return value;
}

/** A value as an error message quotes it; expressions can give objects (even without a prototype). */
function shown(value: unknown): string {
	if (typeof value === 'string') return `"${value}"`;
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object' && value !== null) return 'an object';
	return String(value);
}

function requireOneOf(value: unknown, allowed: string[], field: string, item: number): void {
	if (typeof value !== 'string' || !allowed.includes(value)) {
		throw new InvalidSendRequest(
			`${field} in item ${item} is ${shown(value)}: use one of ${allowed.join(', ')}`,
			field,
		);
	}
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHttpUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return url.protocol === 'https:' || url.protocol === 'http:';
	} catch {
		return false;
	}
}

function validateRecipient(recipient: unknown, item: number): void {
	const keys = isObject(recipient) ? Object.keys(recipient) : [];
	const known = keys.filter((key) => RECIPIENT_KEYS.includes(key));
	if (known.length !== 1 || keys.length !== 1) {
		throw new InvalidSendRequest(
			`Recipient in item ${item} must have exactly one identifier (${RECIPIENT_KEYS.join(', ')}), found ${keys.length ? keys.join(', ') : 'none'}`,
			'Recipient',
		);
	}
	requireText((recipient as IDataObject)[known[0]], `Recipient ${known[0]}`, item);
}

function validateQuickReplies(replies: unknown, item: number): void {
	if (!Array.isArray(replies)) {
		throw new InvalidSendRequest(`Quick Replies in item ${item} must be a list`, 'Quick Replies');
	}
	checkMax(SEND_API_LIMITS.quickReplies, replies.length, item);
	replies.forEach((reply: unknown, index) => {
		const label = `Quick Reply ${index + 1}`;
		const fields = isObject(reply) ? reply : {};
		requireOneOf(fields.content_type, QUICK_REPLY_TYPES, `${label} Type`, item);
		if (fields.content_type !== 'text') return;
		const title = requireText(fields.title, `${label} Title`, item);
		checkMax(SEND_API_LIMITS.quickReplyTitle, countCharacters(title), item, `${label} Title`);
		const payload = requireText(fields.payload, `${label} Payload`, item);
		checkMax(SEND_API_LIMITS.quickReplyPayload, countCharacters(payload), item, `${label} Payload`);
		if (fields.image_url !== undefined && !isHttpUrl(String(fields.image_url))) {
			throw new InvalidSendRequest(
				`${label} Image URL in item ${item} is not an http(s) URL: "${String(fields.image_url)}"`,
				`${label} Image URL`,
			);
		}
	});
}

function validateAttachment(attachment: unknown, request: SendRequest, item: number): void {
	const fields = isObject(attachment) ? attachment : {};
	requireOneOf(fields.type, ATTACHMENT_TYPES, 'Attachment Type', item);
	const payload = isObject(fields.payload) ? fields.payload : {};
	const sources = ['url', 'attachment_id'].filter((key) => payload[key] !== undefined);
	if (request.file) sources.push('filedata');
	if (sources.length !== 1) {
		throw new InvalidSendRequest(
			`Attachment in item ${item} needs exactly one source (a URL, an attachment ID or binary data), found ${sources.length ? sources.join(', ') : 'none'}`,
			'Attachment Source',
		);
	}
	if (payload.url !== undefined) {
		const url = requireText(payload.url, 'Attachment URL', item);
		if (!isHttpUrl(url)) {
			throw new InvalidSendRequest(
				`Attachment URL in item ${item} is not an http(s) URL: "${url}"`,
				'Attachment URL',
			);
		}
	}
	if (payload.attachment_id !== undefined) requireText(payload.attachment_id, 'Attachment ID', item);
	if (request.file) {
		const size = request.file.data.length;
		if (size === 0) {
			throw new InvalidSendRequest(
				`${SEND_API_LIMITS.fileSize.field} in item ${item} holds an empty file (0 bytes)`,
				SEND_API_LIMITS.fileSize.field,
			);
		}
		checkMax(SEND_API_LIMITS.fileSize, size, item);
	}
}

function validateMessage(message: unknown, request: SendRequest, item: number): void {
	const body = request.body;
	requireOneOf(body.messaging_type, MESSAGING_TYPES, 'Messaging Type', item);
	if (body.messaging_type === 'MESSAGE_TAG') requireOneOf(requireText(body.tag, 'Tag', item), MESSAGE_TAGS, 'Tag', item);
	else if (body.tag !== undefined) {
		throw new InvalidSendRequest(
			`Tag in item ${item} is only allowed with messaging type MESSAGE_TAG (use the Tagged Update operation)`,
			'Tag',
		);
	}
	const fields = isObject(message) ? message : {};
	const contents = ['text', 'attachment'].filter((key) => fields[key] !== undefined);
	if (contents.length !== 1) {
		throw new InvalidSendRequest(
			`Message in item ${item} needs exactly one of text or attachment, found ${contents.length ? contents.join(' and ') : 'neither'}`,
			'Message',
		);
	}
	if (fields.text !== undefined) {
		const text = requireText(fields.text, SEND_API_LIMITS.text.field, item);
		checkMax(SEND_API_LIMITS.text, countCharacters(text), item);
	} else {
		validateAttachment(fields.attachment, request, item);
	}
	if (fields.quick_replies !== undefined) validateQuickReplies(fields.quick_replies, item);
	if (fields.metadata !== undefined) {
		const metadata = requireText(fields.metadata, SEND_API_LIMITS.metadata.field, item);
		checkMax(SEND_API_LIMITS.metadata, countCharacters(metadata), item);
	}
}

function validateSenderAction(request: SendRequest, item: number): void {
	const body = request.body;
	requireOneOf(body.sender_action, SENDER_ACTIONS, 'Action', item);
	if (body.sender_action !== 'react' && body.sender_action !== 'unreact') return;
	const payload = isObject(body.payload) ? body.payload : {};
	requireText(payload.message_id, 'Message ID', item);
	if (body.sender_action === 'react') requireText(payload.reaction, 'Reaction', item);
}

/**
 * Checks a built request against the Send API's documented rules, so a request the platform
 * would refuse fails here, naming the field and the item, before anything is sent.
 */
export function validateSendRequest(request: SendRequest, item: number): void {
	const body = request.body;
	validateRecipient(body.recipient, item);
	const hasMessage = body.message !== undefined;
	const hasAction = body.sender_action !== undefined;
	if (hasMessage === hasAction) {
		throw new InvalidSendRequest(
			`Item ${item} must carry either a message or a sender action, ${hasMessage ? 'never both' : 'found neither'}`,
			'Operation',
		);
	}
	if (hasMessage) validateMessage(body.message, request, item);
	else validateSenderAction(request, item);
	if (body.notification_type !== undefined) {
		requireOneOf(body.notification_type, NOTIFICATION_TYPES, 'Notification Type', item);
	}
	if (body.reply_to !== undefined) {
		requireText(isObject(body.reply_to) ? body.reply_to.mid : undefined, 'Reply To Message ID', item);
	}
}
