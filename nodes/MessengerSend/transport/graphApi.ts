import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import type { GraphError } from '../shared/graphErrors';
import type { SendRequest } from '../shared/types';

export const CREDENTIAL_TYPE = 'messengerPageApi';

/** Where the node sends: the credential's base URL and version, and the node's Page ID. */
export interface GraphTarget {
	baseUrl: string;
	version: string;
	pageId: string;
}

export type GraphOutcome =
	| { kind: 'sent'; statusCode: number; body: IDataObject }
	| { kind: 'refused'; statusCode: number; error: GraphError }
	/** No answer at all (refused, reset, timed out): the message may or may not have gone out. */
	| { kind: 'noAnswer'; host: string; code?: string };

const REQUEST_TIMEOUT_MS = 60_000;

export function graphUrl(target: Omit<GraphTarget, 'pageId'>, path: string): string {
	const base = target.baseUrl.trim().replace(/\/+$/, '');
	const version = target.version.trim().replace(/^\/+|\/+$/g, '');
	return `${base}/${version}/${path}`;
}

export function messagesUrl(target: GraphTarget): string {
	return graphUrl(target, `${encodeURIComponent(target.pageId.trim() || 'me')}/messages`);
}

/** Every Send API parameter becomes its own form field (objects as JSON), then the file. */
export function toMultipart(request: SendRequest & { file: NonNullable<SendRequest['file']> }): FormData {
	const form = new FormData();
	for (const [key, value] of Object.entries(request.body)) {
		if (value === undefined) continue;
		form.append(key, typeof value === 'string' ? value : JSON.stringify(value));
	}
	const { data, mimeType, fileName } = request.file;
	form.append('filedata', new Blob([data as Uint8Array<ArrayBuffer>], { type: mimeType }), fileName);
	return form;
}

function hostOf(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return 'the configured base URL';
	}
}

function transportErrorCode(error: unknown): string | undefined {
	const candidates = [error, (error as { cause?: unknown }).cause];
	for (const candidate of candidates) {
		const code = (candidate as { code?: unknown } | undefined)?.code;
		if (typeof code === 'string') return code;
	}
	return undefined;
}

/**
 * Posts one Send API request. The credential's `authenticate` adds the token (as a header)
 * and the appsecret_proof. Failures come back as values; the raw HTTP error never leaves this
 * function, so nothing it carries (request headers included) can reach an output item or a log.
 */
export async function postToGraph(
	ctx: IExecuteFunctions,
	url: string,
	request: SendRequest,
): Promise<GraphOutcome> {
	const options: IHttpRequestOptions = {
		method: 'POST',
		url,
		body: request.file ? toMultipart({ ...request, file: request.file }) : request.body,
		json: !request.file,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: REQUEST_TIMEOUT_MS,
	};
	let response: { statusCode: number; body: unknown };
	try {
		response = await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, options);
	} catch (error) {
		return { kind: 'noAnswer', host: hostOf(url), code: transportErrorCode(error) };
	}
	let body = response.body;
	if (typeof body === 'string') {
		try {
			body = JSON.parse(body);
		} catch {
			body = undefined;
		}
	}
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		return {
			kind: 'refused',
			statusCode: response.statusCode,
			error: { message: `The Graph API answered HTTP ${response.statusCode} without a JSON object` },
		};
	}
	const error = (body as { error?: unknown }).error;
	if (response.statusCode >= 400 || error) {
		const graphError = typeof error === 'object' && error !== null ? (error as GraphError) : {};
		return {
			kind: 'refused',
			statusCode: response.statusCode,
			error: { message: `The Graph API answered HTTP ${response.statusCode}`, ...graphError },
		};
	}
	return { kind: 'sent', statusCode: response.statusCode, body: body as IDataObject };
}
