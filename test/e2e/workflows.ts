// Workflows the end-to-end tests import into a real n8n, built the way the editor saves them.
import { NODE_TYPE } from '../../scripts/n8n';
import { linearWorkflow, manualTrigger } from '../../scripts/workflows';

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
	return linearWorkflow(id, name, [
		manualTrigger,
		...nodes.map((spec) => ({
			name: spec.name,
			type: NODE_TYPE,
			typeVersion: 1,
			parameters: spec.parameters,
			credentials: { messengerPageApi: spec.credential ?? E2E_CREDENTIAL },
			...(spec.onError ? { onError: spec.onError } : {}),
		})),
	]);
}
