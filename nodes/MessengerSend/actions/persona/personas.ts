// The Personas API: `GET|POST /{page}/personas`, `DELETE /{persona-id}`; the Page's personas as
// output items, and the list the editor's Persona ID fields offer (through n8n's HTTP helper with
// the credential: the token travels in its header, never in a URL, an error or an output).
import { NodeOperationError, type IDataObject, type ILoadOptionsFunctions, type INodeListSearchResult } from 'n8n-workflow';

import { CREDENTIAL_TYPE, graphTarget, graphUrl, readAnswer } from '../../../shared/graph';
import { redactSecrets } from '../../../shared/secrets';
import type { GraphCall } from '../../transport/graphCalls';
import { expectSent, type Step } from '../graphAction';
import { pagePath } from '../conversation/threadControl';

/** Graph lists at most 100 personas per page. */
export const PERSONA_PAGE_SIZE = 100;

export interface Persona {
	id: string;
	name: string;
	profilePictureUrl: string | null;
}

interface PersonaPage {
	data?: IDataObject[];
	paging?: { cursors?: { after?: string }; next?: string };
}

export function listPersonasCall(pageId: string, limit: number, after?: string): GraphCall {
	return { method: 'GET', path: `${pagePath(pageId)}/personas`, qs: { limit: String(limit), ...(after ? { after } : {}) } };
}

export function createPersonaCall(pageId: string, name: string, pictureUrl: string): GraphCall {
	return { method: 'POST', path: `${pagePath(pageId)}/personas`, body: { name, profile_picture_url: pictureUrl }, creates: true };
}

export function deletePersonaCall(personaId: string): GraphCall {
	return { method: 'DELETE', path: encodeURIComponent(personaId) };
}

const textOr = (value: unknown) => (typeof value === 'string' ? value : null);

export function toPersona(entry: IDataObject): Persona {
	return { id: String(entry.id ?? ''), name: textOr(entry.name) ?? '', profilePictureUrl: textOr(entry.profile_picture_url) };
}

/** The next page's cursor, when Graph says there is a next page. */
export function nextCursor(page: PersonaPage): string | undefined {
	return page.paging?.next && page.paging.cursors?.after ? page.paging.cursors.after : undefined;
}

/**
 * Lists the Page's personas, oldest first, following Graph's paging until `wanted` (all when
 * undefined) or until `found` picks one; then `done` with what was listed.
 */
export function listPersonas(pageId: string, wanted: number | undefined, done: (personas: Persona[]) => Step, found?: (persona: Persona) => boolean): Step {
	const more = (listed: Persona[], after?: string): Step => {
		const left = wanted === undefined ? PERSONA_PAGE_SIZE : Math.min(PERSONA_PAGE_SIZE, wanted - listed.length);
		return expectSent(listPersonasCall(pageId, left, after), (body) => {
			const page = body as PersonaPage;
			const all = [...listed, ...(page.data ?? []).map(toPersona)];
			const hit = found ? all.find(found) : undefined;
			if (hit) return done([hit]);
			const cursor = nextCursor(page);
			if (cursor === undefined || (wanted !== undefined && all.length >= wanted)) return done(found ? [] : all.slice(0, wanted));
			return more(all, cursor);
		});
	};
	return more([]);
}

/** The editor's list of the Page's personas (a resource locator's list mode), searchable by name. */
export async function searchPersonas(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const redact = redactSecrets([credentials.accessToken, credentials.appSecret]);
	// The editor hands over the node's parameters as saved: an expression is not resolved here, so the token's own Page is listed.
	const raw = this.getCurrentNodeParameter('pageId');
	const pageId = typeof raw === 'string' && !raw.startsWith('=') ? raw : 'me';
	const call = listPersonasCall(pageId, PERSONA_PAGE_SIZE, paginationToken);
	let outcome;
	try {
		const response = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, {
			method: 'GET',
			url: graphUrl(graphTarget(credentials), call.path),
			qs: call.qs,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as { statusCode: number; body: unknown; headers?: IDataObject };
		outcome = readAnswer(response.statusCode, response.body, response.headers);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), `Could not list the Page’s personas: ${redact((error as Error).message ?? String(error))}`);
	}
	if (outcome.kind !== 'sent') {
		const said = outcome.kind === 'refused' ? redact(outcome.error.message ?? '') : `HTTP ${outcome.kind === 'unreadable' ? outcome.statusCode : '?'}`;
		throw new NodeOperationError(this.getNode(), `Could not list the Page’s personas: ${said}`, {
			description: 'Check the credential (a Page token with pages_messaging) and the Page ID; or enter the persona’s ID (By ID).',
		});
	}
	const page = outcome.body as PersonaPage;
	const wanted = (filter ?? '').trim().toLowerCase();
	const results = (page.data ?? [])
		.map(toPersona)
		.filter((persona) => wanted === '' || persona.name.toLowerCase().includes(wanted))
		.map((persona) => ({ name: persona.name || persona.id, value: persona.id }));
	return { results, paginationToken: nextCursor(page) };
}
