// `GET {PSID}` (the User Profile API) and `GET {IGSID}` (an Instagram user's fields): what the
// Page may know of a person who wrote to it. Someone who never wrote is an object the token
// cannot see (Graph's `100/33`, as for any other ID); the fields that need extra App Review
// (locale, timezone, gender) and a token without profile access get Graph's `100/2018247`.
import { createHash } from 'node:crypto';

import { hasWritten } from '../handover.cjs';
import type { CallResult, Graph } from '../graph.cjs';
import { graphError } from '../rules.cjs';
import type { EmulatorPage, PersonProfile } from '../types.cjs';

/** What the emulator was told about a person: the name of person actions, and a `profile` if one was given. */
export interface KnownPerson {
	name?: string;
	profile?: PersonProfile;
}

const MESSENGER_FIELDS = ['id', 'first_name', 'last_name', 'name', 'profile_pic'];
/** Fields the reference lists that need more than the default access: refused like a missing feature. */
const MESSENGER_REVIEWED_FIELDS = ['locale', 'timezone', 'gender'];
const MESSENGER_DEFAULT = ['first_name', 'last_name', 'profile_pic'];
const INSTAGRAM_FIELDS = ['id', 'name', 'username', 'profile_pic', 'follower_count', 'is_user_follow_business', 'is_business_follow_user'];
const INSTAGRAM_DEFAULT = ['name', 'username', 'profile_pic'];

/** How long a profile picture URL stays valid on the platform (the emulator only writes it into the URL). */
const PICTURE_VALID_S = 3 * 24 * 3600;

/** True when `node` is a person who wrote to the Page (the caller answers everything else as before). */
export function isPersonOf(graph: Graph, page: EmulatorPage, node: string): boolean {
	return node !== 'me' && node !== page.id && hasWritten(graph, page, node);
}

/** `GET {PSID|IGSID}[?fields=…]` for a person who wrote to the token's Page (checked by the caller). */
export function profileCall(graph: Graph, page: EmulatorPage, psid: string, params: Record<string, unknown>, person: KnownPerson): CallResult {
	const instagram = page.platform === 'instagram';
	const insufficient = graphError(100, '(#100) Insufficient permission to access user profile.', { subcode: 2018247 });
	if (page.canReadProfiles === false) return graph.errorResult(insufficient, page.id);
	const asked = typeof params.fields === 'string' && params.fields.trim() ? params.fields.split(',').map((field) => field.trim()) : instagram ? INSTAGRAM_DEFAULT : MESSENGER_DEFAULT;
	const known = instagram ? INSTAGRAM_FIELDS : MESSENGER_FIELDS;
	for (const field of asked) {
		if (known.includes(field)) continue;
		if (!instagram && MESSENGER_REVIEWED_FIELDS.includes(field)) return graph.errorResult(insufficient, page.id);
		if (field === '') return graph.errorResult(graphError(100, `(#100) Syntax error in the fields parameter: '${String(params.fields)}'`), page.id);
		return graph.errorResult(graphError(100, `(#100) Tried accessing nonexisting field (${field}) on node type (${instagram ? 'InstagramUser' : 'User'})`), page.id);
	}
	const all = instagram ? instagramProfile(psid, person) : messengerProfile(psid, person);
	// Graph always includes the id.
	const body: Record<string, unknown> = {};
	for (const field of asked) body[field] = all[field];
	body.id = psid;
	return graph.success(body, page.id);
}

/** A person's first and last name as their profile gives them (the welcome screen's greeting uses them too). */
export function nameParts(psid: string, person: KnownPerson): { first: string; last: string } {
	const [first = 'Person', ...rest] = (person.name ?? `Person ${psid}`).split(/\s+/);
	return { first: person.profile?.firstName ?? first, last: person.profile?.lastName ?? rest.join(' ') };
}

function messengerProfile(psid: string, person: KnownPerson): Record<string, unknown> {
	const { first, last } = nameParts(psid, person);
	const expires = Math.floor(Date.now() / 1000) + PICTURE_VALID_S;
	const hash = createHash('sha256').update(psid).digest('hex').slice(0, 12);
	return {
		id: psid,
		first_name: first,
		last_name: last,
		name: [first, last].filter(Boolean).join(' '),
		// Platform picture URLs expire (`ext`); a client must not store them for long.
		profile_pic: person.profile?.profilePic ?? `https://platform-lookaside.fbsbx.emulator.invalid/platform/profilepic/?psid=${psid}&height=1024&width=1024&ext=${expires}&hash=${hash}`,
	};
}

function instagramProfile(igsid: string, person: KnownPerson): Record<string, unknown> {
	const { first, last } = nameParts(igsid, person);
	const name = [first, last].filter(Boolean).join(' ');
	const profile = person.profile ?? {};
	return {
		id: igsid,
		name,
		username: profile.username ?? name.toLowerCase().replace(/[^a-z0-9._]+/g, '_'),
		profile_pic: profile.profilePic ?? `https://scontent.cdninstagram.emulator.invalid/v/t51/${createHash('sha256').update(igsid).digest('hex').slice(0, 16)}.jpg`,
		follower_count: profile.followerCount ?? 0,
		is_user_follow_business: profile.isUserFollowBusiness ?? false,
		is_business_follow_user: profile.isBusinessFollowUser ?? false,
	};
}
