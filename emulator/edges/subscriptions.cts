// Webhook setup and the deliveries it leads to: `{app-id}/subscriptions` (the app's callback URL
// and fields, with Meta's verification call), `{page}/subscribed_apps` (the Page's link to its
// app), and `dispatch`, which sends an event where both say it should go.
import { authenticate, authenticateApp } from '../auth.cjs';
import { JSON_TYPE, objectOf, unsupported, type CallResult, type Credentials, type Graph } from '../graph.cjs';
import { graphError } from '../rules.cjs';
import type { EmulatorApp, EmulatorPage, WebhookDelivery } from '../types.cjs';
import { eventField, metaJson, newChallenge, readFields, readObject, readSubscription, signatureHeaders, verificationFailure, webhookBody } from '../webhooks.cjs';

/** The webhook setup calls, which are POSTs to Page (and app) edges but not sends. */
export function isWebhookSetup(path: string): boolean {
	return /\/(?:subscriptions|subscribed_apps)\/?$/.test(path);
}

/** `GET|POST|DELETE {app-id}/subscriptions`; a POST answers once the verification call is done. */
export function appSubscriptionsCall(
	graph: Graph,
	method: string,
	node: string,
	params: Record<string, unknown>,
	credentials: Credentials,
	version: string,
): CallResult | Promise<CallResult> {
	const auth = authenticateApp(graph, credentials, node, method);
	if ('result' in auth) return auth.result;
	const { app } = auth;
	switch (method) {
		case 'GET': {
			// The verify token is write-only, as on the platform.
			const data = graph.hub.appSubscriptions(app.id).map((subscription) => ({
				object: subscription.object,
				callback_url: subscription.callback_url,
				active: true,
				fields: subscription.fields.map((name) => ({ name, version: subscription.version })),
			}));
			return graph.success({ data });
		}
		case 'POST':
			return subscribe(graph, app, params, version);
		case 'DELETE': {
			const object = readObject(params.object, false);
			if ('error' in object) return graph.errorResult(object.error);
			const hasFields = params.fields !== undefined && params.fields !== '';
			if (object.object === undefined && hasFields) return graph.errorResult(graphError(100, '(#100) Removing fields needs the parameter object'));
			const fields = object.object !== undefined ? readFields(params.fields, 'fields', object.object, false) : {};
			if ('error' in fields) return graph.errorResult(fields.error);
			graph.hub.unsubscribe(app.id, object.object, fields.fields);
			return graph.success({ success: true });
		}
		default:
			return graph.errorResult(unsupported(method, node));
	}
}

/** Checks the parameters, makes the verification call, and only then saves (replacing the object's old subscription). */
async function subscribe(graph: Graph, app: EmulatorApp, params: Record<string, unknown>, version: string): Promise<CallResult> {
	const read = readSubscription(params);
	if ('error' in read) return graph.errorResult(read.error);
	const { subscription } = read;
	const challenge = newChallenge();
	const outcome = await graph.hub.verify(subscription.callback_url, subscription.verify_token, challenge);
	const failure = verificationFailure(outcome, challenge, graph.hub.timeoutMs);
	if (failure) return graph.errorResult(graphError(2200, `(#2200) Callback verification failed with the following errors: ${failure}`));
	graph.hub.subscribe({ appId: app.id, ...subscription, version });
	return graph.success({ success: true });
}

/** `GET|POST|DELETE {page}/subscribed_apps` with the Page token: the Page's link to its own app. */
export function subscribedAppsCall(graph: Graph, method: string, node: string, params: Record<string, unknown>, credentials: Credentials): CallResult {
	const auth = authenticate(graph, credentials, node);
	if ('result' in auth) return auth.result;
	const { page } = auth;
	// The token's app: the Page's own token is its default app's, an `appTokens` token another connected app's.
	const app = graph.apps.find((candidate) => candidate.id === auth.appId);
	if (!app) return graph.errorResult(graphError(100, `(#100) The token's app ${auth.appId} is not one of the emulator's apps`), page.id);
	switch (method) {
		case 'GET': {
			// Every app subscribed to the Page, as Graph lists them (the default app first).
			const data = graph.apps.flatMap((candidate) => {
				const subscribed = graph.hub.subscribedApp(page.id, candidate.id);
				return subscribed ? [{ id: candidate.id, name: candidate.name ?? `App ${candidate.id}`, subscribed_fields: subscribed.fields }] : [];
			});
			return graph.success({ data }, page.id);
		}
		case 'POST': {
			const fields = readFields(params.subscribed_fields, 'subscribed_fields', objectOf(page), true);
			if ('error' in fields) return graph.errorResult(fields.error, page.id);
			graph.hub.subscribeApp(page.id, app.id, fields.fields!);
			return graph.success({ success: true }, page.id);
		}
		case 'DELETE':
			graph.hub.unsubscribeApp(page.id, app.id);
			return graph.success({ success: true }, page.id);
		default:
			return graph.errorResult(unsupported(method, node), page.id);
	}
}

/** The channel an event goes out on: `messaging`, or `standby` for an app that does not own the person's thread. */
export type Channel = 'messaging' | 'standby';

/**
 * Queues one event for the Page's app when both the app's subscription for the Page's object
 * and the Page's subscribed app include the event's field; null when they do not.
 */
export function dispatch(graph: Graph, page: EmulatorPage, event: Record<string, unknown>): Promise<WebhookDelivery | null> {
	return dispatchTo(graph, page, graph.appOf(page)?.id, event, 'messaging');
}

/**
 * Queues one event for one app, on one channel: `messaging` under the event's own field, `standby`
 * under the `standby` field (both the app's subscription and the Page's subscribed app must have it).
 */
export function dispatchTo(graph: Graph, page: EmulatorPage, appId: string | undefined, event: Record<string, unknown>, channel: Channel): Promise<WebhookDelivery | null> {
	const app = graph.apps.find((candidate) => candidate.id === appId);
	const object = objectOf(page);
	const field = channel === 'standby' ? 'standby' : eventField(event, object);
	const subscription = app && field ? graph.hub.route(app.id, page.id, object, field) : undefined;
	if (!app || !field || !subscription) return Promise.resolve(null);
	return graph.hub.enqueue(app.id, () => {
		// One event per request; `time` is when it goes out.
		const raw = metaJson(webhookBody(object, [{ id: page.id, time: Date.now(), [channel]: [event] }]));
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
