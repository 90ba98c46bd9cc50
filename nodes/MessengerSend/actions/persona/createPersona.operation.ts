import { updateDisplayOptions } from 'n8n-workflow';

import { checkPersonaName, httpUrl } from '../../rules';
import { readText } from '../../request/parameters';
import { expectSent, type GraphAction, type Step } from '../graphAction';
import { createPersonaCall, deletePersonaCall, listPersonas, type Persona } from './personas';

// Create: the Page's personas are listed first; one with the same name and picture is returned
// (changed: false) instead of a second (n8n may run the node again); else `POST /{page}/personas`.
// Two executions creating the same persona at the same moment both find none and both create: each
// lists again after its create, and all keep the one with the lowest ID (Graph's IDs grow with time,
// and the choice must not depend on the order a list comes in); a creator whose persona is not that
// one deletes its own and returns the kept one (changed: false).

export interface CreatePersonaInput {
	name: string;
	profilePictureUrl: string;
}

const output = (persona: Persona, changed: boolean) => ({ output: { success: true, changed, ...persona } });

/** The lower of two numeric IDs, compared as text of any length. */
const lowerId = (a: Persona, b: Persona) => (a.id.length !== b.id.length ? (a.id.length < b.id.length ? a : b) : a.id <= b.id ? a : b);

/** After our create: keep it, or give way to an equal persona with a lower ID (a creator at the same moment). */
function settle(pageId: string, created: Persona, same: (persona: Persona) => boolean): Step {
	return listPersonas(pageId, undefined, (all) => {
		const kept = all.filter(same).reduce(lowerId, created);
		if (kept.id === created.id) return output(created, true);
		// Deleting ours failed: both stay, and ours was created.
		return expectSent(deletePersonaCall(created.id), () => output(kept, false), () => output(created, true));
	});
}

export const createPersona: GraphAction<CreatePersonaInput> = {
	option: { name: 'Create', value: 'create', action: 'Create a persona', description: 'A name and picture the Page can send as (a human agent); returns the existing one when it exists already' },
	description: updateDisplayOptions({ show: { resource: ['persona'], operation: ['create'] } }, [
		{
			displayName: 'Name',
			name: 'personaName',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. Sam from Support',
			description: 'The name people see above the messages sent as this persona, at most 50 characters',
		},
		{
			displayName: 'Profile Picture URL',
			name: 'profilePictureUrl',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. https://shop.example/team/sam.png',
			description: 'The picture people see beside the messages sent as this persona (an http(s) URL Meta can download)',
		},
	]),
	oneItemAtATime: true,
	read: (ctx, item) => ({
		name: checkPersonaName(readText(ctx, 'personaName', item, 'Name'), item),
		profilePictureUrl: httpUrl(readText(ctx, 'profilePictureUrl', item, 'Profile Picture URL'), 'Profile Picture URL', item),
	}),
	plan: (input, run) => {
		const same = (persona: Persona) => persona.name === input.name && persona.profilePictureUrl === input.profilePictureUrl;
		return listPersonas(
			run.pageId,
			undefined,
			([existing]) =>
				existing
					? output(existing, false)
					: expectSent(createPersonaCall(run.pageId, input.name, input.profilePictureUrl), (body) => settle(run.pageId, { id: String(body.id ?? ''), ...input }, same)),
			same,
		);
	},
};
