// For the Conversation and Person tests (test/node/operations/conversation/): Graph's answers
// given per call, whether the node sent the call alone or inside a Graph batch, and every call as
// the node sent it (method, path below the version, query and body; the proof left out).
import type { Reply } from '../../emulator/graphEmulator.cjs';
import { server } from './fixtures';

export interface SentCall {
	method: string;
	path: string;
	query: Record<string, string>;
	body?: Record<string, unknown>;
	/** Whether it travelled in a Graph batch. */
	batched: boolean;
}

const withoutProof = (query: Record<string, string>) => Object.fromEntries(Object.entries(query).filter(([key]) => key !== 'appsecret_proof' && key !== 'appsecret_time'));

/** Form fields as the Graph API reads them: JSON objects parsed. */
function formBody(text: string): Record<string, unknown> {
	return Object.fromEntries(
		[...new URLSearchParams(text)].filter(([key]) => key !== 'appsecret_proof' && key !== 'appsecret_time').map(([key, value]) => {
			try {
				const parsed: unknown = JSON.parse(value);
				return [key, typeof parsed === 'object' && parsed !== null ? parsed : value];
			} catch {
				return [key, value];
			}
		}),
	);
}

/**
 * Makes the emulator answer each call with `answer(call)` (a batch: each operation in turn).
 * Returns the list of calls, in the order they arrived.
 */
export function fakeGraph(answer: (call: SentCall) => Reply): SentCall[] {
	const calls: SentCall[] = [];
	server.respondWith = (request) => {
		const path = request.path.replace(/^\/v\d+\.\d+\/?/, '');
		if (path === '' && request.method === 'POST') {
			const operations = JSON.parse(String(request.body.batch)) as Array<{ method: string; relative_url: string; body?: string }>;
			return {
				status: 200,
				body: operations.map((operation) => {
					const url = new URL(operation.relative_url, 'http://graph.local/');
					const call: SentCall = {
						method: operation.method,
						path: decodeURIComponent(url.pathname.slice(1)),
						query: withoutProof(Object.fromEntries(url.searchParams)),
						...(operation.body !== undefined ? { body: formBody(operation.body) } : {}),
						batched: true,
					};
					calls.push(call);
					const reply = answer(call);
					return { code: reply.status, body: JSON.stringify(reply.body) };
				}),
			};
		}
		const call: SentCall = {
			method: request.method,
			path: decodeURIComponent(path),
			query: withoutProof(request.query),
			...(request.method === 'POST' ? { body: request.body } : {}),
			batched: false,
		};
		calls.push(call);
		return answer(call);
	};
	return calls;
}

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const ownerIs = (appId: string): Reply => ok({ data: [{ thread_owner: { app_id: appId } }] });
