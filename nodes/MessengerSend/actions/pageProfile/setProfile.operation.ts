import { updateDisplayOptions } from 'n8n-workflow';

import { InvalidSendRequest, type Profile, type ProfileProperty } from '../../rules';
import { expectSent, type GraphAction } from '../graphAction';
import { readProfileCall, setProfileCall } from './calls';
import { decideSet, fieldsToReadForSet, inProfileOrder, liveAfter, liveProfile } from './diff';
import { setFields } from './fields';
import { forPlatform, readProfileToSet } from './read';
import { onPlatform } from './getProfile.operation';

// Set: read the chosen properties first (`GET …?fields=`), then one `POST /{page}/messenger_profile`
// with only those that differ; none differ: no write, changed: false.

export const setProfile: GraphAction<{ profile: Profile; item: number }> = {
	option: {
		name: 'Set',
		value: 'set',
		action: 'Set the Page’s profile',
		description: 'Change the chosen entry points and leave the others as they are; writes only what differs from what is live',
	},
	description: updateDisplayOptions({ show: { resource: ['pageProfile'], operation: ['set'] } }, setFields),
	oneItemAtATime: true,
	read: (ctx, item) => ({ profile: readProfileToSet(ctx, item), item }),
	plan: ({ profile, item }, run) => {
		const chosen = inProfileOrder(Object.keys(profile) as ProfileProperty[]);
		return onPlatform(
			() => forPlatform(chosen, run.platform, item),
			() =>
				expectSent(readProfileCall(run.pageId, fieldsToReadForSet(chosen, run.platform), run.platform), (body) => {
					const live = liveProfile(body);
					const decision = decideSet(profile, live, run.platform);
					if (decision.problem) return { refused: new InvalidSendRequest(`${decision.problem.field} in item ${item} ${decision.problem.text}`, decision.problem.field) };
					const output = (changed: boolean) => ({
						output: {
							success: true,
							changed,
							platform: run.platform,
							changedProperties: decision.changed,
							unchangedProperties: decision.unchanged,
							live: liveAfter(chosen, live, decision.write),
						},
					});
					if (decision.changed.length === 0) return output(false);
					return expectSent(setProfileCall(run.pageId, decision.write, run.platform), () => output(true));
				}),
		);
	},
};
