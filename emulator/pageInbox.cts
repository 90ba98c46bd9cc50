// The test acts as the Page's people in the Page Inbox (Meta Business Suite): a human replies to
// a person by hand, or passes the thread back to an app. Not Graph calls: test controls. The
// reply lands in the conversation from the Page and echoes with the Page Inbox's app_id; the
// pass follows the same rules (and sends the same webhooks) as an app's pass_thread_control.
import { controlThread, hasWritten } from './handover.cjs';
import { ControlError, type Graph } from './graph.cjs';
import { dispatchToConnected, ownerOf } from './routing.cjs';
import { isObject } from './rules.cjs';
import { defaultAppId, PAGE_INBOX_APP_ID } from './threadOwners.cjs';
import type { EmulatorPage, WebhookDelivery } from './types.cjs';
import { newIncomingMid } from './webhooks.cjs';

export interface PageInboxReplyInput {
	psid: string;
	text: string;
	pageId?: string;
}

export interface PageInboxPassInput {
	psid: string;
	/** Default: the Page's default app. */
	targetAppId?: string;
	metadata?: string;
	pageId?: string;
}

export interface PageInboxResult {
	/** The reply's mid (replies only). */
	mid?: string;
	/** The thread's owner afterwards. */
	threadOwner: string;
	/** The default app's delivery (the echo, or the pass_thread_control event); null: not subscribed. */
	delivery: WebhookDelivery | null;
}

function personOf(graph: Graph, input: { psid?: unknown; pageId?: unknown }): { page: EmulatorPage; psid: string } {
	if (!isObject(input) || input.psid === undefined || String(input.psid) === '') throw new ControlError('psid is required');
	const page = graph.pageFor(input.pageId === undefined ? undefined : String(input.pageId));
	const psid = String(input.psid);
	// The Page Inbox shows only conversations that exist: someone has to have written first.
	if (!hasWritten(graph, page, psid)) throw new ControlError(`PSID ${psid} has not written to ${page.name}: there is no conversation to answer in the Page Inbox`, 404);
	return { page, psid };
}

/**
 * A human's reply from the Page Inbox: stored in the conversation (from the Page), an echo with
 * the Page Inbox's app_id to the connected apps subscribed to `message_echoes`. It does not
 * change who owns the thread.
 */
export async function pageInboxReply(graph: Graph, input: PageInboxReplyInput): Promise<PageInboxResult> {
	const { page, psid } = personOf(graph, input);
	if (typeof input.text !== 'string' || input.text === '') throw new ControlError('text is required');
	const mid = newIncomingMid();
	const receivedAt = Date.now();
	graph.store.addPageInboxReply({ pageId: page.id, psid, mid, text: input.text, receivedAt });
	const echo = {
		sender: { id: page.id },
		recipient: { id: psid },
		timestamp: receivedAt,
		message: { mid, is_echo: true, app_id: Number(PAGE_INBOX_APP_ID), text: input.text },
	};
	const delivery = await dispatchToConnected(graph, page, echo);
	return { mid, threadOwner: ownerOf(graph, page, psid), delivery };
}

/** The Page Inbox passes the thread on (default: back to the Page's default app), as `pass_thread_control` would. */
export async function pageInboxPass(graph: Graph, input: PageInboxPassInput): Promise<PageInboxResult> {
	const { page, psid } = personOf(graph, input);
	const targetAppId = input.targetAppId === undefined || input.targetAppId === '' ? defaultAppId(page, graph.apps) : String(input.targetAppId);
	const metadata = input.metadata === undefined ? undefined : String(input.metadata);
	const outcome = controlThread(graph, page, { action: 'pass', psid, byAppId: PAGE_INBOX_APP_ID, targetAppId, metadata });
	// Refused as Graph would refuse the call (e.g. the Page Inbox does not own the thread): a 409 with Graph's words.
	if ('error' in outcome) throw new ControlError(outcome.error.message, 409);
	return { threadOwner: outcome.owner, delivery: (await outcome.delivery) as WebhookDelivery | null };
}
