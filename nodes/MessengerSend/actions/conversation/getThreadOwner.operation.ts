import { updateDisplayOptions } from 'n8n-workflow';

import { isPageInbox, threadOwnerOf } from '../../../shared/handover';
import type { GraphAction } from '../graphAction';
import { expectSent } from '../graphAction';
import { psidField, readPsid } from './fields';
import { ownerCall } from './threadControl';

/** `GET /{page-id}/thread_owner?recipient=PSID`. */
export const getThreadOwner: GraphAction<{ psid: string }> = {
	option: {
		name: 'Get Thread Owner',
		value: 'getThreadOwner',
		action: 'Get the owner of a conversation',
		description: 'Which app answers this person now: ownedByPageInbox is true while the Page’s people handle the conversation (the bot should stay quiet)',
	},
	description: updateDisplayOptions({ show: { resource: ['conversation'], operation: ['getThreadOwner'] } }, [psidField]),
	read: (ctx, item) => ({ psid: readPsid(ctx, item) }),
	plan: ({ psid }, run) =>
		expectSent(ownerCall(run.pageId, psid), (body) => {
			const owner = threadOwnerOf(body);
			return {
				output: { recipientId: psid, threadOwner: owner === undefined ? null : { appId: owner }, ownedByPageInbox: owner !== undefined && isPageInbox(owner) },
			};
		}),
};
