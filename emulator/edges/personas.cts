// `POST|GET {page}/personas` and `GET|DELETE {persona-id}`: the Page's personas (../personas.cts
// keeps them). A persona the token's Page does not have is an object the token cannot see
// (`100/33`), deleted ones included.
import { authenticate } from '../auth.cjs';
import { unsupported, type CallResult, type Credentials, type Graph } from '../graph.cjs';
import { codePoints, graphError } from '../rules.cjs';
import type { Persona } from '../types.cjs';
import { isHttpUrl } from '../webhooks.cjs';

const MAX_NAME = 50;
const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 100;
const PERSONA_FIELDS = ['id', 'name', 'profile_picture_url'];

/** `POST {page}/personas {name, profile_picture_url}` → `{id}`; `GET {page}/personas[?limit&after]`, oldest first. */
export function personasCall(graph: Graph, method: string, node: string, params: Record<string, unknown>, credentials: Credentials, version: string): CallResult {
	const auth = authenticate(graph, credentials, node);
	if ('result' in auth) return auth.result;
	const { page } = auth;
	const invalid = (message: string) => graph.errorResult(graphError(100, `(#100) ${message}`), page.id);
	if (method === 'POST') {
		const { name, profile_picture_url: picture } = params;
		if (typeof name !== 'string' || name.trim() === '') return invalid('The parameter name is required');
		if (codePoints(name) > MAX_NAME) return invalid(`Param name must be at most ${MAX_NAME} characters, got ${codePoints(name)}`);
		if (typeof picture !== 'string' || !isHttpUrl(picture)) return invalid('Param profile_picture_url must be an http(s) URL');
		return graph.success({ id: graph.personas.create(page.id, name, picture).id }, page.id);
	}
	if (method !== 'GET') return graph.errorResult(unsupported(method, node), page.id);

	const limitText = params.limit === undefined || params.limit === '' ? String(DEFAULT_LIMIT) : String(params.limit);
	if (!/^\d+$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > MAX_LIMIT) return invalid(`Param limit must be a whole number from 1 to ${MAX_LIMIT}, got ${JSON.stringify(params.limit)}`);
	const limit = Number(limitText);
	const all = graph.personas.of(page.id);
	let start = 0;
	if (params.after !== undefined && params.after !== '') {
		const afterId = idOfCursor(String(params.after));
		if (afterId === undefined) return invalid(`Invalid cursor '${String(params.after)}'`);
		// IDs grow with time: a cursor still works after its persona was deleted.
		start = all.filter((persona) => Number(persona.id) <= afterId).length;
	}
	const shown = all.slice(start, start + limit);
	if (shown.length === 0) return graph.success({ data: [] }, page.id);
	const after = cursorOf(shown[shown.length - 1]);
	const paging: Record<string, unknown> = { cursors: { before: cursorOf(shown[0]), after } };
	if (start + limit < all.length) paging.next = `${graph.baseUrl}/${version}/${page.id}/personas?${new URLSearchParams({ limit: String(limit), after }).toString()}`;
	return graph.success({ data: shown, paging }, page.id);
}

/** True when `node` is one of the token's Page's personas (the router answers other IDs as before). */
export function isPersonaOf(graph: Graph, credentials: Credentials, node: string): boolean {
	const auth = authenticate(graph, credentials);
	return !('result' in auth) && graph.personas.find(auth.page.id, node) !== undefined;
}

/** `GET {persona-id}[?fields=…]` → the persona; `DELETE {persona-id}` → `{"success":true}`. Checked by `isPersonaOf` first. */
export function personaCall(graph: Graph, method: string, node: string, params: Record<string, unknown>, credentials: Credentials): CallResult {
	const auth = authenticate(graph, credentials);
	if ('result' in auth) return auth.result;
	const { page } = auth;
	const persona = graph.personas.find(page.id, node)!;
	if (method === 'DELETE') {
		graph.personas.delete(page.id, node);
		return graph.success({ success: true }, page.id);
	}
	if (method !== 'GET') return graph.errorResult(unsupported(method, node), page.id);
	const fields = typeof params.fields === 'string' && params.fields.trim() ? params.fields.split(',').map((field) => field.trim()) : PERSONA_FIELDS;
	const unknown = fields.find((field) => !PERSONA_FIELDS.includes(field));
	if (unknown) return graph.errorResult(graphError(100, `(#100) Tried accessing nonexisting field (${unknown}) on node type (Persona)`), page.id);
	const body: Record<string, string> = { id: persona.id };
	for (const field of fields) body[field] = persona[field as keyof Persona];
	return graph.success(body, page.id);
}

function cursorOf(persona: Persona): string {
	return Buffer.from(`persona:${persona.id}`).toString('base64url');
}

function idOfCursor(cursor: string): number | undefined {
	const match = /^persona:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
	return match ? Number(match[1]) : undefined;
}
