// `GET|POST|DELETE {page}/messenger_profile`: the Page's welcome screen and menu (Messenger
// Profile API), and with `platform=instagram` the Instagram account's. The property rules are in
// ../pageProfile.cts; here are the parameters, the platform, the write rate limit and the answers.
// Not send operations: no fault ordinal, no send rate cap; they work as batch operations too.
import { authenticate } from '../auth.cjs';
import { unsupported, type CallResult, type Credentials, type Graph } from '../graph.cjs';
import { DEFAULT_PROFILE_WRITES, INSTAGRAM_PROFILE_FIELDS, PROFILE_FIELDS, profileProblem, propertyProblem } from '../pageProfile.cjs';
import { graphError } from '../rules.cjs';
import type { EmulatorPage, GraphError, MessengerProfile, ProfileField, ProfilePlatform } from '../types.cjs';

/** Parameters of every call that are not profile properties. */
const CALL_PARAMS = new Set(['access_token', 'appsecret_proof', 'appsecret_time', 'platform']);

const invalid = (message: string): GraphError => graphError(100, `(#100) ${message}`);

export function messengerProfileCall(graph: Graph, method: string, node: string, params: Record<string, unknown>, credentials: Credentials): CallResult {
	const auth = authenticate(graph, credentials, node);
	if ('result' in auth) return auth.result;
	const { page } = auth;
	const refuse = (error: GraphError) => graph.errorResult(error, page.id);
	if (method !== 'GET' && method !== 'POST' && method !== 'DELETE') return refuse(unsupported(method, node));
	const platform = platformOf(page, params.platform);
	if (typeof platform !== 'string') return refuse(platform);

	if (method !== 'GET') {
		// Every write counts, refused or not, as Graph counts calls; reads are free.
		const limit = graph.options.profileWritesPer10Minutes ?? DEFAULT_PROFILE_WRITES;
		if (!graph.profiles.admitWrite(page.id, platform, limit)) {
			return refuse(graphError(613, '(#613) Calls to this api have exceeded the rate limit.', { subcode: 2018339 }));
		}
	}
	const current = graph.profiles.get(page.id, platform);
	if (method === 'POST') {
		const given = propertiesOf(params, platform);
		if ('error' in given) return refuse(given.error);
		return save(graph, page, platform, { ...current, ...given.properties });
	}
	const fields = fieldsOf(params.fields, platform);
	if ('error' in fields) return refuse(fields.error);
	if (method === 'DELETE') {
		const kept = { ...current };
		for (const field of fields.fields) delete kept[field];
		return save(graph, page, platform, kept);
	}
	const shown: MessengerProfile = {};
	for (const field of fields.fields) if (current[field] !== undefined) shown[field] = current[field];
	return graph.success({ data: Object.keys(shown).length > 0 ? [shown] : [] }, page.id);
}

function save(graph: Graph, page: EmulatorPage, platform: ProfilePlatform, profile: MessengerProfile): CallResult {
	const problem = profileProblem(profile, platform);
	if (problem) return graph.errorResult(graphError(100, problem), page.id);
	graph.profiles.set(page.id, platform, profile);
	return graph.success({ result: 'success' }, page.id);
}

/** An Instagram account is reached with `platform=instagram` only; a Page by default or with `messenger` or `instagram`. */
function platformOf(page: EmulatorPage, value: unknown): ProfilePlatform | GraphError {
	const instagramAccount = page.platform === 'instagram';
	if (value === undefined || value === '') return instagramAccount ? invalid("An Instagram account's messenger_profile needs platform=instagram") : 'messenger';
	if (value === 'instagram') return 'instagram';
	if (value !== 'messenger') return invalid(`Param platform must be one of {messenger, instagram} - got ${JSON.stringify(value)}`);
	return instagramAccount ? invalid("An Instagram account's messenger_profile needs platform=instagram") : 'messenger';
}

function checkField(field: string, at: string, platform: ProfilePlatform): GraphError | null {
	if (!PROFILE_FIELDS.includes(field as ProfileField)) return invalid(`${at} must be one of {${PROFILE_FIELDS.join(', ')}} - got ${JSON.stringify(field)}`);
	if (platform === 'instagram' && !INSTAGRAM_PROFILE_FIELDS.includes(field as ProfileField)) return invalid(`${field} is not supported for Instagram`);
	return null;
}

/** The POST's properties, each decoded (form bodies carry them as JSON text) and checked. */
function propertiesOf(params: Record<string, unknown>, platform: ProfilePlatform): { properties: MessengerProfile } | { error: GraphError } {
	const properties: MessengerProfile = {};
	for (const [name, raw] of Object.entries(params)) {
		if (CALL_PARAMS.has(name)) continue;
		const wrong = checkField(name, 'Each property', platform);
		if (wrong) return { error: wrong };
		const value = fromJsonText(raw);
		const problem = propertyProblem(name as ProfileField, value);
		if (problem) return { error: invalid(problem) };
		properties[name as ProfileField] = value;
	}
	if (Object.keys(properties).length === 0) return { error: invalid(`Requires one of the params: ${(platform === 'instagram' ? INSTAGRAM_PROFILE_FIELDS : PROFILE_FIELDS).join(', ')}`) };
	return { properties };
}

/** `fields` as a JSON array, JSON text of one, or a comma list. */
function fieldsOf(raw: unknown, platform: ProfilePlatform): { fields: ProfileField[] } | { error: GraphError } {
	const value = fromJsonText(raw);
	const names = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(',').map((name) => name.trim()) : [];
	if (names.length === 0 || names.every((name) => name === '')) return { error: invalid(`The parameter fields is required: some of ${PROFILE_FIELDS.join(', ')}`) };
	for (const [index, name] of names.entries()) {
		const wrong = checkField(name, `Param fields[${index}]`, platform);
		if (wrong) return { error: wrong };
	}
	return { fields: names as ProfileField[] };
}

function fromJsonText(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value);
	} catch {
		return value;
	}
}
