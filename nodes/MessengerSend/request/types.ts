import type { IDataObject } from 'n8n-workflow';

import type { TemplateInput } from '../templates/inputs';

/** The bytes of a file that travels inside the request (multipart `filedata`). */
export interface FileUpload {
	data: Buffer;
	fileName: string;
	mimeType: string;
}

/**
 * One Send API call, as the pure builders produce it and the transport sends it.
 * `body` holds the Send API parameters by their API names (recipient, message, tag, ...).
 */
export interface SendRequest {
	body: IDataObject;
	file?: FileUpload;
	/** The Page edge it goes to: `messages` (default) or `message_attachments` (upload only). */
	edge?: 'messages' | 'message_attachments';
	/** Show the typing indicator this long before the message (a typing_on send goes first). */
	typingFirstMs?: number;
}

export type RecipientType = 'id' | 'user_ref' | 'comment_id' | 'post_id';

export interface RecipientInput {
	type: RecipientType;
	value: string;
}

export type QuickReplyContentType = 'text' | 'user_phone_number' | 'user_email';

export interface QuickReplyInput {
	contentType: QuickReplyContentType;
	title?: string;
	payload?: string;
	imageUrl?: string;
}

/** The optional message settings shared by Send Message, Send Attachment and Tagged Update. */
export interface MessageOptions {
	quickReplies?: QuickReplyInput[];
	metadata?: string;
	notificationType?: string;
	personaId?: string;
	replyTo?: string;
	typingFirstSeconds?: number;
}

export type AttachmentType = 'image' | 'audio' | 'video' | 'file';

/** Attachments only Instagram has, named as the Send API names them: a heart sticker, a shared post. */
export type InstagramAttachmentType = 'like_heart' | 'MEDIA_SHARE';

export type AttachmentInput =
	| { type: AttachmentType; source: 'url'; url: string; isReusable: boolean }
	| { type: AttachmentType; source: 'attachmentId'; attachmentId: string }
	| { type: AttachmentType; source: 'binary'; file: FileUpload; isReusable: boolean }
	| { type: AttachmentType; source: 'imageUrls'; urls: string[] }
	| { type: 'template'; source: 'template'; template: TemplateInput }
	| { type: 'like_heart'; source: 'sticker' }
	| { type: 'MEDIA_SHARE'; source: 'post'; postId: string };
