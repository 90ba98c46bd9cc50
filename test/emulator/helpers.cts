// Shared helpers for the emulator's own tests: a fresh emulator per test on port 0, and a
// small client that returns what any HTTP client would see.
import { createHmac } from 'node:crypto';

import { GraphEmulator, type EmulatorOptions, type EmulatorPage } from '../../emulator/graphEmulator.cjs';

/** Fake tokens and secrets: nothing here is shaped like a real Facebook credential. */
export const TOKEN = 'TEST-PAGE-TOKEN';
export const PAGE: EmulatorPage = { id: '1029384756', name: 'Demo Shop', token: TOKEN };
export const OTHER_PAGE: EmulatorPage = { id: '5550001111', name: 'Other Shop', token: 'TEST-OTHER-PAGE-TOKEN' };
export const APP_SECRET = 'TEST-APP-SECRET';
export const PSID = '6789012345678901';

const running: GraphEmulator[] = [];

afterEach(async () => {
	await Promise.all(running.splice(0).map(async (emulator) => await emulator.stop()));
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
