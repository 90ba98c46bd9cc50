import { updateDisplayOptions } from 'n8n-workflow';

import { checkPersonaName, httpUrl } from '../../rules';
import { readText } from '../../request/parameters';
import { expectSent, type GraphAction } from '../graphAction';
import { createPersonaCall, listPersonas, type Persona } from './personas';

// Create: the Page's personas are listed first; one with the same name and picture is returned
// (changed: false) instead of a second (n8n may run the node again); else `POST /{page}/personas`.

export interface CreatePersonaInput {
	name: string;
	profilePictureUrl: string;
}

const output = (persona: Persona, changed: boolean) => ({ output: { success: true, changed, ...persona } });

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
	plan: (input, run) =>
		listPersonas(
			run.pageId,
			undefined,
			([existing]) =>
				existing
					? output(existing, false)
					: expectSent(createPersonaCall(run.pageId, input.name, input.profilePictureUrl), (body) => output({ id: String(body.id ?? ''), ...input }, true)),
			(persona) => persona.name === input.name && persona.profilePictureUrl === input.profilePictureUrl,
		),
};
