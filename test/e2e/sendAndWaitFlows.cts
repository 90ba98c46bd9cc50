// What the Send and Wait suites (one n8n, queue mode) build alike: the asking workflow, the Page's
// Messenger Trigger that hands postback taps back, the webhook a user sets up by hand in the App
// Dashboard, and how a question's buttons are read from the emulator's inbox.
import type { InboxEntry } from '../../emulator/graphEmulator.cjs';
import { PACKAGE_NAME } from '../../scripts/n8n.cjs';
import { linearWorkflow } from '../../scripts/workflows.cjs';
import { webhookNode } from './exactlyOnceFlows.cjs';
import { messengerSendNode } from './workflows.cjs';

type Credential = { id: string; name: string };

/** The Send and Wait node's name, and the NoOp after it whose input is the answer. */
export const ASK = 'Ask and wait';
export const AFTER = 'After the answer';

/** Webhook (POST `path`, body `{ psid }`) → Send and Wait → a NoOp whose input is the answer. */
export function askWorkflow(id: string, suite: string, path: string, parameters: Record<string, unknown>, credential: Credential) {
	return linearWorkflow(id, `${suite}: ${id}`, [
		webhookNode('Ask', path, 'onReceived'),
		messengerSendNode(ASK, { operation: 'sendAndWait', recipientType: 'id', psid: '={{ $json.body.psid }}', messagingType: 'RESPONSE', ...parameters }, credential),
		{ name: AFTER, type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} },
	]);
}

/** The Page's Messenger Trigger (manual subscription; messages, quick replies, postbacks) → NoOp. */
export function pageTriggerWorkflow(id: string, suite: string, hook: string, verifyToken: string, credential: Credential) {
	return linearWorkflow(id, `${suite}: the Page’s trigger`, [
		// webhookId is saved beside the node spec's fields, as the editor saves a trigger.
		{
			name: 'Messenger Trigger',
			type: `${PACKAGE_NAME}.messengerTrigger`,
			typeVersion: 1,
			webhookId: hook,
			parameters: { subscription: 'manual', verifyToken, events: ['message', 'quick_reply', 'postback'] },
			credentials: { messengerPageApi: credential },
		} as Parameters<typeof linearWorkflow>[2][number],
		{ name: 'Received', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} },
	]);
}

/**
 * The Page's webhook as a user sets it up in the App Dashboard: the trigger's URL with postbacks
 * on (Meta checks the verify token), and the Page connected to the app. Throws with Graph's answer.
 */
export async function subscribeByHand(
	graphUrl: string,
	app: { id: string; secret: string },
	page: { token: string },
	callbackUrl: string,
	verifyToken: string,
): Promise<void> {
	const fields = 'messages,messaging_postbacks';
	const calls = [
		await fetch(`${graphUrl}/v25.0/${app.id}/subscriptions`, {
			method: 'POST',
			headers: { authorization: `Bearer ${app.id}|${app.secret}`, 'content-type': 'application/json' },
			body: JSON.stringify({ object: 'page', callback_url: callbackUrl, verify_token: verifyToken, fields }),
		}),
		await fetch(`${graphUrl}/v25.0/me/subscribed_apps?subscribed_fields=${fields}`, { method: 'POST', headers: { authorization: `Bearer ${page.token}` } }),
	];
	for (const call of calls) if (call.status !== 200) throw new Error(`${call.url}: ${call.status} ${await call.text()}`);
}

/** The buttons of a question (a button template) as the person received it. */
export const buttonsOf = (entry: InboxEntry | undefined) => ((entry?.message?.attachment as any)?.payload?.buttons ?? []) as Array<Record<string, string>>;
