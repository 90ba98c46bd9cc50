// A local Graph API emulator for the Messenger Send API: the independent "other side" that the
// node, the demo and the benchmark talk to over real HTTP. Dev-only, never shipped. Built from
// the shared API facts (/work/shared/messenger-send-api.md), not from the node's code.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Browser, buttonsOf, DEFAULT_BROWSER_TIMEOUT_MS, encodeForm, formOf, type BrowserCall } from './browser.cjs';
import { parseFields, parseLimit, renderThread, threadId, threadsOf, type FieldRequest, type Thread } from './conversations.cjs';
import { Inbox } from './inbox.cjs';
import { createRandom, DEFAULT_SEED, FaultPlanner, hasCap, RateLimiter } from './limits.cjs';
import { parseBody, parseOperationBody } from './requestBody.cjs';
import { decodeJsonParams, graphError, isMediaSend, isObject, recipientOf, validateSend, validateUpload, type UploadedFile } from './rules.cjs';
import type {
	BrowserVisit,
	CustomWebhook,
	CustomWebhookResult,
	EmulatorApp,
	EmulatorOptions,
	EmulatorPage,
	EmulatorStats,
	FaultName,
	FormEncoding,
	FormFill,
	FormFillResult,
	FormSubmission,
	GraphError,
	InboxEntry,
	IncomingEntry,
	MessageButton,
	PageLoad,
	PersonAction,
	PersonActionResult,
	PersonMessage,
	PersonPostback,
	PersonReaction,
	PersonRead,
	PersonTap,
	ReceivedRequest,
	Reply,
	TapResult,
	WebhookDelivery,
	WebhookObject,
	WebhookSignature,
	WebhookState,
} from './types.cjs';
import {
	DEFAULT_WEBHOOK_TIMEOUT_MS,
	deliveryEvent,
	echoEvent,
	eventField,
	isHttpUrl,
	metaJson,
	newChallenge,
	newIncomingMid,
	readFields,
	readObject,
	readSubscription,
	signatureHeaders,
	verificationFailure,
	webhookBody,
	Webhooks,
} from './webhooks.cjs';

export type {
	BrowserVisit,
	CustomWebhook,
	CustomWebhookResult,
	EmulatorApp,
	EmulatorOptions,
	EmulatorPage,
	EmulatorStats,
	FaultConfig,
	FaultName,
	FaultRule,
	FormEncoding,
	FormFill,
	FormFillResult,
	FormSubmission,
	GraphError,
	GraphErrorBody,
	HtmlForm,
	InboxEntry,
	IncomingEntry,
	MessageButton,
	PageLoad,
	PersonAction,
	PersonActionResult,
	PersonMessage,
	PersonPostback,
	PersonReaction,
	PersonRead,
	PersonTap,
	PostbackTap,
	ReceivedRequest,
	Reply,
	TapResult,
	WebUrlTap,
	SubscribedApp,
	WebhookDelivery,
	WebhookObject,
	WebhookSignature,
	WebhookState,
	WebhookSubscription,
} from './types.cjs';
export { metaJson, signWebhook, webhookBody } from './webhooks.cjs';
export { BROWSER_ACCEPT, buttonsOf, encodeForm, formOf, MESSENGER_BROWSER_USER_AGENT } from './browser.cjs';

export const DEFAULT_PAGE: EmulatorPage = { id: '1029384756', name: 'Demo Shop', token: 'DEMO-PAGE-TOKEN' };
/** The app of every Page without an `appId` when no `apps` are given; its token is `4455667788|DEMO-APP-SECRET`. */
export const DEFAULT_APP: EmulatorApp = { id: '4455667788', secret: 'DEMO-APP-SECRET', name: 'Demo App' };
export const DEFAULT_TIMEOUT_MS = 120_000;
export const MAX_BATCH_OPERATIONS = 50;
const VERSION = /^v\d+\.\d+$/;
/** Issued attachment IDs look like the platform's: long digit strings. */
const ATTACHMENT_ID_BASE = 1_857_000_000_000_000;
/** appsecret_time proofs are valid this long. */
const PROOF_TIME_WINDOW_S = 300;
const JSON_TYPE = 'application/json';
/** Conversation (thread) IDs start like the platform's. */
const THREAD_PREFIX = 't_';

/** One Graph call (a direct request or a batch operation), before it is answered. */
interface CallResult {
	status: number;
	body: unknown;
	headers: Record<string, string>;
	/** How a fault changes the answer; undefined: answer normally. */
	disruption?: 'drop' | 'hold' | 'malformed' | 'null';
}

interface Credentials {
	token?: string;
	proof?: string;
	proofTime?: string;
}

type FileUpload = ReceivedRequest['files'][string];

/** A control request that cannot be done as asked: answered 400 (or its status), not as an emulator bug. */
class ControlError extends Error {
	constructor(
		message: string,
		readonly status = 400,
	) {
		super(message);
	}
}

interface BatchEntry {
	code: number;
	headers?: Array<{ name: string; value: string }>;
	body: string;
}

export class GraphEmulator {
	/** Every HTTP request to the Graph endpoints, in arrival order (control endpoints are not logged). */
	readonly requests: ReceivedRequest[] = [];

	/** Every accepted send (messages and sender actions), in arrival order. */
	readonly inbox: InboxEntry[];

	/** What the people did (messages, postbacks, reactions, reads), in arrival order; never counted as sends. */
	readonly incoming: IncomingEntry[];

	/** Every POST the emulator made to a callback URL (events, redeliveries, custom bodies), in the order they finished. */
	readonly deliveries: WebhookDelivery[];

	/** What the person's browser did (web_url taps, page loads, form submissions), in the order they started. */
	readonly visits: BrowserVisit[];

	respondWith?: (request: ReceivedRequest, index: number) => Reply | 'drop' | undefined;

	private options: EmulatorOptions;

	private server?: Server;

	private baseUrl = '';

	private readonly store = new Inbox();

	/** Meta's webhook side: subscriptions, subscribed apps, the delivery queues. Survives reset(). */
	private readonly hub = new Webhooks();

	/** The person's browser (web_url taps and forms). */
	private readonly browser = new Browser();

	/** Names people were given in person actions, for the transcript. */
	private readonly personNames = new Map<string, string>();

	private readonly faults: FaultPlanner;

	private readonly limiter = new RateLimiter();

	private jitterRandom: () => number;

	private traceRandom: () => number;

	private messageCount = 0;

	private attachmentCount = 0;

	/** attachment_id → the Page it was issued to */
	private readonly attachmentOwners = new Map<string, string>();

	/** "pageId|recipientKey" of comments and posts that already got their private reply */
	private readonly replied = new Set<string>();

	private rejected: Record<string, number> = {};

	private faultCounts: Record<string, number> = {};

	private notRunCount = 0;

	private readonly timers = new Set<NodeJS.Timeout>();

	/** Requests are handled one at a time, in the order their bodies arrived. */
	private queue: Promise<void> = Promise.resolve();

	constructor(options: EmulatorOptions = {}) {
		this.options = { pages: [DEFAULT_PAGE], ...withoutUndefined(options) };
		this.inbox = this.store.entries;
		this.incoming = this.store.incoming;
		this.deliveries = this.hub.deliveries;
		this.visits = this.store.visits;
		this.hub.timeoutMs = this.options.webhookTimeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
		this.browser.timeoutMs = this.options.browserTimeoutMs ?? DEFAULT_BROWSER_TIMEOUT_MS;
		const seed = this.seed;
		this.faults = new FaultPlanner(seed);
		this.jitterRandom = createRandom(seed + 1);
		this.traceRandom = createRandom(seed + 2);
	}

	get url(): string {
		return this.baseUrl;
	}

	async start(port = 0, host = '127.0.0.1'): Promise<string> {
		if (this.server) throw new Error('The emulator is already running');
		const server = createServer((req, res) => this.receive(req, res));
		this.server = server;
		this.hub.resume();
		this.browser.resume();
		try {
			await new Promise<void>((resolve, reject) => {
				server.once('error', reject);
				server.listen(port, host, () => {
					server.off('error', reject);
					resolve();
				});
			});
		} catch (error) {
			this.server = undefined;
			throw error;
		}
		const address = server.address() as AddressInfo;
		const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
		this.baseUrl = `http://${shownHost}:${address.port}`;
		return this.baseUrl;
	}

	async stop(): Promise<void> {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		this.hub.stop();
		this.browser.stop();
		const server = this.server;
		this.server = undefined;
		if (!server) return;
		await new Promise<void>((resolve) => {
			server.close(() => resolve());
			// Held (timeout) answers and keep-alive sockets would otherwise keep close() waiting.
			server.closeAllConnections();
		});
	}

	/** Changes options at run time. A key given as undefined (or null, over HTTP) goes back to its default. */
	configure(options: Partial<EmulatorOptions>): void {
		const next: Record<string, unknown> = { ...this.options };
		for (const [key, value] of Object.entries(options)) {
			if (value === undefined || value === null) delete next[key];
			else next[key] = value;
		}
		this.options = next as EmulatorOptions;
		this.hub.timeoutMs = this.options.webhookTimeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
		this.browser.timeoutMs = this.options.browserTimeoutMs ?? DEFAULT_BROWSER_TIMEOUT_MS;
		if ('seed' in options) this.reseed(false);
	}

	reset(): void {
		this.requests.length = 0;
		this.store.clear();
		this.messageCount = 0;
		this.attachmentCount = 0;
		this.attachmentOwners.clear();
		this.replied.clear();
		this.limiter.reset();
		this.rejected = {};
		this.faultCounts = {};
		this.notRunCount = 0;
		this.respondWith = undefined;
		this.personNames.clear();
		// Subscriptions and subscribed apps are Meta-side configuration that an active workflow
		// made: they stay. Deliveries go (queued ones are not sent).
		this.hub.reset();
		this.reseed(true);
	}

	conversation(recipientKey: string): InboxEntry[] {
		return this.store.conversation(recipientKey);
	}

	/**
	 * The parameters of every POST to a Page edge received, in order: a direct request's body, or
	 * each operation of a batch (its form fields, JSON ones decoded), whether Graph ran it or not.
	 */
	sendOperations(): Array<Record<string, unknown>> {
		return this.requests
			.filter((request) => request.method === 'POST' && !isWebhookSetup(request.path))
			.flatMap((request) => {
				if (request.body.batch === undefined) return [request.body];
				const operations = JSON.parse(String(request.body.batch)) as Array<{ body?: unknown }>;
				return operations.map((operation) => {
					const fields = parseOperationBody(operation.body);
					const decoded = decodeJsonParams(fields);
					return 'params' in decoded ? decoded.params : fields;
				});
			});
	}

	/** The conversation ID `GET {page}/conversations` gives for this person (default: the first Page). */
	threadId(psid: string, pageId = this.pages[0]?.id ?? DEFAULT_PAGE.id): string {
		return threadId(pageId, psid);
	}

	transcript(): string {
		return this.store.transcript(
			(pageId) => this.pages.find((page) => page.id === pageId)?.name ?? `Page ${pageId}`,
			(psid) => this.personNames.get(psid) ?? `PSID ${psid}`,
		);
	}

	stats(): EmulatorStats {
		return {
			requests: this.requests.length,
			accepted: this.inbox.length,
			rejected: { ...this.rejected },
			faults: { ...this.faultCounts },
			notRun: this.notRunCount,
		};
	}

	// ---- Webhooks: the person's side and the test controls ---------------------------------

	/** The person sends the Page a message; resolves once its delivery finished (null: nobody subscribed). */
	async personMessage(input: PersonMessage): Promise<PersonActionResult> {
		const { page, psid } = this.person(input);
		const mid = newIncomingMid();
		const message: Record<string, unknown> = { mid };
		if (input.text !== undefined) message.text = String(input.text);
		if (input.quickReplyPayload !== undefined) message.quick_reply = { payload: String(input.quickReplyPayload) };
		if (input.replyToMid !== undefined) message.reply_to = { mid: String(input.replyToMid) };
		if (input.attachments !== undefined) {
			if (!Array.isArray(input.attachments) || !input.attachments.every(isObject)) throw new ControlError('attachments must be an array of objects');
			message.attachments = input.attachments;
		}
		if (message.text === undefined && message.attachments === undefined) throw new ControlError('A person message needs text or attachments');
		return { mid, delivery: await this.incomingEvent(page, psid, 'message', mid, { message }) };
	}

	/** The person presses a postback button (or Get Started). */
	async personPostback(input: PersonPostback): Promise<PersonActionResult> {
		const { page, psid } = this.person(input);
		if (input.payload === undefined || input.payload === '') throw new ControlError('A postback needs a payload');
		return await this.postback(page, psid, String(input.payload), String(input.title ?? input.payload));
	}

	/**
	 * The person taps a button of a template the Page sent them: the newest accepted send to them
	 * with a button of exactly that title (or the send `mid`). A `web_url` button: the in-app
	 * browser GETs its URL (no redirects followed) and the page comes back; a `postback` button:
	 * what `personPostback` does with its payload and title. No such button: a 404 ControlError
	 * listing the buttons there are.
	 */
	async personTaps(input: PersonTap): Promise<TapResult> {
		const { page, psid } = this.person(input);
		if (typeof input.title !== 'string' || input.title === '') throw new ControlError("title is required: the button's title, exactly as sent");
		const mid = input.mid === undefined || input.mid === '' ? undefined : String(input.mid);
		const { entry, button } = this.findButton(page, psid, input.title, mid);
		const messageId = String(entry.message_id);
		const { title } = button;
		if (button.type === 'postback') {
			if (button.payload === undefined || String(button.payload) === '') throw new ControlError(`[${title}] on ${messageId} has no payload`);
			const payload = String(button.payload);
			const result = await this.postback(page, psid, payload, title, messageId);
			return { kind: 'postback', title, messageId, payload, mid: result.mid!, delivery: result.delivery };
		}
		if (button.type === 'web_url') {
			const url = String(button.url ?? '');
			if (!isHttpUrl(url)) throw new ControlError(`[${title}] on ${messageId} has no http(s) url to open (url: ${JSON.stringify(button.url)})`);
			const load = await this.browse(page, psid, { kind: 'tap', title, messageId }, { method: 'GET', url });
			return { kind: 'web_url', title, messageId, ...load, method: 'GET' };
		}
		throw new ControlError(`[${title}] on ${messageId} is a ${String(button.type)} button: the emulator taps web_url and postback buttons only`);
	}

	/** The person's browser submits a form: POSTs `fields` (urlencoded, or multipart) to `url`; redirects are not followed. */
	async personSubmitsForm(input: FormSubmission): Promise<PageLoad> {
		const { page, psid } = this.person(input);
		const url = String(input.url ?? '');
		if (!isHttpUrl(url)) throw new ControlError("url must be an http(s) URL (the form's action)");
		if (input.pageUrl !== undefined && !isHttpUrl(String(input.pageUrl))) throw new ControlError('pageUrl must be an http(s) URL');
		const fields = stringFields(input.fields, 'fields');
		return await this.submit(page, psid, url, fields, readEncoding(input.encoding) ?? 'urlencoded', input.pageUrl === undefined ? undefined : String(input.pageUrl));
	}

	/**
	 * The person fills in the first form of a page and submits it: `formOf(html, pageUrl)` (the
	 * page loaded first when no `html` is given), `values` over the prefilled ones, sent as the form
	 * says (method, action, enctype unless `encoding` is given). A page without a form: 404; a value
	 * for a field the form does not have: 400 naming the fields it has.
	 */
	async personFillsForm(input: FormFill): Promise<FormFillResult> {
		const { page, psid } = this.person(input);
		const pageUrl = String(input.pageUrl ?? '');
		if (!isHttpUrl(pageUrl)) throw new ControlError("pageUrl must be an http(s) URL (the page the form is on)");
		if (input.html !== undefined && typeof input.html !== 'string') throw new ControlError('html must be a string (the page)');
		const values = stringFields(input.values ?? {}, 'values');
		const encoding = readEncoding(input.encoding);
		let html = input.html;
		if (html === undefined) {
			const load = await this.browse(page, psid, { kind: 'open' }, { method: 'GET', url: pageUrl });
			if (load.status === 0) throw new ControlError(`The page ${pageUrl} did not load: ${String(load.error)}`, 502);
			html = load.body;
		}
		const form = formOf(html, pageUrl);
		if (!form) throw new ControlError(`The page ${pageUrl} has no <form>`, 404);
		const unknown = Object.keys(values).filter((name) => !form.fields.includes(name));
		if (unknown.length > 0) {
			throw new ControlError(`The form has no field ${unknown.map((name) => JSON.stringify(name)).join(', ')}; its fields: ${form.fields.map((name) => JSON.stringify(name)).join(', ') || '(none)'}`);
		}
		const fields: Record<string, string> = {};
		for (const name of form.fields) {
			const value = values[name] ?? form.values[name];
			if (value !== undefined) fields[name] = value;
		}
		if (!isHttpUrl(form.action)) throw new ControlError(`The form's action is not an http(s) URL: ${JSON.stringify(form.action)}`);
		if (form.method === 'GET') {
			const target = new URL(form.action);
			target.search = new URLSearchParams(fields).toString();
			const load = await this.browse(page, psid, { kind: 'form', fields }, { method: 'GET', url: target.toString(), pageUrl });
			return { ...load, form, fields };
		}
		const load = await this.submit(page, psid, form.action, fields, encoding ?? (form.enctype === 'multipart/form-data' ? 'multipart' : 'urlencoded'), pageUrl);
		return { ...load, form, fields };
	}

	/** The person reacts to a message (or takes the reaction back). */
	async personReaction(input: PersonReaction): Promise<PersonActionResult> {
		const { page, psid } = this.person(input);
		if (input.mid === undefined || input.mid === '') throw new ControlError('A reaction needs the mid of the message reacted to');
		const action = input.action ?? 'react';
		if (action !== 'react' && action !== 'unreact') throw new ControlError("action must be 'react' or 'unreact'");
		const mid = String(input.mid);
		// The platform's order of keys; an unreact says only which message.
		const reaction = action === 'react' ? { reaction: String(input.reaction ?? 'love'), emoji: String(input.emoji ?? '❤'), action, mid } : { action, mid };
		return { delivery: await this.incomingEvent(page, psid, 'reaction', mid, { reaction }) };
	}

	/** The person reads the conversation up to `watermark` (default: now). */
	async personRead(input: PersonRead): Promise<PersonActionResult> {
		const { page, psid } = this.person(input);
		if (input.watermark !== undefined && !Number.isFinite(Number(input.watermark))) throw new ControlError('watermark must be a number (ms)');
		const watermark = input.watermark !== undefined ? Number(input.watermark) : Date.now();
		return { delivery: await this.incomingEvent(page, psid, 'read', undefined, { read: { watermark } }) };
	}

	/**
	 * Delivers any messaging event (an optin, a referral, a handover…) for a Page through the
	 * subscription rules, as events of the emulator's own are. Nothing goes into the transcript.
	 */
	async deliverEvent(event: Record<string, unknown>, pageId?: string): Promise<WebhookDelivery | null> {
		return await this.dispatch(this.pageFor(pageId), event);
	}

	/** Sends a recorded delivery (default: the last) again: the same bytes, signature headers and URL. */
	async redeliver(id?: string): Promise<WebhookDelivery> {
		const original = id === undefined ? this.deliveries[this.deliveries.length - 1] : this.deliveries.find((delivery) => delivery.id === id);
		if (!original) throw new ControlError(id === undefined ? 'No delivery to redeliver yet' : `No delivery ${id}`, 404);
		const { appId, url, raw, object, events, fields, signed, signature256, signature1, contentType } = original;
		const delivery = await this.hub.enqueue(appId, () => ({
			appId,
			url,
			raw,
			object,
			events,
			fields,
			signed,
			signature256,
			signature1,
			contentType,
			redeliveryOf: original.id,
		}));
		if (!delivery) throw new ControlError('The emulator was reset or stopped before the redelivery went out', 409);
		return delivery;
	}

	/**
	 * Posts a body of the test's choosing to the Page's app's callback URL (or `url`), signed as
	 * asked: for a receiver's tests of forged, missing and odd signatures and of malformed bodies.
	 */
	async sendWebhook(input: CustomWebhook): Promise<CustomWebhookResult> {
		if (!isObject(input) || input.body === undefined) throw new ControlError('body is required (an object, or a string sent as is)');
		const page = this.pageFor(input.pageId);
		const app = this.appOf(page);
		if (!app) throw new ControlError(`The Page ${page.id} has no app to sign with`);
		const signed: WebhookSignature = input.signature ?? 'valid';
		if (!['valid', 'forged', 'none', 'sha1-only'].includes(signed)) throw new ControlError("signature must be 'valid', 'forged', 'none' or 'sha1-only'");
		const object = objectOf(page);
		const url = input.url ?? this.hub.appSubscriptions(app.id).find((subscription) => subscription.object === object)?.callback_url;
		if (url === undefined) throw new ControlError(`App ${app.id} has no ${object} subscription: give url`);
		if (!isHttpUrl(url)) throw new ControlError(`url must be an http(s) URL, not '${url}'`);
		const raw = typeof input.body === 'string' ? input.body : metaJson(input.body);
		const described = describeBody(raw, object);
		const delivery = await this.hub.enqueue(app.id, () => ({
			appId: app.id,
			url,
			raw,
			...described,
			signed,
			...signatureHeaders(app.secret, raw, signed),
			contentType: input.contentType ?? JSON_TYPE,
		}));
		return { status: delivery?.status ?? 0, responseBody: delivery?.responseBody ?? '', delivery };
	}

	/** The Meta-side configuration (verify tokens included: for tests only, Graph never shows them) and the deliveries. */
	webhookState(): WebhookState {
		return {
			subscriptions: [...this.hub.subscriptions.values()].map(({ appId, object, callback_url, fields, verify_token }) => ({
				appId,
				object,
				callback_url,
				fields: [...fields],
				verify_token,
			})),
			subscribedApps: [...this.hub.subscribedApps.values()].map((subscribed) => ({ ...subscribed, fields: [...subscribed.fields] })),
			deliveries: [...this.deliveries],
		};
	}

	/** Resolves once every queued delivery went out: e.g. after a send, before looking at its echo. */
	async settleWebhooks(): Promise<WebhookDelivery[]> {
		await this.hub.settled();
		return [...this.deliveries];
	}

	/** Forgets subscriptions, subscribed apps and deliveries (reset() keeps the first two). */
	clearWebhooks(): void {
		this.hub.clear();
	}

	private pageFor(pageId: string | undefined): EmulatorPage {
		const page = pageId === undefined ? this.pages[0] : this.pages.find((candidate) => candidate.id === String(pageId));
		if (!page) throw new ControlError(pageId === undefined ? 'The emulator has no pages' : `No page ${pageId}`);
		return page;
	}

	private async postback(page: EmulatorPage, psid: string, payload: string, title: string, tappedOn?: string): Promise<PersonActionResult> {
		const mid = newIncomingMid();
		const postback = { title, payload, mid };
		return { mid, delivery: await this.incomingEvent(page, psid, 'postback', mid, { postback }, tappedOn) };
	}

	/** The newest accepted send to the person (or the one with message_id `mid`) with a button of exactly this title. */
	private findButton(page: EmulatorPage, psid: string, title: string, mid: string | undefined): { entry: InboxEntry; button: MessageButton } {
		const sends = this.inbox.filter((entry) => entry.pageId === page.id && entry.recipientKey === `id:${psid}` && entry.message_id !== undefined);
		const candidates = mid === undefined ? sends : sends.filter((entry) => entry.message_id === mid);
		if (mid !== undefined && candidates.length === 0) throw new ControlError(`No accepted send ${mid} from ${page.name} to PSID ${psid}`, 404);
		for (let index = candidates.length - 1; index >= 0; index -= 1) {
			const button = buttonsOf(candidates[index].message).find((candidate) => candidate.title === title);
			if (button) return { entry: candidates[index], button };
		}
		const there = candidates
			.slice()
			.reverse()
			.flatMap((entry) => buttonsOf(entry.message).map((button) => `[${button.title}] (${String(button.type)}, ${String(entry.message_id)})`));
		const where = mid === undefined ? `in ${page.name}'s messages to PSID ${psid}` : `on ${mid}`;
		throw new ControlError(`No button titled ${JSON.stringify(title)} ${where}; ${there.length > 0 ? `the buttons there: ${there.join(', ')}` : 'there are no buttons there'}`, 404);
	}

	/** A page load or form post by the person's browser, recorded (for the transcript) before it starts. */
	private async browse(page: EmulatorPage, psid: string, about: Pick<BrowserVisit, 'kind' | 'title' | 'messageId' | 'fields' | 'encoding'>, call: BrowserCall): Promise<PageLoad> {
		const visit = this.store.addVisit({ pageId: page.id, psid, ...withoutUndefined(about), kind: about.kind, method: call.method, url: call.url, at: Date.now() });
		const load = await this.browser.load(call);
		visit.status = load.status;
		if (load.contentType) visit.contentType = load.contentType;
		if (load.location !== undefined) visit.location = load.location;
		if (load.error !== undefined) visit.error = load.error;
		return load;
	}

	private async submit(page: EmulatorPage, psid: string, url: string, fields: Record<string, string>, encoding: FormEncoding, pageUrl: string | undefined): Promise<PageLoad> {
		const { body, contentType } = encodeForm(fields, encoding);
		return await this.browse(page, psid, { kind: 'form', fields, encoding }, { method: 'POST', url, body: { data: body, contentType }, ...(pageUrl !== undefined ? { pageUrl } : {}) });
	}

	private person(input: PersonAction): { page: EmulatorPage; psid: string } {
		if (!isObject(input) || input.psid === undefined || String(input.psid) === '') throw new ControlError('psid is required');
		const page = this.pageFor(input.pageId);
		const psid = String(input.psid);
		if (input.name !== undefined && input.name !== '') this.personNames.set(psid, String(input.name));
		return { page, psid };
	}

	/** Puts what the person did into the transcript, then delivers it. */
	private async incomingEvent(
		page: EmulatorPage,
		psid: string,
		kind: IncomingEntry['kind'],
		mid: string | undefined,
		content: Record<string, unknown>,
		tappedOn?: string,
	): Promise<WebhookDelivery | null> {
		const timestamp = Date.now();
		const event = { sender: { id: psid }, recipient: { id: page.id }, timestamp, ...content };
		this.store.addIncoming({
			pageId: page.id,
			psid,
			kind,
			...(mid !== undefined ? { mid } : {}),
			event,
			receivedAt: timestamp,
			...(tappedOn !== undefined ? { tappedOn } : {}),
		});
		return await this.dispatch(page, event);
	}

	/**
	 * Queues one event for the Page's app when both the app's subscription for the Page's object
	 * and the Page's subscribed app include the event's field; null when they do not.
	 */
	private dispatch(page: EmulatorPage, event: Record<string, unknown>): Promise<WebhookDelivery | null> {
		const app = this.appOf(page);
		const object = objectOf(page);
		const field = eventField(event, object);
		const subscription = app && field ? this.hub.route(app.id, page.id, object, field) : undefined;
		if (!app || !field || !subscription) return Promise.resolve(null);
		return this.hub.enqueue(app.id, () => {
			// One event per request; `time` is when it goes out.
			const raw = metaJson(webhookBody(object, [{ id: page.id, time: Date.now(), messaging: [event] }]));
			return {
				appId: app.id,
				url: subscription.callback_url,
				raw,
				object,
				events: 1,
				fields: [field],
				signed: 'valid',
				...signatureHeaders(app.secret, raw, 'valid'),
				contentType: JSON_TYPE,
			};
		});
	}

	private get seed(): number {
		return this.options.seed ?? DEFAULT_SEED;
	}

	private get pages(): EmulatorPage[] {
		return this.options.pages ?? [DEFAULT_PAGE];
	}

	private get apps(): EmulatorApp[] {
		return this.options.apps ?? [DEFAULT_APP];
	}

	/** The Page's app: its `appId`, else the first app (undefined when that names no app). */
	private appOf(page: EmulatorPage): EmulatorApp | undefined {
		const id = page.appId ?? this.apps[0]?.id;
		return this.apps.find((app) => app.id === id);
	}

	private reseed(restartOrdinals: boolean): void {
		if (restartOrdinals) this.faults.reset(this.seed);
		else this.faults.reseed(this.seed);
		this.jitterRandom = createRandom(this.seed + 1);
		this.traceRandom = createRandom(this.seed + 2);
	}

	// ---- HTTP plumbing ------------------------------------------------------------------

	private receive(req: IncomingMessage, res: ServerResponse): void {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			const handle = () => (this.queue = this.queue.then(() => this.handle(req, res, raw)));
			// The way in to Graph varies too: requests sent one after another can be handled out of order.
			const arrival = this.options.arrivalJitterMs ? this.jitterRandom() * this.options.arrivalJitterMs : 0;
			if (arrival > 0) setTimeout(handle, arrival);
			else handle();
		});
	}

	private async handle(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
		try {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			let parsed: Pick<ReceivedRequest, 'body' | 'files'> = { body: {}, files: {} };
			let unparsable = false;
			try {
				parsed = await parseBody(req.headers, raw);
			} catch {
				unparsable = true;
			}
			const record: ReceivedRequest = {
				method: req.method ?? '',
				url: req.url ?? '',
				path: url.pathname,
				query: Object.fromEntries(url.searchParams),
				headers: req.headers,
				raw,
				...parsed,
			};
			if (record.path === '/__emulator' || record.path.startsWith('/__emulator/')) {
				this.control(record, res);
				return;
			}

			this.requests.push(record);
			const override = this.respondWith?.(record, this.requests.length - 1);
			if (override === 'drop') {
				this.answer(req, res, { status: 0, body: null, headers: {}, disruption: 'drop' });
				return;
			}
			if (override) {
				this.answer(req, res, { status: override.status, body: override.body, headers: { 'content-type': JSON_TYPE, ...override.headers } });
				return;
			}
			const result = unparsable ? this.errorResult(graphError(100, '(#100) The request body could not be parsed')) : this.route(record);
			if (result instanceof Promise) {
				// A subscription's verification call can take seconds: the requests behind it do not wait.
				result.then(
					(settled) => this.answer(req, res, settled),
					(error: Error) => emulatorBug(res, error),
				);
				return;
			}
			this.answer(req, res, result);
		} catch (error) {
			emulatorBug(res, error as Error);
		}
	}

	/** Sends the answer after the configured latency; a drop destroys the socket instead. */
	private answer(req: IncomingMessage, res: ServerResponse, result: CallResult): void {
		const jitter = this.options.jitterMs ? this.jitterRandom() * this.options.jitterMs : 0;
		let delay = (this.options.latencyMs ?? 0) + jitter;
		if (result.disruption === 'hold') delay += this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			if (result.disruption === 'drop') {
				req.socket.destroy();
				return;
			}
			if (res.destroyed) return;
			let body = typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
			// A body cut off mid-way, as a proxy that lost the connection would pass it on.
			if (result.disruption === 'malformed') body = body.slice(0, Math.max(1, Math.floor(body.length / 2)));
			res.writeHead(result.status, result.headers);
			res.end(body);
		}, delay);
		this.timers.add(timer);
		res.on('close', () => {
			clearTimeout(timer);
			this.timers.delete(timer);
		});
	}

	private control(record: ReceivedRequest, res: ServerResponse): void {
		const reply = (status: number, body: unknown, type = JSON_TYPE) => {
			if (res.destroyed) return;
			res.writeHead(status, { 'content-type': type });
			res.end(typeof body === 'string' ? body : JSON.stringify(body));
		};
		// Person actions wait for their delivery, which may wait for the receiver's own Graph
		// calls: they answer when done, without holding up the requests behind them.
		const later = (work: (input: Record<string, unknown>) => Promise<unknown>) => {
			let input: unknown;
			try {
				input = JSON.parse(record.raw.toString('utf8') || '{}');
			} catch {
				input = undefined;
			}
			if (!isObject(input)) return reply(400, { error: { message: 'The body must be a JSON object' } });
			work(input).then(
				(body) => reply(200, body),
				(error: Error) =>
					error instanceof ControlError ? reply(error.status, { error: { message: error.message } }) : emulatorBug(res, error),
			);
		};
		switch (`${record.method} ${record.path.replace(/\/+$/, '')}`) {
			case 'GET /__emulator/inbox':
				return reply(200, this.inbox);
			case 'GET /__emulator/transcript':
				return reply(200, this.transcript(), 'text/plain; charset=utf-8');
			case 'GET /__emulator/stats':
				return reply(200, this.stats());
			case 'GET /__emulator/requests':
				return reply(200, this.requests.map(withoutBytes));
			case 'POST /__emulator/reset':
				this.reset();
				return reply(200, { ok: true });
			case 'GET /__emulator/incoming':
				return reply(200, this.incoming);
			case 'GET /__emulator/webhooks':
				return reply(200, this.webhookState());
			case 'GET /__emulator/webhooks/deliveries':
				return reply(200, this.deliveries);
			case 'POST /__emulator/webhooks/clear':
				this.clearWebhooks();
				return reply(200, { ok: true });
			case 'POST /__emulator/webhooks/settle':
				return later(async () => ({ deliveries: await this.settleWebhooks() }));
			case 'POST /__emulator/webhooks/redeliver':
				return later(async (input) => ({ delivery: await this.redeliver(input.id === undefined ? undefined : String(input.id)) }));
			case 'POST /__emulator/webhooks/send':
				return later(async (input) => await this.sendWebhook(input as unknown as CustomWebhook));
			case 'POST /__emulator/webhooks/event':
				return later(async (input) => {
					if (!isObject(input.event)) throw new ControlError('event must be a messaging event object');
					return { delivery: await this.deliverEvent(input.event, input.pageId === undefined ? undefined : String(input.pageId)) };
				});
			case 'POST /__emulator/person/message':
				return later(async (input) => await this.personMessage(input as unknown as PersonMessage));
			case 'POST /__emulator/person/postback':
				return later(async (input) => await this.personPostback(input as unknown as PersonPostback));
			case 'POST /__emulator/person/reaction':
				return later(async (input) => await this.personReaction(input as unknown as PersonReaction));
			case 'POST /__emulator/person/read':
				return later(async (input) => await this.personRead(input as unknown as PersonRead));
			case 'POST /__emulator/person/tap':
				return later(async (input) => await this.personTaps(input as unknown as PersonTap));
			case 'POST /__emulator/person/form':
				return later(async (input) => await this.personSubmitsForm(input as unknown as FormSubmission));
			case 'POST /__emulator/person/fill-form':
				return later(async (input) => await this.personFillsForm(input as unknown as FormFill));
			case 'GET /__emulator/visits':
				return reply(200, this.visits);
			case 'POST /__emulator/config': {
				let options: unknown;
				try {
					options = JSON.parse(record.raw.toString('utf8') || '{}');
				} catch {
					options = undefined;
				}
				if (!isObject(options)) return reply(400, { error: { message: 'The body must be a JSON object of emulator options' } });
				this.configure(options as Partial<EmulatorOptions>);
				return reply(200, { ok: true });
			}
			default:
				return reply(404, { error: { message: `No emulator control endpoint ${record.method} ${record.path}` } });
		}
	}

	// ---- Graph routing ------------------------------------------------------------------

	private route(record: ReceivedRequest): CallResult | Promise<CallResult> {
		const segments = pathSegments(record.path);
		const credentials = credentialsOf(record);
		const params = { ...record.query, ...record.body };
		if (segments.length === 0) return this.rootCall(record, credentials);
		const [version, ...rest] = segments;
		if (!VERSION.test(version)) {
			return this.errorResult(graphError(100, `(#100) The path must start with a Graph API version such as v25.0, not '${version}'`));
		}
		if (rest.length === 0) return this.rootCall(record, credentials);
		if (rest.length === 2 && rest[1] === 'subscriptions') return this.appSubscriptionsCall(record.method, rest[0], params, credentials, version);
		return this.graphCall(record.method, rest, params, record.files, credentials, false);
	}

	private rootCall(record: ReceivedRequest, credentials: Credentials): CallResult {
		if (record.method !== 'POST') {
			return this.errorResult(graphError(100, `(#100) Unsupported ${record.method.toLowerCase()} request: a batch is a POST to /{version}/`));
		}
		return this.batchCall(record, credentials);
	}

	/**
	 * One call below the version prefix: `{node}`, `{node}/messages`, `{node}/message_attachments`,
	 * `GET {node}/conversations` or `{node}/subscribed_apps`; a `{node}` starting with `t_` is a
	 * conversation. (`{app-id}/subscriptions` is routed before, except inside a batch.)
	 */
	private graphCall(
		method: string,
		segments: string[],
		params: Record<string, unknown>,
		files: ReceivedRequest['files'],
		credentials: Credentials,
		viaBatch: boolean,
	): CallResult {
		const [node, edge] = segments;
		// Only GET reads conversations; other methods keep the unknown-edge answer they always had.
		const known =
			segments.length === 1 ||
			(segments.length === 2 &&
				(edge === 'messages' ||
					edge === 'message_attachments' ||
					edge === 'subscribed_apps' ||
					edge === 'subscriptions' ||
					(edge === 'conversations' && method === 'GET')));
		if (!known) return this.errorResult(graphError(2500, `Unknown path components: /${segments.slice(1).join('/')}`));
		if (edge === 'subscribed_apps') return this.subscribedAppsCall(method, node, params, credentials);
		// A batch carries Page tokens and runs its operations at once: no room for an app token and a verification call.
		if (edge === 'subscriptions') return this.errorResult(graphError(100, '(#100) {app-id}/subscriptions cannot be called inside a batch: call it directly with the app access token'));
		if (edge === 'messages' && method === 'POST') return this.sendCall(node, params, files, credentials, viaBatch);
		if (edge === 'message_attachments' && method === 'POST') return this.uploadCall(node, params, files, credentials);
		if (edge === 'conversations') return this.conversationsCall(node, params, credentials);
		if (edge === undefined && method === 'GET' && node.startsWith(THREAD_PREFIX)) return this.threadCall(node, params, credentials);
		if (edge === undefined && method === 'GET') return this.nodeCall(node, params, credentials);
		return this.errorResult(unsupported(method, node));
	}

	/** `proofOptional`: the batch envelope, whose operations may each carry their own proof. */
	private authenticate(credentials: Credentials, node?: string, proofOptional = false): { page: EmulatorPage } | { result: CallResult } {
		const page = credentials.token ? this.pages.find((candidate) => candidate.token === credentials.token) : undefined;
		if (!page) return { result: this.errorResult(graphError(190, 'Invalid OAuth access token - Cannot parse access token')) };
		const proofError = proofOptional && credentials.proof === undefined ? null : checkProof(page, credentials);
		if (proofError) return { result: this.errorResult(proofError, page.id) };
		// A token only reaches its own Page; the platform answers other IDs as if they did not exist.
		if (node !== undefined && node !== 'me' && node !== page.id) return { result: this.errorResult(unsupported('POST', node), page.id) };
		return { page };
	}

	private nodeCall(node: string, params: Record<string, unknown>, credentials: Credentials): CallResult {
		const auth = this.authenticate(credentials);
		if ('result' in auth) return auth.result;
		const { page } = auth;
		if (node !== 'me' && node !== page.id) return this.errorResult(unsupported('GET', node), page.id);
		const fields = typeof params.fields === 'string' && params.fields.trim() ? params.fields.split(',').map((field) => field.trim()) : ['id', 'name'];
		const unknown = fields.find((field) => field !== 'id' && field !== 'name');
		if (unknown) return this.errorResult(graphError(100, `(#100) Tried accessing nonexisting field (${unknown}) on node type (Page)`), page.id);
		// Graph always includes the id.
		const body: Record<string, string> = { id: page.id };
		if (fields.includes('name')) body.name = page.name;
		return this.success(body, page.id);
	}

	// ---- Webhook setup (app subscriptions, Page subscribed apps) --------------------------

	/** An app access token (`app-id|app-secret`) for this app's own node. */
	private authenticateApp(credentials: Credentials, node: string, method: string): { app: EmulatorApp } | { result: CallResult } {
		const { token } = credentials;
		if (token !== undefined && this.pages.some((page) => page.token === token)) {
			return {
				result: this.errorResult(graphError(100, '(#100) This call needs an app access token ({app-id}|{app-secret}), not a Page access token')),
			};
		}
		const app = token !== undefined ? this.apps.find((candidate) => `${candidate.id}|${candidate.secret}` === token) : undefined;
		if (!app) return { result: this.errorResult(graphError(190, 'Invalid OAuth access token - Cannot parse access token')) };
		if (node !== app.id) return { result: this.errorResult(unsupported(method, node)) };
		return { app };
	}

	/** `GET|POST|DELETE {app-id}/subscriptions`; a POST answers once the verification call is done. */
	private appSubscriptionsCall(method: string, node: string, params: Record<string, unknown>, credentials: Credentials, version: string): CallResult | Promise<CallResult> {
		const auth = this.authenticateApp(credentials, node, method);
		if ('result' in auth) return auth.result;
		const { app } = auth;
		switch (method) {
			case 'GET': {
				// The verify token is write-only, as on the platform.
				const data = this.hub.appSubscriptions(app.id).map((subscription) => ({
					object: subscription.object,
					callback_url: subscription.callback_url,
					active: true,
					fields: subscription.fields.map((name) => ({ name, version: subscription.version })),
				}));
				return this.success({ data });
			}
			case 'POST':
				return this.subscribe(app, params, version);
			case 'DELETE': {
				const object = readObject(params.object, false);
				if ('error' in object) return this.errorResult(object.error);
				const hasFields = params.fields !== undefined && params.fields !== '';
				if (object.object === undefined && hasFields) return this.errorResult(graphError(100, '(#100) Removing fields needs the parameter object'));
				const fields = object.object !== undefined ? readFields(params.fields, 'fields', object.object, false) : {};
				if ('error' in fields) return this.errorResult(fields.error);
				this.hub.unsubscribe(app.id, object.object, fields.fields);
				return this.success({ success: true });
			}
			default:
				return this.errorResult(unsupported(method, node));
		}
	}

	/** Checks the parameters, makes the verification call, and only then saves (replacing the object's old subscription). */
	private async subscribe(app: EmulatorApp, params: Record<string, unknown>, version: string): Promise<CallResult> {
		const read = readSubscription(params);
		if ('error' in read) return this.errorResult(read.error);
		const { subscription } = read;
		const challenge = newChallenge();
		const outcome = await this.hub.verify(subscription.callback_url, subscription.verify_token, challenge);
		const failure = verificationFailure(outcome, challenge, this.hub.timeoutMs);
		if (failure) return this.errorResult(graphError(2200, `(#2200) Callback verification failed with the following errors: ${failure}`));
		this.hub.subscribe({ appId: app.id, ...subscription, version });
		return this.success({ success: true });
	}

	/** `GET|POST|DELETE {page}/subscribed_apps` with the Page token: the Page's link to its own app. */
	private subscribedAppsCall(method: string, node: string, params: Record<string, unknown>, credentials: Credentials): CallResult {
		const auth = this.authenticate(credentials, node);
		if ('result' in auth) return auth.result;
		const { page } = auth;
		const app = this.appOf(page);
		if (!app) return this.errorResult(graphError(100, `(#100) The Page's app ${String(page.appId)} is not one of the emulator's apps`), page.id);
		switch (method) {
			case 'GET': {
				const subscribed = this.hub.subscribedApp(page.id, app.id);
				const data = subscribed ? [{ id: app.id, name: app.name ?? `App ${app.id}`, subscribed_fields: subscribed.fields }] : [];
				return this.success({ data }, page.id);
			}
			case 'POST': {
				const fields = readFields(params.subscribed_fields, 'subscribed_fields', objectOf(page), true);
				if ('error' in fields) return this.errorResult(fields.error, page.id);
				this.hub.subscribeApp(page.id, app.id, fields.fields!);
				return this.success({ success: true }, page.id);
			}
			case 'DELETE':
				this.hub.unsubscribeApp(page.id, app.id);
				return this.success({ success: true }, page.id);
			default:
				return this.errorResult(unsupported(method, node), page.id);
		}
	}

	// ---- Conversations (read side) -------------------------------------------------------

	/**
	 * Token, proof and Page as for any call; then the read permission. Not a send operation: no
	 * fault ordinal, no rate cap, nothing in the inbox.
	 */
	private readAccess(credentials: Credentials, node?: string): { page: EmulatorPage } | { result: CallResult } {
		const auth = this.authenticate(credentials);
		if ('result' in auth) return auth;
		const { page } = auth;
		if (node !== undefined && node !== 'me' && node !== page.id) return { result: this.errorResult(unsupported('GET', node), page.id) };
		if (page.canReadConversations === false) {
			const permissions =
				page.platform === 'instagram' ? 'instagram_basic,instagram_manage_messages,pages_manage_metadata' : 'pages_read_engagement,pages_manage_metadata';
			const message = `(#200) The permission(s) ${permissions} are not available. It could because either they are not approved for the app or the app is not in live mode. Also make sure the user has granted the permission to the app.`;
			return { result: this.errorResult(graphError(200, message, { status: 403 }), page.id) };
		}
		return { page };
	}

	/** `fields` of a conversations call; undefined: the defaults. */
	private conversationFields(params: Record<string, unknown>): { fields?: FieldRequest[] } | { error: GraphError } {
		if (params.fields === undefined || params.fields === '') return {};
		const parsed = parseFields(String(params.fields));
		if (typeof parsed === 'string') return { error: graphError(100, `(#100) ${parsed}`) };
		return { fields: parsed };
	}

	/** `GET {page}/conversations?platform=…[&user_id=PSID][&fields=…]`. */
	private conversationsCall(node: string, params: Record<string, unknown>, credentials: Credentials): CallResult {
		const access = this.readAccess(credentials, node);
		if ('result' in access) return access.result;
		const { page } = access;
		const platform = page.platform === 'instagram' ? 'instagram' : 'messenger';
		if (params.platform === undefined || params.platform === '') {
			return this.errorResult(graphError(100, `(#100) The parameter platform is required (${platform} for this ${platform === 'instagram' ? 'Instagram account' : 'Page'})`), page.id);
		}
		if (params.platform !== platform) {
			return this.errorResult(
				graphError(100, `(#100) platform must be ${platform} for this ${platform === 'instagram' ? 'Instagram account' : 'Page'}, not '${String(params.platform)}'`),
				page.id,
			);
		}
		if (params.limit !== undefined) {
			const limit = parseLimit(String(params.limit));
			if (typeof limit === 'string') return this.errorResult(graphError(100, `(#100) ${limit}`), page.id);
		}
		const selection = this.conversationFields(params);
		if ('error' in selection) return this.errorResult(selection.error, page.id);

		let threads: Thread[] = threadsOf(this.inbox, page.id);
		if (params.user_id !== undefined && params.user_id !== '') threads = threads.filter((thread) => thread.psid === String(params.user_id));
		if (params.limit !== undefined) threads = threads.slice(0, Number(params.limit));
		const data: unknown[] = [];
		for (const thread of threads) {
			const rendered = renderThread(thread, { page, fields: selection.fields });
			if (typeof rendered === 'string') return this.errorResult(graphError(100, `(#100) ${rendered}`), page.id);
			data.push(rendered);
		}
		return this.success({ data }, page.id);
	}

	/** `GET {conversation-id}?fields=messages.limit(N){…}`: only the token's Page's threads exist for it. */
	private threadCall(node: string, params: Record<string, unknown>, credentials: Credentials): CallResult {
		const access = this.readAccess(credentials);
		if ('result' in access) return access.result;
		const { page } = access;
		const thread = threadsOf(this.inbox, page.id).find((candidate) => candidate.id === node);
		if (!thread) return this.errorResult(unsupported('GET', node), page.id);
		const selection = this.conversationFields(params);
		if ('error' in selection) return this.errorResult(selection.error, page.id);
		const rendered = renderThread(thread, { page, fields: selection.fields });
		if (typeof rendered === 'string') return this.errorResult(graphError(100, `(#100) ${rendered}`), page.id);
		return this.success(rendered, page.id);
	}

	private uploadCall(node: string, params: Record<string, unknown>, files: ReceivedRequest['files'], credentials: Credentials): CallResult {
		const auth = this.authenticate(credentials, node);
		if ('result' in auth) return auth.result;
		const { page } = auth;
		const decoded = decodeJsonParams(params);
		if ('error' in decoded) return this.errorResult(decoded.error, page.id);
		const error = validateUpload(decoded.params, fileInfo(files.filedata), page.platform === 'instagram');
		if (error) return this.errorResult(error, page.id);
		return this.success({ attachment_id: this.issueAttachment(page.id) }, page.id);
	}

	/** A send operation: counted for fault ordinals and rate caps, checked, delivered. */
	private sendCall(node: string, params: Record<string, unknown>, files: ReceivedRequest['files'], credentials: Credentials, viaBatch: boolean): CallResult {
		const { fault } = this.faults.next(this.options.faults, viaBatch);
		const auth = this.authenticate(credentials, node);
		if ('result' in auth) return auth.result;
		const { page } = auth;

		switch (fault) {
			case 'dropBeforeDelivery':
				this.countFault(fault);
				return { status: 0, body: null, headers: {}, disruption: 'drop' };
			case 'nullBatchEntry':
				this.countFault(fault);
				return { status: 0, body: null, headers: {}, disruption: 'null' };
			case 'http5xx':
				this.countFault(fault);
				return this.errorResult(graphError(2, 'Service temporarily unavailable', { status: 500, transient: true }), page.id, { fault });
			case 'temporary1200':
				this.countFault(fault);
				return this.errorResult(
					graphError(1200, 'Temporary send message failure. Please try again later', { status: 500, subcode: 2018024, transient: true }),
					page.id,
					{ fault },
				);
			default:
		}

		const decoded = decodeJsonParams(params);
		if ('error' in decoded) return this.errorResult(decoded.error, page.id);
		const send = decoded.params;

		const caps = { rateCapPerSecond: this.options.rateCapPerSecond, mediaRateCapPerSecond: this.options.mediaRateCapPerSecond };
		if (!this.limiter.tryAdmit(page.id, isMediaSend(send), caps)) {
			return this.errorResult(graphError(613, '(#613) Calls to this api have exceeded the rate limit.'), page.id, { limited: true });
		}

		const file = files.filedata;
		const error = validateSend(send, {
			file: fileInfo(file),
			isAttachmentUsable: (id) => this.attachmentOwners.get(id) === page.id,
			outsideWindow: this.options.outsideWindow ?? [],
			alreadyReplied: (recipientKey) => this.replied.has(`${page.id}|${recipientKey}`),
			instagram: page.platform === 'instagram',
		});
		if (error) return this.errorResult(error, page.id);

		const result = this.success(this.deliver(page, send, file, viaBatch), page.id);
		// Faults that strike after delivery: the message is in the inbox whatever the client sees.
		if (fault === 'dropAfterDelivery' || fault === 'timeout' || fault === 'malformedJson') {
			this.countFault(fault);
			result.disruption = fault === 'dropAfterDelivery' ? 'drop' : fault === 'timeout' ? 'hold' : 'malformed';
		}
		return result;
	}

	/** Puts an accepted send in the inbox and returns the platform's answer. */
	private deliver(page: EmulatorPage, params: Record<string, unknown>, file: FileUpload | undefined, viaBatch: boolean): Record<string, string> {
		const recipient = recipientOf(params.recipient)!;
		const recipientId =
			recipient.field === 'id'
				? recipient.value
				: recipient.field === 'comment_id' || recipient.field === 'post_id'
					? `psid-for-${recipient.value}`
					: undefined;
		const answer: Record<string, string> = recipientId ? { recipient_id: recipientId } : {};
		const entry: Omit<InboxEntry, 'seq'> = {
			pageId: page.id,
			recipient: { [recipient.field]: recipient.value },
			recipientKey: recipient.key,
			...optionalStrings(params, ['notification_type', 'persona_id']),
			...(params.reply_to !== undefined ? { reply_to: params.reply_to } : {}),
			receivedAt: Date.now(),
			viaBatch,
		};

		if (params.sender_action !== undefined && params.sender_action !== '') {
			this.store.add({
				...entry,
				sender_action: String(params.sender_action),
				...(params.payload !== undefined ? { payload: params.payload } : {}),
			});
			return answer;
		}

		this.messageCount += 1;
		const messageId = `m_${this.messageCount}`;
		const message = params.message as Record<string, unknown>;
		const payload = isObject(message.attachment) && isObject(message.attachment.payload) ? message.attachment.payload : {};
		const reusable = (payload.is_reusable === true || payload.is_reusable === 'true') && (payload.url !== undefined || file !== undefined);
		const attachmentId = reusable ? this.issueAttachment(page.id) : undefined;
		if (recipient.field === 'comment_id' || recipient.field === 'post_id') this.replied.add(`${page.id}|${recipient.key}`);

		const added = this.store.add({
			...entry,
			...optionalStrings(params, ['messaging_type', 'tag']),
			message,
			...(file
				? {
						file: {
							fileName: file.fileName,
							mimeType: file.mimeType,
							size: file.data.length,
							sha256: createHash('sha256').update(file.data).digest('hex'),
						},
					}
				: {}),
			message_id: messageId,
			...(attachmentId ? { attachment_id: attachmentId } : {}),
		});
		// Only a person (recipient id) has a thread an echo could belong to.
		if (recipient.field === 'id') this.echo(page, added, file);
		return { ...answer, message_id: messageId, ...(attachmentId ? { attachment_id: attachmentId } : {}) };
	}

	/** The Page's webhook hears of its own send (and, with deliveryReceipts, of its delivery); never awaited. */
	private echo(page: EmulatorPage, entry: InboxEntry, file: FileUpload | undefined): void {
		const app = this.appOf(page);
		if (!app || entry.message === undefined || entry.message_id === undefined) return;
		const psid = entry.recipient.id;
		const events = [
			echoEvent({ pageId: page.id, psid, timestamp: entry.receivedAt, mid: entry.message_id, appId: app.id, message: entry.message, fileName: file?.fileName }),
		];
		if (this.options.deliveryReceipts) events.push(deliveryEvent(page.id, psid, entry.message_id, entry.receivedAt));
		for (const event of events) {
			this.dispatch(page, event).catch((error: Error) => process.stderr.write(`Graph API emulator: a webhook delivery failed: ${error.stack ?? error.message}\n`));
		}
	}

	private issueAttachment(pageId: string): string {
		this.attachmentCount += 1;
		const id = String(ATTACHMENT_ID_BASE + this.attachmentCount);
		this.attachmentOwners.set(id, pageId);
		return id;
	}

	// ---- Batch --------------------------------------------------------------------------

	private batchCall(record: ReceivedRequest, credentials: Credentials): CallResult {
		const auth = this.authenticate(credentials, undefined, true);
		if ('result' in auth) return auth.result;
		const { page } = auth;

		const rawBatch = record.body.batch ?? record.query.batch;
		if (rawBatch === undefined || rawBatch === '') return this.errorResult(graphError(100, '(#100) The parameter batch is required'), page.id);
		let operations: unknown = rawBatch;
		if (typeof rawBatch === 'string') {
			try {
				operations = JSON.parse(rawBatch);
			} catch {
				operations = undefined;
			}
		}
		if (!Array.isArray(operations) || operations.length === 0) {
			return this.errorResult(graphError(100, '(#100) Param batch must be a JSON array of at least one operation'), page.id);
		}
		if (operations.length > MAX_BATCH_OPERATIONS) {
			return this.errorResult(graphError(100, `(#100) Too many requests in batch message. Maximum batch size is ${MAX_BATCH_OPERATIONS}`), page.id);
		}
		const includeHeaders = String(record.body.include_headers ?? record.query.include_headers ?? 'true') !== 'false';
		const ops = operations as unknown[];

		const entries: Array<BatchEntry | null> = ops.map(() => null);
		const failed: boolean[] = ops.map(() => false);
		const state: Array<'todo' | 'running' | 'done'> = ops.map(() => 'todo');
		const byName = new Map<string, number>();
		ops.forEach((op, index) => {
			if (isObject(op) && typeof op.name === 'string' && !byName.has(op.name)) byName.set(op.name, index);
		});
		// Mutated inside run(); an object keeps TypeScript from narrowing it to its initial value.
		const batch: { disruption?: 'drop' | 'hold' } = {};
		let notRun = 0;
		const dropped = () => batch.disruption === 'drop';

		// Request order, except that an operation waits for the one it depends on.
		const run = (index: number): void => {
			if (state[index] !== 'todo' || dropped()) return;
			state[index] = 'running';
			const op = ops[index];
			const dependsOn = isObject(op) && op.depends_on !== undefined ? String(op.depends_on) : undefined;
			let result: CallResult | undefined;
			if (dependsOn !== undefined) {
				const parent = byName.get(dependsOn);
				if (parent === undefined) {
					result = this.errorResult(graphError(100, `(#100) depends_on names an unknown operation '${dependsOn}'`), page.id);
				} else if (state[parent] === 'running') {
					result = this.errorResult(graphError(100, `(#100) depends_on makes a cycle through operation '${dependsOn}'`), page.id);
				} else {
					run(parent);
					if (dropped()) return;
					if (failed[parent]) {
						// Not a refusal of its own: the operation never ran.
						notRun += 1;
						result = this.errorResult(graphError(100, `(#100) This operation depends on operation '${dependsOn}', which failed`), page.id, { notRun: true });
					}
				}
			}
			result ??= this.runOperation(op, record, credentials);
			state[index] = 'done';

			if (result.disruption === 'drop') {
				batch.disruption = 'drop';
				return;
			}
			if (result.disruption === 'hold') batch.disruption = 'hold';
			if (result.disruption === 'null') {
				failed[index] = true;
				return;
			}
			failed[index] = result.status !== 200;
			let body = JSON.stringify(result.body);
			if (result.disruption === 'malformed') body = body.slice(0, Math.max(1, Math.floor(body.length / 2)));
			entries[index] = {
				code: result.status,
				...(includeHeaders ? { headers: Object.entries(result.headers).map(([name, value]) => ({ name, value })) } : {}),
				body,
			};
		};
		for (let index = 0; index < ops.length && !dropped(); index += 1) run(index);
		// Counted where the client can see it: in an answer that reaches it whole.
		if (batch.disruption === undefined) this.notRunCount += notRun;
		// Graph leaves out the answer of a successful operation that another one depends on, unless
		// it says omit_response_on_success: false (its message was delivered all the same).
		const dependedOn = new Set(ops.flatMap((op) => (isObject(op) && op.depends_on !== undefined ? [String(op.depends_on)] : [])));
		ops.forEach((op, index) => {
			if (!isObject(op) || typeof op.name !== 'string' || !dependedOn.has(op.name) || failed[index]) return;
			if (String(op.omit_response_on_success ?? 'true') !== 'false') entries[index] = null;
		});

		return { ...this.success(entries, page.id), disruption: batch.disruption };
	}

	private runOperation(op: unknown, record: ReceivedRequest, top: Credentials): CallResult {
		if (!isObject(op)) return this.errorResult(graphError(100, '(#100) Each batch operation must be an object'));
		const relativeUrl = typeof op.relative_url === 'string' ? op.relative_url.trim() : '';
		if (!relativeUrl) return this.errorResult(graphError(100, '(#100) Each batch operation needs a relative_url'));
		const method = String(op.method ?? 'GET').toUpperCase();
		const url = new URL(relativeUrl.replace(/^\/+/, ''), 'http://graph.local/');
		let segments = pathSegments(url.pathname);
		if (segments.length > 0 && VERSION.test(segments[0])) segments = segments.slice(1);
		if (segments.length === 0) return this.errorResult(graphError(100, '(#100) A batch operation cannot be a batch'));
		const params = { ...Object.fromEntries(url.searchParams), ...parseOperationBody(op.body) };

		const files: ReceivedRequest['files'] = {};
		if (op.attached_files !== undefined) {
			for (const name of String(op.attached_files).split(',').map((part) => part.trim()).filter(Boolean)) {
				const file = record.files[name];
				if (!file) return this.errorResult(graphError(100, `(#100) attached_files names '${name}', which was not uploaded`));
				files.filedata ??= file;
			}
		}

		// An operation may carry its own token; the top-level proof only vouches for the top-level token.
		const token = typeof params.access_token === 'string' ? params.access_token : top.token;
		const sameToken = token === top.token;
		// A proof and its appsecret_time are one pair: an operation's own proof never takes the top-level time.
		const proof =
			typeof params.appsecret_proof === 'string'
				? { proof: params.appsecret_proof, proofTime: typeof params.appsecret_time === 'string' ? params.appsecret_time : undefined }
				: sameToken
					? { proof: top.proof, proofTime: top.proofTime }
					: {};
		const credentials: Credentials = { token, ...proof };
		return this.graphCall(method, segments, params, files, credentials, true);
	}

	// ---- Answers ------------------------------------------------------------------------

	private headersFor(pageId: string | undefined, limited = false): Record<string, string> {
		const headers: Record<string, string> = { 'content-type': JSON_TYPE };
		const caps = { rateCapPerSecond: this.options.rateCapPerSecond, mediaRateCapPerSecond: this.options.mediaRateCapPerSecond };
		if (pageId !== undefined && hasCap(caps)) headers['x-business-use-case-usage'] = this.limiter.usageHeader(pageId, caps, limited, this.options.regainAccessMinutes ?? 0);
		return headers;
	}

	private success(body: unknown, pageId?: string): CallResult {
		return { status: 200, body, headers: this.headersFor(pageId) };
	}

	/** A Graph error answer; counted as a rejection unless a fault caused it. */
	private errorResult(error: GraphError, pageId?: string, options: { limited?: boolean; fault?: FaultName; notRun?: boolean } = {}): CallResult {
		if (!options.fault && !options.notRun) {
			const key = error.error.error_subcode !== undefined ? `${error.error.code}/${error.error.error_subcode}` : String(error.error.code);
			this.rejected[key] = (this.rejected[key] ?? 0) + 1;
		}
		const fbtraceId = this.traceId();
		return {
			status: error.status,
			body: { error: { ...error.error, fbtrace_id: fbtraceId } },
			headers: { ...this.headersFor(pageId, options.limited), 'x-fb-trace-id': fbtraceId },
		};
	}

	private countFault(name: FaultName): void {
		this.faultCounts[name] = (this.faultCounts[name] ?? 0) + 1;
	}

	private traceId(): string {
		const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
		let id = '';
		for (let i = 0; i < 11; i += 1) id += alphabet[Math.floor(this.traceRandom() * alphabet.length)];
		return id;
	}
}

// ---- Helpers --------------------------------------------------------------------------

function withoutUndefined<T extends object>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

/** A control input's fields: an object of strings (numbers and booleans are taken as their text). */
function stringFields(value: unknown, name: string): Record<string, string> {
	if (!isObject(value)) throw new ControlError(`${name} must be an object of field names to values`);
	const fields: Record<string, string> = {};
	for (const [key, entry] of Object.entries(value)) {
		if (typeof entry !== 'string' && typeof entry !== 'number' && typeof entry !== 'boolean') throw new ControlError(`${name}.${key} must be a string`);
		fields[key] = String(entry);
	}
	return fields;
}

function readEncoding(value: unknown): FormEncoding | undefined {
	if (value === undefined || value === null) return undefined;
	if (value !== 'urlencoded' && value !== 'multipart') throw new ControlError("encoding must be 'urlencoded' or 'multipart'");
	return value;
}

function objectOf(page: EmulatorPage): WebhookObject {
	return page.platform === 'instagram' ? 'instagram' : 'page';
}

/** The webhook setup calls, which are POSTs to Page (and app) edges but not sends. */
function isWebhookSetup(path: string): boolean {
	return /\/(?:subscriptions|subscribed_apps)\/?$/.test(path);
}

/** What a custom body holds, as far as it parses: its object, events and their fields. */
function describeBody(raw: string, fallback: WebhookObject): { object: string; events: number; fields: string[] } {
	let body: unknown;
	try {
		body = JSON.parse(raw);
	} catch {
		return { object: fallback, events: 0, fields: [] };
	}
	if (!isObject(body)) return { object: fallback, events: 0, fields: [] };
	const object = typeof body.object === 'string' ? body.object : fallback;
	const fieldObject: WebhookObject = object === 'instagram' ? 'instagram' : 'page';
	const events = (Array.isArray(body.entry) ? body.entry : []).flatMap((entry) => (isObject(entry) && Array.isArray(entry.messaging) ? entry.messaging : []));
	return { object, events: events.length, fields: events.map((event) => (isObject(event) ? (eventField(event, fieldObject) ?? '?') : '?')) };
}

/** A bug in the emulator must be loud, not look like a platform answer. */
function emulatorBug(res: ServerResponse, error: Error): void {
	if (res.headersSent || res.destroyed) return;
	res.writeHead(500, { 'content-type': JSON_TYPE });
	res.end(JSON.stringify({ error: { message: `Emulator bug: ${error.message}`, type: 'EmulatorError', code: -1 } }));
}

function pathSegments(path: string): string[] {
	return path
		.split('/')
		.filter(Boolean)
		.map((segment) => {
			try {
				return decodeURIComponent(segment);
			} catch {
				return segment; // a stray % is just part of an ID that will not be found
			}
		});
}

function optionalStrings(params: Record<string, unknown>, names: string[]): Record<string, string> {
	const picked: Record<string, string> = {};
	for (const name of names) if (params[name] !== undefined && params[name] !== '') picked[name] = String(params[name]);
	return picked;
}

function fileInfo(file: FileUpload | undefined): UploadedFile | undefined {
	return file ? { fileName: file.fileName, mimeType: file.mimeType, size: file.data.length } : undefined;
}

function credentialsOf(record: ReceivedRequest): Credentials {
	const param = (name: string) => {
		const value = record.body[name] ?? record.query[name];
		return typeof value === 'string' && value !== '' ? value : undefined;
	};
	const authorization = record.headers.authorization?.match(/^(?:Bearer|OAuth)\s+(\S+)\s*$/i);
	return {
		token: authorization?.[1] ?? param('access_token'),
		proof: param('appsecret_proof'),
		proofTime: param('appsecret_time'),
	};
}

/** appsecret_proof rules: a wrong proof always fails; a missing one only when the Page requires it. */
function checkProof(page: EmulatorPage, credentials: Credentials): GraphError | null {
	if (!page.appSecret) return null; // without a secret the emulator cannot check a proof
	if (credentials.proof === undefined) {
		return page.requireAppSecretProof
			? graphError(100, 'API calls from the server require an appsecret_proof argument', { type: 'GraphMethodException' })
			: null;
	}
	const signed = credentials.proofTime !== undefined ? `${credentials.token}|${credentials.proofTime}` : String(credentials.token);
	const expected = Buffer.from(createHmac('sha256', page.appSecret).update(signed).digest('hex'));
	const given = Buffer.from(credentials.proof);
	// A time-stamped proof is refused once older than 5 minutes (or as far in the future); a time
	// that is not a number never passes.
	const fresh =
		credentials.proofTime === undefined || Math.abs(Date.now() / 1000 - Number(credentials.proofTime)) <= PROOF_TIME_WINDOW_S;
	if (given.length !== expected.length || !timingSafeEqual(given, expected) || !fresh) {
		return graphError(100, 'Invalid appsecret_proof provided in the API argument', { type: 'GraphMethodException' });
	}
	return null;
}

/** The platform's answer for an object that does not exist, is not the token's, or lacks the edge. */
function unsupported(method: string, node: string): GraphError {
	return graphError(
		100,
		`Unsupported ${method.toLowerCase()} request. Object with ID '${node}' does not exist, cannot be loaded due to missing permissions, or does not support this operation`,
		{ subcode: 33, type: 'GraphMethodException' },
	);
}

function withoutBytes(request: ReceivedRequest) {
	const { raw, files, ...rest } = request;
	return {
		...rest,
		size: raw.length,
		files: Object.fromEntries(
			Object.entries(files).map(([name, file]) => [name, { fileName: file.fileName, mimeType: file.mimeType, size: file.data.length }]),
		),
	};
}
