import type { INodeProperties } from 'n8n-workflow';

import { MESSAGING_TYPE, NOTIFICATION_TYPE, QUICK_REPLY_TYPE, SEND_API_LIMITS } from '../rules';
import { personaLocator } from './persona';

export const messagingTypeField: INodeProperties = {
	displayName: 'Messaging Type',
	name: 'messagingType',
	type: 'options',
	options: MESSAGING_TYPE.options,
	default: 'RESPONSE',
	description:
		'Why the message is sent. Outside the 24-hour window, use the Tagged Update operation instead.',
};

export const textField: INodeProperties = {
	displayName: 'Text',
	name: 'text',
	type: 'string',
	typeOptions: { rows: 4 },
	required: true,
	default: '',
	description: `The message text, fewer than ${SEND_API_LIMITS.text.max + 1} characters`,
};

/** The optional settings of a message; Reply To is left out where the 24-hour window is over. */
export function messageOptionsField(withReplyTo: boolean): INodeProperties {
	const options: INodeProperties[] = [
		{
			displayName: 'Metadata',
			name: 'metadata',
			type: 'string',
			default: '',
			description: `Text returned to your webhook in the message_echo event, fewer than ${SEND_API_LIMITS.metadata.max + 1} characters. The person does not see it.`,
		},
		{
			displayName: 'Notification Type',
			name: 'notificationType',
			type: 'options',
			options: NOTIFICATION_TYPE.options,
			default: 'REGULAR',
			description: 'How the person’s phone announces the message',
		},
		personaLocator({ description: 'Send as a persona of the Page (a named human agent with their own picture): pick one of the Page’s personas, or enter its ID' }),
		{
			displayName: 'Quick Replies',
			name: 'quickReplies',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			default: {},
			placeholder: 'Add Quick Reply',
			description: `Buttons shown above the keyboard, at most ${SEND_API_LIMITS.quickReplies.max}. They disappear once one is tapped.`,
			options: [
				{
					displayName: 'Quick Reply',
					name: 'reply',
					values: [
						{
							displayName: 'Type',
							name: 'contentType',
							type: 'options',
							options: QUICK_REPLY_TYPE.options,
							default: 'text',
						},
						{
							displayName: 'Title',
							name: 'title',
							type: 'string',
							default: '',
							description: `The button text, at most ${SEND_API_LIMITS.quickReplyTitle.max} characters`,
							displayOptions: { show: { contentType: ['text'] } },
						},
						{
							displayName: 'Payload',
							name: 'payload',
							type: 'string',
							default: '',
							description: `Sent back to your webhook when tapped, at most ${SEND_API_LIMITS.quickReplyPayload.max} characters`,
							displayOptions: { show: { contentType: ['text'] } },
						},
						{
							displayName: 'Image URL',
							name: 'imageUrl',
							type: 'string',
							default: '',
							description: 'Optional small icon shown on the button',
							displayOptions: { show: { contentType: ['text'] } },
						},
					],
				},
			],
		},
	];
	if (withReplyTo) {
		options.push({
			displayName: 'Reply To Message ID',
			name: 'replyTo',
			type: 'string',
			default: '',
			placeholder: 'e.g. m_AbC123',
			description:
				'Quote an earlier message of the conversation (its mid). The person must have written in the last 24 hours.',
		});
	}
	options.push({
		displayName: 'Show Typing First (Seconds)',
		name: 'typingFirstSeconds',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: SEND_API_LIMITS.typingFirstSeconds.max, numberPrecision: 1 },
		default: 2,
		description:
			'Show the typing indicator this long before the message arrives, as a person typing would (PSID and User Ref recipients)',
	});
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options,
	};
}
