// Conversation Routing on the webhook side: which connected app hears what. A person's events go
// to the app that owns their thread on `messaging` and to the other connected apps on `standby`;
// the Page's own messages (echoes, delivery receipts) and handovers go to every connected app
// that subscribed their field. With one app and an idle thread this is exactly what `dispatch`
// did before: one delivery to the Page's app.
import { dispatchTo } from './edges/subscriptions.cjs';
import type { Graph } from './graph.cjs';
import { isObject } from './rules.cjs';
import { connectedAppIds, defaultAppId } from './threadOwners.cjs';
import type { EmulatorPage, WebhookDelivery } from './types.cjs';

/** The thread's owner for a person of this Page. */
export function ownerOf(graph: Graph, page: EmulatorPage, psid: string): string {
	return graph.owners.ownerOf(page.id, psid, defaultAppId(page, graph.apps));
}

/** The connected apps the emulator can deliver to (the Page Inbox has no webhook). */
function webhookApps(graph: Graph, page: EmulatorPage): string[] {
	return connectedAppIds(page, graph.apps).filter((appId) => graph.apps.some((app) => app.id === appId));
}

/**
 * A person's event: `messaging` for the owner, `standby` for the others (a standby postback
 * without its payload, as the platform sends it). Resolves once every delivery finished, with
 * the default app's (null: it is not subscribed to that channel's field).
 */
export async function dispatchPersonEvent(graph: Graph, page: EmulatorPage, psid: string, event: Record<string, unknown>): Promise<WebhookDelivery | null> {
	const owner = ownerOf(graph, page, psid);
	const deliveries = webhookApps(graph, page).map(async (appId) => {
		if (appId === owner) return await dispatchTo(graph, page, appId, event, 'messaging');
		return await dispatchTo(graph, page, appId, standbyCopy(event), 'standby');
	});
	return await defaultAppsDelivery(graph, page, deliveries);
}

/** The Page's own messages (echoes, receipts) and handovers: every connected app subscribed to the field, on `messaging`. */
export async function dispatchToConnected(graph: Graph, page: EmulatorPage, event: Record<string, unknown>, only?: string[]): Promise<WebhookDelivery | null> {
	const apps = webhookApps(graph, page).filter((appId) => only === undefined || only.includes(appId));
	return await defaultAppsDelivery(
		graph,
		page,
		webhookApps(graph, page).map(async (appId) => (apps.includes(appId) ? await dispatchTo(graph, page, appId, event, 'messaging') : null)),
	);
}

async function defaultAppsDelivery(graph: Graph, page: EmulatorPage, deliveries: Array<Promise<WebhookDelivery | null>>): Promise<WebhookDelivery | null> {
	const done = await Promise.all(deliveries);
	const index = webhookApps(graph, page).indexOf(defaultAppId(page, graph.apps));
	return index >= 0 ? (done[index] ?? null) : null;
}

/** "messaging_postback events delivered via the Standby channel will not include the postback payload." */
function standbyCopy(event: Record<string, unknown>): Record<string, unknown> {
	if (!isObject(event.postback)) return event;
	const { payload: _payload, ...postback } = event.postback;
	return { ...event, postback };
}
