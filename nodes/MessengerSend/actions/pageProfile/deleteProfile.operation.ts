import { updateDisplayOptions } from 'n8n-workflow';

import { InvalidSendRequest, type ProfileProperty } from '../../rules';
import type { GraphAction } from '../graphAction';
import { deleteProfileCall } from './calls';
import { decideDelete, fieldsToReadForDelete, liveAfter } from './diff';
import { readChosen } from './read';
import { readDecideWrite } from './steps';

// Delete: read the chosen properties first, then one `DELETE /{page}/messenger_profile` with
// `fields` naming only those that are set; none set: no write, changed: false.

export const deleteProfile: GraphAction<{ chosen: ProfileProperty[]; item: number }> = {
	option: {
		name: 'Delete',
		value: 'delete',
		action: 'Delete from the Page’s profile',
		description: 'Remove the chosen entry points (only those that are set); the others stay',
	},
	description: updateDisplayOptions({ show: { resource: ['pageProfile'], operation: ['delete'] } }, []),
	oneItemAtATime: true,
	read: (ctx, item) => {
		const chosen = readChosen(ctx, item);
		if (chosen.length === 0) throw new InvalidSendRequest(`Properties in item ${item} is empty: choose what to delete`, 'Properties');
		return { chosen, item };
	},
	plan: ({ chosen, item }, run) =>
		readDecideWrite(chosen, fieldsToReadForDelete(chosen, run.platform), item, run, (live) => {
			const decision = decideDelete(chosen, live, run.platform);
			return {
				problem: decision.problem,
				write: decision.remove.length > 0 ? deleteProfileCall(run.pageId, decision.remove, run.platform) : undefined,
				report: { deletedProperties: decision.remove, notSetProperties: decision.notSet, live: liveAfter(chosen, live, {}, decision.remove) },
			};
		}),
};
