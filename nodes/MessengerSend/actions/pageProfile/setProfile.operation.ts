import { updateDisplayOptions } from 'n8n-workflow';

import type { Profile, ProfileProperty } from '../../rules';
import type { GraphAction } from '../graphAction';
import { setProfileCall } from './calls';
import { decideSet, fieldsToReadForSet, inProfileOrder, liveAfter } from './diff';
import { setFields } from './fields';
import { readProfileToSet } from './read';
import { readDecideWrite } from './steps';

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
		return readDecideWrite(chosen, fieldsToReadForSet(chosen, run.platform), item, run, (live) => {
			const decision = decideSet(profile, live, run.platform);
			return {
				problem: decision.problem,
				write: decision.changed.length > 0 ? setProfileCall(run.pageId, decision.write, run.platform) : undefined,
				report: { changedProperties: decision.changed, unchangedProperties: decision.unchanged, live: liveAfter(chosen, live, decision.write) },
			};
		});
	},
};
