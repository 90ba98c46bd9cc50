import { type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { attachmentFields } from '../descriptions/attachment';
import { attachmentMessage, readAttachment, readTemplateAttachment } from '../request/attachment';
import { MESSAGE_TAG, RETIRED_TAGS, TAG_RETIREMENT_DATE } from '../rules';
import { messageOptionsField, textField } from '../descriptions/message';
import { readMessageOptions, withMessageOptions, withTyping } from '../request/message';
import { readText } from '../request/parameters';
import { templateFields } from '../templates';
import { buildRecipient, readRecipient } from '../request/recipient';
import { PERSON_RECIPIENT_TYPES, recipientFields } from '../descriptions/recipient';
import type { AttachmentInput, FileUpload, MessageOptions, RecipientInput, SendRequest } from '../request/types';

const properties: INodeProperties[] = [
	...recipientFields(PERSON_RECIPIENT_TYPES),
	{
		displayName: 'Tag',
		name: 'tag',
		type: 'options',
		options: MESSAGE_TAG.options,
		default: 'HUMAN_AGENT',
		description: `Why a message may go out after the 24-hour window. Never for promotions. Meta retired ${RETIRED_TAGS.join(', ')} on ${TAG_RETIREMENT_DATE}.`,
	},
	{
		displayName: 'Content',
		name: 'contentType',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Attachment', value: 'attachment' },
			{
				name: 'Template',
				value: 'template',
				description: 'A structured message; the Customer Feedback tag goes only with the Customer Feedback template',
			},
			{ name: 'Text', value: 'text' },
		],
		default: 'text',
	},
	...updateDisplayOptions({ show: { contentType: ['text'] } }, [textField]),
	...updateDisplayOptions({ show: { contentType: ['attachment'] } }, attachmentFields(false)),
	...updateDisplayOptions({ show: { contentType: ['template'] } }, templateFields(true)),
	messageOptionsField(false),
];

export const description = updateDisplayOptions({ show: { operation: ['taggedUpdate'] } }, properties);

export interface TaggedUpdateInput {
	recipient: RecipientInput;
	tag: string;
	content: { text: string } | { attachment: AttachmentInput };
	options: MessageOptions;
}

export function build(input: TaggedUpdateInput): SendRequest {
	let message;
	let file: FileUpload | undefined;
	if ('text' in input.content) {
		message = { text: input.content.text };
	} else {
		({ message, file } = attachmentMessage(input.content.attachment));
	}
	const body = withMessageOptions(
		{
			recipient: buildRecipient(input.recipient),
			messaging_type: 'MESSAGE_TAG',
			tag: input.tag,
			message,
		},
		input.options,
	);
	return withTyping(file ? { body, file } : { body }, input.options);
}

async function readContent(ctx: IExecuteFunctions, contentType: string, item: number): Promise<TaggedUpdateInput['content']> {
	if (contentType === 'attachment') return { attachment: await readAttachment(ctx, item) };
	if (contentType === 'template') return { attachment: readTemplateAttachment(ctx, item) };
	return { text: readText(ctx, 'text', item, 'Text') };
}

export async function prepare(this: IExecuteFunctions, item: number): Promise<SendRequest> {
	const contentType = this.getNodeParameter('contentType', item) as string;
	return build({
		recipient: readRecipient(this, item),
		tag: readText(this, 'tag', item, 'Tag'),
		content: await readContent(this, contentType, item),
		options: readMessageOptions(this, item),
	});
}
