import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { showOnlyFor } from './displayOptions';
import {
	ATTACHMENT_TYPE,
	INSTAGRAM_ATTACHMENT_TYPE,
	MEDIA_TYPE,
	MEGABYTE,
	optionsOf,
	SEND_API_LIMITS,
	type Assert,
	type InstagramAttachmentType as RulesInstagramAttachmentType,
	type MediaType,
	type Same,
} from '../rules';
import { asText, readText } from './parameters';
import { buildTemplate, readTemplate, templateFields } from '../templates';
import type { AttachmentInput, AttachmentType, FileUpload, InstagramAttachmentType } from './types';

/** The file types of an attachment, as the editor offers them (Upload Attachment and Tagged Update offer only these). */
export const MEDIA_TYPES = MEDIA_TYPE.options;
/** Send Attachment's full list: files, a template, and Instagram's own attachments (offered to everyone: the platform is the credential's, refused on Messenger before sending). */
const ALL_ATTACHMENT_TYPES = optionsOf([...ATTACHMENT_TYPE.list, ...INSTAGRAM_ATTACHMENT_TYPE.list]);
/** Attachment types that have no file, so the Source fields are hidden for them. */
const WITHOUT_SOURCE = ['template', ...INSTAGRAM_ATTACHMENT_TYPE.values];

/** shared/types.ts spells these unions out too: this fails to compile if they drift from the value lists in ../rules. */
export type TypesFollowValueLists = [
	Assert<Same<AttachmentType, MediaType>>,
	Assert<Same<InstagramAttachmentType, RulesInstagramAttachmentType>>,
];

const postIdField: INodeProperties = {
	displayName: 'Instagram Post ID',
	name: 'instagramPostId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 17895695668004550',
	description: 'The media ID of a post of the Instagram account that sends (the Graph API lists them on the account’s media edge)',
	displayOptions: { show: { attachmentType: ['MEDIA_SHARE'] } },
};

/** The source of a file attachment and only the fields of the chosen source (hidden for a template). */
/** A public file URL (shown for the URL source). */
export const urlField: INodeProperties = {
	displayName: 'URL',
	name: 'attachmentUrl',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'https://example.com/photo.jpg',
	description: `A public http(s) URL of the file (at most ${SEND_API_LIMITS.fileSize.max / MEGABYTE} MB; images at most ${SEND_API_LIMITS.instagramImageSize.max / MEGABYTE} MB)`,
	displayOptions: { show: { attachmentSource: ['url'] } },
};

/** The input binary field holding the file (shown for the binary source). */
export const binaryField: INodeProperties = {
	displayName: 'Input Binary Field',
	name: 'binaryPropertyName',
	type: 'string',
	required: true,
	default: 'data',
	hint: 'The name of the input binary field holding the file',
	description: `The file is uploaded with its file name and MIME type, at most ${SEND_API_LIMITS.fileSize.max / MEGABYTE} MB`,
	displayOptions: { show: { attachmentSource: ['binary'] } },
};

const sourceFields: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'attachmentSource',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'URL',
				value: 'url',
				description: 'Messenger downloads the file from a public URL',
			},
			{
				name: 'Saved Attachment ID',
				value: 'attachmentId',
				description: 'A file uploaded before with "Reusable" on (IDs expire after 90 days)',
			},
			{
				name: 'Binary Data From Input',
				value: 'binary',
				description: 'Upload the file from a binary field of the input item (e.g. from Read File or HTTP Request)',
			},
			{
				name: 'Several Image URLs',
				value: 'imageUrls',
				description: `Up to ${SEND_API_LIMITS.images.max} images in one message (Instagram reportedly 10), from public URLs (Attachment Type Image)`,
			},
		],
		default: 'url',
	},
	{
		displayName: 'Image URLs',
		name: 'imageUrls',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder: 'https://example.com/front.jpg\nhttps://example.com/back.jpg',
		description: `One public http(s) URL per line, at most ${SEND_API_LIMITS.images.max} (Instagram reportedly 10), or an expression that gives a list of URLs`,
		displayOptions: { show: { attachmentSource: ['imageUrls'] } },
	},
	urlField,
	{
		displayName: 'Attachment ID',
		name: 'attachmentId',
		type: 'string',
		required: true,
		default: '',
		description: 'The attachment_id returned by an earlier upload with "Reusable" on',
		displayOptions: { show: { attachmentSource: ['attachmentId'] } },
	},
	binaryField,
	{
		displayName: 'Reusable',
		name: 'isReusable',
		type: 'boolean',
		default: false,
		description:
			'Whether to keep the file on Meta’s side and return an attachment_id for sending it again without another upload',
		displayOptions: { show: { attachmentSource: ['url', 'binary'] } },
	},
];

/**
 * The attachment type and the fields it needs: a file's source, or with `withTemplate` (Send
 * Attachment's full list) also "Template" with the template fields and Instagram's own types.
 */
export function attachmentFields(withTemplate: boolean): INodeProperties[] {
	const typeField: INodeProperties = {
		displayName: 'Attachment Type',
		name: 'attachmentType',
		type: 'options',
		options: withTemplate ? ALL_ATTACHMENT_TYPES : MEDIA_TYPES,
		default: 'image',
		description: 'How Messenger shows the attachment',
	};
	if (!withTemplate) return [typeField, ...sourceFields];
	return [
		typeField,
		...sourceFields.map((field) => ({
			...field,
			displayOptions: { ...field.displayOptions, hide: { attachmentType: WITHOUT_SOURCE } },
		})),
		// Tagged Update's list has neither Instagram type, so the Post ID field belongs to the full list only.
		...(withTemplate ? [postIdField] : []),
		...showOnlyFor({ attachmentType: ['template'] }, templateFields(false)),
	];
}

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
