// Shared helpers for the emulator's own tests: a fresh emulator per test on port 0, and a
// small client that returns what any HTTP client would see.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

import { DEFAULT_APP, GraphEmulator, type EmulatorOptions, type EmulatorPage } from '../../emulator/graphEmulator.cjs';

/** Fake tokens and secrets: nothing here is shaped like a real Facebook credential. */
export const TOKEN = 'TEST-PAGE-TOKEN';
export const PAGE: EmulatorPage = { id: '1029384756', name: 'Demo Shop', token: TOKEN };
export const OTHER_PAGE: EmulatorPage = { id: '5550001111', name: 'Other Shop', token: 'TEST-OTHER-PAGE-TOKEN' };
export const APP_SECRET = 'TEST-APP-SECRET';
export const PSID = '6789012345678901';

const running: GraphEmulator[] = [];
const receivers: Receiver[] = [];

afterEach(async () => {
	await Promise.all(running.splice(0).map(async (emulator) => await emulator.stop()));
	await Promise.all(receivers.splice(0).map(async (receiver) => await receiver.close()));
});

/** Starts an emulator for the current test; it is stopped after the test. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<GraphEmulator> {
	const emulator = new GraphEmulator({ pages: [PAGE], ...options });
	running.push(emulator);
	await emulator.start();
	return emulator;
}

export function proofFor(token: string, secret: string): string {
	return createHmac('sha256', secret).update(token).digest('hex');
}

export interface Answer {
	status: number;
	headers: Headers;
	text: string;
	/** The parsed JSON body (undefined when it is not JSON); `any` so tests can read fields directly. */
	body: any;
}

export interface CallOptions {
	method?: string;
	/** The Bearer token; null sends none. */
	token?: string | null;
	headers?: Record<string, string>;
	signal?: AbortSignal;
}

/** Sends JSON (objects), a urlencoded form (URLSearchParams) or multipart (FormData). */
export async function call(emulator: GraphEmulator, path: string, body?: unknown, options: CallOptions = {}): Promise<Answer> {
	const headers: Record<string, string> = { ...options.headers };
	const token = options.token === undefined ? TOKEN : options.token;
	if (token !== null) headers.authorization = `Bearer ${token}`;
	let payload: string | URLSearchParams | FormData | undefined;
	if (body instanceof URLSearchParams || body instanceof FormData) payload = body;
	else if (body !== undefined) {
		headers['content-type'] = 'application/json';
		payload = JSON.stringify(body);
	}
	const response = await fetch(`${emulator.url}${path}`, {
		method: options.method ?? (body === undefined ? 'GET' : 'POST'),
		headers,
		body: payload,
		signal: options.signal,
	});
	const text = await response.text();
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		parsed = undefined;
	}
	return { status: response.status, headers: response.headers, text, body: parsed };
}

/** POST /v25.0/me/messages with a JSON body. */
export async function send(emulator: GraphEmulator, body: Record<string, unknown>, options: CallOptions = {}): Promise<Answer> {
	return await call(emulator, '/v25.0/me/messages', body, options);
}

export function textMessage(text: string, recipient: Record<string, string> = { id: PSID }): Record<string, unknown> {
	return { recipient, messaging_type: 'RESPONSE', message: { text } };
}

/** The Graph error fields a client classifies by. */
export function errorOf(answer: Answer): { status: number; code: number; subcode?: number } {
	const error = answer.body?.error ?? {};
	return { status: answer.status, code: error.code, ...(error.error_subcode !== undefined ? { subcode: error.error_subcode } : {}) };
}

/** A batch operation body, urlencoded as the platform expects. */
export function opBody(fields: Record<string, unknown>): string {
	const form = new URLSearchParams();
	for (const [key, value] of Object.entries(fields)) form.set(key, typeof value === 'string' ? value : JSON.stringify(value));
	return form.toString();
}

export function messageOp(text: string, extra: Record<string, unknown> = {}, psid = PSID): Record<string, unknown> {
	return {
		method: 'POST',
		relative_url: 'me/messages',
		body: opBody({ recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text } }),
		...extra,
	};
}

export async function batch(emulator: GraphEmulator, operations: unknown[], extra: Record<string, string> = {}, path = '/v25.0/'): Promise<Answer> {
	const form = new URLSearchParams({ batch: JSON.stringify(operations), ...extra });
	return await call(emulator, path, form);
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---- Webhooks ---------------------------------------------------------------------------

/** The default app's access token (`app-id|app-secret`). */
export const APP_TOKEN = `${DEFAULT_APP.id}|${DEFAULT_APP.secret}`;
export const VERIFY_TOKEN = 'test-verify-token';

/** One request the receiver got, with its exact bytes. */
export interface Received {
	method: string;
	url: string;
	path: string;
	query: Record<string, string>;
	headers: IncomingHttpHeaders;
	raw: Buffer;
}

export interface ReceiverAnswer {
	status: number;
	body?: string;
	/** Held this long before answering. */
	delayMs?: number;
}

export interface Receiver {
	url: string;
	requests: Received[];
	/** The POSTs (deliveries) only. */
	posts: () => Received[];
	/** Overrides the answer; undefined keeps the default one. */
	answer?: (request: Received) => ReceiverAnswer | undefined;
	close: () => Promise<void>;
}

/**
 * A callback URL on node:http, closed after the test: answers a verification GET with the
 * challenge when the verify token matches (else 403), and every POST with 200 EVENT_RECEIVED.
 */
export async function startReceiver(verifyToken = VERIFY_TOKEN, path = '/webhook'): Promise<Receiver> {
	const requests: Received[] = [];
	const receiver: Receiver = {
		url: '',
		requests,
		posts: () => requests.filter((request) => request.method === 'POST'),
		close: async () => {
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			const received: Received = {
				method: req.method ?? '',
				url: req.url ?? '',
				path: url.pathname,
				query: Object.fromEntries(url.searchParams),
				headers: req.headers,
				raw: Buffer.concat(chunks),
			};
			requests.push(received);
			let answer = receiver.answer?.(received);
			if (!answer && received.method === 'GET') {
				const ok = received.query['hub.mode'] === 'subscribe' && received.query['hub.verify_token'] === verifyToken;
				answer = ok ? { status: 200, body: received.query['hub.challenge'] } : { status: 403, body: 'Forbidden' };
			}
			answer ??= { status: 200, body: 'EVENT_RECEIVED' };
			const { status, body = '', delayMs = 0 } = answer;
			setTimeout(() => {
				res.writeHead(status, { 'content-type': 'text/plain' });
				res.end(body);
			}, delayMs);
		});
	});
	receivers.push(receiver);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
	return receiver;
}

/** The app's subscription for an object, made over Graph as a client would. */
export async function subscribeApp(emulator: GraphEmulator, callbackUrl: string, fields: string, object = 'page', verifyToken = VERIFY_TOKEN): Promise<Answer> {
	const form = new URLSearchParams({ object, callback_url: callbackUrl, verify_token: verifyToken, fields });
	return await call(emulator, `/v25.0/${DEFAULT_APP.id}/subscriptions`, form, { token: APP_TOKEN });
}

/** The Page's subscribed app (its token; default: the test Page). */
export async function subscribePage(emulator: GraphEmulator, fields: string, token = TOKEN): Promise<Answer> {
	return await call(emulator, '/v25.0/me/subscribed_apps', new URLSearchParams({ subscribed_fields: fields }), { token });
}

// ---- What the webhook tests (webhook*.test.cts) share ------------------------------------

/** Every Page webhook field the deliveries and echoes tests subscribe to. */
export const ALL_FIELDS = 'messages,messaging_postbacks,message_reactions,message_reads,message_deliveries,message_echoes';
/** The default app's ID as Meta writes it in an echo's `app_id` (a number). */
export const APP_ID_NUMBER = Number(DEFAULT_APP.id);

/** An emulator and a receiver with the app and the Page both subscribed to `fields`. */
export async function subscribed(fields = ALL_FIELDS, options: Parameters<typeof startEmulator>[0] = {}) {
	const emulator = await startEmulator(options);
	const receiver = await startReceiver();
	expect((await subscribeApp(emulator, receiver.url, fields)).body).toEqual({ success: true });
	expect((await subscribePage(emulator, fields)).body).toEqual({ success: true });
	return { emulator, receiver };
}

export function hmac(algorithm: 'sha256' | 'sha1', secret: string, data: Buffer | string): string {
	return createHmac(algorithm, secret).update(data).digest('hex');
}

/** A received request's body as JSON. */
export function parsed(request: Received): any {
	return JSON.parse(request.raw.toString('utf8'));
}

export async function waitFor(condition: () => boolean, ms = 3000): Promise<void> {
	const until = Date.now() + ms;
	while (!condition()) {
		if (Date.now() > until) throw new Error('timed out waiting');
		await sleep(5);
	}
}
