// `GET {me|page-id}[?fields=id,name]`: the Page itself, as a token check reads it.
import { authenticate } from '../auth.cjs';
import { unsupported, type CallResult, type Credentials, type Graph } from '../graph.cjs';
import { graphError } from '../rules.cjs';

export function pageCall(graph: Graph, node: string, params: Record<string, unknown>, credentials: Credentials): CallResult {
	const auth = authenticate(graph, credentials);
	if ('result' in auth) return auth.result;
	const { page } = auth;
	if (node !== 'me' && node !== page.id) return graph.errorResult(unsupported('GET', node), page.id);
	const fields = typeof params.fields === 'string' && params.fields.trim() ? params.fields.split(',').map((field) => field.trim()) : ['id', 'name'];
	const unknown = fields.find((field) => field !== 'id' && field !== 'name');
	if (unknown) return graph.errorResult(graphError(100, `(#100) Tried accessing nonexisting field (${unknown}) on node type (Page)`), page.id);
	// Graph always includes the id.
	const body: Record<string, string> = { id: page.id };
	if (fields.includes('name')) body.name = page.name;
	return graph.success(body, page.id);
}

/** `GET app[?fields=id,name]` with a Page token: the app the token belongs to (how a caller learns its own app ID). */
export function appCall(graph: Graph, credentials: Credentials): CallResult {
	const auth = authenticate(graph, credentials);
	if ('result' in auth) return auth.result;
	const app = graph.apps.find((candidate) => candidate.id === auth.appId);
	return graph.success({ id: auth.appId, ...(app?.name ? { name: app.name } : {}) }, auth.page.id);
}
