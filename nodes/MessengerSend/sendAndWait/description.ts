// Send and Wait: its editor fields and the webhooks its answers come back to.
import { type INodeProperties, type IWebhookDescription, updateDisplayOptions } from 'n8n-workflow';

import { messagingTypeField } from '../descriptions/message';
import { recipientFields } from '../descriptions/recipient';
import { SEND_API_LIMITS } from '../rules';

/**
 * Where the answer comes back: n8n's signed resume URL of this node (GET: a tap or the form page;
 * POST: the form). Restart webhooks live only while an execution waits: nothing is registered
 * with Meta, so there is no subscription lifecycle.
 */
export const answerWebhooks: IWebhookDescription[] = (['GET', 'POST'] as const).map((httpMethod) => ({
	name: 'default',
	httpMethod,
	responseMode: 'onReceived',
	responseData: '',
	path: '={{ $nodeId }}',
	restartWebhook: true,
	isFullPath: true,
}));

const properties: INodeProperties[] = [
	{
		displayName: 'Asks one person: the first input item’s. The workflow pauses until they answer, or until the wait limit.',
		name: 'sendAndWaitNotice',
		type: 'notice',
		default: '',
	},
	...recipientFields(['id']),
	messagingTypeField,
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
		placeholder: 'e.g. Confirm your booking for 10:00?',
		description: `The question, shown above the buttons: at most ${SEND_API_LIMITS.templateText.max} characters. Messenger cannot edit a sent message: the buttons stay under it after the answer.`,
	},
	{
		displayName: 'Response Type',
		name: 'responseType',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Approval', value: 'approval', description: 'One or two buttons: Approve, and Decline' },
			{ name: 'Free Text', value: 'freeText', description: 'A button that opens a short form page served by n8n, for a written answer' },
		],
		default: 'approval',
	},
	{
		displayName: 'Approval Buttons',
		name: 'approvalType',
		type: 'options',
		options: [
			{ name: 'Approve Only', value: 'single' },
			{ name: 'Approve and Decline', value: 'double' },
		],
		default: 'double',
		displayOptions: { show: { responseType: ['approval'] } },
	},
	{
		displayName: 'Approve Label',
		name: 'approveLabel',
		type: 'string',
		default: 'Approve',
		description: `At most ${SEND_API_LIMITS.buttonTitle.max} characters`,
		displayOptions: { show: { responseType: ['approval'] } },
	},
	{
		displayName: 'Decline Label',
		name: 'declineLabel',
		type: 'string',
		default: 'Decline',
		description: `At most ${SEND_API_LIMITS.buttonTitle.max} characters`,
		displayOptions: { show: { responseType: ['approval'], approvalType: ['double'] } },
	},
	{
		displayName: 'Button Style',
		name: 'buttonStyle',
		type: 'options',
		options: [
			{
				name: 'Link (Opens a Page)',
				value: 'link',
				description: 'Each button opens a signed n8n link in the person’s browser; works without a trigger',
			},
			{
				name: 'In the Chat (Postback)',
				value: 'postback',
				description:
					'One tap in the chat, no page: Messenger posts the tap to the Messenger Trigger, which resumes this execution. Needs a published workflow with a Messenger Trigger for this Page (Postback events on).',
			},
		],
		default: 'link',
		displayOptions: { show: { responseType: ['approval'] } },
	},
	{
		displayName: 'Button Label',
		name: 'formButtonLabel',
		type: 'string',
		default: 'Answer',
		description: `The button that opens the form, at most ${SEND_API_LIMITS.buttonTitle.max} characters`,
		displayOptions: { show: { responseType: ['freeText'] } },
	},
	{
		displayName: 'Form Title',
		name: 'formTitle',
		type: 'string',
		default: 'Your answer',
		displayOptions: { show: { responseType: ['freeText'] } },
	},
	{
		displayName: 'Form Question',
		name: 'formQuestion',
		type: 'string',
		default: '',
		description: 'Shown above the answer box; empty: the message is shown',
		displayOptions: { show: { responseType: ['freeText'] } },
	},
	{
		displayName: 'Limit Wait Time',
		name: 'limitWaitTime',
		type: 'boolean',
		default: false,
		description: 'Whether the workflow goes on without an answer after a time. It then outputs timedOut: true and approved: null.',
	},
	{
		displayName: 'Limit Type',
		name: 'limitType',
		type: 'options',
		options: [
			{ name: 'After Time Interval', value: 'afterTimeInterval' },
			{ name: 'At Specified Time', value: 'atSpecifiedTime' },
		],
		default: 'afterTimeInterval',
		displayOptions: { show: { limitWaitTime: [true] } },
	},
	{
		displayName: 'Amount',
		name: 'resumeAmount',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 1,
		displayOptions: { show: { limitWaitTime: [true], limitType: ['afterTimeInterval'] } },
	},
	{
		displayName: 'Unit',
		name: 'resumeUnit',
		type: 'options',
		options: [
			{ name: 'Minutes', value: 'minutes' },
			{ name: 'Hours', value: 'hours' },
			{ name: 'Days', value: 'days' },
		],
		default: 'hours',
		displayOptions: { show: { limitWaitTime: [true], limitType: ['afterTimeInterval'] } },
	},
	{
		displayName: 'Max Date and Time',
		name: 'maxDateAndTime',
		type: 'dateTime',
		default: '',
		description: 'The workflow goes on at this time if nobody answered',
		displayOptions: { show: { limitWaitTime: [true], limitType: ['atSpecifiedTime'] } },
	},
	{
		displayName: 'Confirmation',
		name: 'confirmation',
		type: 'collection',
		placeholder: 'Add confirmation message',
		default: {},
		description:
			'A message sent to the person once they answered (the question’s message itself cannot be changed). Expressions here are evaluated when the answer arrives: refer to earlier nodes by name with $(\'Node Name\').first(), not to the current item.',
		options: [
			{ displayName: 'After Approve', name: 'approved', type: 'string', default: '', placeholder: 'e.g. Thanks, your booking is confirmed' },
			{ displayName: 'After Decline', name: 'declined', type: 'string', default: '', placeholder: 'e.g. OK, we have cancelled it' },
			{ displayName: 'After an Answer', name: 'answered', type: 'string', default: '', placeholder: 'e.g. Thanks, we got your answer' },
		],
	},
];

export const description = updateDisplayOptions({ show: { operation: ['sendAndWait'] } }, properties);

/** A button of the question: it opens the signed link, or posts it back through the chat. */
