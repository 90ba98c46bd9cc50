import { updateDisplayOptions } from 'n8n-workflow';

import { personaLocator } from '../../descriptions/persona';
import { InvalidSendRequest } from '../../rules';
import { readLocator } from '../../request/parameters';
import { expectSent, type GraphAction } from '../graphAction';
import { checkId } from '../conversation/fields';
import { deletePersonaCall } from './personas';

// Delete: `DELETE /{persona-id}`. A persona that does not exist (any more) is no error: Graph's
// 100/33 gives changed: false, so running the node again is harmless.

export const deletePersona: GraphAction<{ personaId: string }> = {
	option: { name: 'Delete', value: 'delete', action: 'Delete a persona', description: 'Remove a persona of the Page; one that does not exist gives changed: false' },
	description: updateDisplayOptions({ show: { resource: ['persona'], operation: ['delete'] } }, [
		personaLocator({ required: true, description: 'The persona to delete: pick one of the Page’s personas, or enter its ID' }),
	]),
	oneItemAtATime: true,
	read: (ctx, item) => {
		const personaId = readLocator(ctx, 'personaId', item, 'Persona ID').trim();
		if (personaId === '') throw new InvalidSendRequest(`Persona ID in item ${item} is empty: pick a persona, or enter its ID (Get Many lists them)`, 'Persona ID');
		return { personaId: checkId(personaId, item, 'Persona ID') };
	},
	plan: ({ personaId }) =>
		expectSent(
			deletePersonaCall(personaId),
			() => ({ output: { success: true, changed: true, id: personaId } }),
			(outcome) =>
				outcome.kind === 'refused' && outcome.error.code === 100 && outcome.error.error_subcode === 33
					? { output: { success: true, changed: false, id: personaId } }
					: { failure: { call: deletePersonaCall(personaId), outcome } },
		),
};
