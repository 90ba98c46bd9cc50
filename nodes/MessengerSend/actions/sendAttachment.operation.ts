import { type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { attachmentFields } from '../descriptions/attachment';
import { attachmentMessage, readAttachment } from '../request/attachment';
import { messageOptionsField, messagingTypeField } from '../descriptions/message';
import { readMessageOptions, withMessageOptions, withTyping } from '../request/message';
import { ALL_RECIPIENT_TYPES, recipientFields } from '../descriptions/recipient';
import { buildRecipient, readRecipient } from '../request/recipient';
import type { AttachmentInput, MessageOptions, RecipientInput, SendRequest } from '../request/types';

const properties: INodeProperties[] = [
	...recipientFields(ALL_RECIPIENT_TYPES),
	messagingTypeField,
	...attachmentFields(true),
	messageOptionsField(true),
];

export const description = updateDisplayOptions({ show: { operation: ['sendAttachment'] } }, properties);

export interface SendAttachmentInput {
	recipient: RecipientInput;
	messagingType: string;
	attachment: AttachmentInput;
	options: MessageOptions;
}

export function build(input: SendAttachmentInput): SendRequest {
	const { message, file } = attachmentMessage(input.attachment);
	const body = withMessageOptions(
		{
			recipient: buildRecipient(input.recipient),
			messaging_type: input.messagingType,
			message,
		},
		input.options,
	);
	return withTyping(file ? { body, file } : { body }, input.options);
}

export async function prepare(this: IExecuteFunctions, item: number): Promise<SendRequest> {
	return build({
		recipient: readRecipient(this, item),
		messagingType: this.getNodeParameter('messagingType', item) as string,
		attachment: await readAttachment(this, item, true),
		options: readMessageOptions(this, item),
	});
}
