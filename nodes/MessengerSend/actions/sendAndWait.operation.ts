import { type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties, type IWebhookDescription, type IWebhookFunctions, type IWebhookResponseData, updateDisplayOptions } from 'n8n-workflow';

import { messagingTypeField } from '../descriptions/message';
import { recipientFields } from '../descriptions/recipient';
import { SEND_API_LIMITS } from '../rules';
import { checkText } from '../templates/checks';
import { readText } from '../request/parameters';
import { buildRecipient, readRecipient } from '../request/recipient';
import type { RecipientInput, SendRequest } from '../request/types';
import { alreadyAnsweredPage, answeredOutcome, answeredPage, answerKey, claimAnswer, formPage, type AnswerClaim, isLinkPreview, tapAllowed, notePage, waitingOutcome, waitUntil, type WaitLimit } from '../request/waiting';
import { ANSWER_HEADER, TAPPED_BY_HEADER, resumePayload } from '../../shared/resumeLink';
import { CREDENTIAL_TYPE, graphTarget, graphUrl } from '../../shared/graph';

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
export interface WaitButton {
	title: string;
	resumeUrl: string;
	style: 'link' | 'postback';
}

export interface SendAndWaitInput {
	recipient: RecipientInput;
	messagingType: string;
	text: string;
	buttons: WaitButton[];
}

/** The question as a button template; each label checked under its own field name. */
export function build(input: SendAndWaitInput, item: number, labels: string[]): SendRequest {
	checkText(input.text, SEND_API_LIMITS.templateText, 'Message', item);
	input.buttons.forEach((button, index) => checkText(button.title, SEND_API_LIMITS.buttonTitle, labels[index], item));
	const buttons = input.buttons.map((button) =>
		button.style === 'postback'
			? { type: 'postback', title: button.title, payload: resumePayload(button.resumeUrl) }
			: { type: 'web_url', title: button.title, url: button.resumeUrl },
	);
	return {
		body: {
			recipient: buildRecipient(input.recipient),
			messaging_type: input.messagingType,
			message: { attachment: { type: 'template', payload: { template_type: 'button', text: input.text, buttons } } },
		},
	};
}

export async function prepare(this: IExecuteFunctions, item: number): Promise<SendRequest> {
	const responseType = this.getNodeParameter('responseType', item, 'approval') as string;
	const signed = (parameters: Record<string, string>) => this.getSignedResumeUrl(parameters);
	let buttons: WaitButton[];
	let labels: string[];
	if (responseType === 'freeText') {
		buttons = [{ title: readText(this, 'formButtonLabel', item, 'Button Label'), resumeUrl: signed({ form: 'answer' }), style: 'link' }];
		labels = ['Button Label'];
	} else {
		const style = this.getNodeParameter('buttonStyle', item, 'link') as WaitButton['style'];
		buttons = [{ title: readText(this, 'approveLabel', item, 'Approve Label'), resumeUrl: signed({ approved: 'true' }), style }];
		labels = ['Approve Label'];
		if (this.getNodeParameter('approvalType', item, 'double') === 'double') {
			buttons.push({ title: readText(this, 'declineLabel', item, 'Decline Label'), resumeUrl: signed({ approved: 'false' }), style });
			labels.push('Decline Label');
		}
	}
	return build(
		{
			recipient: readRecipient.call(this, item),
			messagingType: this.getNodeParameter('messagingType', item, 'RESPONSE') as string,
			text: readText(this, 'message', item, 'Message'),
			buttons,
		},
		item,
		labels,
	);
}

function readLimit(ctx: IExecuteFunctions, item: number): WaitLimit {
	if (!ctx.getNodeParameter('limitWaitTime', item, false)) return { type: 'none' };
	if (ctx.getNodeParameter('limitType', item, 'afterTimeInterval') === 'atSpecifiedTime') {
		return { type: 'atSpecifiedTime', dateTime: String(ctx.getNodeParameter('maxDateAndTime', item, '')) };
	}
	return {
		type: 'afterTimeInterval',
		amount: Number(ctx.getNodeParameter('resumeAmount', item, 1)),
		unit: ctx.getNodeParameter('resumeUnit', item, 'hours') as 'minutes' | 'hours' | 'days',
	};
}

/** Checked with the other input, before the question is sent. */
export function readWaitTill(ctx: IExecuteFunctions, item: number): Date {
	return waitUntil(readLimit(ctx, item), item);
}

/**
 * After the question went out: the execution waits for the answer. What the node outputs when
 * the time runs out is put in place now (n8n then passes the waiting node's input through), and
 * the answer's webhook reads the message's ids from it.
 */
export async function waitForAnswer(ctx: IExecuteFunctions, output: INodeExecutionData[], waitTill: Date): Promise<INodeExecutionData[][]> {
	const sent = output[0]?.json;
	// An error item (Continue On Fail) or a skipped send: there is no question to wait for.
	if (!sent || sent.error !== undefined || sent.message_id === undefined) return [output];
	const waiting: INodeExecutionData = { json: { ...waitingOutcome(sent) }, pairedItem: { item: 0 } };
	ctx.getExecuteData().data = { main: [[waiting]] };
	// n8n 2.8 and 1.x check the link's signature only when asked; 2.40 always does, and has no such method.
	const context = ctx as Partial<Pick<IExecuteFunctions, 'setSignatureValidationRequired'>>;
	context.setSignatureValidationRequired?.();
	await ctx.putExecutionToWait(waitTill);
	return [[waiting]];
}

/** Sends the confirmation text after an answer; a failure is logged, the answer still counts. */
async function confirm(ctx: IWebhookFunctions, recipientId: string | null, text: string): Promise<void> {
	if (!text.trim() || !recipientId) return;
	try {
		const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
		const pageId = String(ctx.getNodeParameter('pageId', 'me') || 'me');
		await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, {
			method: 'POST',
			url: graphUrl(graphTarget(credentials), `${encodeURIComponent(pageId)}/messages`),
			body: { recipient: { id: recipientId }, messaging_type: String(ctx.getNodeParameter('messagingType', 'RESPONSE') || 'RESPONSE'), message: { text } },
			json: true,
		});
	} catch {
		ctx.logger.warn(`Messenger Send "${ctx.getNode().name}": the confirmation message could not be sent; the answer was recorded`);
	}
}

function html(ctx: IWebhookFunctions, status: number, body: string): void {
	ctx.getResponseObject().status(status).type('text/html; charset=utf-8').send(body);
}

/**
 * Questions being answered in this n8n process (see claimAnswer). n8n offers a webhook no store
 * shared between processes (its deduplication helpers are given to execute() only, on 2.8, 2.40
 * and 1.123 alike), and a tap is served by the process it reaches: in regular mode the only one,
 * in queue mode the main (or the webhook process the load balancer picked).
 */
const answering = new Map<string, AnswerClaim>();

/**
 * Whether this tap answers the question, decided before anything is sent: the first tap claims
 * it; a later one (a double tap, the other button, a second manager) gets the "already answered"
 * page and returns no workflow data, so n8n resumes the execution with the winner's answer only,
 * and only the winner's confirmation goes out.
 */
function lostTo(ctx: IWebhookFunctions, waiting: IDataObject, answer: string): AnswerClaim | undefined {
	const key = answerKey(String(ctx.getExecutionId() ?? ''), String(ctx.getNode().id ?? ctx.getNode().name), waiting.message_id);
	return claimAnswer(answering, key, answer, Date.now());
}

function alreadyAnswered(ctx: IWebhookFunctions, claim: AnswerClaim): IWebhookResponseData {
	ctx.getResponseObject().setHeader(ANSWER_HEADER, 'answered-before');
	html(ctx, 200, alreadyAnsweredPage(claim.answer));
	return { noWebhookResponse: true };
}

/**
 * The answer: a tap on an approval button (`approved=true|false`, a GET from the browser or from
 * the Messenger Trigger), or the free-text form (GET shows it, POST sends it). n8n has checked
 * the URL's signature before this runs. Only the first tap of a question answers it (lostTo).
 */
export async function receiveAnswer(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const waiting = (ctx.evaluateExpression('{{ $json }}', 0) ?? {}) as IDataObject;
	const query = ctx.getQueryData() as IDataObject;
	const confirmation = ctx.getNodeParameter('confirmation', {}) as IDataObject;
	const recipientId = typeof waiting.recipient_id === 'string' ? waiting.recipient_id : null;
	if (ctx.getNodeParameter('responseType', 'approval') === 'freeText') {
		const title = String(ctx.getNodeParameter('formTitle', 'Your answer'));
		const question = String(ctx.getNodeParameter('formQuestion', '') || ctx.getNodeParameter('message', ''));
		const action = ctx.getRequestObject().originalUrl ?? ctx.getRequestObject().url;
		if (ctx.getRequestObject().method !== 'POST') {
			html(ctx, 200, formPage(title, question, action));
			return { noWebhookResponse: true };
		}
		const answer = String((ctx.getBodyData() as IDataObject).answer ?? '').trim();
		if (!answer) {
			html(ctx, 200, formPage(title, question, action, 'Please write an answer before sending.'));
			return { noWebhookResponse: true };
		}
		const earlier = lostTo(ctx, waiting, '');
		if (earlier) return alreadyAnswered(ctx, earlier);
		await confirm(ctx, recipientId, String(confirmation.answered ?? ''));
		html(ctx, 200, answeredPage(answer.length > 80 ? `${answer.slice(0, 80)}…` : answer));
		return { noWebhookResponse: true, workflowData: [[{ json: { ...answeredOutcome(waiting, { text: answer }) } }]] };
	}
	if (isLinkPreview(ctx.getHeaderData() as Record<string, unknown>)) {
		html(ctx, 200, notePage('Answer in Messenger', 'Open this link from the Messenger chat to answer: nothing was recorded.'));
		return { noWebhookResponse: true };
	}
	// A tap handed back by the Messenger Trigger says who tapped: only the person asked answers.
	if (!tapAllowed(recipientId, ctx.getHeaderData()[TAPPED_BY_HEADER])) {
		ctx.getResponseObject().setHeader(ANSWER_HEADER, 'not-asked');
		html(ctx, 403, notePage('Not your question', 'This question was sent to someone else: nothing was recorded.'));
		return { noWebhookResponse: true };
	}
	const approved = query.approved === 'true';
	const label = String(ctx.getNodeParameter(approved ? 'approveLabel' : 'declineLabel', approved ? 'Approve' : 'Decline'));
	const earlier = lostTo(ctx, waiting, label);
	if (earlier) return alreadyAnswered(ctx, earlier);
	await confirm(ctx, recipientId, String((approved ? confirmation.approved : confirmation.declined) ?? ''));
	ctx.getResponseObject().setHeader(ANSWER_HEADER, 'recorded');
	html(ctx, 200, answeredPage(label));
	return { noWebhookResponse: true, workflowData: [[{ json: { ...answeredOutcome(waiting, { approved }) } }]] };
}
