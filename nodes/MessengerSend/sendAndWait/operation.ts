// Send and Wait, the question: built from the fields, sent like any message, then the execution waits.
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { SEND_API_LIMITS } from '../rules';
import { checkText } from '../templates/checks';
import { readText } from '../request/parameters';
import { buildRecipient, readRecipient } from '../request/recipient';
import type { RecipientInput, SendRequest } from '../request/types';
import { waitingOutcome, waitUntil, type WaitLimit } from './wait';
import { resumePayload } from '../../shared/resumeLink';

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
			recipient: readRecipient(this, item),
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
