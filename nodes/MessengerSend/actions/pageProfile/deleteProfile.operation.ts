import { updateDisplayOptions } from 'n8n-workflow';

import { InvalidSendRequest, type ProfileProperty } from '../../rules';
import { expectSent, type GraphAction } from '../graphAction';
import { deleteProfileCall, readProfileCall } from './calls';
import { decideDelete, fieldsToReadForDelete, liveAfter, liveProfile } from './diff';
import { forPlatform, readChosen } from './read';
import { onPlatform } from './getProfile.operation';

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
		onPlatform(
			() => forPlatform(chosen, run.platform, item),
			() =>
				expectSent(readProfileCall(run.pageId, fieldsToReadForDelete(chosen, run.platform), run.platform), (body) => {
					const live = liveProfile(body);
					const decision = decideDelete(chosen, live, run.platform);
					if (decision.problem) return { refused: new InvalidSendRequest(`${decision.problem.field} in item ${item} ${decision.problem.text}`, decision.problem.field) };
					const output = (changed: boolean) => ({
						output: {
							success: true,
							changed,
							platform: run.platform,
							deletedProperties: decision.remove,
							notSetProperties: decision.notSet,
							live: liveAfter(chosen, live, {}, decision.remove),
						},
					});
					if (decision.remove.length === 0) return output(false);
					return expectSent(deleteProfileCall(run.pageId, decision.remove, run.platform), () => output(true));
				}),
		),
};
