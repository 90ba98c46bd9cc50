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
import { explainGraphError, type GraphError } from '../shared/graphErrors';
import { readText } from '../shared/parameters';
import { redactSecrets } from '../shared/secrets';
import type { SendRequest } from '../shared/types';
import { InvalidSendRequest, validateSendRequest } from '../shared/validation';
import { CREDENTIAL_TYPE, messagesUrl, postToGraph } from '../transport/graphApi';

const operations = { sendMessage, sendAttachment, senderAction, taggedUpdate };
export type OperationName = keyof typeof operations;

interface Prepared {
	item: number;
	url: string;
	request: SendRequest;
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

function noAnswerError(node: INode, item: number, host: string, code: string | undefined): NodeApiError {
	return new NodeApiError(node, { message: `No answer from ${host}`, code: code ?? null }, {
		message: `No answer from the Graph API at ${host} (item ${item})`,
		description: `The request may or may not have reached Messenger${code ? ` (${code})` : ''}. Check the conversation before sending again, so the person does not get the message twice.`,
		itemIndex: item,
	});
}

/** The output item for a failed input item under Continue On Fail: the error and its Graph ids. */
function errorItem(error: NodeApiError | NodeOperationError, item: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	if (error instanceof NodeApiError) {
		const response = (error.errorResponse ?? {}) as IDataObject;
		for (const key of ['code', 'error_subcode', 'fbtrace_id', 'type']) {
			if (response[key] !== null && response[key] !== undefined) json[key] = response[key];
		}
		if (error.httpCode) json.httpCode = error.httpCode;
	}
	return { json, pairedItem: { item } };
}

/**
 * Builds and validates every item's request first, so bad input fails before anything is
 * sent; then sends them and maps each answer back to the output item of its input item.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const continueOnFail = this.continueOnFail();
	const operation = this.getNodeParameter('operation', 0) as OperationName;
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const redact = redactSecrets([credentials.accessToken, credentials.appSecret]);
	const target = { baseUrl: String(credentials.baseUrl ?? ''), version: String(credentials.apiVersion ?? '') };
	const output: INodeExecutionData[] = new Array(items.length);

	const fail = (item: number, error: NodeApiError | NodeOperationError) => {
		if (!continueOnFail) throw error;
		output[item] = errorItem(error, item);
	};

	const prepared: Prepared[] = [];
	for (let item = 0; item < items.length; item++) {
		try {
			const request = await operations[operation].prepare.call(this, item);
			validateSendRequest(request, item);
			const pageId = readText(this, 'pageId', item, 'Page ID');
			prepared.push({ item, request, url: messagesUrl({ ...target, pageId }) });
		} catch (error) {
			if (error instanceof NodeOperationError || error instanceof NodeApiError) fail(item, error);
			else if (error instanceof InvalidSendRequest) {
				fail(item, new NodeOperationError(node, error.message, { itemIndex: item }));
			} else fail(item, new NodeOperationError(node, error as Error, { itemIndex: item }));
		}
	}

	for (const { item, url, request } of prepared) {
		const outcome = await postToGraph(this, url, request);
		if (outcome.kind === 'sent') output[item] = { json: outcome.body, pairedItem: { item } };
		else if (outcome.kind === 'refused') {
			fail(item, graphApiError(node, item, outcome.error, outcome.statusCode, request, redact));
		} else fail(item, noAnswerError(node, item, outcome.host, outcome.code));
	}
	return [output];
}
