// The Messenger Trigger in a real n8n (`n8n start`, workflows published through the REST API)
// against the Graph API emulator's webhook side: Meta's handshake, signed deliveries, one item
// per event, nothing twice, the subscription lifecycle seen from Meta's side, and bad input.
import { randomUUID } from 'node:crypto';

import { GraphEmulator, metaJson, signWebhook, type WebhookDelivery } from '../../emulator/graphEmulator.cjs';
import { DEMO_CREDENTIAL_ID, PACKAGE_NAME, readExample } from '../../scripts/n8n.cjs';
import { linearWorkflow } from '../../scripts/workflows.cjs';
import { lastOutput, N8nRest, poll, registeredWebhookMethods, type ExecutionSummary } from './support/rest.cjs';
import { useSharedN8n } from './support/sharedN8n.cjs';
import { messengerSendNode } from './workflows.cjs';

const TRIGGER_TYPE = `${PACKAGE_NAME}.messengerTrigger`;

// Two apps, each with its Page: Meta keeps one callback URL per app, and the automatic and the
// manual workflows each need their own.
const AUTO_APP = { id: '4455667788', secret: 'E2E-AUTO-APP-SECRET', name: 'Auto App' };
const MANUAL_APP = { id: '5566778899', secret: 'E2E-MANUAL-APP-SECRET', name: 'Manual App' };
const AUTO_PAGE = { id: '1029384756', name: 'Demo Shop', token: 'E2E-AUTO-PAGE-TOKEN', appId: AUTO_APP.id, appSecret: AUTO_APP.secret };
const MANUAL_PAGE = { id: '2039485766', name: 'Corner Café', token: 'E2E-MANUAL-PAGE-TOKEN', appId: MANUAL_APP.id, appSecret: MANUAL_APP.secret };
const IG_APP = { id: '6677889900', secret: 'E2E-IG-APP-SECRET', name: 'Instagram App' };
const IG_ACCOUNT = { id: '17841400000000001', name: 'demo.shop', token: 'E2E-IG-TOKEN', appId: IG_APP.id, appSecret: IG_APP.secret, platform: 'instagram' as const };
const NO_SECRET_PAGE_TOKEN = 'E2E-NO-SECRET-TOKEN';
const VERIFY_TOKEN = 'e2e-verify-token-7c1f';

const emulator = new GraphEmulator({ apps: [AUTO_APP, MANUAL_APP, IG_APP], pages: [AUTO_PAGE, MANUAL_PAGE, IG_ACCOUNT] });

const CREDENTIALS = {
	auto: { id: 'msgrTrigCredAuto', name: 'Messenger (automatic app)' },
	manual: { id: 'msgrTrigCredManu', name: 'Messenger (manual app)' },
	noSecret: { id: 'msgrTrigCredNoSc', name: 'Messenger (no app secret)' },
	instagram: { id: 'msgrTrigCredInst', name: 'Instagram (automatic app)' },
};

function credential(ref: { id: string; name: string }, data: Record<string, unknown>) {
	return { ...ref, type: 'messengerPageApi', data: { apiVersion: 'v25.0', baseUrl: emulator.url, ...data } };
}

const WORKFLOWS = { second: 'msgrTrigSecondAp', auto: 'msgrTrigAutoRply', manual: 'msgrTrigManuRply', echoes: 'msgrTrigEchoesWf', noSecret: 'msgrTrigNoSecret', instagram: 'msgrTrigInstaRpl' };
const HOOKS = { second: 'trigger-e2e-second', auto: 'trigger-e2e-auto', manual: 'trigger-e2e-manual', echoes: 'trigger-e2e-echoes', noSecret: 'trigger-e2e-no-secret', instagram: 'trigger-e2e-instagram' };
const hookUrl = (hook: string) => `${shared().url}/webhook/${hook}/webhook`;

function triggerNode(hook: string, ref: { id: string; name: string }, parameters: Record<string, unknown>) {
	return { name: 'Messenger Trigger', type: TRIGGER_TYPE, typeVersion: 1, webhookId: hook, parameters, credentials: { messengerPageApi: ref } };
}

/** Trigger → a reply to the sender saying what they sent (text, quick reply or postback payload). */
function replyWorkflow(id: string, hook: string, ref: { id: string; name: string }, trigger: Record<string, unknown>) {
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

const EXAMPLE = readExample('messenger-auto-reply.json') as { id: string; nodes: Array<{ type: string; webhookId?: string }> };
const EXAMPLE_HOOK = String(EXAMPLE.nodes.find((node) => node.type === TRIGGER_TYPE)?.webhookId);

const noOp = { name: 'Received', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} };

let rest: N8nRest;

async function executions(workflowId: string): Promise<ExecutionSummary[]> {
	return await rest.executions(workflowId);
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
async function publish(workflowId: string, hook: string, ready: () => boolean = () => true): Promise<void> {
	await rest.activate(workflowId);
	await poll(`the trigger of ${workflowId} listening`, async () => {
		const methods = await registeredWebhookMethods(shared().url, `${hook}/webhook`);
		return methods.includes('GET') && methods.includes('POST') && ready() ? true : undefined;
	});
}

/**
 * Meta delivers only when the app is subscribed *and* the Page has the app with the field: the
 * trigger's activation does those one after the other, so waiting for the first alone races.
 */
function subscribedBoth(appId: string, pageId: string, field = 'messages'): () => boolean {
	return () => {
		const state = emulator.webhookState();
		return (
			state.subscriptions.some((entry) => entry.appId === appId && entry.fields.includes(field)) &&
			state.subscribedApps.some((entry) => entry.appId === appId && entry.pageId === pageId && entry.fields.includes(field))
		);
	};
}

/** Whether the Page's subscribed apps are exactly `expected` (the trigger restores them after removing the app's subscription). */
function pageAppsAre(pageId: string, expected: unknown[]): () => boolean {
	return () => JSON.stringify(emulator.webhookState().subscribedApps.filter((entry) => entry.pageId === pageId)) === JSON.stringify(expected);
}

/** What the Page had before the trigger subscribed it (the emulator's Page starts with messaging_optins). */
const AUTO_PAGE_AS_FOUND = [{ pageId: AUTO_PAGE.id, appId: AUTO_APP.id, fields: ['messaging_optins'] }];

/** Unpublishes a workflow and waits until n8n no longer listens and `done` holds: the very state the test then asserts. */
async function unpublish(workflowId: string, hook: string, done: () => boolean = () => true): Promise<void> {
	await rest.deactivate(workflowId);
	await poll(`the trigger of ${workflowId} removed`, async () => {
		const methods = await registeredWebhookMethods(shared().url, `${hook}/webhook`);
		return methods.length === 0 && done() ? true : undefined;
	});
}

/** Why n8n did not activate a workflow: the REST answer (2.8, 1.x) or the activation error it recorded (2.40). */
async function activationError(workflowId: string): Promise<string> {
	try {
		await rest.activate(workflowId);
	} catch (error) {
		return String(error);
	}
	// 2.40 publishes through an outbox and records each trigger's failure in the publication status.
	return await poll(`the activation error of ${workflowId}`, async () => {
		const { status, json } = await rest.call('GET', `/workflows/${workflowId}/publication-status`);
		return status === 200 && ['failed', 'partial'].includes(json?.data?.status) ? JSON.stringify(json.data) : undefined;
	});
}

async function triggerItems(execution: ExecutionSummary) {
	const { run } = await rest.execution(execution.id);
	return lastOutput(run, 'Messenger Trigger').map((item) => item.json);
}

/** A signed delivery to a callback URL, as Meta would send it (or forged), with its answer. */
async function post(hook: string, body: string, signature: 'valid' | 'forged' | 'none' | 'sha1-only', secret = MANUAL_APP.secret) {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	const signed = signWebhook(signature === 'forged' ? 'not-the-app-secret' : secret, body);
	if (signature === 'valid' || signature === 'forged') headers['x-hub-signature-256'] = signed.sha256;
	if (signature !== 'none') headers['x-hub-signature'] = signed.sha1;
	const response = await fetch(hookUrl(hook), { method: 'POST', headers, body });
	return { status: response.status, text: await response.text() };
}

const personEvent = (psid: string, mid: string, text: string) => ({
	sender: { id: psid },
	recipient: { id: MANUAL_PAGE.id },
	timestamp: Date.now(),
	message: { mid, text },
});
const pageBody = (events: unknown[], object = 'page') => metaJson({ object, entry: [{ id: MANUAL_PAGE.id, time: Date.now(), messaging: events }] });

const inboxTexts = (psid: string) => emulator.inbox.filter((entry) => entry.recipient.id === psid).map((entry) => entry.message?.text);

const shared = useSharedN8n({
	before: async () => {
	await emulator.start();
	return {
	credentials: [
		credential(CREDENTIALS.auto, { accessToken: AUTO_PAGE.token, appId: AUTO_APP.id, appSecret: AUTO_APP.secret }),
		credential(CREDENTIALS.manual, { accessToken: MANUAL_PAGE.token, appSecret: MANUAL_APP.secret }),
		credential(CREDENTIALS.noSecret, { accessToken: NO_SECRET_PAGE_TOKEN, appId: AUTO_APP.id }),
		credential(CREDENTIALS.instagram, { platform: 'instagram', accessToken: IG_ACCOUNT.token, appId: IG_APP.id, appSecret: IG_APP.secret }),
		credential({ id: DEMO_CREDENTIAL_ID, name: 'Messenger Page (local emulator)' }, { accessToken: AUTO_PAGE.token, appId: AUTO_APP.id, appSecret: AUTO_APP.secret }),
	],
	workflows: [
		EXAMPLE,
		replyWorkflow(WORKFLOWS.auto, HOOKS.auto, CREDENTIALS.auto, { subscription: 'automatic', pageId: 'me', events: ['message', 'quick_reply', 'postback'] }),
		replyWorkflow(WORKFLOWS.manual, HOOKS.manual, CREDENTIALS.manual, { subscription: 'manual', verifyToken: VERIFY_TOKEN, pageId: 'me', events: ['message', 'quick_reply', 'postback'] }),
		linearWorkflow(WORKFLOWS.echoes, 'trigger e2e: echoes and every kind', [
			triggerNode(HOOKS.echoes, CREDENTIALS.manual, { subscription: 'manual', verifyToken: VERIFY_TOKEN, events: ['echo', 'reaction', 'read', 'other'] }),
			noOp,
		]),
		replyWorkflow(WORKFLOWS.instagram, HOOKS.instagram, CREDENTIALS.instagram, { subscription: 'automatic', events: ['message', 'quick_reply', 'postback'] }),
		linearWorkflow(WORKFLOWS.second, 'trigger e2e: a second trigger for the same app', [
			triggerNode(HOOKS.second, CREDENTIALS.auto, { subscription: 'automatic', events: ['message'] }),
			noOp,
		]),
		linearWorkflow(WORKFLOWS.noSecret, 'trigger e2e: credential without app secret', [
			triggerNode(HOOKS.noSecret, CREDENTIALS.noSecret, { subscription: 'automatic', events: ['message'] }),
			noOp,
		]),
	],
	};
	},
	after: async () => {
		await emulator.stop();
	},
});

beforeAll(() => {
	rest = shared().rest;
});

describe('automatic subscription', () => {
	test('publishing subscribes the app (Meta verifies the URL) and the Page, keeping the fields the Page already had', async () => {
		// The Page was already connected to the app for opt-ins: that must survive activation and deactivation.
		const before = await fetch(`${emulator.url}/v25.0/me/subscribed_apps?subscribed_fields=messaging_optins`, {
			method: 'POST',
			headers: { authorization: `Bearer ${AUTO_PAGE.token}` },
		});
		expect(before.status).toBe(200);
		const autoPageFields = () => emulator.webhookState().subscribedApps.find((entry) => entry.pageId === AUTO_PAGE.id)?.fields ?? [];
		await publish(WORKFLOWS.auto, HOOKS.auto, () => autoPageFields().includes('messages'));

		const state = emulator.webhookState();
		expect(state.subscriptions.filter((entry) => entry.appId === AUTO_APP.id)).toEqual([
			expect.objectContaining({ object: 'page', callback_url: hookUrl(HOOKS.auto), fields: ['messages', 'messaging_postbacks'] }),
		]);
		expect(state.subscribedApps.filter((entry) => entry.pageId === AUTO_PAGE.id)).toEqual([
			{ pageId: AUTO_PAGE.id, appId: AUTO_APP.id, fields: ['messages', 'messaging_optins', 'messaging_postbacks'] },
		]);
		// The app token never travels in a URL.
		const appCalls = emulator.requests.filter((request) => request.path.includes(`/${AUTO_APP.id}/subscriptions`));
		expect(appCalls.length).toBeGreaterThan(0);
		expect(appCalls.every((request) => !request.url.includes(AUTO_APP.secret) && !request.url.includes('access_token'))).toBe(true);
	});

	test('a person writes: the workflow runs once, the reply arrives, its echo starts nothing', async () => {
		const psid = '6100000000000001';
		const written = await emulator.personMessage({ psid, text: 'Do you open on Sundays?', name: 'Ana' });
		expect(written.delivery).toMatchObject({ status: 200, events: 1 });
		const rows = await settledExecutions(WORKFLOWS.auto, 1);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ status: 'success', mode: 'webhook' });
		expect(await triggerItems(rows[0])).toEqual([
			expect.objectContaining({
				type: 'message',
				platform: 'messenger',
				pageId: AUTO_PAGE.id,
				senderId: psid,
				recipientId: AUTO_PAGE.id,
				mid: written.mid,
				text: 'Do you open on Sundays?',
				quickReplyPayload: null,
				postbackPayload: null,
			}),
		]);
		expect(inboxTexts(psid)).toEqual(['You sent message: Do you open on Sundays?']);
		expect(emulator.transcript()).toContain('Do you open on Sundays?');
	});

	test('a quick reply and a postback are one execution each, with their payloads', async () => {
		const psid = '6100000000000002';
		await emulator.personMessage({ psid, text: 'Yes please', quickReplyPayload: 'CONFIRM_BOOKING' });
		await emulator.personPostback({ psid, payload: 'GET_STARTED', title: 'Get Started' });
		await settledExecutions(WORKFLOWS.auto, 3);
		// Two executions run side by side: their replies may arrive in either order.
		expect(inboxTexts(psid).sort()).toEqual(['You sent postback: GET_STARTED', 'You sent quick_reply: CONFIRM_BOOKING']);
	});

	test('Meta delivering the same events again starts nothing', async () => {
		const before = (await executions(WORKFLOWS.auto)).length;
		const originals = emulator.webhookState().deliveries.filter((delivery: WebhookDelivery) => delivery.url === hookUrl(HOOKS.auto) && delivery.status === 200);
		expect(originals.length).toBeGreaterThanOrEqual(3);
		for (const delivery of originals) {
			const again = await emulator.redeliver(delivery.id);
			expect(again).toMatchObject({ status: 200, raw: delivery.raw, signature256: delivery.signature256 });
		}
		await settledExecutions(WORKFLOWS.auto, before);
		expect(await executions(WORKFLOWS.auto)).toHaveLength(before);
		expect(inboxTexts('6100000000000001')).toHaveLength(1);
	});

	test('a second trigger for the same app is refused, says why, and leaves the first one working', async () => {
		const before = emulator.webhookState();
		const error = await activationError(WORKFLOWS.second);
		expect(error).toContain(`The app already sends its page webhooks to ${hookUrl(HOOKS.auto)}`);
		expect(error).toContain('Replace Another Callback URL');
		// n8n cleans up after the refusal: that must not undo the first trigger's subscription.
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const after = emulator.webhookState();
		expect(after.subscriptions).toEqual(before.subscriptions);
		expect(after.subscribedApps).toEqual(before.subscribedApps);
		const count = (await executions(WORKFLOWS.auto)).length;
		await emulator.personMessage({ psid: '6100000000000003', text: 'Still there?' });
		await settledExecutions(WORKFLOWS.auto, count + 1);
		expect(inboxTexts('6100000000000003')).toEqual(['You sent message: Still there?']);
		await rest.deactivate(WORKFLOWS.second).catch(() => undefined);
	});

	test('unpublishing puts Meta’s side back as it was found', async () => {
		const autoSubscribed = () => emulator.webhookState().subscriptions.some((entry) => entry.appId === AUTO_APP.id);
		await unpublish(WORKFLOWS.auto, HOOKS.auto, () => !autoSubscribed() && pageAppsAre(AUTO_PAGE.id, AUTO_PAGE_AS_FOUND)());
		const state = emulator.webhookState();
		expect(state.subscriptions.filter((entry) => entry.appId === AUTO_APP.id)).toEqual([]);
		expect(state.subscribedApps.filter((entry) => entry.pageId === AUTO_PAGE.id)).toEqual(AUTO_PAGE_AS_FOUND);
		// And nothing listens any more: the person's next message reaches no n8n.
		const unheard = await emulator.personMessage({ psid: '6100000000000001', text: 'Hello?' });
		expect(unheard.delivery).toBeNull();
	});

	test('the auto-reply example answers Get Started, a quick reply and a text, each once', async () => {
		const subscribed = () => emulator.webhookState().subscriptions.some((entry) => entry.callback_url === hookUrl(EXAMPLE_HOOK));
		await publish(EXAMPLE.id, EXAMPLE_HOOK, () => subscribed() && subscribedBoth(AUTO_APP.id, AUTO_PAGE.id)());
		const psid = '6100000000000009';
		await emulator.personPostback({ psid, payload: 'GET_STARTED', title: 'Get Started' });
		await emulator.personMessage({ psid, text: 'Talk to a human', quickReplyPayload: 'HUMAN' });
		await emulator.personMessage({ psid, text: 'do you deliver?' });
		await settledExecutions(EXAMPLE.id, 3);
		// Three executions run side by side: their replies may arrive in any order.
		const replies = emulator.inbox.filter((entry) => entry.recipient.id === psid).map((entry) => entry.message);
		expect(replies.map((message) => message?.text).sort()).toEqual(['A person will answer you soon', 'Hi, and welcome! What can we do for you?', 'Sorry, I did not get that']);
		expect(replies.find((message) => message?.text === 'Hi, and welcome! What can we do for you?')?.quick_replies).toEqual([
			{ content_type: 'text', title: 'Opening hours', payload: 'HOURS' },
			{ content_type: 'text', title: 'Talk to a human', payload: 'HUMAN' },
		]);
		expect(await executions(EXAMPLE.id)).toHaveLength(3);
		await unpublish(EXAMPLE.id, EXAMPLE_HOOK, () => !subscribed() && pageAppsAre(AUTO_PAGE.id, AUTO_PAGE_AS_FOUND)());
		expect(emulator.webhookState().subscribedApps.filter((entry) => entry.pageId === AUTO_PAGE.id)).toEqual(AUTO_PAGE_AS_FOUND);
	});

	test('a credential without an App Secret cannot be published, and the error says what to do', async () => {
		expect(await activationError(WORKFLOWS.noSecret)).toContain('needs the App Secret in its credential');
		expect(emulator.webhookState().subscriptions.filter((entry) => entry.callback_url === hookUrl(HOOKS.noSecret))).toEqual([]);
	});
});

describe('manual subscription (what a user pastes into the App Dashboard)', () => {
	async function subscribe(verifyToken: string) {
		const response = await fetch(`${emulator.url}/v25.0/${MANUAL_APP.id}/subscriptions`, {
			method: 'POST',
			headers: { authorization: `Bearer ${MANUAL_APP.id}|${MANUAL_APP.secret}`, 'content-type': 'application/json' },
			body: JSON.stringify({ object: 'page', callback_url: hookUrl(HOOKS.manual), verify_token: verifyToken, fields: 'messages,messaging_postbacks,message_echoes' }),
		});
		return { status: response.status, body: (await response.json()) as Record<string, any> };
	}

	beforeAll(async () => {
		await publish(WORKFLOWS.manual, HOOKS.manual);
		await publish(WORKFLOWS.echoes, HOOKS.echoes);
	});

	test('Meta’s check of the URL fails with a wrong verify token and passes with the right one', async () => {
		const wrong = await subscribe('not-the-token');
		expect(wrong.status).toBe(400);
		expect(wrong.body.error).toMatchObject({ code: 2200 });
		expect(wrong.body.error.message).toContain('403');
		expect(emulator.webhookState().subscriptions.filter((entry) => entry.appId === MANUAL_APP.id)).toEqual([]);
		expect(shared().log).toContain('hub.verify_token does not match the Verify Token of this trigger');

		expect(await subscribe(VERIFY_TOKEN)).toEqual({ status: 200, body: { success: true } });
		const page = await fetch(`${emulator.url}/v25.0/me/subscribed_apps?subscribed_fields=messages,messaging_postbacks,message_echoes`, {
			method: 'POST',
			headers: { authorization: `Bearer ${MANUAL_PAGE.token}` },
		});
		expect(page.status).toBe(200);
	});

	test('the handshake answers the challenge alone, as plain text, and 403 to anything else', async () => {
		const ok = await fetch(`${hookUrl(HOOKS.manual)}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
		expect({ status: ok.status, body: await ok.text() }).toEqual({ status: 200, body: '1158201444' });
		for (const query of [`hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`, `hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`, '']) {
			const refused = await fetch(`${hookUrl(HOOKS.manual)}?${query}`);
			expect({ status: refused.status, body: await refused.text() }).toEqual({ status: 403, body: 'Forbidden' });
		}
	});

	test('the reply’s echo reaches the trigger and is ignored: one execution per message', async () => {
		const psid = '6200000000000001';
		await emulator.personMessage({ psid, pageId: MANUAL_PAGE.id, text: 'A table for two at 8?' });
		const rows = await settledExecutions(WORKFLOWS.manual, 1);
		expect(rows).toHaveLength(1);
		expect(inboxTexts(psid)).toEqual(['You sent message: A table for two at 8?']);
		const echoes = emulator.webhookState().deliveries.filter((delivery: WebhookDelivery) => delivery.fields.includes('message_echoes'));
		expect(echoes).toEqual([expect.objectContaining({ url: hookUrl(HOOKS.manual), status: 200 })]);
	});

	test('forged, unsigned and SHA-1-only deliveries get 403 and start nothing; n8n’s log says why without the secret', async () => {
		const before = (await executions(WORKFLOWS.manual)).length;
		const body = pageBody([personEvent('6200000000000002', `m_forged_${randomUUID()}`, 'let me in')]);
		for (const signature of ['forged', 'none', 'sha1-only'] as const) {
			expect(await post(HOOKS.manual, body, signature)).toEqual({ status: 403, text: 'Invalid signature' });
		}
		// Signed over other bytes: the same JSON serialised again.
		const reserialised = JSON.stringify(JSON.parse(pageBody([personEvent('6200000000000002', 'm_reserialised', 'café / ☕')])));
		const signedOriginal = signWebhook(MANUAL_APP.secret, pageBody([personEvent('6200000000000002', 'm_reserialised', 'café / ☕')]));
		const mismatch = await fetch(hookUrl(HOOKS.manual), { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signedOriginal.sha256 }, body: reserialised });
		expect(mismatch.status).toBe(403);
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect(await executions(WORKFLOWS.manual)).toHaveLength(before);
		expect(shared().log).toContain('its X-Hub-Signature-256 does not match the body');
		expect(shared().log).toContain('it has no X-Hub-Signature-256 header');
		expect(shared().log).not.toContain(MANUAL_APP.secret);
	});

	test('ten events in one request are ten items of one execution; the same mid twice in it is one', async () => {
		const before = (await executions(WORKFLOWS.manual)).length;
		const events = Array.from({ length: 10 }, (_, i) => personEvent(`63000000000000${String(i).padStart(2, '0')}`, `m_batch_${i}_${randomUUID()}`, `message ${i}`));
		expect(await post(HOOKS.manual, pageBody([...events, events[3]]), 'valid')).toEqual({ status: 200, text: 'EVENT_RECEIVED' });
		const rows = await settledExecutions(WORKFLOWS.manual, before + 1);
		expect(rows).toHaveLength(before + 1);
		const items = await triggerItems(rows[0]);
		expect(items.map((item) => item.text)).toEqual(events.map((event) => event.message.text));
	});

	test('bad input: a clear answer, nothing started, nothing lost', async () => {
		const before = (await executions(WORKFLOWS.manual)).length;
		const sign = (raw: string) => ({ 'content-type': 'application/json', 'x-hub-signature-256': signWebhook(MANUAL_APP.secret, raw).sha256 });
		// Malformed JSON: n8n parses the body before any node runs and answers it itself.
		const malformed = await fetch(hookUrl(HOOKS.manual), { method: 'POST', headers: sign('{"object":"page",'), body: '{"object":"page",' });
		expect(malformed.status).toBe(422);
		expect(await malformed.text()).toContain('Failed to parse request body');

		expect(await post(HOOKS.manual, metaJson({ object: 'page', entry: [] }), 'valid')).toEqual({ status: 200, text: 'EVENT_RECEIVED' });
		expect(await post(HOOKS.manual, pageBody([{ sender: { id: '1' }, recipient: { id: '2' }, timestamp: 1, brand_new_kind: {} }]), 'valid')).toEqual({
			status: 200,
			text: 'EVENT_RECEIVED',
		});
		expect(await post(HOOKS.manual, pageBody([personEvent('1', 'm_wrong_object', 'x')], 'whatsapp_business_account'), 'valid')).toEqual({
			status: 400,
			text: 'This trigger receives deliveries for object "page", not "whatsapp_business_account": check which app subscription points at this URL',
		});
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect(await executions(WORKFLOWS.manual)).toHaveLength(before);

		// A 1 MB delivery (200 events of 5 KB): every event comes out.
		const big = Array.from({ length: 200 }, (_, i) => personEvent(`64000000000${String(i).padStart(5, '0')}`, `m_big_${i}_${randomUUID()}`, `${i}:${'x'.repeat(5000)}`));
		const bigBody = pageBody(big);
		expect(bigBody.length).toBeGreaterThan(1_000_000);
		expect((await post(HOOKS.manual, bigBody, 'valid')).status).toBe(200);
		const rows = await settledExecutions(WORKFLOWS.manual, before + 1);
		const items = await triggerItems(rows[0]);
		expect(items).toHaveLength(200);
		expect(items.map((item) => String(item.text).split(':')[0])).toEqual(big.map((_, i) => String(i)));
	});

	test('with Echo chosen, the Page’s own messages come out with app_id and metadata; reactions, reads and unknown kinds too', async () => {
		const echo = { sender: { id: MANUAL_PAGE.id }, recipient: { id: '6500000000000001' }, timestamp: 1764580000000, message: { mid: 'm_echo_1', is_echo: true, app_id: Number(MANUAL_APP.id), metadata: 'order-17', text: 'Your order has shipped' } };
		const reaction = { sender: { id: '6500000000000001' }, recipient: { id: MANUAL_PAGE.id }, timestamp: 1764580000001, reaction: { mid: 'm_echo_1', action: 'react', reaction: 'love', emoji: '❤' } };
		const read = { sender: { id: '6500000000000001' }, recipient: { id: MANUAL_PAGE.id }, timestamp: 1764580000002, read: { watermark: 1764580000001 } };
		const unknown = { sender: { id: '6500000000000001' }, recipient: { id: MANUAL_PAGE.id }, timestamp: 1764580000003, brand_new_kind: { x: 1 } };
		const message = personEvent('6500000000000001', 'm_not_chosen', 'not chosen here');
		expect((await post(HOOKS.echoes, pageBody([echo, reaction, message, read, unknown]), 'valid')).status).toBe(200);
		const rows = await settledExecutions(WORKFLOWS.echoes, 1);
		const items = await triggerItems(rows[0]);
		expect(items.map((item) => item.type)).toEqual(['echo', 'reaction', 'read', 'other']);
		expect(items[0]).toMatchObject({ senderId: MANUAL_PAGE.id, mid: 'm_echo_1', text: 'Your order has shipped', appId: MANUAL_APP.id, metadata: 'order-17' });
		expect(items[1]).toMatchObject({ reaction: { action: 'react', reaction: 'love' } });
		expect(items[2]).toMatchObject({ watermark: 1764580000001 });
		expect(items[3]).toMatchObject({ event: unknown });
	});
});

test('Instagram: the app is subscribed for the instagram object, a person’s DM is one item with platform instagram and gets its reply', async () => {
	const subscribed = () => emulator.webhookState().subscriptions.some((entry) => entry.appId === IG_APP.id);
	await publish(WORKFLOWS.instagram, HOOKS.instagram, subscribedBoth(IG_APP.id, IG_ACCOUNT.id));
	expect(emulator.webhookState().subscriptions.filter((entry) => entry.appId === IG_APP.id)).toEqual([
		expect.objectContaining({ object: 'instagram', callback_url: hookUrl(HOOKS.instagram), fields: ['messages', 'messaging_postbacks'] }),
	]);
	const igsid = '7100000000000001';
	const written = await emulator.personMessage({ psid: igsid, pageId: IG_ACCOUNT.id, text: 'Is the blue one in stock?' });
	expect(written.delivery).toMatchObject({ status: 200, object: 'instagram' });
	const rows = await settledExecutions(WORKFLOWS.instagram, 1);
	expect(await triggerItems(rows[0])).toEqual([
		expect.objectContaining({ type: 'message', platform: 'instagram', pageId: IG_ACCOUNT.id, senderId: igsid, text: 'Is the blue one in stock?' }),
	]);
	expect(inboxTexts(igsid)).toEqual(['You sent message: Is the blue one in stock?']);
	await unpublish(WORKFLOWS.instagram, HOOKS.instagram, () => !subscribed());
});
