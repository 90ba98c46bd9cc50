import { updateDisplayOptions, type IDataObject } from 'n8n-workflow';

import type { Platform } from '../../../shared/platform';
import type { GraphCall } from '../../transport/graphCalls';
import { expectSent, type GraphAction } from '../graphAction';
import { psidField, readPsid } from '../conversation/fields';

// The User Profile API: `GET /{PSID}?fields=first_name,last_name,profile_pic` (Messenger) or
// `GET /{IGSID}?fields=name,username,profile_pic,…` (Instagram), with the Page's token.

export const PROFILE_FIELDS: Record<Platform, string> = {
	messenger: 'first_name,last_name,profile_pic',
	instagram: 'name,username,profile_pic,follower_count,is_user_follow_business,is_business_follow_user',
};

export const PROFILE_PIC_NOTE = 'profile_pic URLs expire after a few days: download the picture if you keep it, or ask again';

export function profileCall(psid: string, platform: Platform): GraphCall {
	return { method: 'GET', path: encodeURIComponent(psid), qs: { fields: PROFILE_FIELDS[platform] } };
}

const textOr = (value: unknown) => (typeof value === 'string' ? value : null);
const flagOr = (value: unknown) => (typeof value === 'boolean' ? value : null);

/** The output item from Graph's profile answer (a field Graph left out is null). */
export function personOutput(psid: string, platform: Platform, body: IDataObject): IDataObject {
	if (platform === 'instagram') {
		return {
			id: textOr(body.id) ?? psid,
			platform,
			name: textOr(body.name),
			username: textOr(body.username),
			profilePic: textOr(body.profile_pic),
			profilePicExpires: PROFILE_PIC_NOTE,
			followerCount: typeof body.follower_count === 'number' ? body.follower_count : null,
			isUserFollowBusiness: flagOr(body.is_user_follow_business),
			isBusinessFollowUser: flagOr(body.is_business_follow_user),
		};
	}
	const firstName = textOr(body.first_name);
	const lastName = textOr(body.last_name);
	return {
		id: textOr(body.id) ?? psid,
		platform,
		firstName,
		lastName,
		name: [firstName, lastName].filter(Boolean).join(' ') || null,
		profilePic: textOr(body.profile_pic),
		profilePicExpires: PROFILE_PIC_NOTE,
	};
}

export const getPerson: GraphAction<{ psid: string }> = {
	option: {
		name: 'Get Person',
		value: 'getPerson',
		action: 'Get a person’s profile',
		description:
			'Who the person is: first and last name and picture on Messenger; name, username, picture and whether they follow the account on Instagram. Use to greet them by name.',
	},
	description: updateDisplayOptions({ show: { resource: ['person'], operation: ['getPerson'] } }, [psidField]),
	read: (ctx, item) => ({ psid: readPsid(ctx, item) }),
	plan: ({ psid }, run) => expectSent(profileCall(psid, run.platform), (body) => ({ output: personOutput(psid, run.platform, body) })),
};
