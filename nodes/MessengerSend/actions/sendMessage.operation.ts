import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { showOnlyFor } from '../shared/displayOptions';
import { messageOptionsField, messagingTypeField, readMessageOptions, textField, withMessageOptions, withTyping } from '../shared/message';
import { readText } from '../shared/parameters';
import { ALL_RECIPIENT_TYPES, buildRecipient, readRecipient, recipientFields } from '../shared/recipient';
import type { MessageOptions, RecipientInput, SendRequest } from '../shared/types';

const properties: INodeProperties[] = [
	...recipientFields(ALL_RECIPIENT_TYPES),
	messagingTypeField,
	textField,
	messageOptionsField(true),
];

export const description = showOnlyFor({ operation: ['sendMessage'] }, properties);

export interface SendMessageInput {
	recipient: RecipientInput;
	messagingType: string;
	text: string;
	options: MessageOptions;
}

export function build(input: SendMessageInput): SendRequest {
	const body = withMessageOptions(
		{
			recipient: buildRecipient(input.recipient),
			messaging_type: input.messagingType,
			message: { text: input.text },
		},
		input.options,
	);
	return withTyping({ body }, input.options);
}

export async function prepare(this: IExecuteFunctions, item: number): Promise<SendRequest> {
	return build({
		recipient: readRecipient.call(this, item),
		messagingType: this.getNodeParameter('messagingType', item) as string,
		text: readText(this, 'text', item, 'Text'),
		options: readMessageOptions(this, item),
	});
}
