import { updateDisplayOptions } from 'n8n-workflow';

import { expectSent, type GraphAction } from '../graphAction';
import type { ProfileProperty } from '../../rules';
import { readProfileCall } from './calls';
import { liveAfter, liveProfile } from './diff';
import { allOf, readChosen } from './read';
import { onPlatform } from './steps';

// Get: `GET /{page}/messenger_profile?fields=…`: what is live now, each asked property or null.

export const getProfile: GraphAction<{ chosen: ProfileProperty[]; item: number }> = {
	option: {
		name: 'Get',
		value: 'get',
		action: 'Get the Page’s profile',
		description: 'What is live now: Get Started, Greeting, Ice Breakers, Persistent Menu, Allowed Domains (each null when not set)',
	},
	description: updateDisplayOptions({ show: { resource: ['pageProfile'], operation: ['get'] } }, []),
	oneItemAtATime: true,
	read: (ctx, item) => ({ chosen: readChosen(ctx, item), item }),
	plan: ({ chosen, item }, run) => {
		const fields = chosen.length > 0 ? chosen : allOf(run.platform);
		return onPlatform(fields, run, item, () =>
			expectSent(readProfileCall(run.pageId, fields, run.platform), (body) => ({ output: { platform: run.platform, live: liveAfter(fields, liveProfile(body), {}) } })),
		);
	},
};

