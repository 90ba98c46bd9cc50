import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { buildTemplate, readTemplate } from '../templates';
import { asText, readText } from './parameters';
import type { AttachmentInput, AttachmentType, FileUpload } from './types';

export function readTemplateAttachment(ctx: IExecuteFunctions, item: number): AttachmentInput {
	return { type: 'template', source: 'template', template: readTemplate(ctx, item) };
}

/** Reads the attachment fields; `withTemplate` where the attachment type offers "Template". */
export async function readAttachment(ctx: IExecuteFunctions, item: number, withTemplate = false): Promise<AttachmentInput> {
	// Read as text: it names the file below, before validation, and expressions can give objects.
	const type = readText(ctx, 'attachmentType', item, 'Attachment Type') as AttachmentType;
	if (withTemplate && (type as string) === 'template') return readTemplateAttachment(ctx, item);
	if (withTemplate && (type as string) === 'like_heart') return { type: 'like_heart', source: 'sticker' };
	if (withTemplate && (type as string) === 'MEDIA_SHARE') {
		return { type: 'MEDIA_SHARE', source: 'post', postId: readText(ctx, 'instagramPostId', item, 'Instagram Post ID') };
	}
	const source = ctx.getNodeParameter('attachmentSource', item) as 'url' | 'attachmentId' | 'binary' | 'imageUrls';
	if (source === 'imageUrls') return { type, source, urls: readUrlList(ctx, item) };
	if (source === 'attachmentId') {
		return { type, source, attachmentId: readText(ctx, 'attachmentId', item, 'Attachment ID') };
	}
	const isReusable = ctx.getNodeParameter('isReusable', item, false) as boolean;
	if (source === 'url') {
		return { type, source, url: readText(ctx, 'attachmentUrl', item, 'URL'), isReusable };
	}
	const field = readText(ctx, 'binaryPropertyName', item, 'Input Binary Field');
	const binary = ctx.helpers.assertBinaryData(item, field);
	const file: FileUpload = {
		data: await ctx.helpers.getBinaryDataBuffer(item, field),
		// Never empty: a multipart part without a file name arrives as a text field, not a file.
		fileName: binary.fileName || `${type}${binary.fileExtension ? `.${binary.fileExtension}` : ''}`,
		mimeType: binary.mimeType || 'application/octet-stream',
	};
	return { type, source, file, isReusable };
}

/** The `message.attachment` of a request, and the file that travels with it if any. */
/** Image URLs as typed (one per line) or as an expression's list. */
function readUrlList(ctx: IExecuteFunctions, item: number): string[] {
	const value = ctx.getNodeParameter('imageUrls', item, '') as unknown;
	const urls = Array.isArray(value)
		? value.map((url, index) => asText(url, item, `Image URL ${index + 1}`))
		: asText(value, item, 'Image URLs').split(/\s+/);
	return urls.map((url) => url.trim()).filter((url) => url !== '');
}

/** The `message` content of an attachment send: one `attachment`, or several images as `attachments`. */
export function attachmentMessage(input: AttachmentInput): { message: IDataObject; file?: FileUpload } {
	if (input.source === 'imageUrls') {
		return { message: { attachments: input.urls.map((url) => ({ type: input.type, payload: { url } })) } };
	}
	const { attachment, file } = buildAttachment(input);
	return file ? { message: { attachment }, file } : { message: { attachment } };
}

export function buildAttachment(input: Exclude<AttachmentInput, { source: 'imageUrls' }>): { attachment: IDataObject; file?: FileUpload } {
	switch (input.source) {
		case 'url':
			return {
				attachment: {
					type: input.type,
					payload: input.isReusable ? { url: input.url.trim(), is_reusable: true } : { url: input.url.trim() },
				},
			};
		case 'attachmentId':
			return { attachment: { type: input.type, payload: { attachment_id: input.attachmentId.trim() } } };
		case 'binary':
			return {
				attachment: { type: input.type, payload: input.isReusable ? { is_reusable: true } : {} },
				file: input.file,
			};
		case 'template':
			return { attachment: buildTemplate(input.template) };
		case 'sticker':
			// The heart sticker has no payload at all.
			return { attachment: { type: 'like_heart' } };
		case 'post':
			return { attachment: { type: 'MEDIA_SHARE', payload: { id: input.postId.trim() } } };
	}
}
