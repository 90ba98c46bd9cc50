// The Conversations API's read side over HTTP: `GET {page}/conversations` and
// `GET {conversation-id}`. What a thread is and how it renders is in ../conversations.cts; here
// are the checks a read goes through. Not send operations: no fault ordinal, no rate cap,
// nothing in the inbox.
import { authenticate } from '../auth.cjs';
import { parseFields, parseLimit, renderMessages, renderThread, threadId, threadsOf, type FieldRequest, type RenderOptions, type Thread } from '../conversations.cjs';
import { unsupported, type CallResult, type Credentials, type Graph } from '../graph.cjs';
import { graphError } from '../rules.cjs';
import type { EmulatorPage, GraphError } from '../types.cjs';

/** Conversation (thread) IDs start like the platform's. */
export const THREAD_PREFIX = 't_';

/** Token, proof and Page as for any call; then the read permission. */
function readAccess(graph: Graph, credentials: Credentials, node?: string): { page: EmulatorPage } | { result: CallResult } {
	const auth = authenticate(graph, credentials);
	if ('result' in auth) return auth;
	const { page } = auth;
	if (node !== undefined && node !== 'me' && node !== page.id) return { result: graph.errorResult(unsupported('GET', node), page.id) };
	if (page.canReadConversations === false) {
		const permissions =
			page.platform === 'instagram' ? 'instagram_basic,instagram_manage_messages,pages_manage_metadata' : 'pages_read_engagement,pages_manage_metadata';
		const message = `(#200) The permission(s) ${permissions} are not available. It could because either they are not approved for the app or the app is not in live mode. Also make sure the user has granted the permission to the app.`;
		return { result: graph.errorResult(graphError(200, message, { status: 403 }), page.id) };
	}
	return { page };
}

/** `fields` of a conversations call; undefined: the defaults. */
function conversationFields(params: Record<string, unknown>): { fields?: FieldRequest[] } | { error: GraphError } {
	if (params.fields === undefined || params.fields === '') return {};
	const parsed = parseFields(String(params.fields));
	if (typeof parsed === 'string') return { error: graphError(100, `(#100) ${parsed}`) };
	return { fields: parsed };
}

/** How the people are named in messages (their name from the person actions, if any). */
export type PersonName = (psid: string) => string | undefined;

function renderOptions(graph: Graph, page: EmulatorPage, personName: PersonName | undefined, version: string | undefined, fields?: FieldRequest[]): RenderOptions {
	return { page, fields, personName, baseUrl: graph.baseUrl, version };
}

/** `GET {page}/conversations?platform=…[&user_id=PSID][&fields=…]`. */
export function conversationsCall(graph: Graph, node: string, params: Record<string, unknown>, credentials: Credentials, personName?: PersonName, version?: string): CallResult {
	const access = readAccess(graph, credentials, node);
	if ('result' in access) return access.result;
	const { page } = access;
	const platform = page.platform === 'instagram' ? 'instagram' : 'messenger';
	if (params.platform === undefined || params.platform === '') {
		return graph.errorResult(graphError(100, `(#100) The parameter platform is required (${platform} for this ${platform === 'instagram' ? 'Instagram account' : 'Page'})`), page.id);
	}
	if (params.platform !== platform) {
		return graph.errorResult(
			graphError(100, `(#100) platform must be ${platform} for this ${platform === 'instagram' ? 'Instagram account' : 'Page'}, not '${String(params.platform)}'`),
			page.id,
		);
	}
	if (params.limit !== undefined) {
		const limit = parseLimit(String(params.limit));
		if (typeof limit === 'string') return graph.errorResult(graphError(100, `(#100) ${limit}`), page.id);
	}
	const selection = conversationFields(params);
	if ('error' in selection) return graph.errorResult(selection.error, page.id);

	const user = params.user_id === undefined || params.user_id === '' ? undefined : String(params.user_id);
	let threads: Thread[] = threadsOf(graph.store, page.id, (psid) => user === undefined || psid === user);
	if (params.limit !== undefined) threads = threads.slice(0, Number(params.limit));
	const data: unknown[] = [];
	for (const thread of threads) {
		const rendered = renderThread(thread, renderOptions(graph, page, personName, version, selection.fields));
		if (typeof rendered === 'string') return graph.errorResult(graphError(100, `(#100) ${rendered}`), page.id);
		data.push(rendered);
	}
	return graph.success({ data }, page.id);
}

/** `GET {conversation-id}?fields=messages.limit(N){…}`: only the token's Page's threads exist for it. */
export function threadCall(graph: Graph, node: string, params: Record<string, unknown>, credentials: Credentials, version?: string, personName?: PersonName): CallResult {
	const found = findThread(graph, node, credentials);
	if ('result' in found) return found.result;
	const { page, thread } = found;
	const selection = conversationFields(params);
	if ('error' in selection) return graph.errorResult(selection.error, page.id);
	const rendered = renderThread(thread, renderOptions(graph, page, personName, version, selection.fields));
	if (typeof rendered === 'string') return graph.errorResult(graphError(100, `(#100) ${rendered}`), page.id);
	return graph.success(rendered, page.id);
}

/**
 * `GET {conversation-id}/messages?fields=id,created_time,from,to,message,attachments&limit=N&after=CURSOR`:
 * one page of the thread's messages, newest first, as `paging.next` points to.
 */
export function threadMessagesCall(graph: Graph, node: string, params: Record<string, unknown>, credentials: Credentials, version?: string, personName?: PersonName): CallResult {
	const found = findThread(graph, node, credentials);
	if ('result' in found) return found.result;
	const { page, thread } = found;
	const selection = conversationFields(params);
	if ('error' in selection) return graph.errorResult(selection.error, page.id);
	let limit: number | undefined;
	if (params.limit !== undefined && params.limit !== '') {
		const parsed = parseLimit(String(params.limit));
		if (typeof parsed === 'string') return graph.errorResult(graphError(100, `(#100) ${parsed}`), page.id);
		limit = parsed;
	}
	const after = params.after === undefined || params.after === '' ? undefined : String(params.after);
	const rendered = renderMessages(thread, selection.fields, limit, after, { ...renderOptions(graph, page, personName, version), messagesEdge: true });
	if (typeof rendered === 'string') return graph.errorResult(graphError(100, `(#100) ${rendered}`), page.id);
	return graph.success(rendered, page.id);
}

function findThread(graph: Graph, node: string, credentials: Credentials): { page: EmulatorPage; thread: Thread } | { result: CallResult } {
	const access = readAccess(graph, credentials);
	if ('result' in access) return access;
	const { page } = access;
	const thread = threadsOf(graph.store, page.id, (psid) => threadId(page.id, psid) === node)[0];
	if (!thread) return { result: graph.errorResult(unsupported('GET', node), page.id) };
	return { page, thread };
}
