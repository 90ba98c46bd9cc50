// The Send API's rules as data and the small helpers every rule uses: limits, allowed values,
// the shape of a Graph error. Limits and codes follow /work/shared/messenger-send-api.md.
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

export const invalid = (message: string, subcode?: number) => graphError(100, `(#100) ${message}`, { subcode });

export function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Length as Messenger counts it: Unicode code points, so an emoji is one character. */
export function codePoints(text: string): number {
	return [...text].length;
}

export function nonEmptyString(value: unknown): value is string {
	return typeof value === 'string' && value.trim() !== '';
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
