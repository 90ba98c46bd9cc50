import { SEND_AND_WAIT_OPERATION, updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties, type INodePropertyOptions } from 'n8n-workflow';

import * as sendAttachment from './sendAttachment.operation';
import * as sendMessage from './sendMessage.operation';
import * as senderAction from './senderAction.operation';
import * as taggedUpdate from './taggedUpdate.operation';
import * as uploadAttachment from './uploadAttachment.operation';
import { getConversation } from './conversation/getConversation.operation';
import { getThreadOwner } from './conversation/getThreadOwner.operation';
import { passToApp } from './conversation/passToApp.operation';
import { passToPageInbox } from './conversation/passToPageInbox.operation';
import { release } from './conversation/release.operation';
import { requestControl } from './conversation/requestControl.operation';
import { takeBack } from './conversation/takeBack.operation';
import type { GraphAction } from './graphAction';
import { getPerson } from './person/getPerson.operation';
import { deleteProfile } from './pageProfile/deleteProfile.operation';
import { getProfile } from './pageProfile/getProfile.operation';
import { profilePropertiesField } from './pageProfile/fields';
import { setProfile } from './pageProfile/setProfile.operation';
import { createPersona } from './persona/createPersona.operation';
import { deletePersona } from './persona/deletePersona.operation';
import { getManyPersonas } from './persona/getManyPersonas.operation';
import type { SendRequest } from '../request/types';
import { description as sendAndWaitFields } from '../sendAndWait/description';
import { prepare as prepareQuestion, readWaitTill, waitForAnswer } from '../sendAndWait/operation';

/** An operation: its editor fields, and how an item becomes its Send API request. */
interface Operation {
	option: INodePropertyOptions & { action: string };
	description: INodeProperties[];
	prepare(this: IExecuteFunctions, item: number): Promise<SendRequest> | SendRequest;
	/** An operation that sends one question (the first item's) and then waits for the answer. */
	wait?: {
		until(ctx: IExecuteFunctions, item: number): Date;
		after(ctx: IExecuteFunctions, output: INodeExecutionData[], until: Date): Promise<INodeExecutionData[][]>;
	};
}

/** Every operation, in the editor's order. Adding one: its file, and one entry here. */
export const OPERATIONS = {
	[SEND_AND_WAIT_OPERATION]: {
		option: {
			name: 'Send and Wait for Response',
			value: SEND_AND_WAIT_OPERATION,
			action: 'Send a message and wait for response',
			description: 'Ask the person a question with buttons (approve or decline) or a short form, and wait until they answer',
		},
		description: sendAndWaitFields,
		prepare: prepareQuestion,
		wait: { until: readWaitTill, after: waitForAnswer },
	},
	sendAttachment: {
		option: {
			name: 'Send Attachment',
			value: 'sendAttachment',
			action: 'Send an attachment',
			description: 'Send an image, audio, video or file (from a URL, a saved attachment or binary data), or a template',
		},
		...sendAttachment,
	},
	sendMessage: {
		option: { name: 'Send Message', value: 'sendMessage', action: 'Send a text message', description: 'Send a text message, with optional quick replies' },
		...sendMessage,
	},
	senderAction: {
		option: { name: 'Sender Action', value: 'senderAction', action: 'Send a sender action', description: 'Show typing, mark as seen, or react to a message' },
		...senderAction,
	},
	taggedUpdate: {
		option: {
			name: 'Tagged Update',
			value: 'taggedUpdate',
			action: 'Send a tagged update',
			description: 'Send a message outside the 24-hour window with a message tag',
		},
		...taggedUpdate,
	},
	uploadAttachment: {
		option: {
			name: 'Upload Attachment',
			value: 'uploadAttachment',
			action: 'Upload an attachment',
			description: 'Store a file for the Page once and get an attachment_id to send it many times',
		},
		...uploadAttachment,
	},
} satisfies Record<string, Operation>;

export type OperationName = keyof typeof OPERATIONS;

/** The resources: Message (every send, the default: workflows saved before resources existed have none), Conversation, Page Profile, Person, Persona. */
export const resourceField: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Conversation', value: 'conversation', description: 'Hand a conversation to the Page’s people and back, see who handles it, read its messages' },
		{ name: 'Message', value: 'message', description: 'Send messages, attachments, typing indicators and reactions' },
		{ name: 'Page Profile', value: 'pageProfile', description: 'The Page’s entry points: Get Started, greeting, ice breakers, persistent menu, allowed domains' },
		{ name: 'Person', value: 'person', description: 'Read the profile of a person who wrote to the Page' },
		{ name: 'Persona', value: 'persona', description: 'Names and pictures of the Page’s human agents, to send as' },
	],
	default: 'message',
};

const forMessages = { show: { resource: ['message'] } };

export const operationField: INodeProperties = updateDisplayOptions(forMessages, [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: Object.values(OPERATIONS).map(({ option }) => option),
		default: 'sendMessage',
	},
])[0];

/** Every operation's editor fields (each shown only for its operation). */
export const operationFields: INodeProperties[] = updateDisplayOptions(
	forMessages,
	(['sendMessage', 'sendAttachment', 'senderAction', 'taggedUpdate', 'uploadAttachment', SEND_AND_WAIT_OPERATION] as const).flatMap((name) => OPERATIONS[name].description),
);

/** The operation by its parameter value; an unknown one (a workflow from a newer version) is refused. */
export function operationNamed(name: string): Operation | undefined {
	return Object.prototype.hasOwnProperty.call(OPERATIONS, name) ? (OPERATIONS as Record<string, Operation>)[name] : undefined;
}

/** The actions of the other resources, in the editor's order (each file in conversation/, pageProfile/, person/ or persona/). */
export const GRAPH_ACTIONS: Record<'conversation' | 'pageProfile' | 'person' | 'persona', Record<string, GraphAction>> = {
	conversation: { getConversation, getThreadOwner, passToApp, passToPageInbox, release, requestControl, takeBack },
	pageProfile: { delete: deleteProfile, get: getProfile, set: setProfile },
	person: { getPerson },
	persona: { create: createPersona, delete: deletePersona, getAll: getManyPersonas },
};

const optionsOf = (resource: keyof typeof GRAPH_ACTIONS) => Object.values(GRAPH_ACTIONS[resource]).map(({ option }) => option);
const fieldsOf = (resource: keyof typeof GRAPH_ACTIONS) => Object.values(GRAPH_ACTIONS[resource]).flatMap((action) => action.description);
const forResource = (resource: keyof typeof GRAPH_ACTIONS) => ({ show: { resource: [resource] } });

/** The Operation selector of each other resource and its actions' fields. */
export const graphActionFields: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: forResource('conversation'),
		options: optionsOf('conversation'),
		default: 'passToPageInbox',
	},
	...fieldsOf('conversation'),
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: forResource('pageProfile'),
		options: optionsOf('pageProfile'),
		default: 'get',
	},
	profilePropertiesField,
	...fieldsOf('pageProfile'),
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: forResource('person'),
		options: optionsOf('person'),
		default: 'getPerson',
	},
	...fieldsOf('person'),
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: forResource('persona'),
		options: optionsOf('persona'),
		default: 'getAll',
	},
	...fieldsOf('persona'),
];

/** The action of another resource by its parameter values; undefined when unknown. */
export function graphActionNamed(resource: string, operation: string): GraphAction | undefined {
	const actions = Object.prototype.hasOwnProperty.call(GRAPH_ACTIONS, resource) ? GRAPH_ACTIONS[resource as keyof typeof GRAPH_ACTIONS] : undefined;
	return actions && Object.prototype.hasOwnProperty.call(actions, operation) ? actions[operation] : undefined;
}
