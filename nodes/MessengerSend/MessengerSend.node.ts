import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { router } from './actions/router';
import * as sendAttachment from './actions/sendAttachment.operation';
import * as sendMessage from './actions/sendMessage.operation';
import * as senderAction from './actions/senderAction.operation';
import * as taggedUpdate from './actions/taggedUpdate.operation';
import * as uploadAttachment from './actions/uploadAttachment.operation';
import { deliveryOptionsField } from './shared/delivery';

export class MessengerSend implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Messenger Send',
		name: 'messengerSend',
		icon: { light: 'file:messenger.svg', dark: 'file:messenger.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description:
			'Send a Facebook Messenger or Instagram message from a Page to one person (by PSID): text (fewer than 2000 characters) with quick replies, an image, file or template, a typing indicator or reaction, or a tagged update outside the 24-hour window. Returns the message_id.',
		defaults: { name: 'Messenger Send' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'messengerPageApi', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Send Attachment',
						value: 'sendAttachment',
						action: 'Send an attachment',
						description: 'Send an image, audio, video or file (from a URL, a saved attachment or binary data), or a template',
					},
					{
						name: 'Send Message',
						value: 'sendMessage',
						action: 'Send a text message',
						description: 'Send a text message, with optional quick replies',
					},
					{
						name: 'Sender Action',
						value: 'senderAction',
						action: 'Send a sender action',
						description: 'Show typing, mark as seen, or react to a message',
					},
					{
						name: 'Tagged Update',
						value: 'taggedUpdate',
						action: 'Send a tagged update',
						description: 'Send a message outside the 24-hour window with a message tag',
					},
					{
						name: 'Upload Attachment',
						value: 'uploadAttachment',
						action: 'Upload an attachment',
						description: 'Store a file for the Page once and get an attachment_id to send it many times',
					},
				],
				default: 'sendMessage',
			},
			{
				displayName: 'Page ID',
				name: 'pageId',
				type: 'string',
				required: true,
				default: 'me',
				description:
					'The ID of the Facebook Page that sends. "me" is the Page the access token belongs to.',
			},
			...sendMessage.description,
			...sendAttachment.description,
			...senderAction.description,
			...taggedUpdate.description,
			...uploadAttachment.description,
			deliveryOptionsField,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
