import { updateDisplayOptions } from 'n8n-workflow';

import { expectSent, type GraphAction, type Step } from '../graphAction';
import type { ProfileProperty } from '../../rules';
import { readProfileCall } from './calls';
import { liveAfter, liveProfile } from './diff';
import { allOf, forPlatform, readChosen } from './read';

// Get: `GET /{page}/messenger_profile?fields=…`: what is live now, each asked property or null.

/** Runs `plan` unless the platform lacks a chosen property: then the item is refused, nothing sent. */
export function onPlatform(check: () => void, plan: () => Step): Step {
	try {
		check();
	} catch (error) {
		return { refused: error as Error };
	}
	return plan();
}

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
		return onPlatform(
			() => forPlatform(fields, run.platform, item),
			() => expectSent(readProfileCall(run.pageId, fields, run.platform), (body) => ({ output: { platform: run.platform, live: liveAfter(fields, liveProfile(body), {}) } })),
		);
	},
};

