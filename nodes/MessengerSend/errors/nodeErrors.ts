import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { explainGraphError } from './graphErrors';
import type { GraphError, GraphOutcome } from '../../shared/graph';
import type { SendRequest } from '../request/types';
import { InvalidSendRequest } from '../rules';
import type { LookupResult } from '../transport/lookup';
import type { SendResult } from '../transport/sender';

// How errors look in n8n: the node's error (message, description, Graph ids) and, with Continue
// On Fail, the output item of the input item. What a Graph error means lives in graphErrors.ts.

/** What Graph said, redacted, with its ids: the error n8n keeps, and the words a description quotes. */
export function graphWords(error: GraphError, redact: (text: string) => string): { said: string; quoted: string; safeError: JsonObject } {
	const said = redact(error.error_user_msg || error.message || 'no message');
	const ids = [
		error.code !== undefined ? `code ${error.code}` : undefined,
		error.error_subcode !== undefined ? `subcode ${error.error_subcode}` : undefined,
		error.fbtrace_id ? `fbtrace_id ${error.fbtrace_id}` : undefined,
	].filter(Boolean);
	return {
		said,
		quoted: `Graph API said: ${said}${ids.length ? ` (${ids.join(', ')})` : ''}`,
		safeError: { message: said, type: error.type ?? null, code: error.code ?? null, error_subcode: error.error_subcode ?? null, fbtrace_id: error.fbtrace_id ?? null },
	};
}

function graphApiError(node: INode, item: number, error: GraphError, statusCode: number, request: SendRequest, redact: (text: string) => string): NodeApiError {
	const explanation = explainGraphError(error, request.body);
	const { said, quoted, safeError } = graphWords(error, redact);
	return new NodeApiError(node, safeError, {
		message: explanation ? `${explanation.title} (item ${item})` : `Messenger refused item ${item}: ${said}`,
		description: [explanation?.fix, quoted].filter(Boolean).join(' '),
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
export function errorItem(error: NodeApiError | NodeOperationError, item: number, attempts: number): INodeExecutionData {
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


/** The error of an item whose send did not go through, with what the conversation said and the attempts. */
export function sendResultError(node: INode, item: number, result: SendResult, request: SendRequest, redact: (text: string) => string): NodeApiError {
	const { outcome, attempts, lookup } = result;
	const error =
		outcome.kind === 'refused' ? graphApiError(node, item, outcome.error, outcome.statusCode, request, redact) : unansweredError(node, item, outcome, lookup);
	const note = lookupNote(lookup);
	if (note) error.description = `${error.description ?? ''} ${note}`.trim();
	if (attempts > 1) error.description = `${error.description ?? ''} (${attempts} attempts)`.trim();
	return error;
}

/** The error of an item that could not be built or checked: nothing was sent for it. */
export function inputError(node: INode, item: number, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
	if (error instanceof InvalidSendRequest) return new NodeOperationError(node, error.message, { itemIndex: item });
	return new NodeOperationError(node, `${(error as Error).message ?? String(error)} (item ${item})`, { itemIndex: item });
}

/** Said on the error of an item whose send failed but whose Deduplication Key could not be freed. */
export function keptKeyNote(key: string, tries: number, problem: string): string {
	return `Its Deduplication Key "${key}" stays claimed: n8n's deduplication store could not free it (${tries} tries: ${problem}), so later executions will skip this item as a duplicate. To send it, give it another key (e.g. "${key}-2").`;
}

/** A run with more Deduplication Keys than the node remembers: refused before anything is sent. */
export function tooManyKeysError(node: INode, keys: number, remembered: number): NodeOperationError {
	return new NodeOperationError(node, `This run has ${keys} Deduplication Keys, more than the ${remembered} the node remembers`, {
		description: `Nothing was sent. Run a second time, the first keys of such a run would already be forgotten and sent again. Split the input into runs of at most ${remembered} items (e.g. Loop Over Items with a Batch Size of ${remembered}).`,
	});
}

/** Said on the first error when the node fails: n8n keeps no output of a failed node. */
export function runSummary(delivered: number, failed: number, of: number, skipped: number): string {
	return `Sent in this run: ${delivered} delivered, ${failed} failed (of ${of})${skipped ? `; ${skipped} skipped as delivered before` : ''}. Turn on Continue On Fail (Settings → On Error) to get an output item for each.`;
}
