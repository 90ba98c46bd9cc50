import type { INodeProperties } from 'n8n-workflow';

/** The node's list search method that lists the Page's personas (MessengerSend.node.ts, actions/persona/personas.ts). */
export const SEARCH_PERSONAS = 'searchPersonas';

/**
 * A persona of the Page: picked from the Page's list (the credential's Page, or the Page ID field),
 * or entered as an ID or expression. A workflow saved before this was a list keeps its plain text
 * ID: n8n hands it to the node as it is, and the editor shows it as it is (request/parameters.ts
 * `readLocator` reads both).
 */
export function personaLocator(overrides: Partial<INodeProperties> & Pick<INodeProperties, 'description'>): INodeProperties {
	return {
		displayName: 'Persona ID',
		name: 'personaId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a persona…',
				typeOptions: { searchListMethod: SEARCH_PERSONAS, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 1234567890123456',
				validation: [{ type: 'regex', properties: { regex: '^\\s*\\d{1,32}\\s*$', errorMessage: 'A persona ID is a number' } }],
			},
		],
		...overrides,
	};
}
