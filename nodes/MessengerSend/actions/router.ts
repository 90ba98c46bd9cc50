import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import * as sendAttachment from './sendAttachment.operation';
import * as sendMessage from './sendMessage.operation';
import * as senderAction from './senderAction.operation';
import * as taggedUpdate from './taggedUpdate.operation';
import * as uploadAttachment from './uploadAttachment.operation';
import { explainGraphError, type GraphError } from '../shared/graphErrors';
import { readOnce, readText } from '../shared/parameters';
import { redactSecrets } from '../shared/secrets';
import type { SendRequest } from '../shared/types';
import { InvalidSendRequest, platformOf, validateSendRequest } from '../shared/validation';
import { appSecretProofParams } from '../../../credentials/MessengerPageApi.credentials';
import { readDeduplicationKey, readSenderSettings } from '../shared/delivery';
import { CREDENTIAL_TYPE, type GraphOutcome, type GraphSend } from '../transport/graphApi';
import type { LookupResult } from '../transport/lookup';
import { graphTransport, sendAll, type Delivery } from '../transport/sender';
import { DeliveryGuard, type GuardedSend, type Skip } from './exactlyOnce';

const operations = { sendMessage, sendAttachment, senderAction, taggedUpdate, uploadAttachment };
export type OperationName = keyof typeof operations;

interface Prepared extends GraphSend {
	item: number;
	/** A typing indicator sent ahead of the item's message: its answer makes no output item. */
	typingAhead?: boolean;
}

/** Show typing first: a typing_on to the same person, then the pause, then the message. */
function withTypingAhead(prepared: Prepared): Prepared[] {
	const { request } = prepared;
	if (request.typingFirstMs === undefined) return [prepared];
	const typing: Prepared = {
		item: prepared.item,
		pageId: prepared.pageId,
		request: { body: { recipient: request.body.recipient, sender_action: 'typing_on' } },
		pauseAfterMs: request.typingFirstMs,
		typingAhead: true,
	};
	return [typing, prepared];
}

function graphApiError(node: INode, item: number, error: GraphError, statusCode: number, request: SendRequest, redact: (text: string) => string): NodeApiError {
	const explanation = explainGraphError(error, request.body);
	const said = redact(error.error_user_msg || error.message || 'no message');
	const ids = [
		error.code !== undefined ? `code ${error.code}` : undefined,
		error.error_subcode !== undefined ? `subcode ${error.error_subcode}` : undefined,
		error.fbtrace_id ? `fbtrace_id ${error.fbtrace_id}` : undefined,
	].filter(Boolean);
	const safeError: JsonObject = {
		message: said,
		type: error.type ?? null,
		code: error.code ?? null,
		error_subcode: error.error_subcode ?? null,
		fbtrace_id: error.fbtrace_id ?? null,
	};
	return new NodeApiError(node, safeError, {
		message: explanation ? `${explanation.title} (item ${item})` : `Messenger refused item ${item}: ${said}`,
		description: [explanation?.fix, `Graph API said: ${said}${ids.length ? ` (${ids.join(', ')})` : ''}`]
			.filter(Boolean)
			.join(' '),
		httpCode: String(statusCode),
		itemIndex: item,
	});
}

const CHECK_BEFORE_RESENDING =
	'Check the conversation before sending again, so the person does not get the message twice.';

/** What the person's conversation said, for the error of a send whose answer was lost. */
function lookupNote(lookup: LookupResult | undefined): string | undefined {
	if (lookup?.kind === 'notFound') return 'The conversation was checked: the message is not there, so it did not arrive.';
	if (lookup?.kind === 'impossible') return `It could not be checked in the conversation: ${lookup.reason}.`;
	return undefined;
}

/** An error for a send that got no usable Graph answer, saying whether it may have arrived. */
function unansweredError(node: INode, item: number, outcome: GraphOutcome, lookup?: LookupResult): NodeApiError {
	let message: string;
	let description: string;
	let code: string | null = null;
	const checked = lookup?.kind === 'notFound';
	if (outcome.kind === 'noAnswer') {
		code = outcome.code ?? null;
		message = `No answer from the Graph API at ${outcome.host} (item ${item})`;
		description = !outcome.requestLeft
			? `The request did not reach Messenger${code ? ` (${code})` : ''}: check the Graph API Base URL of the credential and the network.`
			: checked
				? `The request got no answer${code ? ` (${code})` : ''}.`
				: `The request may or may not have reached Messenger${code ? ` (${code})` : ''}. ${CHECK_BEFORE_RESENDING}`;
	} else if (outcome.kind === 'unreadable') {
		message = `Messenger answered HTTP ${outcome.statusCode} with a body that is not a Graph answer (item ${item})`;
		description =
			outcome.statusCode >= 500
				? 'A server between n8n and Messenger failed; nothing was delivered.'
				: checked
					? 'The answer was cut off.'
					: `The message may have been delivered. ${CHECK_BEFORE_RESENDING}`;
	} else {
		message = `Messenger did not run this send (item ${item})`;
		description = 'The Graph batch came back without an answer for it: nothing was delivered.';
	}
	// Not under `code`: n8n would swap a message holding a system error code for a generic one.
	return new NodeApiError(node, { message, connection_error: code }, { message, description, itemIndex: item });
}

/** The output item for a failed input item under Continue On Fail: the error and its Graph ids. */
function errorItem(error: NodeApiError | NodeOperationError, item: number, attempts: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	if (error instanceof NodeApiError) {
		const response = (error.errorResponse ?? {}) as IDataObject;
		for (const key of ['code', 'error_subcode', 'fbtrace_id', 'type', 'connection_error']) {
			if (response[key] !== null && response[key] !== undefined) json[key] = response[key];
		}
		if (error.httpCode) json.httpCode = error.httpCode;
	}
	json.attempts = attempts;
	return { json, pairedItem: { item } };
}

/**
 * Builds and validates every item's request first, so bad input fails before anything is
 * sent; then hands them all to the sender and maps each answer back to the output item of its
 * input item. `attempts` on every output item says how often it was sent (0: never).
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const continueOnFail = this.continueOnFail();
	const operation = this.getNodeParameter('operation', 0) as OperationName;
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const redact = redactSecrets([credentials.accessToken, credentials.appSecret]);
	const target = { baseUrl: String(credentials.baseUrl ?? ''), version: String(credentials.apiVersion ?? '') };
	const settings = readSenderSettings(this);
	const output: INodeExecutionData[] = new Array(items.length);

	const fail = (item: number, error: NodeApiError | NodeOperationError, attempts = 0) => {
		if (!continueOnFail) throw error;
		output[item] = errorItem(error, item, attempts);
	};

	const mains: Array<GuardedSend & { send: Prepared }> = [];
	// Constant parameters are read once for all items; each item is still built and validated.
	const parameters = readOnce(this);
	for (let item = 0; item < items.length; item++) {
		try {
			const request = await operations[operation].prepare.call(parameters, item);
			validateSendRequest(request, item, platformOf(credentials.platform));
			const send: Prepared = { item, request, pageId: readText(parameters, 'pageId', item, 'Page ID') };
			mains.push({ item, send, key: readDeduplicationKey(parameters, item) });
		} catch (error) {
			if (error instanceof NodeOperationError || error instanceof NodeApiError) fail(item, error);
			else if (error instanceof InvalidSendRequest) {
				fail(item, new NodeOperationError(node, error.message, { itemIndex: item }));
			} else {
				const message = `${(error as Error).message ?? String(error)} (item ${item})`;
				fail(item, new NodeOperationError(node, message, { itemIndex: item }));
			}
		}
	}

	const guard = new DeliveryGuard(this);
	let skips: Map<number, Skip>;
	try {
		skips = await guard.skips(mains);
	} catch (error) {
		throw new NodeOperationError(node, `n8n's deduplication store could not be read: ${redact((error as Error).message ?? String(error))}`, {
			description: 'Nothing was sent. The node checks there what was delivered already, so that nothing is sent twice.',
		});
	}
	const prepared = mains.filter(({ item }) => !skips.has(item)).flatMap(({ send }) => withTypingAhead(send));

	// Batch operations carry their own proof, made as each batch leaves (a time-stamped one expires).
	const proofParams = () => appSecretProofParams(credentials);
	const transport = graphTransport(this, target, settings, { proofParams, instagram: platformOf(credentials.platform) === 'instagram' });
	const sent = await sendAll(prepared, settings, transport);
	const deliveries = new Map<number, Delivery>();
	for (const [item, skip] of skips) {
		if ('delivery' in skip) deliveries.set(item, skip.delivery);
		else output[item] = { json: skip.output, pairedItem: { item } };
	}
	// A typing indicator that failed does not stop the message it announced.
	sent.forEach((delivery, index) => !prepared[index].typingAhead && deliveries.set(prepared[index].item, delivery));

	const failures: Array<{ item: number; error: NodeApiError; attempts: number }> = [];
	for (const { item, send } of mains) {
		const delivery = deliveries.get(item);
		if (!delivery) continue;
		const { outcome, attempts, lookup } = delivery;
		if (outcome.kind === 'sent') {
			output[item] = { json: { ...outcome.body, attempts, ...(lookup?.kind === 'found' ? { foundByLookup: true } : {}) }, pairedItem: { item } };
			continue;
		}
		const error =
			outcome.kind === 'refused' ? graphApiError(node, item, outcome.error, outcome.statusCode, send.request, redact) : unansweredError(node, item, outcome, lookup);
		const note = lookupNote(lookup);
		if (note) error.description = `${error.description ?? ''} ${note}`.trim();
		if (attempts > 1) error.description = `${error.description ?? ''} (${attempts} attempts)`.trim();
		failures.push({ item, error, attempts });
	}
	const failing = failures.length > 0 && !continueOnFail;
	if (failing) {
		// Every other item was sent already: say so, since n8n keeps no output of a failed node.
		const [first] = failures;
		const delivered = [...deliveries.values()].filter((delivery) => delivery.status === 'delivered').length;
		const skipped = [...skips.values()].filter((skip) => 'output' in skip).length;
		first.error.description = `${first.error.description ?? ''} Sent in this run: ${delivered} delivered, ${failures.length} failed (of ${deliveries.size})${skipped ? `; ${skipped} skipped as delivered before` : ''}. Turn on Continue On Fail (Settings → On Error) to get an output item for each.`.trim();
		await guard.close(deliveries, true, true);
		throw first.error;
	}
	for (const { item, error, attempts } of failures) fail(item, error, attempts);
	// n8n runs a node with Retry On Fail again when its first output item is an error.
	await guard.close(deliveries, false, output[0]?.json.error !== undefined);
	return [output];
}
