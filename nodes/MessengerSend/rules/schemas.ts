import type { IDataObject } from 'n8n-workflow';

import {
	checkFields,
	fieldsOf,
	isObject,
	list,
	oneOf,
	required,
	text,
	url,
	urlText,
	type Check,
} from './combinators';
import { InvalidSendRequest } from './errors';
import { checkLimits, limitsAt, SEND_API_LIMITS } from './limits';
import { ownerOfAttachment } from './platforms';
import { validateTemplate } from '../templates/index';
import {
	ATTACHMENT_TYPE,
	MESSAGE_TAG,
	MESSAGING_TYPE,
	NOTIFICATION_TYPE,
	QUICK_REPLY_TYPE,
	RECIPIENT,
	SENDER_ACTION,
} from './values';

/**
 * One schema per payload shape, composed of the checks in combinators.ts. A schema checks in the
 * order the fields are listed, and the first refusal is the one reported. Limits come from
 * SEND_API_LIMITS by the place (`at`) a schema names.
 */

/** What the checks read of a request (a SendRequest fits). */
export interface RequestShape {
	body: IDataObject;
	file?: { data: Buffer; mimeType: string };
	edge?: 'messages' | 'message_attachments';
	typingFirstMs?: number;
}

// ---- Recipient -----------------------------------------------------------------------------------

export function checkRecipient(recipient: unknown, item: number): void {
	const keys = isObject(recipient) ? Object.keys(recipient) : [];
	const known = RECIPIENT.list.filter((choice) => keys.includes(choice.value));
	if (known.length !== 1 || keys.length !== 1) {
		throw new InvalidSendRequest(
			`Recipient in item ${item} must have exactly one identifier (${RECIPIENT.values.join(', ')}), found ${keys.length ? keys.join(', ') : 'none'}`,
			'Recipient',
		);
	}
	required((recipient as IDataObject)[known[0].value], known[0].name, item);
}

// ---- Message content -----------------------------------------------------------------------------

/** A quick reply: its type, and for a text one its title, payload and optional icon. */
function quickReply(value: unknown, position: number, item: number): void {
	const label = `Quick Reply ${position}`;
	const fields = fieldsOf(value);
	oneOf(QUICK_REPLY_TYPE.values)(fields.content_type, `${label} Type`, item);
	if (fields.content_type !== 'text') return;
	checkFields(
		[
			['title', 'Title', text('message.quick_replies[].title')],
			['payload', 'Payload', text('message.quick_replies[].payload')],
			['image_url?', 'Image URL', urlText],
		],
		fields,
		label,
		item,
	);
}

export const quickReplies: Check<void[]> = list(quickReply, { min: 0, at: 'message.quick_replies' });

/** Several images in one message: 1 to 30, each an image from an http(s) URL. */
function checkImages(attachments: unknown, request: RequestShape, item: number): void {
	const field = SEND_API_LIMITS.images.field;
	if (!Array.isArray(attachments) || attachments.length === 0) {
		throw new InvalidSendRequest(`${field} in item ${item} is empty: enter at least one URL`, field);
	}
	checkLimits(limitsAt('message.attachments'), attachments, item);
	attachments.forEach((attachment: unknown, index) => {
		const fields = fieldsOf(attachment);
		if (fields.type !== 'image') {
			throw new InvalidSendRequest(`${field} in item ${item} need Attachment Type Image: several attachments in one message must be images`, 'Attachment Type');
		}
		url(fieldsOf(fields.payload).url, `Image URL ${index + 1}`, item);
	});
	if (request.file) throw new InvalidSendRequest(`${field} in item ${item} cannot carry a file`, field);
}

/** The payload of each attachment only one platform has (sent as it is: never uploaded, no file). */
const OWN_ATTACHMENT_PAYLOADS: Record<string, (attachment: IDataObject, name: string, item: number) => void> = {
	like_heart: (attachment, name, item) => {
		if (attachment.payload !== undefined) {
			throw new InvalidSendRequest(`Attachment Type in item ${item} is ${name}: it takes no URL or attachment ID`, 'Attachment Type');
		}
	},
	MEDIA_SHARE: (attachment, _name, item) => {
		required(fieldsOf(attachment.payload).id, 'Instagram Post ID', item);
	},
};

function checkOwnAttachment(attachment: IDataObject, name: string, request: RequestShape, item: number): void {
	if (request.edge === 'message_attachments') {
		throw new InvalidSendRequest(`Attachment Type in item ${item} is ${name}: it is sent with Send Attachment, not uploaded`, 'Attachment Type');
	}
	if (request.file) throw new InvalidSendRequest(`Attachment Type in item ${item} is ${name}: it cannot carry a file`, 'Attachment Type');
	OWN_ATTACHMENT_PAYLOADS[String(attachment.type)]?.(attachment, name, item);
}

/** A file's bytes: not empty, within every limit of a file of its type. */
function checkFile(file: { data: Buffer }, type: unknown, item: number): void {
	const field = SEND_API_LIMITS.fileSize.field;
	if (file.data.length === 0) throw new InvalidSendRequest(`${field} in item ${item} holds an empty file (0 bytes)`, field);
	checkLimits(limitsAt('file', undefined, type), file.data, item);
}

/** One attachment: a file from exactly one source, a template, or a platform's own attachment. */
function checkAttachment(attachment: unknown, request: RequestShape, item: number): void {
	const fields = fieldsOf(attachment);
	const own = ownerOfAttachment(fields.type);
	if (own) return checkOwnAttachment(fields, own.name, request, item);
	oneOf(ATTACHMENT_TYPE.values)(fields.type, 'Attachment Type', item);
	const payload = fieldsOf(fields.payload);
	if (fields.type === 'template') {
		if (request.file) {
			throw new InvalidSendRequest(`Attachment in item ${item} is a template: it cannot carry a file`, 'Attachment Type');
		}
		validateTemplate(payload, request as unknown as Parameters<typeof validateTemplate>[1], item);
		return;
	}
	const sources = ['url', 'attachment_id'].filter((key) => payload[key] !== undefined);
	if (request.file) sources.push('filedata');
	if (sources.length !== 1) {
		throw new InvalidSendRequest(
			`Attachment in item ${item} needs exactly one source (a URL, an attachment ID or binary data), found ${sources.length ? sources.join(', ') : 'none'}`,
			'Attachment Source',
		);
	}
	checkFields(
		[
			['url?', 'Attachment URL', url],
			['attachment_id?', 'Attachment ID', required],
		],
		payload,
		'',
		item,
	);
	if (request.file) checkFile(request.file, fields.type, item);
}

function isCustomerFeedback(attachment: unknown): boolean {
	return isObject(attachment) && isObject(attachment.payload) && attachment.payload.template_type === 'customer_feedback';
}

/** A message: why it is sent (messaging type, tag), exactly one content, quick replies, metadata. */
function checkMessage(message: unknown, request: RequestShape, item: number): void {
	const body = request.body;
	oneOf(MESSAGING_TYPE.values)(body.messaging_type, 'Messaging Type', item);
	if (body.messaging_type === 'MESSAGE_TAG') oneOf(MESSAGE_TAG.values)(required(body.tag, 'Tag', item), 'Tag', item);
	else if (body.tag !== undefined) {
		throw new InvalidSendRequest(
			`Tag in item ${item} is only allowed with messaging type MESSAGE_TAG (use the Tagged Update operation)`,
			'Tag',
		);
	}
	const fields = fieldsOf(message);
	const contents = ['text', 'attachment', 'attachments'].filter((key) => fields[key] !== undefined);
	if (contents.length !== 1) {
		throw new InvalidSendRequest(
			`Message in item ${item} needs exactly one of text or attachment, found ${contents.length ? contents.join(' and ') : 'neither'}`,
			'Message',
		);
	}
	if (fields.text !== undefined) text('message.text')(fields.text, SEND_API_LIMITS.text.field, item);
	else if (fields.attachments !== undefined) checkImages(fields.attachments, request, item);
	else checkAttachment(fields.attachment, request, item);
	if (body.tag === 'CUSTOMER_FEEDBACK' && !isCustomerFeedback(fields.attachment)) {
		throw new InvalidSendRequest(
			`Tag in item ${item} is CUSTOMER_FEEDBACK: it goes only with the customer feedback template (Content: Template, Template Type: Customer Feedback)`,
			'Tag',
		);
	}
	checkFields(
		[
			['quick_replies?', 'Quick Replies', quickReplies],
			['metadata?', SEND_API_LIMITS.metadata.field, text('message.metadata')],
		],
		fields,
		'',
		item,
	);
}

// ---- Sender action, typing, upload ---------------------------------------------------------------

function checkSenderAction(request: RequestShape, item: number): void {
	const body = request.body;
	oneOf(SENDER_ACTION.values)(body.sender_action, 'Action', item);
	if (body.sender_action !== 'react' && body.sender_action !== 'unreact') return;
	const payload = fieldsOf(body.payload);
	required(payload.message_id, 'Message ID', item);
	if (body.sender_action === 'react') required(payload.reaction, 'Reaction', item);
}

/** The typing indicator goes to a person: not to a comment or post (that would use the one private reply). */
function checkTypingFirst(request: RequestShape, item: number): void {
	const field = SEND_API_LIMITS.typingFirstSeconds.field;
	const recipient = fieldsOf(request.body.recipient);
	if (recipient.id === undefined && recipient.user_ref === undefined) {
		throw new InvalidSendRequest(`${field} in item ${item} works only for PSID and User Ref recipients`, field);
	}
	const ms = request.typingFirstMs ?? 0;
	if (!Number.isFinite(ms) || ms < 0) throw new InvalidSendRequest(`${field} in item ${item} must be a number of seconds`, field);
	checkLimits(limitsAt('typing first'), ms / 1000, item);
}

/** An upload to message_attachments: one file attachment, by URL or bytes, kept for reuse. */
function checkUpload(request: RequestShape, item: number): void {
	const attachment = fieldsOf(fieldsOf(request.body.message).attachment);
	if (attachment.type === 'template' || (isObject(attachment.payload) && attachment.payload.attachment_id !== undefined)) {
		throw new InvalidSendRequest(`Upload in item ${item} needs a file from a URL or binary data`, 'Source');
	}
	checkAttachment(attachment, request, item);
}

/** The rules every platform shares, for a request to the messages or message_attachments edge. */
export function checkRequest(request: RequestShape, item: number): void {
	const body = request.body;
	if (request.edge === 'message_attachments') return checkUpload(request, item);
	checkRecipient(body.recipient, item);
	const hasMessage = body.message !== undefined;
	const hasAction = body.sender_action !== undefined;
	if (hasMessage === hasAction) {
		throw new InvalidSendRequest(
			`Item ${item} must carry either a message or a sender action, ${hasMessage ? 'never both' : 'found neither'}`,
			'Operation',
		);
	}
	if (hasMessage) checkMessage(body.message, request, item);
	else checkSenderAction(request, item);
	if (body.notification_type !== undefined) oneOf(NOTIFICATION_TYPE.values)(body.notification_type, 'Notification Type', item);
	if (request.typingFirstMs !== undefined) checkTypingFirst(request, item);
	if (body.reply_to !== undefined) required(fieldsOf(body.reply_to).mid, 'Reply To Message ID', item);
}
