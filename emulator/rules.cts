// The Send API's rules for one message or sender action, as pure functions: parameters in,
// a Graph error (or null) out. Limits and codes follow /work/shared/messenger-send-api.md.
import type { GraphError } from './types.cjs';

export const MAX_TEXT_CODE_POINTS = 2000; // text must be shorter than this
export const MAX_METADATA_CODE_POINTS = 1000; // metadata must be shorter than this
export const MAX_QUICK_REPLIES = 13;
export const MAX_QUICK_REPLY_TITLE = 20;
export const MAX_QUICK_REPLY_PAYLOAD = 1000;
export const MAX_FILE_BYTES = 25 * 1024 * 1024;
export const MAX_IMAGES_IN_ATTACHMENTS = 30;
// Instagram (pages with `platform: 'instagram'`).
export const INSTAGRAM_MAX_TEXT_BYTES = 1000; // UTF-8 bytes, at most
export const INSTAGRAM_MAX_IMAGE_BYTES = 8 * 1024 * 1024;
export const INSTAGRAM_TAGS = ['HUMAN_AGENT'];
export const INSTAGRAM_TEMPLATE_TYPES = ['generic', 'button'];
export const INSTAGRAM_IMAGE_MIME_TYPES = ['image/png', 'image/jpeg', 'image/gif'];
// (uncertain: third-party summaries of Meta's Instagram docs, not the shared reference)
export const INSTAGRAM_MAX_IMAGES_IN_ATTACHMENTS = 10;
/** Attachments only Instagram has: a heart sticker (no payload) and a share of the account's post. */
export const INSTAGRAM_ATTACHMENT_TYPES = ['like_heart', 'MEDIA_SHARE'];

export const RECIPIENT_FIELDS = ['id', 'user_ref', 'comment_id', 'post_id', 'phone_number'] as const;
export type RecipientField = (typeof RECIPIENT_FIELDS)[number];
export const MESSAGING_TYPES = ['RESPONSE', 'UPDATE', 'MESSAGE_TAG', 'UTILITY'];
export const ACTIVE_TAGS = ['CUSTOMER_FEEDBACK', 'HUMAN_AGENT'];
export const RETIRED_TAGS = ['ACCOUNT_UPDATE', 'CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE'];
export const NOTIFICATION_TYPES = ['REGULAR', 'SILENT_PUSH', 'NO_PUSH'];
export const SENDER_ACTIONS = ['typing_on', 'typing_off', 'mark_seen', 'react', 'unreact'];
export const ATTACHMENT_TYPES = ['image', 'audio', 'video', 'file', 'template'];
export const MEDIA_TYPES = ['image', 'audio', 'video', 'file'];
export const QUICK_REPLY_TYPES = ['text', 'user_phone_number', 'user_email'];

/** Parameters that urlencoded and multipart requests carry as JSON strings. */
export const JSON_PARAMS = ['recipient', 'message', 'payload', 'reply_to'];

export function graphError(
	code: number,
	message: string,
	options: { subcode?: number; type?: string; status?: number; transient?: boolean } = {},
): GraphError {
	return {
		status: options.status ?? 400,
		error: {
			message,
			type: options.type ?? 'OAuthException',
			code,
			...(options.subcode !== undefined ? { error_subcode: options.subcode } : {}),
			...(options.transient ? { is_transient: true } : {}),
		},
	};
}

const invalid = (message: string, subcode?: number) => graphError(100, `(#100) ${message}`, { subcode });

export function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Length as Messenger counts it: Unicode code points, so an emoji is one character. */
export function codePoints(text: string): number {
	return [...text].length;
}

function nonEmptyString(value: unknown): value is string {
	return typeof value === 'string' && value.trim() !== '';
}

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

export interface UploadedFile {
	fileName: string;
	mimeType: string;
	size: number;
}

export interface SendContext {
	/** The multipart `filedata` part, if any. */
	file?: UploadedFile;
	/** Whether this attachment_id was issued to the sending Page. */
	isAttachmentUsable(attachmentId: string): boolean;
	/** PSIDs whose 24-hour window is closed. */
	outsideWindow: readonly string[];
	/** Whether the Page already sent its one private reply to this comment or post. */
	alreadyReplied(recipientKey: string): boolean;
	/** The sending account is an Instagram account: Instagram's rules apply too. */
	instagram?: boolean;
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

/** Checks a media or template attachment; `file` is the multipart upload, if any. */
export function validateAttachment(attachment: unknown, context: Pick<SendContext, 'file' | 'isAttachmentUsable' | 'instagram'>, at: string): GraphError | null {
	if (!isObject(attachment)) return invalid(`Param ${at} must be an object`);
	const type = String(attachment.type ?? '');
	// On a Messenger Page they fall through to the type check below, as unknown types do.
	if (context.instagram && INSTAGRAM_ATTACHMENT_TYPES.includes(type)) return validateInstagramAttachment(attachment, context.file, at);
	if (!ATTACHMENT_TYPES.includes(type)) return invalid(`Param ${at}[type] must be one of {${ATTACHMENT_TYPES.join(', ')}}`);
	const payload = attachment.payload ?? {};
	if (!isObject(payload)) return invalid(`Param ${at}[payload] must be an object`);

	if (type === 'template') {
		if (context.file) return invalid('filedata needs a media attachment, not a template');
		return validateTemplate(payload, at);
	}

	const hasUrl = payload.url !== undefined && payload.url !== '';
	const hasId = payload.attachment_id !== undefined && payload.attachment_id !== '';
	const sources = [hasUrl, hasId, context.file !== undefined].filter(Boolean).length;
	if (sources !== 1) return invalid(`Param ${at}[payload] needs exactly one of url, attachment_id or an uploaded filedata`);

	if (hasUrl) return validateMediaUrl(payload.url, at);
	if (hasId) {
		if (!context.isAttachmentUsable(String(payload.attachment_id))) {
			return invalid('The attachment_id is not valid or does not belong to this Page', 2018074);
		}
		return null;
	}
	if (context.file && context.file.size > MAX_FILE_BYTES) {
		return invalid(`Attachment size exceeds the allowable limit of ${MAX_FILE_BYTES} bytes`, 2018109);
	}
	return null;
}

/**
 * The emulator fetches nothing: a URL that is not http(s), or whose host ends in `.invalid`
 * (RFC 2606), stands for a URL the platform could not fetch.
 */
function validateMediaUrl(value: unknown, at: string): GraphError | null {
	let url: URL;
	try {
		url = new URL(String(value));
	} catch {
		return invalid(`Failed to fetch the file from the url in ${at}[payload][url]`, 2018008);
	}
	if (!['http:', 'https:'].includes(url.protocol) || url.hostname.endsWith('.invalid')) {
		return invalid(`Failed to fetch the file from the url in ${at}[payload][url]`, 2018008);
	}
	return null;
}

// Only the structural limits a client can get wrong cheaply; the platform checks much more.
function validateTemplate(payload: Record<string, unknown>, at: string): GraphError | null {
	const templateType = payload.template_type;
	if (!nonEmptyString(templateType)) return invalid(`Param ${at}[payload][template_type] is required`);
	const elements = payload.elements;
	if (templateType === 'generic' && (!Array.isArray(elements) || elements.length < 1 || elements.length > 10)) {
		return invalid(`Param ${at}[payload][elements] must have 1 to 10 elements`);
	}
	if (templateType === 'media' && (!Array.isArray(elements) || elements.length !== 1)) {
		return invalid(`Param ${at}[payload][elements] must have exactly one element`);
	}
	if (templateType === 'customer_feedback') return validateFeedbackTemplate(payload, `${at}[payload]`);
	if (templateType === 'button') {
		if (!nonEmptyString(payload.text) || codePoints(payload.text) > 640) {
			return invalid(`Param ${at}[payload][text] is required and must be at most 640 characters`);
		}
		if (!Array.isArray(payload.buttons) || payload.buttons.length < 1 || payload.buttons.length > 3) {
			return invalid(`Param ${at}[payload][buttons] must have 1 to 3 buttons`);
		}
	}
	return null;
}

const FEEDBACK_SCORE_OPTIONS: Record<string, string[]> = {
	csat: ['one_to_five', 'five_stars', 'five_emojis'],
	nps: ['zero_to_ten'],
	ces: ['one_to_seven'],
};

function validateFeedbackTemplate(payload: Record<string, unknown>, at: string): GraphError | null {
	for (const key of ['title', 'button_title']) {
		if (!nonEmptyString(payload[key])) return invalid(`Param ${at}[${key}] is required`);
	}
	const screens = payload.feedback_screens;
	if (!Array.isArray(screens) || screens.length !== 1 || !isObject(screens[0])) {
		return invalid(`Param ${at}[feedback_screens] must have exactly one screen`);
	}
	const questions = screens[0].questions;
	if (!Array.isArray(questions) || questions.length !== 1 || !isObject(questions[0])) {
		return invalid(`Param ${at}[feedback_screens][0][questions] must have exactly one question`);
	}
	const question = questions[0];
	const q = `${at}[feedback_screens][0][questions][0]`;
	if (!nonEmptyString(question.id)) return invalid(`Param ${q}[id] is required`);
	const options = FEEDBACK_SCORE_OPTIONS[String(question.type)];
	if (!options) return invalid(`Param ${q}[type] must be one of {csat, nps, ces}`);
	if (question.score_option !== undefined && !options.includes(String(question.score_option))) {
		return invalid(`Param ${q}[score_option] must be one of {${options.join(', ')}} for ${String(question.type)}`);
	}
	if (question.follow_up !== undefined && (!isObject(question.follow_up) || question.follow_up.type !== 'free_form')) {
		return invalid(`Param ${q}[follow_up][type] must be free_form`);
	}
	const privacy = payload.business_privacy;
	if (!isObject(privacy) || !nonEmptyString(privacy.url) || !/^https?:\/\//.test(privacy.url)) {
		return invalid(`Param ${at}[business_privacy][url] must be a valid URL`);
	}
	const days = payload.expires_in_days;
	if (days !== undefined && (!Number.isInteger(days) || (days as number) < 1 || (days as number) > 7)) {
		return invalid(`Param ${at}[expires_in_days] must be an integer from 1 to 7`);
	}
	return null;
}

function validateImageList(attachments: unknown, context: SendContext): GraphError | null {
	if (!Array.isArray(attachments) || attachments.length < 1 || attachments.length > MAX_IMAGES_IN_ATTACHMENTS) {
		return invalid(`Param message[attachments] must be an array of 1 to ${MAX_IMAGES_IN_ATTACHMENTS} images`);
	}
	if (context.file) return invalid('filedata needs message[attachment], not message[attachments]');
	for (const [index, attachment] of attachments.entries()) {
		const at = `message[attachments][${index}]`;
		if (!isObject(attachment) || attachment.type !== 'image') return invalid(`Param ${at}[type] must be image`);
		const error = validateAttachment(attachment, { isAttachmentUsable: context.isAttachmentUsable }, at);
		if (error) return error;
	}
	return null;
}

/** An uploaded image for Instagram: png, jpeg or gif, at most 8 MB. */
function validateInstagramImage(file: UploadedFile): GraphError | null {
	if (!INSTAGRAM_IMAGE_MIME_TYPES.includes(file.mimeType.split(';')[0].trim().toLowerCase())) {
		return invalid(`Instagram accepts images of type ${INSTAGRAM_IMAGE_MIME_TYPES.join(', ')} only`, 2018047);
	}
	if (file.size > INSTAGRAM_MAX_IMAGE_BYTES) {
		return invalid(`Attachment size exceeds the allowable limit of ${INSTAGRAM_MAX_IMAGE_BYTES} bytes for an Instagram image`, 2018109);
	}
	return null;
}

/** A heart sticker takes no payload; a post share takes the post's media ID. Neither carries a file. */
function validateInstagramAttachment(attachment: Record<string, unknown>, file: UploadedFile | undefined, at: string): GraphError | null {
	if (file) return invalid(`filedata needs a media attachment, not ${String(attachment.type)}`);
	const payload = attachment.payload;
	if (attachment.type === 'like_heart') {
		return payload === undefined || (isObject(payload) && Object.keys(payload).length === 0) ? null : invalid(`Param ${at}[payload] must be empty for like_heart`);
	}
	const id = isObject(payload) ? payload.id : undefined;
	if (!nonEmptyString(id) && typeof id !== 'number') return invalid(`Param ${at}[payload][id] is required for MEDIA_SHARE`);
	return null;
}

/** Instagram's stricter rules for a message (checked before the common ones). */
function validateInstagram(params: Record<string, unknown>, message: Record<string, unknown>, file: UploadedFile | undefined): GraphError | null {
	const tag = params.tag === '' ? undefined : params.tag;
	if (tag !== undefined && !RETIRED_TAGS.includes(String(tag)) && !INSTAGRAM_TAGS.includes(String(tag))) {
		return invalid(`Param tag must be one of {${INSTAGRAM_TAGS.join(', ')}} for Instagram messaging`);
	}
	if (typeof message.text === 'string' && Buffer.byteLength(message.text, 'utf8') > INSTAGRAM_MAX_TEXT_BYTES) {
		return invalid(`Param message[text] must be at most ${INSTAGRAM_MAX_TEXT_BYTES} bytes (UTF-8) for Instagram messaging`);
	}
	const attachment = isObject(message.attachment) ? message.attachment : {};
	const payload = isObject(attachment.payload) ? attachment.payload : {};
	if (attachment.type === 'template' && !INSTAGRAM_TEMPLATE_TYPES.includes(String(payload.template_type))) {
		return invalid(`Param message[attachment][payload][template_type] must be one of {${INSTAGRAM_TEMPLATE_TYPES.join(', ')}} for Instagram messaging`);
	}
	if (attachment.type === 'image' && file) return validateInstagramImage(file);
	if (Array.isArray(message.attachments) && message.attachments.length > INSTAGRAM_MAX_IMAGES_IN_ATTACHMENTS) {
		return invalid(`Param message[attachments] must have at most ${INSTAGRAM_MAX_IMAGES_IN_ATTACHMENTS} images for Instagram messaging`);
	}
	if (Array.isArray(message.quick_replies) && message.quick_replies.some((reply) => isObject(reply) && reply.content_type !== 'text')) {
		return invalid('Param message[quick_replies][content_type] must be text for Instagram messaging');
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
