// The Messenger Trigger in a real n8n (`n8n start`, workflows published through the REST API)
// against the Graph API emulator's webhook side, Subscription Automatic: publishing subscribes the
// app (Meta verifies the URL) and the Page, one execution per event, nothing twice, a second
// trigger for the same app refused, unpublishing puts Meta's side back, the auto-reply example
// (its handover to the Page Inbox and back included), a credential without App Secret, an
// Instagram account. Subscription Manual (Meta's handshake, signatures, every kind of event, bad
// input): triggerManual.test.cts; what both build and wait for: triggerFlows.cts.
import { GraphEmulator, type WebhookDelivery } from '../../emulator/graphEmulator.cjs';
import { DEMO_CREDENTIAL_ID, readExample } from '../../scripts/n8n.cjs';
import { linearWorkflow } from '../../scripts/workflows.cjs';
import { PAGE_INBOX_APP_ID } from '../../nodes/shared/handover';
import { lastOutput, N8nRest, poll, type ExecutionSummary } from './support/rest.cjs';
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

const EXAMPLE = readExample('messenger-auto-reply.json') as { id: string; nodes: Array<{ name: string; type: string; webhookId?: string }> };
const EXAMPLE_HOOK = String(EXAMPLE.nodes.find((node) => node.type === TRIGGER_TYPE)?.webhookId);
const EXAMPLE_TRIGGER = String(EXAMPLE.nodes.find((node) => node.type === TRIGGER_TYPE)?.name);
const QUICK_REPLIES = [
	{ content_type: 'text', title: 'Opening hours', payload: 'HOURS' },
	{ content_type: 'text', title: 'Talk to a human', payload: 'HUMAN' },
];
const WELCOME_BACK = 'Welcome back! What else can we do for you?';

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

	test('the auto-reply example answers Get Started, a quick reply and a text, each once; Talk to a human passes the thread to the Page Inbox, and a hand-back is welcomed', async () => {
		const subscribed = () => emulator.webhookState().subscriptions.some((entry) => entry.callback_url === hookUrl(EXAMPLE_HOOK));
		// Trigger 1.1 with Handover: the app and the Page get messaging_handovers too.
		const listening = () => subscribed() && subscribedBoth(AUTO_APP.id, AUTO_PAGE.id)() && subscribedBoth(AUTO_APP.id, AUTO_PAGE.id, 'messaging_handovers')();
		await publish(EXAMPLE.id, EXAMPLE_HOOK, listening);
		const psid = '6100000000000009';
		const texts = () => inboxTexts(psid);
		const handovers = () => emulator.handovers.filter((entry) => entry.psid === psid).map(({ action, byAppId, newOwnerAppId, metadata }) => ({ action, byAppId, newOwnerAppId, metadata }));
		/** Each execution: the trigger item's type and the nodes that ran after the Switch, oldest first. */
		const routes = async () => {
			const rows = [...(await executions(EXAMPLE.id))].sort((a, b) => Number(a.id) - Number(b.id));
			return await Promise.all(
				rows.map(async (row) => {
					const { run } = await rest.execution(row.id);
					const item = lastOutput(run, EXAMPLE_TRIGGER)[0]?.json ?? {};
					const ran = Object.keys(run.resultData.runData).filter((node) => node !== EXAMPLE_TRIGGER && node !== 'Route by payload');
					return { status: row.status, type: item.type, toThisApp: item.toThisApp, ran: ran.sort() };
				}),
			);
		};
		const ended = (rows: ExecutionSummary[], count: number) => rows.length === count && rows.every((row) => row.finished || ['success', 'error', 'crashed'].includes(row.status));

		// The text goes before the HUMAN quick reply: once the thread is the Page Inbox's, what the person writes reaches the bot only on standby.
		const deliveries = [
			await emulator.personPostback({ psid, payload: 'GET_STARTED', title: 'Get Started' }),
			await emulator.personMessage({ psid, text: 'do you deliver?' }),
			await emulator.personMessage({ psid, text: 'Talk to a human', quickReplyPayload: 'HUMAN' }),
		];
		expect(deliveries.map((written) => written.delivery?.status)).toEqual([200, 200, 200]);
		// Three executions run side by side, and a fourth for the bot's own pass (Meta reports it to the app that passed too).
		await poll('4 ended executions, three replies and the thread with the Page Inbox', async () =>
			emulator.ownedByPageInbox(psid) && texts().length >= 3 && ended(await executions(EXAMPLE.id), 4) ? true : undefined,
		);
		const rows = await settledExecutions(EXAMPLE.id, 4);
		expect(rows).toHaveLength(4);
		// Their replies may arrive in any order.
		expect([...texts()].sort()).toEqual(['A person will answer you soon', 'Hi, and welcome! What can we do for you?', 'Sorry, I did not get that']);
		const replies = emulator.inbox.filter((entry) => entry.recipient.id === psid).map((entry) => entry.message);
		expect(replies.find((message) => message?.text === 'Hi, and welcome! What can we do for you?')?.quick_replies).toEqual(QUICK_REPLIES);
		expect(emulator.threadOwner(psid)).toBe(PAGE_INBOX_APP_ID);
		expect(handovers()).toEqual([{ action: 'pass', byAppId: AUTO_APP.id, newOwnerAppId: PAGE_INBOX_APP_ID, metadata: 'Asked for a human from the auto-reply' }]);
		// Told first, then passed.
		const passedAt = emulator.handovers.find((entry) => entry.psid === psid)?.at ?? 0;
		expect(emulator.inbox.find((entry) => entry.recipient.id === psid && entry.message?.text === 'A person will answer you soon')?.receivedAt).toBeLessThanOrEqual(passedAt);
		// The bot's own pass: a handover item not for this app, routed to nothing to answer (no "Sorry, I did not get that").
		expect((await routes()).filter((route) => route.type === 'handover')).toEqual([{ status: 'success', type: 'handover', toThisApp: false, ran: ['Nothing to answer'] }]);

		// The person writes again: the Page Inbox owns the thread, the bot's app gets it only on standby (not subscribed): nothing runs.
		const again = await emulator.personMessage({ psid, text: 'Hello? Is anyone there?' });
		expect(again.delivery).toBeNull();

		// A human answers from the Page Inbox and hands the thread back: the workflow welcomes the person back, with the quick replies.
		await emulator.pageInboxReply({ psid, text: 'Hi, this is Sam from the shop: yes, we deliver.' });
		const back = await emulator.pageInboxPass({ psid, metadata: 'Done, back to the bot' });
		expect(back).toMatchObject({ threadOwner: AUTO_APP.id, delivery: expect.objectContaining({ status: 200 }) });
		await poll('the welcome back and a fifth ended execution', async () =>
			texts().includes(WELCOME_BACK) && ended(await executions(EXAMPLE.id), 5) ? true : undefined,
		);
		expect(await settledExecutions(EXAMPLE.id, 5)).toHaveLength(5);
		// Nothing else was sent: the three replies, then the welcome back.
		expect(texts()).toHaveLength(4);
		expect(emulator.inbox.filter((entry) => entry.recipient.id === psid)[3]).toMatchObject({ messaging_type: 'RESPONSE', message: { text: WELCOME_BACK, quick_replies: QUICK_REPLIES } });
		const all = await routes();
		expect(all.every((route) => route.status === 'success')).toBe(true);
		expect(all.filter((route) => route.type === 'handover').map((route) => [route.toThisApp, route.ran])).toEqual([
			[false, ['Nothing to answer']],
			[true, ['Welcome back']],
		]);
		expect(all.find((route) => route.ran.includes('Hand over to a person'))?.ran).toEqual(['Hand over to a person', 'Pass to Page Inbox']);

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
