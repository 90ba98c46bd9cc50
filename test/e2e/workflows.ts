// Workflows the end-to-end tests import into a real n8n, built the way the editor saves them.
import { randomUUID } from 'node:crypto';

import { NODE_TYPE } from '../../scripts/n8n';

export const E2E_CREDENTIAL = { id: 'msgrE2eCred00001', name: 'Messenger Page (e2e)' };
export const BAD_CREDENTIAL = { id: 'msgrE2eBadCred01', name: 'Messenger Page (revoked token)' };

interface NodeSpec {
	name: string;
	parameters: Record<string, unknown>;
	credential?: { id: string; name: string };
	onError?: 'continueRegularOutput';
}

/** Manual Trigger → each Messenger Send node in turn (each sends once per incoming item). */
export function chainWorkflow(id: string, name: string, nodes: NodeSpec[]): Record<string, unknown> {
	const trigger = { id: randomUUID(), name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
	const messengerNodes = nodes.map((spec, index) => ({
		id: randomUUID(),
		name: spec.name,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [220 * (index + 1), 0],
		parameters: spec.parameters,
		credentials: { messengerPageApi: spec.credential ?? E2E_CREDENTIAL },
		...(spec.onError ? { onError: spec.onError } : {}),
	}));
	const names = ['Start', ...nodes.map((node) => node.name)];
	const connections = Object.fromEntries(
		names.slice(0, -1).map((from, index) => [from, { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] }]),
	);
	return { id, name, nodes: [trigger, ...messengerNodes], connections, settings: { executionOrder: 'v1' }, pinData: {} };
}
