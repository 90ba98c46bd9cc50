// The rules of attachments (media by URL, upload or ID, templates) and Instagram's own, as pure
// functions: one attachment or message in, a Graph error (or null) out. rules.cts calls them.
import {
	ATTACHMENT_TYPES,
	codePoints,
	INSTAGRAM_ATTACHMENT_TYPES,
	INSTAGRAM_IMAGE_MIME_TYPES,
	INSTAGRAM_MAX_IMAGES_IN_ATTACHMENTS,
	INSTAGRAM_MAX_IMAGE_BYTES,
	INSTAGRAM_MAX_TEXT_BYTES,
	INSTAGRAM_TAGS,
	INSTAGRAM_TEMPLATE_TYPES,
	invalid,
	isObject,
	MAX_FILE_BYTES,
	MAX_IMAGES_IN_ATTACHMENTS,
	nonEmptyString,
	RETIRED_TAGS,
	type SendContext,
	type UploadedFile,
} from './ruleValues.cjs';
import type { GraphError } from './types.cjs';

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

export function validateImageList(attachments: unknown, context: SendContext): GraphError | null {
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
export function validateInstagramImage(file: UploadedFile): GraphError | null {
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
export function validateInstagram(params: Record<string, unknown>, message: Record<string, unknown>, file: UploadedFile | undefined): GraphError | null {
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
