import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
	updateDisplayOptions,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../shared/graph';
import { graphActionFields, operationField, operationFields, resourceField } from './actions/index';
import { router } from './actions/router';
import { answerWebhooks } from './sendAndWait/description';
import { receiveAnswer } from './sendAndWait/answer';
import { deliveryOptionsField } from './descriptions/delivery';
import { SEARCH_PERSONAS } from './descriptions/persona';
import { searchPersonas } from './actions/persona/personas';

/** The node: its description (the operations' fields come from actions/index.ts) and the router. */
export class MessengerSend implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Messenger Send',
		name: 'messengerSend',
		icon: { light: 'file:../shared/messenger.svg', dark: 'file:../shared/messenger.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description:
			'Send a Facebook Messenger or Instagram message from a Page to one person (by PSID): text (fewer than 2000 characters) with quick replies, an image, file or template, a typing indicator or reaction, or a tagged update outside the 24-hour window. Returns the message_id. Also hands a conversation to the Page’s people (Page Inbox) and back, reads its recent messages, reads the person’s name and picture, sets the Page’s entry points (Get Started, greeting, ice breakers, persistent menu) and manages its personas.',
		defaults: { name: 'Messenger Send' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		webhooks: answerWebhooks,
		properties: [
			resourceField,
			operationField,
			...graphActionFields,
			{
				displayName: 'Page ID',
				name: 'pageId',
				type: 'string',
				required: true,
				default: 'me',
				description: 'The ID of the Facebook Page that sends. "me" is the Page the access token belongs to.',
			},
			...operationFields,
			...updateDisplayOptions({ show: { resource: ['message'] } }, [deliveryOptionsField]),
		],
	};

	methods = { listSearch: { [SEARCH_PERSONAS]: searchPersonas } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveAnswer(this);
	}
}
