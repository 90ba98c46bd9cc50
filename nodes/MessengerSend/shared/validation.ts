import type { IDataObject } from 'n8n-workflow';

import { FEEDBACK_FOLLOW_UP_TYPES, FEEDBACK_SCORE_OPTIONS, INSTAGRAM_RULES, RECIPIENT_LABELS, RETIRED_TAGS, SEND_API_LIMITS, type Limit } from './limits';
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

export const RECIPIENT_KEYS: string[] = Object.keys(RECIPIENT_LABELS);
export const MESSAGING_TYPES = ['RESPONSE', 'UPDATE', 'MESSAGE_TAG', 'UTILITY'];
export const NOTIFICATION_TYPES = ['REGULAR', 'SILENT_PUSH', 'NO_PUSH'];
/** Every documented tag; the retired ones are sent anyway, so Messenger's answer can be explained. */
export const MESSAGE_TAGS = ['HUMAN_AGENT', 'CUSTOMER_FEEDBACK', ...RETIRED_TAGS];
export const SENDER_ACTIONS = ['typing_on', 'typing_off', 'mark_seen', 'react', 'unreact'];
export const ATTACHMENT_TYPES = ['image', 'audio', 'video', 'file', 'template'];
export const TEMPLATE_TYPES = ['generic', 'button', 'media', 'receipt', 'customer_feedback'];
export const BUTTON_TYPES = ['web_url', 'postback', 'phone_number'];
export const MEDIA_TEMPLATE_TYPES = ['image', 'video'];
export const IMAGE_ASPECT_RATIOS = ['horizontal', 'square'];
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
	requireText((recipient as IDataObject)[known[0]], RECIPIENT_LABELS[known[0] as keyof typeof RECIPIENT_LABELS], item);
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
	if (instagramAttachmentName(fields.type)) return validateInstagramAttachment(fields, request, item);
	requireOneOf(fields.type, ATTACHMENT_TYPES, 'Attachment Type', item);
	const payload = isObject(fields.payload) ? fields.payload : {};
	if (fields.type === 'template') {
		if (request.file) {
			throw new InvalidSendRequest(`Attachment in item ${item} is a template: it cannot carry a file`, 'Attachment Type');
		}
		validateTemplate(payload, request, item);
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

// ---- Templates ---------------------------------------------------------------------------------

/** A list field: refused unless a list of min..limit.max entries (structure errors name field and item). */
function requireList(value: unknown, limit: Limit, min: number, item: number, field = limit.field): unknown[] {
	if (value === undefined && min === 0) return [];
	if (!Array.isArray(value)) {
		throw new InvalidSendRequest(`${field} in item ${item} must be a list`, field);
	}
	if (value.length < min) {
		throw new InvalidSendRequest(
			`${field} in item ${item} ${value.length ? `has ${value.length}` : 'is empty'}: add at least ${min} (${limit.rule})`,
			field,
		);
	}
	checkMax(limit, value.length, item, field);
	return value;
}

function requireObject(value: unknown, field: string, item: number): IDataObject {
	if (!isObject(value)) throw new InvalidSendRequest(`${field} in item ${item} must be an object`, field);
	return value;
}

function requireUrl(value: unknown, field: string, item: number): string {
	const url = requireText(value, field, item);
	if (!isHttpUrl(url)) throw new InvalidSendRequest(`${field} in item ${item} is not an http(s) URL: "${url}"`, field);
	return url;
}

function requireNumber(value: unknown, field: string, item: number): void {
	if (typeof value !== 'number' || !Number.isFinite(value)) {
		throw new InvalidSendRequest(`${field} in item ${item} must be a number, found ${shown(value)}`, field);
	}
}

function checkText(value: unknown, limit: Limit, field: string, item: number): void {
	checkMax(limit, countCharacters(requireText(value, field, item)), item, field);
}

/** `label` names the buttons' place: "Button" or "Element 2 Button"; each is numbered from 1. */
function validateButtons(buttons: unknown, limit: Limit, min: number, label: string, item: number, field = limit.field): void {
	requireList(buttons, limit, min, item, field).forEach((button: unknown, index) => {
		const name = `${label} ${index + 1}`;
		const fields = requireObject(button, name, item);
		requireOneOf(fields.type, BUTTON_TYPES, `${name} Type`, item);
		checkText(fields.title, SEND_API_LIMITS.buttonTitle, `${name} Title`, item);
		if (fields.type === 'web_url') requireUrl(fields.url, `${name} URL`, item);
		else if (fields.type === 'postback') checkText(fields.payload, SEND_API_LIMITS.postbackPayload, `${name} Payload`, item);
		else {
			const number = requireText(fields.payload, `${name} Phone Number`, item);
			if (!/^\+\d+$/.test(number)) {
				throw new InvalidSendRequest(
					`${name} Phone Number in item ${item} is "${number}": use + and the country code, then digits only (e.g. +15105551234)`,
					`${name} Phone Number`,
				);
			}
		}
	});
}

function isFacebookUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return url.protocol === 'https:' && (url.hostname === 'facebook.com' || url.hostname.endsWith('.facebook.com'));
	} catch {
		return false;
	}
}

function validateGeneric(payload: IDataObject, item: number): void {
	if (payload.image_aspect_ratio !== undefined) {
		requireOneOf(payload.image_aspect_ratio, IMAGE_ASPECT_RATIOS, 'Image Aspect Ratio', item);
	}
	requireList(payload.elements, SEND_API_LIMITS.genericElements, 1, item).forEach((element: unknown, index) => {
		const label = `Element ${index + 1}`;
		const fields = requireObject(element, label, item);
		checkText(fields.title, SEND_API_LIMITS.elementTitle, `${label} Title`, item);
		if (fields.subtitle !== undefined) checkText(fields.subtitle, SEND_API_LIMITS.elementSubtitle, `${label} Subtitle`, item);
		if (fields.image_url !== undefined) requireUrl(fields.image_url, `${label} Image URL`, item);
		if (fields.default_action !== undefined) {
			const action = requireObject(fields.default_action, `${label} Default Action`, item);
			requireOneOf(action.type, ['web_url'], `${label} Default Action Type`, item);
			requireUrl(action.url, `${label} Default Action URL`, item);
		}
		validateButtons(fields.buttons, SEND_API_LIMITS.elementButtons, 0, `${label} Button`, item, `${label} Buttons`);
	});
}

function validateMedia(payload: IDataObject, item: number): void {
	const [element] = requireList(payload.elements, SEND_API_LIMITS.mediaElements, 1, item);
	const fields = requireObject(element, 'Media', item);
	requireOneOf(fields.media_type, MEDIA_TEMPLATE_TYPES, 'Media Type', item);
	const sources = ['url', 'attachment_id'].filter((key) => fields[key] !== undefined);
	if (sources.length !== 1) {
		throw new InvalidSendRequest(
			`Media in item ${item} needs exactly one of an attachment ID or a Facebook URL, found ${sources.length ? sources.join(', ') : 'none'}`,
			'Media Source',
		);
	}
	if (fields.attachment_id !== undefined) requireText(fields.attachment_id, 'Media Attachment ID', item);
	else {
		const url = requireText(fields.url, 'Media URL', item);
		if (!isFacebookUrl(url)) {
			throw new InvalidSendRequest(
				`Media URL in item ${item} is not a Facebook URL: "${url}" (a media template takes only media posted on Facebook; use an attachment ID for other files)`,
				'Media URL',
			);
		}
	}
	validateButtons(fields.buttons, SEND_API_LIMITS.mediaButtons, 0, 'Button', item);
}

function validateReceipt(payload: IDataObject, item: number): void {
	requireText(payload.recipient_name, 'Recipient Name', item);
	requireText(payload.order_number, 'Order Number', item);
	requireText(payload.currency, 'Currency', item);
	requireText(payload.payment_method, 'Payment Method', item);
	if (payload.merchant_name !== undefined) requireText(payload.merchant_name, 'Merchant Name', item);
	if (payload.timestamp !== undefined) requireText(String(payload.timestamp), 'Timestamp', item);
	const summary = requireObject(payload.summary, 'Summary', item);
	requireNumber(summary.total_cost, 'Total Cost', item);
	if (summary.subtotal !== undefined) requireNumber(summary.subtotal, 'Subtotal', item);
	if (summary.shipping_cost !== undefined) requireNumber(summary.shipping_cost, 'Shipping Cost', item);
	if (summary.total_tax !== undefined) requireNumber(summary.total_tax, 'Total Tax', item);
	if (payload.address !== undefined) {
		const address = requireObject(payload.address, 'Address', item);
		const parts = { street_1: 'Street 1', city: 'City', postal_code: 'Postal Code', state: 'State', country: 'Country' };
		for (const [key, label] of Object.entries(parts)) requireText(address[key], `Address ${label}`, item);
	}
	if (payload.adjustments !== undefined) {
		if (!Array.isArray(payload.adjustments)) throw new InvalidSendRequest(`Adjustments in item ${item} must be a list`, 'Adjustments');
		payload.adjustments.forEach((adjustment: unknown, index) => {
			const label = `Adjustment ${index + 1}`;
			const fields = requireObject(adjustment, label, item);
			requireText(fields.name, `${label} Name`, item);
			requireNumber(fields.amount, `${label} Amount`, item);
		});
	}
	requireList(payload.elements, SEND_API_LIMITS.receiptElements, 0, item).forEach((element: unknown, index) => {
		const label = `Receipt Item ${index + 1}`;
		const fields = requireObject(element, label, item);
		requireText(fields.title, `${label} Title`, item);
		requireNumber(fields.price, `${label} Price`, item);
		if (fields.quantity !== undefined) requireNumber(fields.quantity, `${label} Quantity`, item);
		if (fields.image_url !== undefined) requireUrl(fields.image_url, `${label} Image URL`, item);
	});
}

/** A list that must have at least one entry (no documented maximum). */
function requireEntries(value: unknown, field: string, item: number): unknown[] {
	if (!Array.isArray(value)) throw new InvalidSendRequest(`${field} in item ${item} must be a list`, field);
	if (value.length === 0) throw new InvalidSendRequest(`${field} in item ${item} is empty: add at least 1`, field);
	return value;
}

/**
 * The customer feedback survey. Checked: what the node needs to build a sane request and the score
 * types and displays of Meta's template page. Not checked (uncertain, not in the shared reference):
 * one screen with one question, 1 to 7 days, a required privacy policy — Messenger answers those.
 */
function validateCustomerFeedback(payload: IDataObject, item: number): void {
	requireText(payload.title, 'Survey Title', item);
	for (const [key, field] of [['subtitle', 'Survey Subtitle'], ['button_title', 'Button Title']]) {
		if (payload[key] !== undefined) requireText(payload[key], field, item);
	}
	requireEntries(payload.feedback_screens, 'Feedback Screens', item).forEach((screen: unknown, screenIndex) => {
		const questions = requireObject(screen, `Feedback Screen ${screenIndex + 1}`, item).questions;
		requireEntries(questions, 'Questions', item).forEach((question: unknown, index) => {
			const fields = requireObject(question, `Question ${index + 1}`, item);
			if (fields.id !== undefined) requireText(fields.id, 'Question ID', item);
			requireOneOf(fields.type, Object.keys(FEEDBACK_SCORE_OPTIONS), 'Score Type', item);
			if (fields.title !== undefined) requireText(fields.title, 'Question', item);
			if (fields.score_option !== undefined) {
				requireOneOf(fields.score_option, FEEDBACK_SCORE_OPTIONS[fields.type as string], `Score Display (for ${String(fields.type)})`, item);
			}
			if (fields.follow_up !== undefined) {
				const followUp = requireObject(fields.follow_up, 'Comment', item);
				requireOneOf(followUp.type, FEEDBACK_FOLLOW_UP_TYPES, 'Comment Type', item);
				if (followUp.placeholder !== undefined) requireText(followUp.placeholder, 'Comment Placeholder', item);
			}
		});
	});
	if (payload.business_privacy !== undefined) {
		requireUrl(requireObject(payload.business_privacy, 'Privacy Policy', item).url, 'Privacy Policy URL', item);
	}
	if (payload.expires_in_days !== undefined) {
		const days = payload.expires_in_days;
		if (typeof days !== 'number' || !Number.isInteger(days) || days < 1) {
			throw new InvalidSendRequest(`Expires After (Days) in item ${item} is ${shown(days)}: use a whole number of days`, 'Expires After (Days)');
		}
	}
}

/** The template payload, for every template type (also when it came as JSON). */
function validateTemplate(payload: IDataObject, request: SendRequest, item: number): void {
	requireOneOf(payload.template_type, TEMPLATE_TYPES, 'Template Type', item);
	switch (payload.template_type) {
		case 'generic':
			return validateGeneric(payload, item);
		case 'button':
			checkText(payload.text, SEND_API_LIMITS.templateText, SEND_API_LIMITS.templateText.field, item);
			return validateButtons(payload.buttons, SEND_API_LIMITS.templateButtons, 1, 'Button', item);
		case 'media':
			return validateMedia(payload, item);
		case 'receipt':
			return validateReceipt(payload, item);
		default:
			if (request.body.tag !== 'CUSTOMER_FEEDBACK') {
				throw new InvalidSendRequest(
					`Template Type in item ${item} is customer_feedback: send it with Tagged Update and the tag CUSTOMER_FEEDBACK`,
					'Template Type',
				);
			}
			return validateCustomerFeedback(payload, item);
	}
}

function isCustomerFeedback(attachment: unknown): boolean {
	return isObject(attachment) && isObject(attachment.payload) && attachment.payload.template_type === 'customer_feedback';
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
	const contents = ['text', 'attachment', 'attachments'].filter((key) => fields[key] !== undefined);
	if (contents.length !== 1) {
		throw new InvalidSendRequest(
			`Message in item ${item} needs exactly one of text or attachment, found ${contents.length ? contents.join(' and ') : 'neither'}`,
			'Message',
		);
	}
	if (fields.text !== undefined) {
		const text = requireText(fields.text, SEND_API_LIMITS.text.field, item);
		checkMax(SEND_API_LIMITS.text, countCharacters(text), item);
	} else if (fields.attachments !== undefined) {
		validateImages(fields.attachments, request, item);
	} else {
		validateAttachment(fields.attachment, request, item);
	}
	if (body.tag === 'CUSTOMER_FEEDBACK' && !isCustomerFeedback(fields.attachment)) {
		throw new InvalidSendRequest(
			`Tag in item ${item} is CUSTOMER_FEEDBACK: it goes only with the customer feedback template (Content: Template, Template Type: Customer Feedback)`,
			'Tag',
		);
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
/** Several images in one message: 1 to 30, each an image from an http(s) URL. */
function validateImages(attachments: unknown, request: SendRequest, item: number): void {
	const limit = SEND_API_LIMITS.images;
	if (!Array.isArray(attachments) || attachments.length === 0) {
		throw new InvalidSendRequest(`${limit.field} in item ${item} is empty: enter at least one URL`, limit.field);
	}
	checkMax(limit, attachments.length, item);
	attachments.forEach((attachment: unknown, index) => {
		const fields = isObject(attachment) ? attachment : {};
		if (fields.type !== 'image') {
			throw new InvalidSendRequest(`${limit.field} in item ${item} need Attachment Type Image: several attachments in one message must be images`, 'Attachment Type');
		}
		const payload = isObject(fields.payload) ? fields.payload : {};
		const url = requireText(payload.url, `Image URL ${index + 1}`, item);
		if (!isHttpUrl(url)) {
			throw new InvalidSendRequest(`Image URL ${index + 1} in item ${item} is not an http(s) URL: "${url}"`, `Image URL ${index + 1}`);
		}
	});
	if (request.file) throw new InvalidSendRequest(`${limit.field} in item ${item} cannot carry a file`, limit.field);
}

/** The typing indicator goes to a person: not to a comment or post (that would use the one private reply). */
function validateTypingFirst(request: SendRequest, item: number): void {
	const field = SEND_API_LIMITS.typingFirstSeconds.field;
	const recipient = isObject(request.body.recipient) ? request.body.recipient : {};
	if (recipient.id === undefined && recipient.user_ref === undefined) {
		throw new InvalidSendRequest(`${field} in item ${item} works only for PSID and User Ref recipients`, field);
	}
	const ms = request.typingFirstMs ?? 0;
	if (!Number.isFinite(ms) || ms < 0) throw new InvalidSendRequest(`${field} in item ${item} must be a number of seconds`, field);
	checkMax(SEND_API_LIMITS.typingFirstSeconds, ms / 1000, item);
}

/** An upload to message_attachments: one file attachment, by URL or bytes, kept for reuse. */
function validateUpload(request: SendRequest, item: number): void {
	const message = isObject(request.body.message) ? request.body.message : {};
	const attachment = isObject(message.attachment) ? message.attachment : {};
	if (attachment.type === 'template' || (isObject(attachment.payload) && attachment.payload.attachment_id !== undefined)) {
		throw new InvalidSendRequest(`Upload in item ${item} needs a file from a URL or binary data`, 'Source');
	}
	validateAttachment(attachment, request, item);
}

// ---- Instagram ---------------------------------------------------------------------------------

/** Which platform the credential sends to: Messenger (a Facebook Page) or Instagram. */
export type Platform = 'messenger' | 'instagram';

/** The credential's Platform field as a Platform: anything but "instagram" is Messenger (older credentials have none). */
export function platformOf(value: unknown): Platform {
	return value === 'instagram' ? 'instagram' : 'messenger';
}

/** A MIME type worth checking: n8n says application/octet-stream when it does not know. */
function knownMimeType(mimeType: string | undefined): string | undefined {
	const type = (mimeType ?? '').split(';')[0].trim().toLowerCase();
	return type && type !== 'application/octet-stream' ? type : undefined;
}

function checkInstagramFile(type: unknown, request: SendRequest, item: number): void {
	if (!request.file) return;
	const field = SEND_API_LIMITS.instagramImageSize.field;
	const mimeType = knownMimeType(request.file.mimeType);
	const allowed = type === 'image' ? INSTAGRAM_RULES.imageMimeTypes : type === 'file' ? INSTAGRAM_RULES.fileMimeTypes : undefined;
	if (mimeType && allowed && !allowed.includes(mimeType)) {
		throw new InvalidSendRequest(
			`${field} in item ${item} is a ${mimeType} file: Instagram accepts ${type === 'image' ? 'images' : 'files'} of type ${allowed.join(', ')} only`,
			field,
		);
	}
	const limit = type === 'image' ? SEND_API_LIMITS.instagramImageSize : SEND_API_LIMITS.instagramFileSize;
	checkMax(limit, request.file.data.length, item);
}

/** The Attachment Type field's name for an attachment only Instagram has, else undefined. */
function instagramAttachmentName(type: unknown): string | undefined {
	const names = INSTAGRAM_RULES.attachmentTypes;
	return typeof type === 'string' && Object.keys(names).includes(type) ? names[type] : undefined;
}

/** A heart sticker (no payload) or a shared post (the post's ID): sent as they are, never uploaded, no file. */
function validateInstagramAttachment(attachment: IDataObject, request: SendRequest, item: number): void {
	const name = instagramAttachmentName(attachment.type);
	if (request.edge === 'message_attachments') {
		throw new InvalidSendRequest(`Attachment Type in item ${item} is ${name}: it is sent with Send Attachment, not uploaded`, 'Attachment Type');
	}
	if (request.file) throw new InvalidSendRequest(`Attachment Type in item ${item} is ${name}: it cannot carry a file`, 'Attachment Type');
	if (attachment.type === 'like_heart') {
		if (attachment.payload !== undefined) {
			throw new InvalidSendRequest(`Attachment Type in item ${item} is ${name}: it takes no URL or attachment ID`, 'Attachment Type');
		}
		return;
	}
	requireText(isObject(attachment.payload) ? attachment.payload.id : undefined, 'Instagram Post ID', item);
}

/** On Messenger: Instagram's own attachments are refused, naming the credential setting they need. */
function refuseInstagramOnly(request: SendRequest, item: number): void {
	const message = isObject(request.body.message) ? request.body.message : {};
	const name = instagramAttachmentName(isObject(message.attachment) ? message.attachment.type : undefined);
	if (name) {
		throw new InvalidSendRequest(
			`Attachment Type in item ${item} is ${name}: only Instagram has it, and this credential sends to Messenger. Use a Messenger Page API credential with Platform Instagram.`,
			'Attachment Type',
		);
	}
}

/** Instagram's own rules, checked before Messenger's (they are stricter where they differ). */
function validateInstagram(request: SendRequest, item: number): void {
	const body = request.body;
	if (body.tag !== undefined && !INSTAGRAM_RULES.tags.includes(String(body.tag))) {
		throw new InvalidSendRequest(
			`Tag in item ${item} is ${shown(body.tag)}: Instagram accepts only the ${INSTAGRAM_RULES.tags.join(', ')} tag`,
			'Tag',
		);
	}
	const message = isObject(body.message) ? body.message : {};
	if (typeof message.text === 'string') {
		checkMax(SEND_API_LIMITS.instagramText, Buffer.byteLength(message.text, 'utf8'), item);
	}
	const attachment = isObject(message.attachment) ? message.attachment : {};
	const payload = isObject(attachment.payload) ? attachment.payload : {};
	if (attachment.type === 'template' && !INSTAGRAM_RULES.templateTypes.includes(String(payload.template_type))) {
		throw new InvalidSendRequest(
			`Template Type in item ${item} is ${shown(payload.template_type)}: Instagram accepts only ${INSTAGRAM_RULES.templateTypes.join(' and ')} templates`,
			'Template Type',
		);
	}
	checkInstagramFile(attachment.type, request, item);
	// Reportedly (uncertain, not in the shared reference) Instagram also takes at most 10 images,
	// web_url and postback buttons only, and text-only private replies to comments. Uncertain rules
	// are not checked here: Instagram answers, and the node explains its answer.
	if (Array.isArray(message.quick_replies)) {
		message.quick_replies.forEach((reply: unknown, index) => {
			const type = isObject(reply) ? reply.content_type : undefined;
			if (type !== undefined && !INSTAGRAM_RULES.quickReplyTypes.includes(String(type))) {
				throw new InvalidSendRequest(
					`Quick Reply ${index + 1} Type in item ${item} is ${shown(type)}: Instagram accepts only ${INSTAGRAM_RULES.quickReplyTypes.join(', ')} quick replies`,
					`Quick Reply ${index + 1} Type`,
				);
			}
		});
	}
}

/**
 * `platform` is the credential's: on Instagram, its stricter rules are checked first, so the
 * error names the Instagram limit rather than Messenger's looser one.
 */
export function validateSendRequest(request: SendRequest, item: number, platform: Platform = 'messenger'): void {
	const body = request.body;
	if (platform === 'instagram') validateInstagram(request, item);
	else refuseInstagramOnly(request, item);
	if (request.edge === 'message_attachments') {
		validateUpload(request, item);
		return;
	}
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
	if (request.typingFirstMs !== undefined) validateTypingFirst(request, item);
	if (body.reply_to !== undefined) {
		requireText(isObject(body.reply_to) ? body.reply_to.mid : undefined, 'Reply To Message ID', item);
	}
}
