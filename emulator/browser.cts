// The person's browser: what Messenger's in-app browser does when a person taps a web_url
// button (a GET of the URL) or submits the form on the page it showed (a POST of its fields).
// Pure helpers first (the buttons of a send, the first form of a page, form encodings); the
// Browser class makes the HTTP calls. It follows no redirects and keeps no cookies: each call
// is a fresh page load, and a redirect is reported, not taken.
import { randomBytes } from 'node:crypto';
import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

import type { FormEncoding, HtmlForm, MessageButton, PageLoad } from './types.cjs';

/**
 * Messenger's in-app browser on iOS (a WKWebView): Safari's user agent with the app's `[FBAN/…]`
 * suffix. Not a crawler's: n8n's send-and-wait webhook ignores requests whose user agent `isbot`
 * flags (link previews), and this one is not flagged.
 */
export const MESSENGER_BROWSER_USER_AGENT =
	'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 ' +
	'[FBAN/MessengerForiOS;FBAV/458.0.0.37.108;FBBV/620139958;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/17.5;FBSS/3;FBCR/;FBID/phone;FBLC/en_US;FBOP/5]';

/** What Safari asks for when it loads a page. */
export const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

export const DEFAULT_BROWSER_TIMEOUT_MS = 30_000;

/** More than this of a page is not read (the load counts as failed). */
const MAX_PAGE_BYTES = 10 * 1024 * 1024;

// ---- The buttons of a send ------------------------------------------------------------

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The buttons a person can see on a message: a button template's `buttons`, and the `buttons` of
 * every element of a generic (or media) template, in order. Quick replies are not buttons, and an
 * element's `default_action` has no title to tap by.
 */
export function buttonsOf(message: Record<string, unknown> | undefined): MessageButton[] {
	if (!message) return [];
	const attachments = Array.isArray(message.attachments) ? message.attachments : message.attachment !== undefined ? [message.attachment] : [];
	const buttons: MessageButton[] = [];
	const take = (list: unknown) => {
		if (!Array.isArray(list)) return;
		for (const button of list) if (isObject(button) && typeof button.title === 'string') buttons.push(button as unknown as MessageButton);
	};
	for (const attachment of attachments) {
		if (!isObject(attachment) || attachment.type !== 'template' || !isObject(attachment.payload)) continue;
		take(attachment.payload.buttons);
		if (Array.isArray(attachment.payload.elements)) for (const element of attachment.payload.elements) if (isObject(element)) take(element.buttons);
	}
	return buttons;
}

// ---- Forms ----------------------------------------------------------------------------

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** The character references a page's attribute values and text use (`&amp;`, `&#39;`, `&#x2F;`…). */
export function decodeEntities(text: string): string {
	return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
		if (name[0] === '#') {
			const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
			return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
		}
		return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
	});
}

/** A start tag's attributes (names lower-cased, values decoded; a bare attribute is ''). */
function attributesOf(source: string): Record<string, string> {
	const attributes: Record<string, string> = {};
	const pattern = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
	for (const match of source.matchAll(pattern)) {
		const name = match[1].toLowerCase();
		if (name in attributes) continue; // the first one counts, as in a browser
		attributes[name] = decodeEntities(match[2] ?? match[3] ?? match[4] ?? '');
	}
	return attributes;
}

/** Start tags of these elements, quotes respected (a `>` inside a quoted value does not end the tag); a new one per scan. */
const tagPattern = () => /<(form|input|textarea|select|option)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
/** Input types that are only sent when they are the button pressed, or never (files cannot be filled in here). */
const NOT_FILLED = new Set(['submit', 'button', 'reset', 'image', 'file']);

/**
 * The first `<form>` of a page, as a browser would submit it: its `action` resolved against
 * `pageUrl` (no action, or `#`: the page's own URL; the fragment is dropped), its method (`GET`
 * unless it says `post`), its enctype, the names of its `input`, `textarea` and `select` fields
 * in order (buttons, file inputs and disabled fields left out), and their prefilled values
 * (`value` attributes, a textarea's text, the selected option; checkboxes and radios only when
 * `checked`). Scripts, styles and comments are skipped. Null when the page has no form.
 */
export function formOf(html: string, pageUrl?: string): HtmlForm | null {
	const text = html.replace(/<!--[\s\S]*?-->/g, '').replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '');
	let form: { attributes: Record<string, string>; start: number } | undefined;
	for (const match of text.matchAll(tagPattern())) {
		if (match[1].toLowerCase() === 'form') {
			form = { attributes: attributesOf(match[2]), start: (match.index ?? 0) + match[0].length };
			break;
		}
	}
	if (!form) return null;
	const closing = text.slice(form.start).search(/<\/form\s*>/i);
	const inner = closing >= 0 ? text.slice(form.start, form.start + closing) : text.slice(form.start);

	const fields: string[] = [];
	const values: Record<string, string> = {};
	const add = (name: string, value: string | undefined) => {
		if (!fields.includes(name)) fields.push(name);
		if (value !== undefined && !(name in values)) values[name] = value;
	};
	const tags = [...inner.matchAll(tagPattern())];
	tags.forEach((match, index) => {
		const element = match[1].toLowerCase();
		const attributes = attributesOf(match[2]);
		const name = attributes.name;
		if (element === 'option' || element === 'form' || !name || 'disabled' in attributes) return;
		const end = (match.index ?? 0) + match[0].length;
		if (element === 'input') {
			const type = (attributes.type ?? 'text').toLowerCase();
			if (NOT_FILLED.has(type)) return;
			if (type === 'checkbox' || type === 'radio') add(name, 'checked' in attributes ? (attributes.value ?? 'on') : undefined);
			else add(name, attributes.value ?? '');
		} else if (element === 'textarea') {
			const close = inner.slice(end).search(/<\/textarea\s*>/i);
			// A leading newline right after the start tag is not part of the value.
			add(name, decodeEntities(close >= 0 ? inner.slice(end, end + close) : '').replace(/^\r?\n/, ''));
		} else {
			// select: the option marked selected, else the first one.
			const close = inner.slice(end).search(/<\/select\s*>/i);
			const until = close >= 0 ? end + close : inner.length;
			const options: Array<{ value: string; selected: boolean }> = [];
			for (const next of tags.slice(index + 1)) {
				if ((next.index ?? 0) >= until) break;
				if (next[1].toLowerCase() !== 'option') continue;
				const optionAttributes = attributesOf(next[2]);
				const after = (next.index ?? 0) + next[0].length;
				const label = inner.slice(after).split(/<\/?(?:option|select)\b/i)[0];
				options.push({ value: optionAttributes.value ?? decodeEntities(label).trim(), selected: 'selected' in optionAttributes });
			}
			add(name, (options.find((option) => option.selected) ?? options[0])?.value);
		}
	});

	const action = form.attributes.action ?? '';
	let resolved = action;
	if (pageUrl !== undefined) {
		try {
			const url = new URL(action, pageUrl);
			url.hash = '';
			resolved = url.toString();
		} catch {
			resolved = action;
		}
	}
	const method = (form.attributes.method ?? '').toLowerCase() === 'post' ? 'POST' : 'GET';
	const enctype = (form.attributes.enctype ?? '').toLowerCase() === 'multipart/form-data' ? 'multipart/form-data' : 'application/x-www-form-urlencoded';
	return { action: resolved, method, enctype, fields, values };
}

/** A form's fields as a browser encodes them: urlencoded (`+` for spaces), or multipart with a WebKit-style boundary. */
export function encodeForm(fields: Record<string, string>, encoding: FormEncoding = 'urlencoded'): { body: Buffer; contentType: string } {
	if (encoding === 'urlencoded') {
		return { body: Buffer.from(new URLSearchParams(fields).toString(), 'utf8'), contentType: 'application/x-www-form-urlencoded' };
	}
	const boundary = `----WebKitFormBoundary${randomBytes(12).toString('base64').replace(/[+/=]/g, 'x').slice(0, 16)}`;
	// As the HTML standard escapes names in Content-Disposition: quotes and line breaks.
	const escape = (name: string) => name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
	const parts = Object.entries(fields).map(
		([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${escape(name)}"\r\n\r\n${value.replace(/\r?\n/g, '\r\n')}\r\n`,
	);
	return { body: Buffer.from(`${parts.join('')}--${boundary}--\r\n`, 'utf8'), contentType: `multipart/form-data; boundary=${boundary}` };
}

// ---- HTTP -----------------------------------------------------------------------------

export interface BrowserCall {
	method: 'GET' | 'POST';
	url: string;
	body?: { data: Buffer; contentType: string };
	/** The page the request comes from (a form's page): sent as Referer, and as Origin with a body (default: the url's origin). */
	pageUrl?: string;
}

/** The headers Messenger's in-app browser sends for a page load (GET) or a form submission (POST). */
export function browserHeaders(call: BrowserCall): Record<string, string> {
	const headers: Record<string, string> = {
		Accept: BROWSER_ACCEPT,
		'Accept-Language': 'en-US,en;q=0.9',
		'Accept-Encoding': 'gzip, deflate, br',
		'User-Agent': MESSENGER_BROWSER_USER_AGENT,
		'Sec-Fetch-Dest': 'document',
		'Sec-Fetch-Mode': 'navigate',
		'Sec-Fetch-Site': 'none',
	};
	const from = new URL(call.pageUrl ?? call.url);
	if (call.pageUrl !== undefined || call.body !== undefined) {
		headers['Sec-Fetch-Site'] = from.origin === new URL(call.url).origin ? 'same-origin' : 'cross-site';
	}
	if (call.body !== undefined) {
		headers['Content-Type'] = call.body.contentType;
		headers.Origin = from.origin;
	}
	if (call.pageUrl !== undefined) headers.Referer = call.pageUrl;
	return headers;
}

/** The emulator's browser: page loads and form posts, one fresh connection each; stop() ends those in flight. */
export class Browser {
	timeoutMs = DEFAULT_BROWSER_TIMEOUT_MS;

	private readonly inFlight = new Set<ClientRequest>();

	private stopped = false;

	/** Never rejects for the network's sake: no answer is `status: 0` with `error`. */
	load(call: BrowserCall): Promise<PageLoad> {
		return new Promise((resolve) => {
			const base = { url: call.url, method: call.method };
			if (this.stopped) {
				resolve({ ...base, status: 0, contentType: '', body: '', headers: {}, error: 'The emulator was stopped' });
				return;
			}
			let settled = false;
			const finish = (load: PageLoad) => {
				if (settled) return;
				settled = true;
				clearTimeout(timer);
				this.inFlight.delete(request);
				resolve(load);
			};
			const failed = (error: string) => finish({ ...base, status: 0, contentType: '', body: '', headers: {}, error });
			const url = new URL(call.url);
			const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
			const headers: Record<string, string> = { ...browserHeaders(call), Connection: 'close' };
			if (call.body !== undefined) headers['Content-Length'] = String(call.body.data.length);
			const request = send(url, { method: call.method, headers, agent: false }, (response) => {
				const status = response.statusCode ?? 0;
				const answerHeaders = flatHeaders(response.headers);
				const location = response.headers.location !== undefined ? resolveLocation(response.headers.location, call.url) : undefined;
				const encoding = String(response.headers['content-encoding'] ?? '').trim().toLowerCase();
				const decoder = encoding === 'gzip' || encoding === 'x-gzip' ? createGunzip() : encoding === 'deflate' ? createInflate() : encoding === 'br' ? createBrotliDecompress() : undefined;
				const stream = decoder ? response.pipe(decoder) : response;
				const chunks: Buffer[] = [];
				let size = 0;
				stream.on('data', (chunk: Buffer) => {
					size += chunk.length;
					if (size > MAX_PAGE_BYTES) {
						request.destroy();
						failed(`The page is larger than ${MAX_PAGE_BYTES} bytes`);
						return;
					}
					chunks.push(chunk);
				});
				stream.on('end', () =>
					finish({
						...base,
						status,
						contentType: String(response.headers['content-type'] ?? ''),
						body: textOf(Buffer.concat(chunks), response.headers['content-type']),
						headers: answerHeaders,
						...(location !== undefined ? { location } : {}),
					}),
				);
				stream.on('error', (error: Error) => failed(`${status ? `HTTP ${status}, then: ` : ''}${error.message}`));
				response.on('aborted', () => failed(`HTTP ${status}, then the connection was closed mid-answer`));
			});
			this.inFlight.add(request);
			const timer = setTimeout(() => {
				request.destroy();
				failed(`No answer within ${this.timeoutMs} ms`);
			}, this.timeoutMs);
			request.on('error', (error: Error) => failed(error.message));
			request.end(call.body?.data);
		});
	}

	stop(): void {
		this.stopped = true;
		for (const request of this.inFlight) request.destroy(new Error('The emulator was stopped'));
		this.inFlight.clear();
	}

	resume(): void {
		this.stopped = false;
	}
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
	const flat: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
	return flat;
}

/** A Location header as an absolute URL (resolved against the request's URL). */
function resolveLocation(location: string, requestUrl: string): string {
	try {
		return new URL(location, requestUrl).toString();
	} catch {
		return location;
	}
}

/** The page's text in its charset (UTF-8 unless the Content-Type names another one the runtime knows). */
function textOf(data: Buffer, contentType: string | undefined): string {
	const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1];
	if (charset) {
		try {
			return new TextDecoder(charset).decode(data);
		} catch {
			// an unknown label: read it as UTF-8
		}
	}
	return data.toString('utf8');
}
