// The Messenger Trigger in a real n8n (`n8n start`, workflows published through the REST API)
// against the Graph API emulator's webhook side, Subscription Automatic: publishing subscribes the
// app (Meta verifies the URL) and the Page, one execution per event, nothing twice, a second
// trigger for the same app refused, unpublishing puts Meta's side back, the auto-reply example, a
// credential without App Secret, an Instagram account. Subscription Manual (Meta's handshake,
// signatures, every kind of event, bad input): triggerManual.test.cts; what both build and wait
// for: triggerFlows.cts.
import { GraphEmulator, type WebhookDelivery } from '../../emulator/graphEmulator.cjs';
import { DEMO_CREDENTIAL_ID, readExample } from '../../scripts/n8n.cjs';
import { linearWorkflow } from '../../scripts/workflows.cjs';
import { N8nRest, poll } from './support/rest.cjs';
import { useSharedN8n } from './support/sharedN8n.cjs';
import { noOp, replyWorkflow, TRIGGER_TYPE, triggerNode, triggerSuite } from './triggerFlows.cjs';

// An app with its Page, and an Instagram account with an app of its own: Meta keeps one callback URL
// per app, and the automatic and the Instagram workflows each need their own.
const AUTO_APP = { id: '4455667788', secret: 'E2E-AUTO-APP-SECRET', name: 'Auto App' };
const AUTO_PAGE = { id: '1029384756', name: 'Demo Shop', token: 'E2E-AUTO-PAGE-TOKEN', appId: AUTO_APP.id, appSecret: AUTO_APP.secret };
const IG_APP = { id: '6677889900', secret: 'E2E-IG-APP-SECRET', name: 'Instagram App' };
const IG_ACCOUNT = { id: '17841400000000001', name: 'demo.shop', token: 'E2E-IG-TOKEN', appId: IG_APP.id, appSecret: IG_APP.secret, platform: 'instagram' as const };
const NO_SECRET_PAGE_TOKEN = 'E2E-NO-SECRET-TOKEN';

const emulator = new GraphEmulator({ apps: [AUTO_APP, IG_APP], pages: [AUTO_PAGE, IG_ACCOUNT] });

const CREDENTIALS = {
	auto: { id: 'msgrTrigCredAuto', name: 'Messenger (automatic app)' },
	noSecret: { id: 'msgrTrigCredNoSc', name: 'Messenger (no app secret)' },
	instagram: { id: 'msgrTrigCredInst', name: 'Instagram (automatic app)' },
};

const WORKFLOWS = { second: 'msgrTrigSecondAp', auto: 'msgrTrigAutoRply', noSecret: 'msgrTrigNoSecret', instagram: 'msgrTrigInstaRpl' };
const HOOKS = { second: 'trigger-e2e-second', auto: 'trigger-e2e-auto', noSecret: 'trigger-e2e-no-secret', instagram: 'trigger-e2e-instagram' };

const EXAMPLE = readExample('messenger-auto-reply.json') as { id: string; nodes: Array<{ type: string; webhookId?: string }> };
const EXAMPLE_HOOK = String(EXAMPLE.nodes.find((node) => node.type === TRIGGER_TYPE)?.webhookId);

const { credential, executions, hookUrl, inboxTexts, publish, settledExecutions, triggerItems, unpublish } = triggerSuite(emulator, () => shared());

let rest: N8nRest;

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

const shared = useSharedN8n({
	before: async () => {
		await emulator.start();
		return {
			credentials: [
				credential(CREDENTIALS.auto, { accessToken: AUTO_PAGE.token, appId: AUTO_APP.id, appSecret: AUTO_APP.secret }),
				credential(CREDENTIALS.noSecret, { accessToken: NO_SECRET_PAGE_TOKEN, appId: AUTO_APP.id }),
				credential(CREDENTIALS.instagram, { platform: 'instagram', accessToken: IG_ACCOUNT.token, appId: IG_APP.id, appSecret: IG_APP.secret }),
				credential({ id: DEMO_CREDENTIAL_ID, name: 'Messenger Page (local emulator)' }, { accessToken: AUTO_PAGE.token, appId: AUTO_APP.id, appSecret: AUTO_APP.secret }),
			],
			workflows: [
				EXAMPLE,
				replyWorkflow(WORKFLOWS.auto, HOOKS.auto, CREDENTIALS.auto, { subscription: 'automatic', pageId: 'me', events: ['message', 'quick_reply', 'postback'] }),
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
