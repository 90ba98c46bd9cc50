// Send and Wait, the answer: n8n calls this node's webhook when a person taps a button or sends
// the form; it decides which tap counts, confirms it to the person and resumes the execution.
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { alreadyAnsweredPage, answeredPage, formPage, notePage } from './pages';
import { answeredOutcome } from './wait';
import { answerKey, claimAnswer, type AnswerClaim, isLinkPreview, tapAllowed } from './taps';
import { ANSWER_HEADER, TAPPED_BY_HEADER } from '../../shared/resumeLink';
import { CREDENTIAL_TYPE, graphTarget, graphUrl } from '../../shared/graph';

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
