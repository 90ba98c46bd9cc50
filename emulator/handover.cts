// The rules of thread control (Conversation Routing, /work/notes/handover-contract.md "Who is
// calling"): who may pass, take, request and release a person's thread, what changes, and which
// `messaging_handovers` webhooks go out. The Graph edges (edges/threadControl.cts) and the test's
// Page Inbox controls both come here, so a human's hand-back follows the same rules as an app's call.
import type { Graph } from './graph.cjs';
import { ownerOf, dispatchToConnected } from './routing.cjs';
import { graphError } from './rules.cjs';
import { connectedAppIds, defaultAppId } from './threadOwners.cjs';
import type { EmulatorPage, GraphError, HandoverEntry } from './types.cjs';

/** Metadata longer than this is refused (the platform's limit for the metadata string). */
export const MAX_METADATA_CHARS = 1000;

export type ControlAction = HandoverEntry['action'];

export interface ControlCall {
	action: ControlAction;
	psid: string;
	/** The calling app (the token's app; the Page Inbox's ID for the test's Page Inbox controls). */
	byAppId: string;
	/** pass only */
	targetAppId?: string;
	metadata?: string;
}

/** What a call did: `changed` false when the thread already was where the call puts it (take, release). */
export interface ControlOutcome {
	changed: boolean;
	owner: string;
	/** The handover webhooks it sent (null when none went out); not awaited by the Graph edges. */
	delivery: Promise<unknown>;
}

/** The person has written to the Page (a message, postback, reaction or read): only then Graph knows their PSID here. */
export function hasWritten(graph: Graph, page: EmulatorPage, psid: string): boolean {
	return graph.store.incoming.some((entry) => entry.pageId === page.id && entry.psid === psid);
}

export function noMatchingUser(): GraphError {
	return graphError(100, '(#100) No matching user found', { subcode: 2018001 });
}

/** A role error: the calling app may not do this to this thread (code 10, as Graph's permission errors). */
function notAllowed(why: string): GraphError {
	return graphError(10, `(#10) Application does not have permission for this action: ${why}`, { status: 403 });
}

/**
 * Checks a thread control call and carries it out: a GraphError when refused (nothing changes),
 * else the new owner and the webhooks sent. Requests are handled one at a time, so two calls for
 * the same person never both see the old owner.
 */
export function controlThread(graph: Graph, page: EmulatorPage, call: ControlCall): GraphError | ControlOutcome {
	const { psid, byAppId, action } = call;
	if (call.metadata !== undefined && [...call.metadata].length > MAX_METADATA_CHARS) {
		return graphError(100, `(#100) Param metadata must be at most ${MAX_METADATA_CHARS} characters`);
	}
	if (!hasWritten(graph, page, psid)) return noMatchingUser();
	const owner = ownerOf(graph, page, psid);
	const primary = defaultAppId(page, graph.apps);
	const connected = connectedAppIds(page, graph.apps);
	const unchanged: ControlOutcome = { changed: false, owner, delivery: Promise.resolve(null) };
	switch (action) {
		case 'pass': {
			const target = call.targetAppId;
			if (target === undefined || target === '') return graphError(100, '(#100) The parameter target_app_id is required');
			if (!connected.includes(target)) {
				return graphError(100, `(#100) Param target_app_id must be an app connected to the Page (${connected.join(', ')}), not ${target}`);
			}
			if (owner !== byAppId) return notAllowed(`app ${byAppId} does not own the thread of ${psid}`);
			if (target === byAppId) return graphError(100, `(#100) Param target_app_id is the app that already owns the thread (${target})`);
			return change(graph, page, call, owner, target, { pass_thread_control: withMetadata({ new_owner_app_id: target, previous_owner_app_id: owner }, call.metadata) });
		}
		case 'take': {
			// Conversation Routing: the Page's default app may take any thread; the others may not.
			if (byAppId !== primary) return notAllowed(`only the Page's default app (${primary}) can take a thread`);
			if (owner === byAppId) return unchanged;
			return change(graph, page, call, owner, byAppId, { take_thread_control: withMetadata({ previous_owner_app_id: owner, new_owner_app_id: byAppId }, call.metadata) });
		}
		case 'release': {
			if (owner !== byAppId) return notAllowed(`app ${byAppId} does not own the thread of ${psid}`);
			if (owner === primary) return unchanged; // the default app's thread is idle already
			// No webhook: a release names no new owner; the default app answers the next message.
			return change(graph, page, call, owner, primary);
		}
		default: {
			if (owner === byAppId) return graphError(100, `(#100) App ${byAppId} already owns the thread of ${psid}: there is nothing to request`);
			graph.store.addHandover(record(page, call, owner, owner));
			const event = handoverEvent(page, psid, { request_thread_control: withMetadata({ requested_owner_app_id: byAppId }, call.metadata) });
			// The request goes to the owner only (the Page Inbox has no webhook: it is just recorded).
			return { changed: false, owner, delivery: dispatchToConnected(graph, page, event, [owner]) };
		}
	}
}

function change(graph: Graph, page: EmulatorPage, call: ControlCall, previous: string, next: string, content?: Record<string, unknown>): ControlOutcome {
	graph.owners.set(page.id, call.psid, next, defaultAppId(page, graph.apps));
	graph.store.addHandover(record(page, call, previous, next));
	// "Any apps subscribed to the messaging_handovers field will receive a notification."
	const delivery = content ? dispatchToConnected(graph, page, handoverEvent(page, call.psid, content)) : Promise.resolve(null);
	return { changed: true, owner: next, delivery };
}

function record(page: EmulatorPage, call: ControlCall, previous: string, next: string): Omit<HandoverEntry, 'seq'> {
	return {
		pageId: page.id,
		psid: call.psid,
		action: call.action,
		byAppId: call.byAppId,
		previousOwnerAppId: previous,
		newOwnerAppId: next,
		...(call.action === 'request' ? { requestedOwnerAppId: call.byAppId } : {}),
		...(call.metadata !== undefined ? { metadata: call.metadata } : {}),
		at: Date.now(),
	};
}

function handoverEvent(page: EmulatorPage, psid: string, content: Record<string, unknown>): Record<string, unknown> {
	return { sender: { id: psid }, recipient: { id: page.id }, timestamp: Date.now(), ...content };
}

function withMetadata(fields: Record<string, string>, metadata: string | undefined): Record<string, string> {
	return metadata === undefined ? fields : { ...fields, metadata };
}
