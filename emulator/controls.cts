// The test controls: what a test does to the emulator that no Graph client can (configure, reset,
// read the records, make people act, send webhooks of its choosing), as methods of the emulator
// and as `/__emulator/*` HTTP endpoints for tests in another process. None of this is Graph.
import type { ServerResponse } from 'node:http';

import { dispatch } from './edges/subscriptions.cjs';
import { ControlError, JSON_TYPE, objectOf, type Graph } from './graph.cjs';
import { isObject } from './rules.cjs';
import { PAGE_INBOX_APP_ID } from './threadOwners.cjs';
import { emulatorBug } from './server.cjs';
import type {
	BrowserVisit,
	CustomWebhook,
	CustomWebhookResult,
	EmulatorOptions,
	EmulatorStats,
	HandoverEntry,
	InboxEntry,
	IncomingEntry,
	PageInboxReply,
	ReceivedRequest,
	WebhookDelivery,
	WebhookObject,
	WebhookSignature,
	WebhookState,
} from './types.cjs';
import { eventField, isHttpUrl, metaJson, signatureHeaders } from './webhooks.cjs';

type PersonMethod =
	| 'personMessage'
	| 'personPostback'
	| 'personReaction'
	| 'personRead'
	| 'personTaps'
	| 'personSubmitsForm'
	| 'personFillsForm'
	| 'pageInboxReply'
	| 'pageInboxPass'
	| 'openChat'
	| 'tapGetStarted'
	| 'tapIceBreaker'
	| 'tapMenuItem';

/** `POST /__emulator/person/<action>`: which of the emulator's person methods it calls. */
const PERSON_ACTIONS = new Map<string, PersonMethod>([
	['message', 'personMessage'],
	['postback', 'personPostback'],
	['reaction', 'personReaction'],
	['read', 'personRead'],
	['tap', 'personTaps'],
	['form', 'personSubmitsForm'],
	['fill-form', 'personFillsForm'],
	['open-chat', 'openChat'],
	['get-started', 'tapGetStarted'],
	['ice-breaker', 'tapIceBreaker'],
	['menu-item', 'tapMenuItem'],
]);

/** `POST /__emulator/page-inbox/<action>`: the Page's people in the Page Inbox. */
const PAGE_INBOX_ACTIONS = new Map<string, PersonMethod>([
	['reply', 'pageInboxReply'],
	['pass', 'pageInboxPass'],
]);

/** What the control endpoints reach: the emulator's own methods (GraphEmulator implements it). */
export interface Controlled extends Record<PersonMethod, (input: never) => unknown> {
	readonly requests: ReceivedRequest[];
	readonly inbox: InboxEntry[];
	readonly incoming: IncomingEntry[];
	readonly deliveries: WebhookDelivery[];
	readonly visits: BrowserVisit[];
	readonly handovers: HandoverEntry[];
	readonly pageInboxReplies: PageInboxReply[];
	threadOwner(psid: string, pageId?: string): string;
	configure(options: Partial<EmulatorOptions>): void;
	reset(): void;
	transcript(): string;
	stats(): EmulatorStats;
	webhookState(): WebhookState;
	clearWebhooks(): void;
	settleWebhooks(): Promise<WebhookDelivery[]>;
	redeliver(id?: string): Promise<WebhookDelivery>;
	sendWebhook(input: CustomWebhook): Promise<CustomWebhookResult>;
	deliverEvent(event: Record<string, unknown>, pageId?: string): Promise<WebhookDelivery | null>;
}

/** `/__emulator/*`: answered at once, never recorded in `requests` or `stats()`, no latency. */
export function controlRequest(emulator: Controlled, record: ReceivedRequest, res: ServerResponse): void {
	const reply = (status: number, body: unknown, type = JSON_TYPE) => {
		if (res.destroyed) return;
		res.writeHead(status, { 'content-type': type });
		res.end(typeof body === 'string' ? body : JSON.stringify(body));
	};
	// Person actions wait for their delivery, which may wait for the receiver's own Graph
	// calls: they answer when done, without holding up the requests behind them.
	const later = (work: (input: Record<string, unknown>) => Promise<unknown>) => {
		const input = jsonBody(record);
		if (!isObject(input)) return reply(400, { error: { message: 'The body must be a JSON object' } });
		work(input).then(
			(body) => reply(200, body),
			(error: Error) =>
				error instanceof ControlError ? reply(error.status, { error: { message: error.message } }) : emulatorBug(res, error),
		);
	};
	const route = `${record.method} ${record.path.replace(/\/+$/, '')}`;
	const personAction =
		PERSON_ACTIONS.get(/^POST \/__emulator\/person\/([a-z-]+)$/.exec(route)?.[1] ?? '') ??
		PAGE_INBOX_ACTIONS.get(/^POST \/__emulator\/page-inbox\/([a-z-]+)$/.exec(route)?.[1] ?? '');
	// The emulator's method checks the input: a ControlError becomes its 4xx answer.
	if (personAction) return later(async (input) => await emulator[personAction](input as never));
	switch (route) {
		case 'GET /__emulator/inbox':
			return reply(200, emulator.inbox);
		case 'GET /__emulator/transcript':
			return reply(200, emulator.transcript(), 'text/plain; charset=utf-8');
		case 'GET /__emulator/stats':
			return reply(200, emulator.stats());
		case 'GET /__emulator/requests':
			return reply(200, emulator.requests.map(withoutBytes));
		case 'POST /__emulator/reset':
			emulator.reset();
			return reply(200, { ok: true });
		case 'GET /__emulator/incoming':
			return reply(200, emulator.incoming);
		case 'GET /__emulator/webhooks':
			return reply(200, emulator.webhookState());
		case 'GET /__emulator/webhooks/deliveries':
			return reply(200, emulator.deliveries);
		case 'POST /__emulator/webhooks/clear':
			emulator.clearWebhooks();
			return reply(200, { ok: true });
		case 'POST /__emulator/webhooks/settle':
			return later(async () => ({ deliveries: await emulator.settleWebhooks() }));
		case 'POST /__emulator/webhooks/redeliver':
			return later(async (input) => ({ delivery: await emulator.redeliver(input.id === undefined ? undefined : String(input.id)) }));
		case 'POST /__emulator/webhooks/send':
			return later(async (input) => await emulator.sendWebhook(input as unknown as CustomWebhook));
		case 'POST /__emulator/webhooks/event':
			return later(async (input) => {
				if (!isObject(input.event)) throw new ControlError('event must be a messaging event object');
				return { delivery: await emulator.deliverEvent(input.event, input.pageId === undefined ? undefined : String(input.pageId)) };
			});
		case 'GET /__emulator/visits':
			return reply(200, emulator.visits);
		case 'GET /__emulator/handovers':
			return reply(200, emulator.handovers);
		case 'GET /__emulator/page-inbox/replies':
			return reply(200, emulator.pageInboxReplies);
		case 'GET /__emulator/thread-owner': {
			const { psid, pageId } = record.query;
			if (psid === undefined || psid === '') return reply(400, { error: { message: 'psid is required (?psid=…[&pageId=…])' } });
			try {
				const appId = emulator.threadOwner(psid, pageId === '' ? undefined : pageId);
				return reply(200, { psid, appId, ownedByPageInbox: appId === PAGE_INBOX_APP_ID });
			} catch (error) {
				if (error instanceof ControlError) return reply(error.status, { error: { message: error.message } });
				throw error;
			}
		}
		case 'POST /__emulator/config': {
			const options = jsonBody(record);
			if (!isObject(options)) return reply(400, { error: { message: 'The body must be a JSON object of emulator options' } });
			emulator.configure(options as Partial<EmulatorOptions>);
			return reply(200, { ok: true });
		}
		default:
			return reply(404, { error: { message: `No emulator control endpoint ${record.method} ${record.path}` } });
	}
}

/** Webhook deliveries a test asks for: any event, a redelivery, a body signed as the test says. */
export class WebhookControls {
	constructor(private readonly graph: Graph) {}

	async deliverEvent(event: Record<string, unknown>, pageId?: string): Promise<WebhookDelivery | null> {
		return await dispatch(this.graph, this.graph.pageFor(pageId), event);
	}

	async redeliver(id?: string): Promise<WebhookDelivery> {
		const { deliveries } = this.graph.hub;
		const original = id === undefined ? deliveries[deliveries.length - 1] : deliveries.find((delivery) => delivery.id === id);
		if (!original) throw new ControlError(id === undefined ? 'No delivery to redeliver yet' : `No delivery ${id}`, 404);
		const { appId, url, raw, object, events, fields, signed, signature256, signature1, contentType } = original;
		const delivery = await this.graph.hub.enqueue(appId, () => ({
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

	async sendWebhook(input: CustomWebhook): Promise<CustomWebhookResult> {
		if (!isObject(input) || input.body === undefined) throw new ControlError('body is required (an object, or a string sent as is)');
		const page = this.graph.pageFor(input.pageId);
		const app = this.graph.appOf(page);
		if (!app) throw new ControlError(`The Page ${page.id} has no app to sign with`);
		const signed: WebhookSignature = input.signature ?? 'valid';
		if (!['valid', 'forged', 'none', 'sha1-only'].includes(signed)) throw new ControlError("signature must be 'valid', 'forged', 'none' or 'sha1-only'");
		const object = objectOf(page);
		const url = input.url ?? this.graph.hub.appSubscriptions(app.id).find((subscription) => subscription.object === object)?.callback_url;
		if (url === undefined) throw new ControlError(`App ${app.id} has no ${object} subscription: give url`);
		if (!isHttpUrl(url)) throw new ControlError(`url must be an http(s) URL, not '${url}'`);
		const raw = typeof input.body === 'string' ? input.body : metaJson(input.body);
		const described = describeBody(raw, object);
		const delivery = await this.graph.hub.enqueue(app.id, () => ({
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

	state(): WebhookState {
		const { hub } = this.graph;
		return {
			subscriptions: [...hub.subscriptions.values()].map(({ appId, object, callback_url, fields, verify_token }) => ({
				appId,
				object,
				callback_url,
				fields: [...fields],
				verify_token,
			})),
			subscribedApps: [...hub.subscribedApps.values()].map((subscribed) => ({ ...subscribed, fields: [...subscribed.fields] })),
			deliveries: [...hub.deliveries],
		};
	}
}

/** A control request's JSON body (none: `{}`); undefined when it does not parse. */
function jsonBody(record: ReceivedRequest): unknown {
	try {
		return JSON.parse(record.raw.toString('utf8') || '{}');
	} catch {
		return undefined;
	}
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

/** A recorded request for the HTTP control: sizes instead of bytes. */
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
