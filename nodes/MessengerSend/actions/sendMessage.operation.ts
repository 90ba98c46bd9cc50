import { type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { messageOptionsField, messagingTypeField, textField } from '../descriptions/message';
import { readMessageOptions, withMessageOptions, withTyping } from '../request/message';
import { attachmentMessage, readTemplateAttachment } from '../request/attachment';
import { readText } from '../request/parameters';
import { ALL_RECIPIENT_TYPES, recipientFields } from '../descriptions/recipient';
import { buildRecipient, readRecipient } from '../request/recipient';
import { templateFields } from '../templates';
import type { AttachmentInput, MessageOptions, RecipientInput, SendRequest } from '../request/types';

const properties: INodeProperties[] = [
	...recipientFields(ALL_RECIPIENT_TYPES),
	messagingTypeField,
	{
		displayName: 'Content',
		name: 'contentType',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Template',
				value: 'template',
				description: 'Buttons, a carousel, media or a receipt, built from fields (also in Send Attachment)',
			},
			{ name: 'Text', value: 'text' },
		],
		default: 'text',
	},
	...updateDisplayOptions({ show: { contentType: ['text'] } }, [textField]),
	...updateDisplayOptions({ show: { contentType: ['template'] } }, templateFields(false)),
	messageOptionsField(true),
];

export const description = updateDisplayOptions({ show: { operation: ['sendMessage'] } }, properties);

export interface SendMessageInput {
	recipient: RecipientInput;
	messagingType: string;
	/** Text, or a template (a structured message is an attachment of type template). */
	content: { text: string } | { template: AttachmentInput };
	options: MessageOptions;
}

export function build(input: SendMessageInput): SendRequest {
	const body = withMessageOptions(
		{
			recipient: buildRecipient(input.recipient),
			messaging_type: input.messagingType,
			message: 'text' in input.content ? { text: input.content.text } : attachmentMessage(input.content.template).message,
		},
		input.options,
	);
	return withTyping({ body }, input.options);
}

export async function prepare(this: IExecuteFunctions, item: number): Promise<SendRequest> {
	return build({
		recipient: readRecipient(this, item),
		messagingType: this.getNodeParameter('messagingType', item) as string,
		content:
			this.getNodeParameter('contentType', item, 'text') === 'template'
				? { template: readTemplateAttachment(this, item) }
				: { text: readText(this, 'text', item, 'Text') },
		options: readMessageOptions(this, item),
	});
}
