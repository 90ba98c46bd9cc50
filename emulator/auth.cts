// Who is calling: the token (Page or app), its appsecret_proof, and which node it may reach.
// Every edge asks here first, so the order of the checks (token, proof, node) is the same everywhere.
import { createHmac, timingSafeEqual } from 'node:crypto';

import { unsupported, type CallResult, type Credentials, type Graph } from './graph.cjs';
import { graphError } from './rules.cjs';
import type { EmulatorApp, EmulatorPage, GraphError, ReceivedRequest } from './types.cjs';

/** appsecret_time proofs are valid this long. */
const PROOF_TIME_WINDOW_S = 300;

/** The token (header first, then `access_token`) and proof of a direct request. */
export function credentialsOf(record: ReceivedRequest): Credentials {
	const param = (name: string) => {
		const value = record.body[name] ?? record.query[name];
		return typeof value === 'string' && value !== '' ? value : undefined;
	};
	const authorization = record.headers.authorization?.match(/^(?:Bearer|OAuth)\s+(\S+)\s*$/i);
	return {
		token: authorization?.[1] ?? param('access_token'),
		proof: param('appsecret_proof'),
		proofTime: param('appsecret_time'),
	};
}

/** A Page token for `node` (`me` or the Page's ID). `proofOptional`: the batch envelope, whose operations may each carry their own proof. */
export function authenticate(
	graph: Graph,
	credentials: Credentials,
	node?: string,
	proofOptional = false,
): { page: EmulatorPage; appId: string } | { result: CallResult } {
	const found = credentials.token ? pageOfToken(graph, credentials.token) : undefined;
	if (!found) return { result: graph.errorResult(graphError(190, 'Invalid OAuth access token - Cannot parse access token')) };
	const { page, appId } = found;
	// Another app's Page token is signed with that app's secret (checked only where the Page checks proofs).
	const secret = page.token === credentials.token || !page.appSecret ? page.appSecret : graph.apps.find((app) => app.id === appId)?.secret;
	const proofError = proofOptional && credentials.proof === undefined ? null : checkProof({ ...page, appSecret: secret }, credentials);
	if (proofError) return { result: graph.errorResult(proofError, page.id) };
	// A token only reaches its own Page; the platform answers other IDs as if they did not exist.
	if (node !== undefined && node !== 'me' && node !== page.id) return { result: graph.errorResult(unsupported('POST', node), page.id) };
	return { page, appId };
}

/**
 * The Page a Page token belongs to, and the token's app: the Page's own token is its default
 * app's; `appTokens` are other connected apps' tokens for the same Page.
 */
export function pageOfToken(graph: Graph, token: string): { page: EmulatorPage; appId: string } | undefined {
	for (const page of graph.pages) {
		if (page.token === token) return { page, appId: graph.appOf(page)?.id ?? page.appId ?? '' };
		const other = page.appTokens?.find((candidate) => candidate.token === token);
		if (other) return { page, appId: String(other.appId) };
	}
	return undefined;
}

/** An app access token (`app-id|app-secret`) for this app's own node. */
export function authenticateApp(graph: Graph, credentials: Credentials, node: string, method: string): { app: EmulatorApp } | { result: CallResult } {
	const { token } = credentials;
	// A valid token of the wrong kind is a parameter error, not an unknown token.
	if (token !== undefined && pageOfToken(graph, token)) {
		return {
			result: graph.errorResult(graphError(100, '(#100) This call needs an app access token ({app-id}|{app-secret}), not a Page access token')),
		};
	}
	const app = token !== undefined ? graph.apps.find((candidate) => `${candidate.id}|${candidate.secret}` === token) : undefined;
	if (!app) return { result: graph.errorResult(graphError(190, 'Invalid OAuth access token - Cannot parse access token')) };
	if (node !== app.id) return { result: graph.errorResult(unsupported(method, node)) };
	return { app };
}

/** appsecret_proof rules: a wrong proof always fails; a missing one only when the Page requires it. */
function checkProof(page: EmulatorPage, credentials: Credentials): GraphError | null {
	if (!page.appSecret) return null; // without a secret the emulator cannot check a proof
	if (credentials.proof === undefined) {
		return page.requireAppSecretProof
			? graphError(100, 'API calls from the server require an appsecret_proof argument', { type: 'GraphMethodException' })
			: null;
	}
	const signed = credentials.proofTime !== undefined ? `${credentials.token}|${credentials.proofTime}` : String(credentials.token);
	const expected = Buffer.from(createHmac('sha256', page.appSecret).update(signed).digest('hex'));
	const given = Buffer.from(credentials.proof);
	// A time-stamped proof is refused once older than 5 minutes (or as far in the future); a time
	// that is not a number never passes.
	const fresh =
		credentials.proofTime === undefined || Math.abs(Date.now() / 1000 - Number(credentials.proofTime)) <= PROOF_TIME_WINDOW_S;
	if (given.length !== expected.length || !timingSafeEqual(given, expected) || !fresh) {
		return graphError(100, 'Invalid appsecret_proof provided in the API argument', { type: 'GraphMethodException' });
	}
	return null;
}
