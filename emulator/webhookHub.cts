// Meta's side of webhooks as state and HTTP: the apps' subscriptions, the Pages' subscribed
// apps, the verification GET and the per-app delivery queue. What is said in those calls (URLs,
// bodies, signatures, verdicts) is decided by the pure helpers of webhooks.cts.
import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

import type { SubscribedApp, WebhookDelivery, WebhookObject, WebhookSignature, WebhookSubscription } from './types.cjs';
import { DEFAULT_WEBHOOK_TIMEOUT_MS, verificationUrl, type HttpOutcome } from './webhooks.cjs';

/** The receiver's answer is kept this long in a delivery record. */
const RESPONSE_BODY_CHARS = 500;
/** More than this of an answer is not read (a verification answer is a few digits). */
const MAX_ANSWER_BYTES = 64 * 1024;
const DELIVERY_USER_AGENT = 'facebookexternalua';
const VERIFY_USER_AGENT = 'facebookplatform/1.0 (+http://developers.facebook.com)';

// ---- HTTP to the receiver -------------------------------------------------------------

interface HttpCall {
	method: 'GET' | 'POST';
	url: string;
	headers: Record<string, string>;
	body?: Buffer;
	timeoutMs: number;
	/** Kept so that stop() can end it. */
	track: (request: ClientRequest, done: boolean) => void;
}

/** One request with node:http(s); never rejects. A fresh connection each time (no keep-alive). */
function httpCall(call: HttpCall): Promise<HttpOutcome> {
	return new Promise((resolve) => {
		let settled = false;
		const finish = (outcome: HttpOutcome) => {
			if (settled) return;
			settled = true;
			call.track(request, true);
			resolve(outcome);
		};
		const url = new URL(call.url);
		const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
		const headers: Record<string, string> = { ...call.headers, Connection: 'close' };
		if (call.body !== undefined) headers['Content-Length'] = String(call.body.length);
		const request = send(url, { method: call.method, headers, agent: false }, (response) => {
			const chunks: Buffer[] = [];
			let size = 0;
			response.on('data', (chunk: Buffer) => {
				if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
				size += chunk.length;
			});
			const done = () =>
				finish({
					status: response.statusCode ?? 0,
					statusMessage: response.statusMessage ?? '',
					body: Buffer.concat(chunks).toString('utf8'),
				});
			response.on('end', done);
			// An answer cut off after its status line still says what the receiver meant.
			response.on('aborted', done);
			response.on('error', done);
		});
		call.track(request, false);
		request.setTimeout(call.timeoutMs, () => {
			finish({ status: 0, statusMessage: '', body: '', error: `no answer within ${call.timeoutMs} ms`, timedOut: true });
			request.destroy();
		});
		request.on('error', (error) => finish({ status: 0, statusMessage: '', body: '', error: error.message }));
		request.end(call.body);
	});
}

/** What goes into one POST to a callback URL. */
export interface OutgoingDelivery {
	appId: string;
	url: string;
	raw: string;
	object: string;
	events: number;
	fields: string[];
	signed: WebhookSignature;
	signature256: string | null;
	signature1: string | null;
	contentType: string;
	redeliveryOf?: string;
}

/**
 * Meta's side of webhooks: the apps' subscriptions, the Pages' subscribed apps, and the
 * deliveries made. Deliveries of one app go out one at a time, in the order they were queued.
 */
export class Webhooks {
	/** By `appId|object`: one callback URL per app and object. */
	readonly subscriptions = new Map<string, WebhookSubscription>();

	/** By `pageId|appId`. */
	readonly subscribedApps = new Map<string, SubscribedApp>();

	/** Every POST made to a callback URL, in the order they finished. */
	readonly deliveries: WebhookDelivery[] = [];

	timeoutMs = DEFAULT_WEBHOOK_TIMEOUT_MS;

	private readonly queues = new Map<string, Promise<unknown>>();

	private readonly inFlight = new Set<ClientRequest>();

	/** Bumped by reset(): what was queued before it is not sent, and what was in flight is not recorded. */
	private generation = 0;

	private count = 0;

	private stopped = false;

	subscribe(subscription: WebhookSubscription): void {
		this.subscriptions.set(`${subscription.appId}|${subscription.object}`, subscription);
	}

	/** Without an object: all the app's subscriptions; with fields: only those (the subscription goes with its last field). */
	unsubscribe(appId: string, object?: WebhookObject, fields?: string[]): void {
		for (const [key, subscription] of this.subscriptions) {
			if (subscription.appId !== appId || (object !== undefined && subscription.object !== object)) continue;
			const left = fields ? subscription.fields.filter((field) => !fields.includes(field)) : [];
			if (left.length === 0) this.subscriptions.delete(key);
			else this.subscriptions.set(key, { ...subscription, fields: left });
		}
	}

	appSubscriptions(appId: string): WebhookSubscription[] {
		return [...this.subscriptions.values()].filter((subscription) => subscription.appId === appId);
	}

	subscribeApp(pageId: string, appId: string, fields: string[]): void {
		this.subscribedApps.set(`${pageId}|${appId}`, { pageId, appId, fields });
	}

	unsubscribeApp(pageId: string, appId: string): void {
		this.subscribedApps.delete(`${pageId}|${appId}`);
	}

	subscribedApp(pageId: string, appId: string): SubscribedApp | undefined {
		return this.subscribedApps.get(`${pageId}|${appId}`);
	}

	/** The subscription an event of this field goes to: both the app and the Page must have subscribed it. */
	route(appId: string, pageId: string, object: WebhookObject, field: string): WebhookSubscription | undefined {
		const subscription = this.subscriptions.get(`${appId}|${object}`);
		if (!subscription?.fields.includes(field)) return undefined;
		return this.subscribedApp(pageId, appId)?.fields.includes(field) ? subscription : undefined;
	}

	/** The verification GET. */
	async verify(callbackUrl: string, verifyToken: string, challenge: string): Promise<HttpOutcome> {
		return await httpCall({
			method: 'GET',
			url: verificationUrl(callbackUrl, verifyToken, challenge),
			headers: { 'User-Agent': VERIFY_USER_AGENT, Accept: '*/*' },
			timeoutMs: this.timeoutMs,
			track: (request, done) => this.track(request, done),
		});
	}

	/**
	 * Queues a delivery behind the app's earlier ones. `build` runs when its turn comes (so a
	 * body's `time` is when it was sent); null from it, a reset since, or a stop: nothing is sent.
	 */
	enqueue(appId: string, build: () => OutgoingDelivery | null): Promise<WebhookDelivery | null> {
		const generation = this.generation;
		const previous = this.queues.get(appId) ?? Promise.resolve();
		const next = previous.then(async () => {
			if (this.stopped || generation !== this.generation) return null;
			const outgoing = build();
			return outgoing ? await this.post(outgoing, generation) : null;
		});
		// The queue must survive a failed step; the caller gets the failure.
		const settled = next.catch(() => null);
		this.queues.set(appId, settled);
		void settled.then(() => {
			if (this.queues.get(appId) === settled) this.queues.delete(appId);
		});
		return next;
	}

	/** Resolves once every queued delivery finished. */
	async settled(): Promise<void> {
		while (this.queues.size > 0) await Promise.all([...this.queues.values()]);
	}

	/** Forgets the deliveries (the configuration stays); queued ones are dropped, in-flight ones go unrecorded. */
	reset(): void {
		this.generation += 1;
		this.deliveries.length = 0;
	}

	/** Forgets everything: subscriptions, subscribed apps and deliveries. */
	clear(): void {
		this.subscriptions.clear();
		this.subscribedApps.clear();
		this.reset();
	}

	stop(): void {
		this.stopped = true;
		for (const request of this.inFlight) request.destroy();
		this.inFlight.clear();
	}

	resume(): void {
		this.stopped = false;
	}

	private track(request: ClientRequest, done: boolean): void {
		if (done) this.inFlight.delete(request);
		else this.inFlight.add(request);
	}

	private async post(outgoing: OutgoingDelivery, generation: number): Promise<WebhookDelivery | null> {
		this.count += 1;
		const id = `wh_${this.count}`;
		const at = Date.now();
		const headers: Record<string, string> = { 'Content-Type': outgoing.contentType, 'User-Agent': DELIVERY_USER_AGENT, Accept: '*/*' };
		if (outgoing.signature1 !== null) headers['X-Hub-Signature'] = outgoing.signature1;
		if (outgoing.signature256 !== null) headers['X-Hub-Signature-256'] = outgoing.signature256;
		const outcome = await httpCall({
			method: 'POST',
			url: outgoing.url,
			headers,
			body: Buffer.from(outgoing.raw, 'utf8'),
			timeoutMs: this.timeoutMs,
			track: (request, done) => this.track(request, done),
		});
		const { redeliveryOf, ...sent } = outgoing;
		const delivery: WebhookDelivery = {
			id,
			at,
			...sent,
			status: outcome.status,
			responseBody: outcome.body.slice(0, RESPONSE_BODY_CHARS),
			...(outcome.error !== undefined ? { error: outcome.error } : {}),
			...(redeliveryOf !== undefined ? { redeliveryOf } : {}),
		};
		if (generation === this.generation) this.deliveries.push(delivery);
		return delivery;
	}
}

