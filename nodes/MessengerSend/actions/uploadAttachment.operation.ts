import { type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { attachmentMessage, readAttachment } from '../request/attachment';
import { binaryField, MEDIA_TYPES, urlField } from '../descriptions/attachment';
import type { AttachmentInput, SendRequest } from '../request/types';

const properties: INodeProperties[] = [
	{
		displayName: 'Attachment Type',
		name: 'attachmentType',
		type: 'options',
		options: MEDIA_TYPES,
		default: 'image',
		description: 'How Messenger will show the file when it is sent',
	},
	{
		displayName: 'Source',
		name: 'attachmentSource',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Binary Data From Input',
				value: 'binary',
				description: 'Upload the file from a binary field of the input item (e.g. from Read File or HTTP Request)',
			},
			{ name: 'URL', value: 'url', description: 'Messenger downloads the file from a public URL' },
		],
		default: 'url',
	},
	urlField,
	binaryField,
	{
		displayName:
			'Returns an attachment_id: send it as many times as you like with Send Attachment → Saved Attachment ID. Meta deletes it after 90 days.',
		name: 'uploadNotice',
		type: 'notice',
		default: '',
	},
];

export const description = updateDisplayOptions({ show: { operation: ['uploadAttachment'] } }, properties);

export interface UploadAttachmentInput {
	attachment: AttachmentInput;
}

/** POST /{page}/message_attachments: the file is stored for the Page, nobody gets a message. */
export function build(input: UploadAttachmentInput): SendRequest {
	const reusable = input.attachment.source === 'url' || input.attachment.source === 'binary' ? { ...input.attachment, isReusable: true } : input.attachment;
	const { message, file } = attachmentMessage(reusable);
	const request: SendRequest = { edge: 'message_attachments', body: { message } };
	return file ? { ...request, file } : request;
}

export async function prepare(this: IExecuteFunctions, item: number): Promise<SendRequest> {
	return build({ attachment: await readAttachment(this, item) });
}
