import { type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { ATTACHMENT_TYPE, INSTAGRAM_ATTACHMENT_TYPE, MEDIA_TYPE, MEGABYTE, optionsOf, SEND_API_LIMITS, type Assert, type InstagramAttachmentType as RulesInstagramAttachmentType, type MediaType, type Same } from '../rules';
import { templateFields } from '../templates';
import type { AttachmentType, InstagramAttachmentType } from '../request/types';

/** The file types of an attachment, as the editor offers them (Upload Attachment and Tagged Update offer only these). */
export const MEDIA_TYPES = MEDIA_TYPE.options;
/** Send Attachment's full list: files, a template, and Instagram's own attachments (offered to everyone: the platform is the credential's, refused on Messenger before sending). */
const ALL_ATTACHMENT_TYPES = optionsOf([...ATTACHMENT_TYPE.list, ...INSTAGRAM_ATTACHMENT_TYPE.list]);
/** Attachment types that have no file, so the Source fields are hidden for them. */
const WITHOUT_SOURCE = ['template', ...INSTAGRAM_ATTACHMENT_TYPE.values];

/** request/types.ts spells these unions out too: this fails to compile if they drift from the value lists in ../rules. */
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
		...updateDisplayOptions({ show: { attachmentType: ['template'] } }, templateFields(false)),
	];
}
