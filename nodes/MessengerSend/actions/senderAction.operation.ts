import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { PLATFORMS, SENDER_ACTION } from '../rules';
import { readLocator, readText } from '../request/parameters';
import { personaLocator } from '../descriptions/persona';
import { buildRecipient, readRecipient } from '../request/recipient';
import { PERSON_RECIPIENT_TYPES, recipientFields } from '../descriptions/recipient';
import type { RecipientInput, SendRequest } from '../request/types';

const properties: INodeProperties[] = [
	...recipientFields(PERSON_RECIPIENT_TYPES),
	{
		displayName: 'Action',
		name: 'senderAction',
		type: 'options',
		options: SENDER_ACTION.options,
		default: 'typing_on',
		description: 'What the person sees. A sender action is always sent on its own, never with a message.',
	},
	{
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. m_AbC123',
		description: 'The mid of the message to react to, from the webhook',
		displayOptions: { show: { senderAction: ['react', 'unreact'] } },
	},
	{
		displayName: 'Reaction',
		name: 'reaction',
		type: 'string',
		required: true,
		default: '❤',
		// Sent as typed: the credential's platform is unknown here, and a refusal is explained (graphErrors.ts).
		description: `The emoji to react with. On Instagram, enter ${PLATFORMS.instagram.reaction} (Instagram names its reaction instead of taking an emoji).`,
		displayOptions: { show: { senderAction: ['react'] } },
	},
	personaLocator({
		description: 'Show the typing indicator as a persona of the Page: pick one of the Page’s personas, or enter its ID',
		displayOptions: { show: { senderAction: ['typing_on', 'typing_off'] } },
	}),
];

export const description = updateDisplayOptions({ show: { operation: ['senderAction'] } }, properties);

export interface SenderActionInput {
	recipient: RecipientInput;
	action: string;
	messageId?: string;
	reaction?: string;
	personaId?: string;
}

export function build(input: SenderActionInput): SendRequest {
	const body: IDataObject = { recipient: buildRecipient(input.recipient), sender_action: input.action };
	if (input.action === 'react') {
		body.payload = { message_id: (input.messageId ?? '').trim(), reaction: input.reaction ?? '' };
	} else if (input.action === 'unreact') {
		body.payload = { message_id: (input.messageId ?? '').trim() };
	} else if (input.personaId?.trim()) {
		body.persona_id = input.personaId.trim();
	}
	return { body };
}

export async function prepare(this: IExecuteFunctions, item: number): Promise<SendRequest> {
	const action = this.getNodeParameter('senderAction', item) as string;
	const reacting = action === 'react' || action === 'unreact';
	return build({
		recipient: readRecipient(this, item),
		action,
		messageId: reacting ? readText(this, 'messageId', item, 'Message ID') : undefined,
		reaction: action === 'react' ? readText(this, 'reaction', item, 'Reaction') : undefined,
		personaId: reacting || action === 'mark_seen' ? undefined : readLocator(this, 'personaId', item, 'Persona ID'),
	});
}
