// What the editor shows, computed with n8n-workflow's own display logic (getNodeParameters is what
// the editor uses to decide what a node's panel holds).
import { NodeHelpers, type INodeParameters } from 'n8n-workflow';

import { MessengerSend } from '../../nodes/MessengerSend/MessengerSend.node';

const { description } = new MessengerSend();

/**
 * The names of the fields the panel shows for these values, sorted; the Resource selector, which
 * every panel shows first (test/unit/nodeDescription.test.ts), is left out.
 */
export function shownFields(values: INodeParameters): string[] {
	const shown = NodeHelpers.getNodeParameters(description.properties, values, true, false, { typeVersion: 1 }, description);
	return Object.keys(shown ?? {})
		.filter((name) => name !== 'resource')
		.sort();
}
