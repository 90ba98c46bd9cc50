// The thread control edges: `POST {page}/pass_thread_control | take_thread_control |
// request_thread_control | release_thread_control`, `GET {page}/thread_owner` and
// `GET {page}/secondary_receivers`. Here are the parameters and who is calling (the token's app);
// the rules are in ../handover.cts. Not send operations: no fault ordinal, no rate cap, nothing
// in the inbox; they work as batch operations like every edge.
import { authenticate } from '../auth.cjs';
import { controlThread, hasWritten, noMatchingUser, type ControlAction } from '../handover.cjs';
import { unsupported, type CallResult, type Credentials, type Graph } from '../graph.cjs';
import { ownerOf } from '../routing.cjs';
import { graphError, isObject } from '../rules.cjs';
import { appName, connectedAppIds, defaultAppId, PAGE_INBOX_APP_ID } from '../threadOwners.cjs';

/** Each POST edge and the action it stands for. */
export const CONTROL_EDGES = new Map<string, ControlAction>([
	['pass_thread_control', 'pass'],
	['take_thread_control', 'take'],
	['request_thread_control', 'request'],
	['release_thread_control', 'release'],
]);

export const THREAD_READ_EDGES = new Set(['thread_owner', 'secondary_receivers']);

const SECONDARY_RECEIVER_FIELDS = ['id', 'name'];

/** `recipient` as a JSON body has it, or as a form field / query parameter holding JSON. */
function readRecipient(value: unknown): { psid: string } | { error: string } {
	if (value === undefined || value === '') return { error: '(#100) The parameter recipient is required' };
	let recipient = value;
	if (typeof value === 'string') {
		try {
			recipient = JSON.parse(value);
		} catch {
			return { error: '(#100) Param recipient must be a JSON object with an id, e.g. {"id":"<PSID>"}' };
		}
	}
	if (!isObject(recipient) || recipient.id === undefined || String(recipient.id) === '') {
		return { error: '(#100) Param recipient must be a JSON object with an id, e.g. {"id":"<PSID>"}' };
	}
	return { psid: String(recipient.id) };
}

/** `POST {page}/<action>_thread_control` → `{"success":true}`. */
export function threadControlCall(graph: Graph, method: string, node: string, edge: string, params: Record<string, unknown>, credentials: Credentials): CallResult {
	const auth = authenticate(graph, credentials, node);
	if ('result' in auth) return auth.result;
	const { page, appId } = auth;
	const action = CONTROL_EDGES.get(edge)!;
	if (method !== 'POST') return graph.errorResult(unsupported(method, node), page.id);
	const recipient = readRecipient(params.recipient);
	if ('error' in recipient) return graph.errorResult(graphError(100, recipient.error), page.id);
	const metadata = params.metadata === undefined || params.metadata === null ? undefined : String(params.metadata);
	const targetAppId = params.target_app_id === undefined ? undefined : String(params.target_app_id);
	const outcome = controlThread(graph, page, { action, psid: recipient.psid, byAppId: appId, metadata, ...(action === 'pass' ? { targetAppId } : {}) });
	if ('error' in outcome) return graph.errorResult(outcome, page.id);
	// Like a send's echo, the webhooks never hold up the answer.
	outcome.delivery.catch((error: Error) => process.stderr.write(`Graph API emulator: a handover webhook failed: ${error.stack ?? error.message}\n`));
	return graph.success({ success: true }, page.id);
}

/** `GET {page}/thread_owner?recipient=PSID` and `GET {page}/secondary_receivers[?fields=id,name]`. */
export function threadReadCall(graph: Graph, method: string, node: string, edge: string, params: Record<string, unknown>, credentials: Credentials): CallResult {
	const auth = authenticate(graph, credentials, node);
	if ('result' in auth) return auth.result;
	const { page, appId } = auth;
	if (method !== 'GET') return graph.errorResult(unsupported(method, node), page.id);
	if (edge === 'thread_owner') {
		// A bare PSID, as the reference writes it; `{"id":…}` is taken too.
		const raw = params.recipient;
		const recipient = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? { psid: raw.trim() } : readRecipient(raw);
		if ('error' in recipient) return graph.errorResult(graphError(100, recipient.error), page.id);
		if (!hasWritten(graph, page, recipient.psid)) return graph.errorResult(noMatchingUser(), page.id);
		return graph.success({ data: [{ thread_owner: { app_id: ownerOf(graph, page, recipient.psid) } }] }, page.id);
	}
	const primary = defaultAppId(page, graph.apps);
	if (appId !== primary) {
		return graph.errorResult(
			graphError(10, `(#10) Application does not have permission for this action: only the Page's default app (${primary}) can list the secondary receivers`, { status: 403 }),
			page.id,
		);
	}
	const fields = typeof params.fields === 'string' && params.fields.trim() ? params.fields.split(',').map((field) => field.trim()) : SECONDARY_RECEIVER_FIELDS;
	const unknown = fields.find((field) => !SECONDARY_RECEIVER_FIELDS.includes(field));
	if (unknown) return graph.errorResult(graphError(100, `(#100) Tried accessing nonexisting field (${unknown}) on node type (Application)`), page.id);
	// Every connected app but the default one: the Page Inbox first, then the configured ones.
	const data = connectedAppIds(page, graph.apps)
		.filter((id) => id !== primary)
		.sort((a, b) => Number(b === PAGE_INBOX_APP_ID) - Number(a === PAGE_INBOX_APP_ID))
		.map((id) => ({ id, ...(fields.includes('name') ? { name: appName(id, graph.apps) } : {}) }));
	return graph.success({ data }, page.id);
}
