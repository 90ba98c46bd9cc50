// Workflows the end-to-end tests import into a real n8n, built the way the editor saves them.
import { NODE_TYPE } from '../../scripts/n8n.cjs';
import { linearWorkflow, manualTrigger } from '../../scripts/workflows.cjs';

export const E2E_CREDENTIAL = { id: 'msgrE2eCred00001', name: 'Messenger Page (e2e)' };
export const BAD_CREDENTIAL = { id: 'msgrE2eBadCred01', name: 'Messenger Page (revoked token)' };

interface NodeSpec {
	name: string;
	parameters: Record<string, unknown>;
	credential?: { id: string; name: string };
	onError?: 'continueRegularOutput';
	/** Another node type (e.g. `n8n-nodes-base.readWriteFile`), without a credential; default Messenger Send. */
	type?: string;
	typeVersion?: number;
}

/** Node settings as the editor saves them (Settings tab). */
export interface NodeSettings {
	onError?: 'continueRegularOutput';
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
}

/** A Messenger Send node as the editor saves it (type version 1, the credential, Settings). */
export function messengerSendNode(name: string, parameters: Record<string, unknown>, credential: { id: string; name: string } = E2E_CREDENTIAL, settings: NodeSettings = {}) {
	return { name, type: NODE_TYPE, typeVersion: 1, parameters, credentials: { messengerPageApi: credential }, ...settings };
}

/**
 * Manual Trigger → each node in turn (each Messenger Send node sends once per incoming item), the
 * Messenger Send nodes with their own credential or `credential`.
 */
export function chainWorkflow(id: string, name: string, nodes: NodeSpec[], credential = E2E_CREDENTIAL): Record<string, unknown> {
	return linearWorkflow(id, name, [
		manualTrigger,
		...nodes.map((spec) =>
			spec.type && spec.type !== NODE_TYPE
				? { name: spec.name, type: spec.type, typeVersion: spec.typeVersion ?? 1, parameters: spec.parameters }
				: messengerSendNode(spec.name, spec.parameters, spec.credential ?? credential, spec.onError ? { onError: spec.onError } : {}),
		),
	]);
}
