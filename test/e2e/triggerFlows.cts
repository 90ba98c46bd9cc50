// What the Messenger Trigger suites in the shared n8n build and wait for alike (trigger.test.cts:
// Subscription Automatic and Instagram; triggerManual.test.cts: Subscription Manual): the trigger
// node, a workflow that replies to what a person sent, and, around a suite's own emulator and its
// view of the shared n8n, its credentials, callback URLs, executions, trigger items and replies.
import type { GraphEmulator } from '../../emulator/graphEmulator.cjs';
import { PACKAGE_NAME } from '../../scripts/n8n.cjs';
import { linearWorkflow } from '../../scripts/workflows.cjs';
import { lastOutput, poll, registeredWebhookMethods, type ExecutionSummary } from './support/rest.cjs';
import type { SharedN8n } from './support/sharedN8n.cjs';
import { messengerSendNode } from './workflows.cjs';

export const TRIGGER_TYPE = `${PACKAGE_NAME}.messengerTrigger`;

export function triggerNode(hook: string, ref: { id: string; name: string }, parameters: Record<string, unknown>) {
	return { name: 'Messenger Trigger', type: TRIGGER_TYPE, typeVersion: 1, webhookId: hook, parameters, credentials: { messengerPageApi: ref } };
}

/** Trigger → a reply to the sender saying what they sent (text, quick reply or postback payload). */
export function replyWorkflow(id: string, hook: string, ref: { id: string; name: string }, trigger: Record<string, unknown>) {
	return linearWorkflow(id, `trigger e2e: ${id}`, [
		triggerNode(hook, ref, trigger),
		messengerSendNode(
			'Reply',
			{
				operation: 'sendMessage',
				recipientType: 'id',
				psid: '={{ $json.senderId }}',
				messagingType: 'RESPONSE',
				text: '={{ "You sent " + $json.type + ": " + ($json.quickReplyPayload ?? $json.postbackPayload ?? $json.text) }}',
				options: { metadata: '={{ "reply-to " + $json.mid }}' },
			},
			ref,
		),
	]);
}

export const noOp = { name: 'Received', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} };

/** No condition: a trigger with Subscription Manual (nothing subscribed, nothing recorded). */
const noCondition = () => true;

/** A suite's helpers around its emulator and its view of the shared n8n (`shared`, called only once n8n runs). */
export function triggerSuite(emulator: GraphEmulator, shared: () => SharedN8n) {
	const hookUrl = (hook: string) => `${shared().url}/webhook/${hook}/webhook`;

	function credential(ref: { id: string; name: string }, data: Record<string, unknown>) {
		return { ...ref, type: 'messengerPageApi', data: { apiVersion: 'v25.0', baseUrl: emulator.url, ...data } };
	}

	async function executions(workflowId: string): Promise<ExecutionSummary[]> {
		return await shared().rest.executions(workflowId);
	}

	/** Waits until the workflow has `count` finished executions (and a moment more, for any that should not come). */
	async function settledExecutions(workflowId: string, count: number): Promise<ExecutionSummary[]> {
		await poll(`${count} executions of ${workflowId}`, async () => {
			const rows = await executions(workflowId);
			return rows.length >= count && rows.every((row) => row.finished || row.status === 'success' || row.status === 'error') ? rows : undefined;
		});
		await emulator.settleWebhooks();
		await new Promise((resolve) => setTimeout(resolve, 1500));
		return await executions(workflowId);
	}

	/**
	 * Publishes a workflow and waits until its trigger listens (n8n 2.40 publishes through an outbox,
	 * after the REST call has answered; 2.8 and 1.x before) and `ready` holds.
	 */
	async function publish(workflowId: string, hook: string, ready: () => boolean = noCondition): Promise<void> {
		await shared().rest.activate(workflowId);
		await poll(`the trigger of ${workflowId} listening`, async () => settled(hook, true, ready), 60_000);
		// Subscription Automatic: the trigger records what it found (to put back when unpublished) in the
		// workflow's static data, which n8n saves after the activation. A delivery that reaches n8n before
		// that save can write the static data without the record (seen on 2.40.7 on the busy CI machine):
		// the tests send nothing until the record is in n8n's database.
		if (ready !== noCondition) await poll(`the trigger of ${workflowId} recorded in n8n's database`, async () => ((await subscriptionRecorded(workflowId)) ? true : undefined), 60_000);
	}

	async function subscriptionRecorded(workflowId: string): Promise<boolean> {
		const { status, json } = await shared().rest.call('GET', `/workflows/${workflowId}`);
		const staticData = (status === 200 ? (json.data ?? json).staticData : undefined) as Record<string, { subscription?: unknown }> | null | undefined;
		return Object.values(staticData ?? {}).some((node) => node?.subscription !== undefined);
	}

	/** Unpublishes a workflow and waits until n8n no longer listens and `done` holds: the very state the test then asserts. */
	async function unpublish(workflowId: string, hook: string, done: () => boolean = () => true): Promise<void> {
		await shared().rest.deactivate(workflowId);
		await poll(`the trigger of ${workflowId} removed`, async () => settled(hook, false, done), 60_000);
	}

	/**
	 * Whether n8n listens on `hook` (or not) and Meta's side is as `expected` says; if not, which of the
	 * two is missing, for the timeout's message (60 s: 2.40 works through its outbox, on a busy machine slowly).
	 */
	async function settled(hook: string, listening: boolean, expected: () => boolean): Promise<true> {
		const methods = await registeredWebhookMethods(shared().url, `${hook}/webhook`);
		if (listening !== (methods.includes('GET') && methods.includes('POST'))) throw new Error(`n8n serves ${JSON.stringify(methods)} on ${hook}`);
		if (!listening && methods.length > 0) throw new Error(`n8n still serves ${JSON.stringify(methods)} on ${hook}`);
		if (!expected()) throw new Error(`n8n ${listening ? 'listens' : 'stopped listening'}; Meta's side is not yet as expected: ${JSON.stringify(emulator.webhookState()).slice(0, 2000)}`);
		return true;
	}

	async function triggerItems(execution: ExecutionSummary) {
		const { run } = await shared().rest.execution(execution.id);
		return lastOutput(run, 'Messenger Trigger').map((item) => item.json);
	}

	/** The texts the Page sent `psid` (the workflows' replies). */
	const inboxTexts = (psid: string) => emulator.inbox.filter((entry) => entry.recipient.id === psid).map((entry) => entry.message?.text);

	return { hookUrl, credential, executions, settledExecutions, publish, unpublish, triggerItems, inboxTexts };
}
