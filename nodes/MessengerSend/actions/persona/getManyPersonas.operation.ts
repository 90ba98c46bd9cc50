import { updateDisplayOptions } from 'n8n-workflow';

import { InvalidSendRequest, shown } from '../../rules';
import { asText } from '../../request/parameters';
import { type GraphAction } from '../graphAction';
import { listPersonas } from './personas';

// Get Many: `GET /{page}/personas` page by page (100 each), oldest first; one output item per persona.

export const getManyPersonas: GraphAction<{ limit?: number }> = {
	option: { name: 'Get Many', value: 'getAll', action: 'Get many personas', description: 'The Page’s personas: ID, name and picture of each' },
	description: updateDisplayOptions({ show: { resource: ['persona'], operation: ['getAll'] } }, [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
		},
	]),
	read: (ctx, item) => {
		if (ctx.getNodeParameter('returnAll', item, false) === true) return {};
		const value = ctx.getNodeParameter('limit', item, 50) as unknown;
		const text = value === undefined || value === null || value === '' ? '' : asText(value, item, 'Limit').trim();
		const limit = Number(text);
		if (text === '' || !Number.isInteger(limit) || limit < 1) throw new InvalidSendRequest(`Limit in item ${item} must be a whole number from 1, not ${shown(value)}`, 'Limit');
		return { limit };
	},
	plan: ({ limit }, run) => listPersonas(run.pageId, limit, (personas) => ({ output: personas.map((persona) => ({ ...persona })) })),
};
