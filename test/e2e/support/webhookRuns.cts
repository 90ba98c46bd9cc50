// Workflows that a user would start by hand (Manual Trigger → …), run in the version's shared n8n
// instead of an `n8n execute` each (which starts n8n anew: 8-14 s on the busy CI machine): the
// Manual Trigger is swapped for a Webhook node of the same name, the workflow is published, and each
// run is a POST to it, read back through n8n's REST API. The nodes after the trigger run as they
// would; only the trigger's one item differs (the request instead of an empty item).
import { randomUUID } from 'node:crypto';

import { hasEnded, type N8nRest, poll, type StoredRun } from './rest.cjs';

const MANUAL_TRIGGER = 'n8n-nodes-base.manualTrigger';

/** The webhook path of a workflow that `startedByWebhook` changed. */
export const runPathOf = (workflowId: string) => `run-${workflowId}`;

interface WorkflowNode {
	name: string;
	type: string;
	[key: string]: unknown;
}

/** The workflow with its Manual Trigger replaced by a Webhook (POST, answered when the run has ended). */
export function startedByWebhook(workflow: Record<string, unknown>): Record<string, unknown> {
	const nodes = workflow.nodes as WorkflowNode[];
	const trigger = nodes.find((node) => node.type === MANUAL_TRIGGER);
	if (!trigger) throw new Error(`Workflow ${String(workflow.id)} has no Manual Trigger to replace`);
	const webhook = {
		...trigger,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path: runPathOf(String(workflow.id)), responseMode: 'lastNode', responseData: 'noData', options: {} },
	};
	return { ...workflow, nodes: nodes.map((node) => (node === trigger ? webhook : node)) };
}

export interface WebhookRun {
	executionId: string;
	status: string;
	run: StoredRun;
	/** The workflow's error, message and description, as the CLI would print them ('' without one). */
	error: string;
}

/**
 * Runs a published workflow of `startedByWebhook` once: a POST (answered when the run has ended, 500
 * when it failed) and then the execution n8n saved, polled for until it is there and finished.
 */
export async function runByWebhook(rest: N8nRest, workflowId: string, body: unknown = {}): Promise<WebhookRun> {
	const before = new Set((await rest.executions(workflowId)).map((row) => row.id));
	await rest.webhook(runPathOf(workflowId), body);
	const row = await poll(`${workflowId}: its execution saved and finished`, async () =>
		(await rest.executions(workflowId)).find((entry) => !before.has(entry.id) && hasEnded(entry.status)),
	);
	const { run } = await rest.execution(row.id);
	const error = run.resultData.error;
	return { executionId: row.id, status: row.status, run, error: error ? `${error.message ?? ''}\n${error.description ?? ''}` : '' };
}

/** A run that must succeed: its run data, or an error with what n8n said. */
export async function runOk(rest: N8nRest, workflowId: string): Promise<StoredRun> {
	const result = await runByWebhook(rest, workflowId);
	if (result.error || result.status !== 'success') throw new Error(`${workflowId} (execution ${result.executionId}) ended ${result.status}: ${result.error}`);
	return result.run;
}
