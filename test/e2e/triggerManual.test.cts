// The Messenger Trigger in a real n8n (`n8n start`, workflows published through the REST API)
// against the Graph API emulator's webhook side, Subscription Manual (what a user pastes into the
// App Dashboard): Meta's handshake with the Verify Token, signed deliveries (forged, unsigned and
// SHA-1-only ones refused), the reply's echo ignored, many events in one delivery, bad input, and
// with Echo chosen every kind of event. Subscription Automatic: trigger.test.cts; what both build
// and wait for: triggerFlows.cts.
import { randomUUID } from 'node:crypto';

import { GraphEmulator, metaJson, signWebhook, type WebhookDelivery } from '../../emulator/graphEmulator.cjs';
import { linearWorkflow } from '../../scripts/workflows.cjs';
import { useSharedN8n } from './support/sharedN8n.cjs';
import { noOp, replyWorkflow, triggerNode, triggerSuite } from './triggerFlows.cjs';

// The app and its Page that a user subscribes by hand (an app of its own: Meta keeps one callback URL per app).
const MANUAL_APP = { id: '5566778899', secret: 'E2E-MANUAL-APP-SECRET', name: 'Manual App' };
const MANUAL_PAGE = { id: '2039485766', name: 'Corner Café', token: 'E2E-MANUAL-PAGE-TOKEN', appId: MANUAL_APP.id, appSecret: MANUAL_APP.secret };
const VERIFY_TOKEN = 'e2e-verify-token-7c1f';

const emulator = new GraphEmulator({ apps: [MANUAL_APP], pages: [MANUAL_PAGE] });

const CREDENTIALS = {
	manual: { id: 'msgrTrigCredManu', name: 'Messenger (manual app)' },
};

const WORKFLOWS = { manual: 'msgrTrigManuRply', echoes: 'msgrTrigEchoesWf' };
const HOOKS = { manual: 'trigger-e2e-manual', echoes: 'trigger-e2e-echoes' };

const { credential, executions, hookUrl, inboxTexts, publish, settledExecutions, triggerItems } = triggerSuite(emulator, () => shared());

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

const shared = useSharedN8n({
	before: async () => {
		await emulator.start();
		return {
			credentials: [credential(CREDENTIALS.manual, { accessToken: MANUAL_PAGE.token, appSecret: MANUAL_APP.secret })],
			workflows: [
				replyWorkflow(WORKFLOWS.manual, HOOKS.manual, CREDENTIALS.manual, { subscription: 'manual', verifyToken: VERIFY_TOKEN, pageId: 'me', events: ['message', 'quick_reply', 'postback'] }),
				linearWorkflow(WORKFLOWS.echoes, 'trigger e2e: echoes and every kind', [
					triggerNode(HOOKS.echoes, CREDENTIALS.manual, { subscription: 'manual', verifyToken: VERIFY_TOKEN, events: ['echo', 'reaction', 'read', 'other'] }),
					noOp,
				]),
			],
		};
	},
	after: async () => {
		await emulator.stop();
	},
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
