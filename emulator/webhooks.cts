// The webhook side of the Messenger Platform (/work/shared/messenger-send-api.md, "Webhooks
// (receiving)"): which fields an app may subscribe, which field an event belongs to, the body
// and signature Meta sends, the verification call's URL and verdict, the events the emulator
// makes. All pure: webhookHub.cts keeps the Meta-side state and makes the HTTP calls; the
// emulator's edges do the Graph side (tokens, answers) and decide what to deliver.
import { createHmac, randomInt } from 'node:crypto';
import { STATUS_CODES } from 'node:http';

import { graphError, isObject } from './rules.cjs';
import type { GraphError, WebhookObject, WebhookSignature, WebhookSubscription } from './types.cjs';

export const WEBHOOK_OBJECTS: readonly WebhookObject[] = ['page', 'instagram'];

export const PAGE_FIELDS = [
	'messages',
	'messaging_postbacks',
	'message_reactions',
	'message_reads',
	'message_deliveries',
	'message_echoes',
	'messaging_referrals',
	'messaging_optins',
	'messaging_handovers',
	'standby',
	'messaging_policy_enforcement',
];

/**
 * Instagram sends its echoes under `messages` (a message with `is_echo`); `message_echoes` is
 * accepted all the same, so that a client subscribing one list for both objects is not refused,
 * but it adds nothing on Instagram.
 */
export const INSTAGRAM_FIELDS = ['messages', 'messaging_postbacks', 'message_reactions', 'messaging_seen', 'messaging_referral', 'message_echoes'];

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
/** Where echoed attachments "live": never fetched, like every `.invalid` host in the emulator. */
const CDN = 'https://cdn.fbsbx.emulator.invalid';

export function fieldsFor(object: WebhookObject): readonly string[] {
	return object === 'instagram' ? INSTAGRAM_FIELDS : PAGE_FIELDS;
}

/** The field an event is delivered under, or undefined for an event kind no field carries. */
export function eventField(event: Record<string, unknown>, object: WebhookObject): string | undefined {
	const instagram = object === 'instagram';
	if (isObject(event.message)) {
		if (event.message.is_echo !== true) return 'messages';
		return instagram ? 'messages' : 'message_echoes';
	}
	if ('postback' in event) return 'messaging_postbacks';
	if ('reaction' in event) return 'message_reactions';
	if ('read' in event) return instagram ? 'messaging_seen' : 'message_reads';
	if ('delivery' in event) return 'message_deliveries';
	if ('referral' in event) return instagram ? 'messaging_referral' : 'messaging_referrals';
	if ('optin' in event) return 'messaging_optins';
	if ('pass_thread_control' in event || 'take_thread_control' in event || 'request_thread_control' in event) return 'messaging_handovers';
	if ('policy_enforcement' in event) return 'messaging_policy_enforcement';
	return undefined;
}

/**
 * JSON as Meta serialises a webhook body (PHP's json_encode): every non-ASCII UTF-16 unit as
 * `\uXXXX` (an emoji's surrogate pair as two escapes) and `/` as `\/`. Parsing it and
 * serialising again gives other bytes, which is why a receiver must sign the raw body.
 * Both only occur inside strings, so escaping the serialised text is safe.
 */
export function metaJson(value: unknown): string {
	const json = JSON.stringify(value) ?? 'null';
	return json.replace(/[\u0080-\uffff/]/g, (char) => (char === '/' ? '\\/' : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** The two signature headers' values (with their `sha256=` / `sha1=` prefixes) for a body. */
export function signWebhook(secret: string, raw: string | Buffer): { sha256: string; sha1: string } {
	return {
		sha256: `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`,
		sha1: `sha1=${createHmac('sha1', secret).update(raw).digest('hex')}`,
	};
}

/** One entry: events on the `messaging` channel, or (for threads the app does not own) on `standby`. */
export interface WebhookEntry {
	id: string;
	time: number;
	messaging?: unknown[];
	standby?: unknown[];
}

export function webhookBody(object: WebhookObject | string, entries: WebhookEntry[]): { object: string; entry: WebhookEntry[] } {
	return { object, entry: entries };
}

/**
 * Field names from a comma list, a JSON array in a string, or an array (JSON bodies); null when
 * it is none of those. Duplicates are dropped, order is kept.
 */
export function parseFieldList(value: unknown): string[] | null {
	let list: unknown = value;
	if (typeof value === 'string') {
		const text = value.trim();
		if (text.startsWith('[')) {
			try {
				list = JSON.parse(text);
			} catch {
				return null;
			}
		} else list = text.split(',');
	}
	if (!Array.isArray(list) || list.some((name) => typeof name !== 'string')) return null;
	const names = (list as string[]).map((name) => name.trim()).filter(Boolean);
	return [...new Set(names)];
}

/** Reads a fields parameter and checks every name; the error names the parameter as Graph does. */
export function readFields(value: unknown, param: string, object: WebhookObject, required: boolean): { fields?: string[] } | { error: GraphError } {
	if (value === undefined || value === '') {
		return required ? { error: graphError(100, `(#100) The parameter ${param} is required`) } : {};
	}
	const fields = parseFieldList(value);
	if (!fields) return { error: graphError(100, `(#100) Param ${param} must be a comma-separated list or a JSON array of field names`) };
	if (fields.length === 0 && required) return { error: graphError(100, `(#100) The parameter ${param} is required`) };
	const allowed = fieldsFor(object);
	const unknown = fields.findIndex((field) => !allowed.includes(field));
	if (unknown >= 0) {
		return { error: graphError(100, `(#100) Param ${param}[${unknown}] must be one of {${allowed.join(', ')}} - got "${fields[unknown]}"`) };
	}
	return { fields };
}

export function readObject(value: unknown, required: boolean): { object?: WebhookObject } | { error: GraphError } {
	if (value === undefined || value === '') return required ? { error: graphError(100, '(#100) The parameter object is required') } : {};
	if (!(WEBHOOK_OBJECTS as readonly unknown[]).includes(value)) {
		return { error: graphError(100, `(#100) Param object must be one of {${WEBHOOK_OBJECTS.join(', ')}} - got "${String(value)}"`) };
	}
	return { object: value as WebhookObject };
}

/** The parameters of `POST {app-id}/subscriptions`, checked; the app and version come from the call. */
export function readSubscription(params: Record<string, unknown>): { subscription: Omit<WebhookSubscription, 'appId' | 'version'> } | { error: GraphError } {
	const object = readObject(params.object, true);
	if ('error' in object) return object;
	const url = params.callback_url;
	if (url === undefined || url === '') return { error: graphError(100, '(#100) The parameter callback_url is required') };
	if (!isHttpUrl(String(url))) return { error: graphError(100, '(#100) Param callback_url must be a valid URL') };
	const verifyToken = params.verify_token;
	if (verifyToken === undefined || verifyToken === '') return { error: graphError(100, '(#100) The parameter verify_token is required') };
	const fields = readFields(params.fields, 'fields', object.object!, true);
	if ('error' in fields) return fields;
	const includeValues = params.include_values;
	return {
		subscription: {
			object: object.object!,
			callback_url: String(url),
			fields: fields.fields!,
			verify_token: String(verifyToken),
			...(includeValues !== undefined && includeValues !== '' ? { include_values: includeValues === true || includeValues === 'true' } : {}),
		},
	};
}

export function isHttpUrl(text: string): boolean {
	try {
		const url = new URL(text);
		return url.protocol === 'http:' || url.protocol === 'https:';
	} catch {
		return false;
	}
}

/** The verification GET's URL: the callback URL with the hub.* parameters appended. */
export function verificationUrl(callbackUrl: string, verifyToken: string, challenge: string): string {
	const query = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.verify_token': verifyToken, 'hub.challenge': challenge }).toString();
	const url = new URL(callbackUrl);
	url.hash = '';
	const base = url.toString();
	return `${base}${url.search ? '&' : '?'}${query}`;
}

/** Ten random digits, not seeded: a receiver must echo what it was sent, not what it could predict. */
export function newChallenge(): string {
	return String(randomInt(1_000_000_000, 10_000_000_000));
}

/** An incoming message's mid: random, so that mids never repeat across resets or runs. */
export function newIncomingMid(): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
	let id = '';
	for (let i = 0; i < 32; i += 1) id += alphabet[randomInt(alphabet.length)];
	return `m_${id}`;
}

/** What an HTTP call to a receiver came to. */
export interface HttpOutcome {
	/** 0: no answer. */
	status: number;
	statusMessage: string;
	body: string;
	/** Why there was no answer. */
	error?: string;
	timedOut?: boolean;
}

/**
 * The verification call's failure, in the words Graph's 2200 uses after "…with the following
 * errors: ", or null when the receiver answered 200 with exactly the challenge.
 */
export function verificationFailure(outcome: HttpOutcome, challenge: string, timeoutMs: number): string | null {
	if (outcome.status === 0) {
		return outcome.timedOut
			? `curl_errno = 28; curl_error = Operation timed out after ${timeoutMs} milliseconds with 0 bytes received`
			: "curl_errno = 7; curl_error = Couldn't connect to server";
	}
	const status = `HTTP Status Code = ${outcome.status}; HTTP Message = ${outcome.statusMessage || STATUS_CODES[outcome.status] || 'Unknown'}`;
	if (outcome.status !== 200) return status;
	if (outcome.body !== challenge) {
		const received = outcome.body.length > 100 ? `${outcome.body.slice(0, 100)}…` : outcome.body;
		return `${status}; The challenge did not match: expected "${challenge}", received "${received}"`;
	}
	return null;
}

// ---- Events ---------------------------------------------------------------------------

export interface EchoInput {
	pageId: string;
	psid: string;
	timestamp: number;
	mid: string;
	appId: string;
	message: Record<string, unknown>;
	/** The uploaded file's name, when the send carried one. */
	fileName?: string;
}

/** The echo of a message the Page sent: what the Page's own webhook sees of it. */
export function echoEvent(input: EchoInput): Record<string, unknown> {
	const { message } = input;
	const echo: Record<string, unknown> = { mid: input.mid, is_echo: true, app_id: Number(input.appId) };
	if (typeof message.metadata === 'string') echo.metadata = message.metadata;
	if (typeof message.text === 'string') echo.text = message.text;
	const sent = Array.isArray(message.attachments) ? message.attachments : message.attachment !== undefined ? [message.attachment] : [];
	if (sent.length > 0) echo.attachments = sent.map((attachment) => echoAttachment(attachment, input));
	if (Array.isArray(message.quick_replies)) echo.quick_replies = message.quick_replies;
	return { sender: { id: input.pageId }, recipient: { id: input.psid }, timestamp: input.timestamp, message: echo };
}

/**
 * Media as a URL (the one sent, or a CDN-like one for uploads and saved attachments); a
 * template keeps its payload, since it has no URL.
 */
function echoAttachment(attachment: unknown, input: EchoInput): Record<string, unknown> {
	if (!isObject(attachment)) return { type: 'fallback', payload: {} };
	const type = String(attachment.type);
	const payload = isObject(attachment.payload) ? attachment.payload : {};
	if (type === 'template') return { type, payload };
	if (typeof payload.url === 'string') return { type, payload: { url: payload.url } };
	if (payload.attachment_id !== undefined) return { type, payload: { url: `${CDN}/attachments/${String(payload.attachment_id)}` } };
	if (input.fileName !== undefined) return { type, payload: { url: `${CDN}/${input.mid}/${encodeURIComponent(input.fileName)}` } };
	if (payload.id !== undefined) return { type, payload: { id: payload.id } };
	return { type, payload: {} };
}

export function deliveryEvent(pageId: string, psid: string, mid: string, timestamp: number): Record<string, unknown> {
	return { sender: { id: psid }, recipient: { id: pageId }, timestamp, delivery: { mids: [mid], watermark: timestamp } };
}

/** The signature headers for a body signed as asked ("forged": a valid-looking HMAC with a wrong key). */
export function signatureHeaders(secret: string, raw: string, signed: WebhookSignature): { signature256: string | null; signature1: string | null } {
	if (signed === 'none') return { signature256: null, signature1: null };
	const signature = signWebhook(signed === 'forged' ? `not-${secret}` : secret, raw);
	if (signed === 'sha1-only') return { signature256: null, signature1: signature.sha1 };
	return { signature256: signature.sha256, signature1: signature.sha1 };
}
