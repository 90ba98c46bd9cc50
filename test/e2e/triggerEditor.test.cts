// The Messenger Trigger in the real n8n editor (2.8.4, 2.40.7 or 1.123.81 by N8N_TEST_VERSION, the
// package loaded as users install it) in Chromium through playwright-core: what its panel shows for
// Subscription Automatic (Page ID, Events, Options; no Verify Token) and Manual (the notice and the
// Verify Token appear), the Events chips of a new trigger (Message, Quick Reply, Postback) and the list
// it offers, and the Webhook URLs section: a GET and a POST URL ending in /webhook/<webhookId>/webhook
// (Production URL; /webhook-test/… for Test URL).
// Screenshots: docs/screenshots/trigger-panel-automatic.png and trigger-panel-manual.png on n8n 2.8.4,
// a temporary folder on the other versions (see screenshotFolder); no assertion depends on them.
import path from 'node:path';

import { triggerProperties } from '../../nodes/MessengerTrigger/description';
import { ROOT } from '../../scripts/n8n.cjs';
import { CREDENTIAL, PAGE } from './editorWorkflow.cjs';
import { EditorSession, useEditorSession } from './editorSession.cjs';
import { messengerSendNode } from './workflows.cjs';

jest.setTimeout(120_000);

const WORKFLOW_ID = 'msgrTrigEditor01';
/** The node's webhookId, as the editor gives a new trigger one (a UUID): its URLs are /webhook/<id>/webhook. */
const WEBHOOK_ID = '5b0c7f3e-8d2a-4c1b-9e6f-2a7d3c4b5e6f';
const TRIGGER = 'Messenger Trigger';
const REPLY = 'Reply';
/** The emulator's default app (DEFAULT_APP): the credential of a trigger carries its ID and secret. */
const APP = { id: '4455667788', secret: 'DEMO-APP-SECRET' };

/** A new trigger as the editor saves it (only the parameters a user set: none), and a reply to the sender. */
const workflow = {
	id: WORKFLOW_ID,
	name: 'Messenger Trigger: reply to every message',
	settings: { executionOrder: 'v1' },
	pinData: {},
	nodes: [
		{
			id: 'a7e4c2d1-5b3f-4e8a-9c6d-1f2e3d4c5b6a',
			name: TRIGGER,
			type: 'n8n-nodes-messenger-send.messengerTrigger',
			typeVersion: 1,
			position: [0, 0],
			webhookId: WEBHOOK_ID,
			parameters: {},
			credentials: { messengerPageApi: CREDENTIAL },
		},
		{
			id: 'b8f5d3e2-6c4a-4f9b-8d7e-2a3b4c5d6e7f',
			position: [260, 0],
			...messengerSendNode(
				REPLY,
				{ operation: 'sendMessage', recipientType: 'id', psid: '={{ $json.senderId }}', messagingType: 'RESPONSE', text: "={{ 'You said: ' + $json.text }}" },
				CREDENTIAL,
			),
		},
	],
	connections: { [TRIGGER]: { main: [[{ node: REPLY, type: 'main', index: 0 }]] } },
};

/** The editor session with a credential a trigger can use (App ID and App Secret). */
class TriggerEditorSession extends EditorSession {
	override credentialData(accessToken: string): Record<string, string> {
		return { ...super.credentialData(accessToken), appId: APP.id, appSecret: APP.secret };
	}
}

const session = new TriggerEditorSession({ workflow, screenshots: path.join(ROOT, 'docs', 'screenshots') });

/** The trigger's own fields: a case asserts which of these the panel shows. */
const FIELDS = ['subscription', 'verifyToken', 'pageId', 'events'] as const;

const NOTICE = String(triggerProperties.find((property) => property.name === 'manualNotice')?.displayName);
const EVENT_NAMES = (triggerProperties.find((property) => property.name === 'events')?.options ?? []).map((option) => option.name);

async function expectShown(expected: string[]): Promise<void> {
	expect(await session.shownOf(FIELDS, expected)).toEqual([...expected].sort());
}

/** What the panel lists under the credential (notices as "Notice: <text>"), once it is `expected`. */
const panelItemsOf = async (expected: string[]) => await session.until(expected, async () => await session.panelItems());

/**
 * Opens the Events list by its arrow: a click in the middle of the field, as openDropdown does,
 * would land on a chip's remove button.
 */
async function openEvents(): Promise<string[]> {
	await session.parameter('events').locator('.el-select__caret').click();
	await session.openPopper.waitFor();
	return await session.openPopper.locator('[role="option"] .option-headline').allInnerTexts();
}

/** The chips of the Events field. */
async function eventChips(): Promise<string[]> {
	return (await session.parameter('events').locator('.el-select__tags-text').allInnerTexts()).map((text) => text.trim());
}

const webhookSection = () => session.ndv.locator('.webhooks');

/** The Webhook URLs section, opened (n8n shows it folded for a trigger of a community package). */
async function openWebhookUrls(): Promise<void> {
	const headline = webhookSection().locator('.headline');
	await headline.waitFor();
	if (!(await headline.getAttribute('class'))?.includes('expanded')) await headline.click();
	await webhookSection().locator('.webhook-url').first().waitFor();
}

/** Method and URL of each line of the Webhook URLs section, for Test URL or Production URL. */
async function webhookUrls(which: 'test' | 'production'): Promise<Array<{ method: string; url: string }>> {
	await webhookSection().locator(`[data-test-id="radio-button-${which}"]`).click();
	const expectedPath = which === 'test' ? '/webhook-test/' : '/webhook/';
	const lines = webhookSection().locator('.webhook-wrapper');
	// The URLs are recomputed after the switch.
	await session.page.waitForFunction(
		(part) => [...document.querySelectorAll('[data-test-id="ndv"] .webhooks .webhook-url')].every((element) => (element.textContent ?? '').includes(part)),
		expectedPath,
	);
	return await lines.evaluateAll((wrappers) =>
		wrappers.map((wrapper) => ({
			method: (wrapper.querySelector('.http-method')?.textContent ?? '').trim(),
			url: (wrapper.querySelector('.webhook-url')?.textContent ?? '').trim(),
		})),
	);
}

/** Opens the trigger's panel (double-click on the canvas) and waits for its first field. */
async function openTrigger(): Promise<void> {
	if (await session.ndv.isVisible()) await session.closeNode();
	await session.canvasNode(TRIGGER).dblclick();
	await session.ndv.waitFor();
	await session.ndv.locator('[data-test-id="node-title-container"]', { hasText: TRIGGER }).waitFor();
	await session.parameter('subscription').waitFor();
}

/** Screenshots are for the README: a failure to write one is reported, never a test failure. */
const screenshot = async (name: string) => await session.screenshotForReadme('trigger editor', name);

useEditorSession(session);

test('the canvas shows the trigger with its events as subtitle, and the reply', async () => {
	await session.canvasNode(TRIGGER).waitFor();
	expect((await session.canvasNodeNames()).sort()).toEqual([REPLY, TRIGGER].sort());
	await expect(session.canvasNode(TRIGGER).innerText()).resolves.toContain('message, quick_reply, postback');
});

test('Subscription Automatic: Page ID, Events and Options, no Verify Token; Events Message, Quick Reply, Postback', async () => {
	await openTrigger();
	expect(await session.selectedOption('subscription')).toBe('Automatic');
	await expectShown(['subscription', 'pageId', 'events']);
	expect(await panelItemsOf(['Subscription', 'Page ID', 'Events', 'Options'])).toEqual(['Subscription', 'Page ID', 'Events', 'Options']);
	await expect(session.ndv.locator('[data-test-id="node-credentials-select"] input').inputValue()).resolves.toBe(CREDENTIAL.name);
	await expect(session.parameter('pageId').locator('input').inputValue()).resolves.toBe('me');
	expect(await eventChips()).toEqual(['Message', 'Quick Reply', 'Postback']);
	expect(await session.openDropdown('subscription')).toEqual(['Automatic', 'Manual']);
	await session.closeDropdown();

	await openWebhookUrls();
	expect(await webhookUrls('test')).toEqual([
		{ method: 'GET', url: `${session.baseUrl}/webhook-test/${WEBHOOK_ID}/webhook` },
		{ method: 'POST', url: `${session.baseUrl}/webhook-test/${WEBHOOK_ID}/webhook` },
	]);
	expect(await webhookUrls('production')).toEqual([
		{ method: 'GET', url: `${session.baseUrl}/webhook/${WEBHOOK_ID}/webhook` },
		{ method: 'POST', url: `${session.baseUrl}/webhook/${WEBHOOK_ID}/webhook` },
	]);
	expect((await webhookSection().locator('.headline').innerText()).trim()).toBe('Webhook URLs');
	await screenshot('trigger-panel-automatic');
});

test('the Events list offers every kind of event', async () => {
	await openTrigger();
	expect(await openEvents()).toEqual(EVENT_NAMES);
	await session.closeDropdown();
	expect(await eventChips()).toEqual(['Message', 'Quick Reply', 'Postback']);
});

test('Subscription Manual: the notice and the Verify Token appear, and go away with Automatic', async () => {
	await openTrigger();
	await session.choose('subscription', 'Manual');
	await expectShown(['subscription', 'verifyToken', 'pageId', 'events']);
	const manual = ['Subscription', `Notice: ${NOTICE}`, 'Verify Token', 'Page ID', 'Events', 'Options'];
	expect(await panelItemsOf(manual)).toEqual(manual);
	// A password field: what the user types is not shown.
	await expect(session.parameter('verifyToken').locator('input').getAttribute('type')).resolves.toBe('password');
	await session.parameter('verifyToken').locator('input').fill('my-verify-token-42');
	expect(await eventChips()).toEqual(['Message', 'Quick Reply', 'Postback']);

	// The URL the notice tells the user to paste: the POST line's, with Production URL.
	await openWebhookUrls();
	expect(await webhookUrls('production')).toEqual([
		{ method: 'GET', url: `${session.baseUrl}/webhook/${WEBHOOK_ID}/webhook` },
		{ method: 'POST', url: `${session.baseUrl}/webhook/${WEBHOOK_ID}/webhook` },
	]);
	// As after typing it: the token field loses focus, the pointer rests outside the parameters.
	await session.parameter('verifyToken').locator('input').blur();
	await session.page.mouse.move(1300, 700);
	await screenshot('trigger-panel-manual');

	await session.choose('subscription', 'Automatic');
	await expectShown(['subscription', 'pageId', 'events']);
	expect(await panelItemsOf(['Subscription', 'Page ID', 'Events', 'Options'])).toEqual(['Subscription', 'Page ID', 'Events', 'Options']);
});

describe('Execute step (listening for a test event)', () => {
	const testUrl = () => `${session.baseUrl}/webhook-test/${WEBHOOK_ID}/webhook`;
	const PERSON = '6789012345678901';

	/** Meta's side as the emulator holds it: the app's subscriptions and the Page's subscribed apps. */
	const metaSide = () => {
		const state = session.emulator.webhookState();
		return {
			subscriptions: state.subscriptions.map(({ appId, object, callback_url, fields }) => ({ appId, object, callback_url, fields: [...fields].sort() })),
			subscribedApps: state.subscribedApps.map((subscribed) => ({ ...subscribed, fields: [...subscribed.fields].sort() })),
		};
	};
	const subscribedToTestUrl = {
		subscriptions: [{ appId: APP.id, object: 'page', callback_url: '', fields: ['messages', 'messaging_postbacks'] }],
		subscribedApps: [{ pageId: PAGE.id, appId: APP.id, fields: ['messages', 'messaging_postbacks'] }],
	};
	const nothing = { subscriptions: [], subscribedApps: [] };

	/** Polls Meta's side until it is `expected`; returns what it last saw, for the assertion. */
	async function metaSideOf(expected: unknown, timeoutMs = 15_000): Promise<unknown> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const side = metaSide();
			if (JSON.stringify(side) === JSON.stringify(expected) || Date.now() > deadline) return side;
			await session.page.waitForTimeout(200);
		}
	}

	async function listen(): Promise<void> {
		session.emulator.clearWebhooks();
		await openTrigger();
		await session.ndv.locator('[data-test-id="trigger-execute-button"]').click();
		await session.ndv.locator('[data-test-id="trigger-listening"]', { hasText: 'Listening for test event' }).waitFor();
		// While it listens, the app sends this n8n's test URL the Page's events.
		const expected = { ...subscribedToTestUrl, subscriptions: [{ ...subscribedToTestUrl.subscriptions[0], callback_url: testUrl() }] };
		expect(await metaSideOf(expected)).toEqual(expected);
	}

	test('the app is subscribed to the test URL; a person\'s message is the output; then the subscription goes', async () => {
		await listen();
		await expect(session.ndv.locator('[data-test-id="trigger-listening"]').innerText()).resolves.toContain('Go to Messenger and create an event');
		await screenshot('trigger-listening');

		const { mid, delivery } = await session.emulator.personMessage({ psid: PERSON, text: 'Hi from the editor' });
		expect(delivery).toMatchObject({ url: testUrl(), status: 200, responseBody: 'EVENT_RECEIVED' });
		const output = session.ndv.locator('[data-test-id="output-panel"]');
		await output.locator('[data-test-id="run-data-item-count"]', { hasText: '1 item' }).waitFor();
		await output.getByText('Hi from the editor').first().waitFor();
		const shown = await output.innerText();
		for (const value of ['message', 'messenger', PAGE.id, PERSON, String(mid), 'Hi from the editor']) expect(shown).toContain(value);
		// One event was all it waited for: n8n stops listening, and the trigger puts Meta's side back.
		expect(await metaSideOf(nothing)).toEqual(nothing);
		await session.ndv.locator('[data-test-id="trigger-listening"]').waitFor({ state: 'hidden' });
	});

	test('Stop Listening: the subscription goes', async () => {
		await listen();
		await session.ndv.locator('[data-test-id="trigger-listening"]').getByText('Stop Listening').click();
		expect(await metaSideOf(nothing)).toEqual(nothing);
		await session.ndv.locator('[data-test-id="trigger-listening"]').waitFor({ state: 'hidden' });
		// Nobody is subscribed now: a person's message goes nowhere.
		expect((await session.emulator.personMessage({ psid: PERSON, text: 'Still there?' })).delivery).toBeNull();
	});
});
