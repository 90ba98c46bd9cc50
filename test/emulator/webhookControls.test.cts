// The webhook side's test controls (redeliver, webhooks/send with any signature, the state and its
// clearing, the person's actions over HTTP, reset) and the person's events in the transcript.
import { DEFAULT_APP, metaJson } from '../../emulator/graphEmulator.cjs';
import { call, hmac, PAGE, PSID, send, startEmulator, startReceiver, subscribed, textMessage, VERIFY_TOKEN } from './helpers.cjs';

describe('test controls', () => {
	test('redeliver sends the identical bytes and signature again, recorded with redeliveryOf', async () => {
		const { emulator, receiver } = await subscribed();
		const { delivery } = await emulator.personMessage({ psid: PSID, text: 'say it twice ✓' });
		const again = await call(emulator, '/__emulator/webhooks/redeliver', {}, { token: null });
		expect(again.status).toBe(200);
		expect(again.body.delivery).toMatchObject({ redeliveryOf: delivery!.id, raw: delivery!.raw, signature256: delivery!.signature256, status: 200 });
		const [first, second] = receiver.posts();
		expect(second.raw.equals(first.raw)).toBe(true);
		expect(second.headers['x-hub-signature-256']).toBe(first.headers['x-hub-signature-256']);
		expect(second.headers['x-hub-signature']).toBe(first.headers['x-hub-signature']);

		const byId = await emulator.redeliver(delivery!.id);
		expect(byId.redeliveryOf).toBe(delivery!.id);
		expect(receiver.posts()).toHaveLength(3);
		expect((await call(emulator, '/__emulator/webhooks/redeliver', { id: 'wh_999' }, { token: null })).status).toBe(404);
	});

	test('webhooks/send: valid, forged, none and sha1-only signatures; a string body goes as is', async () => {
		const { emulator, receiver } = await subscribed();
		const body = { object: 'page', entry: [{ id: PAGE.id, time: 1, messaging: [{ sender: { id: PSID }, recipient: { id: PAGE.id }, timestamp: 1, message: { mid: 'm_x', text: 'é' } }] }] };
		const valid = await call(emulator, '/__emulator/webhooks/send', { body }, { token: null });
		expect(valid.body).toMatchObject({ status: 200, responseBody: 'EVENT_RECEIVED', delivery: { signed: 'valid', events: 1, fields: ['messages'] } });
		for (const signature of ['forged', 'none', 'sha1-only']) await call(emulator, '/__emulator/webhooks/send', { body, signature }, { token: null });
		const malformed = await emulator.sendWebhook({ body: '{"object":"page","entry":[', contentType: 'text/plain' });
		expect(malformed).toMatchObject({ status: 200, delivery: { events: 0, fields: [], object: 'page' } });

		const [validPost, forged, none, sha1Only, raw] = receiver.posts();
		expect(validPost.raw.toString('utf8')).toBe(metaJson(body));
		expect(validPost.headers['x-hub-signature-256']).toBe(`sha256=${hmac('sha256', DEFAULT_APP.secret, validPost.raw)}`);
		expect(forged.raw.equals(validPost.raw)).toBe(true);
		expect(forged.headers['x-hub-signature-256']).toMatch(/^sha256=[0-9a-f]{64}$/);
		expect(forged.headers['x-hub-signature-256']).not.toBe(validPost.headers['x-hub-signature-256']);
		expect(forged.headers['x-hub-signature']).not.toBe(validPost.headers['x-hub-signature']);
		expect(none.headers['x-hub-signature-256']).toBeUndefined();
		expect(none.headers['x-hub-signature']).toBeUndefined();
		expect(sha1Only.headers['x-hub-signature-256']).toBeUndefined();
		expect(sha1Only.headers['x-hub-signature']).toBe(`sha1=${hmac('sha1', DEFAULT_APP.secret, sha1Only.raw)}`);
		expect(raw.raw.toString('utf8')).toBe('{"object":"page","entry":[');
		expect(raw.headers['content-type']).toBe('text/plain');
		expect(emulator.deliveries.map((delivery) => delivery.signed)).toEqual(['valid', 'forged', 'none', 'sha1-only', 'valid']);
	});

	test('webhooks/send: a 1 MB body, another URL; without a subscription or url it is refused', async () => {
		const { emulator, receiver } = await subscribed();
		const big = JSON.stringify({ object: 'page', entry: [], padding: 'x'.repeat(1024 * 1024) });
		const other = await startReceiver();
		const sent = await emulator.sendWebhook({ body: big, url: other.url });
		expect(sent.status).toBe(200);
		expect(other.posts()[0].raw.length).toBe(big.length);
		expect(receiver.posts()).toHaveLength(0);

		await call(emulator, '/__emulator/webhooks/clear', {}, { token: null });
		const refused = await call(emulator, '/__emulator/webhooks/send', { body: {} }, { token: null });
		expect(refused.status).toBe(400);
		expect(refused.body.error.message).toMatch(/has no page subscription/);
		expect((await call(emulator, '/__emulator/webhooks/send', { body: {}, url: 'not a url' }, { token: null })).status).toBe(400);
	});

	test('GET /__emulator/webhooks shows the configuration with verify tokens; clear empties it', async () => {
		const { emulator } = await subscribed('messages');
		await emulator.personMessage({ psid: PSID, text: 'hi' });
		const state = await call(emulator, '/__emulator/webhooks', undefined, { token: null });
		expect(state.body).toEqual({
			subscriptions: [{ appId: DEFAULT_APP.id, object: 'page', callback_url: expect.any(String), fields: ['messages'], verify_token: VERIFY_TOKEN }],
			subscribedApps: [{ pageId: PAGE.id, appId: DEFAULT_APP.id, fields: ['messages'] }],
			deliveries: [expect.objectContaining({ status: 200, fields: ['messages'] })],
		});
		expect((await call(emulator, '/__emulator/webhooks/deliveries', undefined, { token: null })).body).toEqual(state.body.deliveries);
		expect((await call(emulator, '/__emulator/webhooks/clear', {}, { token: null })).body).toEqual({ ok: true });
		expect(emulator.webhookState()).toEqual({ subscriptions: [], subscribedApps: [], deliveries: [] });
		// Control requests are not Graph traffic.
		expect(emulator.requests.map((request) => request.path)).toEqual([`/v25.0/${DEFAULT_APP.id}/subscriptions`, '/v25.0/me/subscribed_apps']);
	});

	test('person endpoints over HTTP wait for the delivery; bad input is 400', async () => {
		const { emulator, receiver } = await subscribed();
		const message = await call(emulator, '/__emulator/person/message', { psid: PSID, text: 'over http' }, { token: null });
		expect(message.status).toBe(200);
		expect(message.body).toEqual({ mid: expect.stringMatching(/^m_/), delivery: expect.objectContaining({ status: 200 }) });
		expect(receiver.posts()).toHaveLength(1);
		expect((await call(emulator, '/__emulator/person/postback', { psid: PSID, payload: 'P' }, { token: null })).body.delivery.fields).toEqual(['messaging_postbacks']);
		expect((await call(emulator, '/__emulator/person/reaction', { psid: PSID, mid: 'm_1', emoji: '😮', reaction: 'wow' }, { token: null })).body).toEqual({
			delivery: expect.objectContaining({ fields: ['message_reactions'] }),
		});
		expect((await call(emulator, '/__emulator/person/read', { psid: PSID }, { token: null })).body.delivery.fields).toEqual(['message_reads']);
		expect(
			(await call(emulator, '/__emulator/webhooks/event', { event: { sender: { id: PSID }, recipient: { id: PAGE.id }, timestamp: 1, referral: { ref: 'ad' } } }, { token: null })).body,
		).toEqual({ delivery: null });

		expect((await call(emulator, '/__emulator/person/message', { text: 'no psid' }, { token: null })).status).toBe(400);
		expect((await call(emulator, '/__emulator/person/message', { psid: PSID }, { token: null })).status).toBe(400);
		expect((await call(emulator, '/__emulator/person/message', { psid: PSID, text: 'x', pageId: '404' }, { token: null })).status).toBe(400);
		expect((await call(emulator, '/__emulator/person/reaction', { psid: PSID }, { token: null })).status).toBe(400);
		const notJson = await fetch(`${emulator.url}/__emulator/person/message`, { method: 'POST', body: '[1' });
		expect(notJson.status).toBe(400);
	});

	test('a person action waits for its delivery without holding up Graph calls the receiver makes meanwhile', async () => {
		const { emulator, receiver } = await subscribed();
		let reply: Promise<number> | undefined;
		receiver.answer = (request) => {
			if (request.method !== 'POST' || reply) return undefined;
			// The workflow answers the person before it acknowledges the webhook.
			reply = send(emulator, textMessage('reply from the workflow')).then((answer) => answer.status);
			return { status: 200, delayMs: 100 };
		};
		const result = await call(emulator, '/__emulator/person/message', { psid: PSID, text: 'hello?' }, { token: null });
		expect(result.body.delivery.status).toBe(200);
		expect(await reply).toBe(200);
	});

	test('reset keeps subscriptions and subscribed apps, forgets deliveries and incoming messages', async () => {
		const { emulator, receiver } = await subscribed();
		await emulator.personMessage({ psid: PSID, text: 'before reset' });
		await call(emulator, '/__emulator/reset', {}, { token: null });
		expect(emulator.deliveries).toEqual([]);
		expect(emulator.incoming).toEqual([]);
		expect(emulator.webhookState().subscriptions).toHaveLength(1);
		expect(emulator.webhookState().subscribedApps).toHaveLength(1);
		expect((await emulator.personMessage({ psid: PSID, text: 'after reset' })).delivery?.status).toBe(200);
		expect(receiver.posts()).toHaveLength(2);
	});
});

describe('incoming messages in the transcript', () => {
	test('the transcript shows the conversation both ways; incoming messages are not sends', async () => {
		const { emulator } = await subscribed();
		const hello = await emulator.personMessage({ psid: PSID, text: 'hello', name: 'Ana' });
		await send(emulator, textMessage('Hi Ana! How can we help?'));
		const tapped = await emulator.personMessage({ psid: PSID, text: 'Track parcel', quickReplyPayload: 'TRACK', replyToMid: 'm_1' });
		const photo = await emulator.personMessage({ psid: PSID, attachments: [{ type: 'image', payload: { url: 'https://example.com/photo.jpg' } }] });
		const pressed = await emulator.personPostback({ psid: PSID, payload: 'HUMAN', title: 'Talk to a human' });
		await emulator.personReaction({ psid: PSID, mid: 'm_1' });
		await emulator.personRead({ psid: PSID });
		const other = await emulator.personMessage({ psid: '42', text: 'someone else' });
		expect(emulator.transcript()).toBe(
			[
				`Demo Shop ↔ PSID ${PSID}`,
				`  Ana → Demo Shop: hello  ${hello.mid}`,
				'  Page: Hi Ana! How can we help?  [RESPONSE] m_1',
				`  Ana → Demo Shop: Track parcel  ${tapped.mid}`,
				'        quick reply payload: TRACK',
				'        ↪ replying to m_1',
				`  Ana → Demo Shop: 📎 image https://example.com/photo.jpg  ${photo.mid}`,
				`  Ana → Demo Shop: ▶ [Talk to a human] postback HUMAN  ${pressed.mid}`,
				'  · Ana reacted ❤ to m_1',
				'  · read by Ana ✓',
				'',
				'Demo Shop ↔ PSID 42',
				`  PSID 42 → Demo Shop: someone else  ${other.mid}`,
				'',
			].join('\n'),
		);
		expect(emulator.stats()).toMatchObject({ accepted: 1 });
		expect(emulator.inbox).toHaveLength(1);
		expect(emulator.incoming.map((entry) => [entry.seq, entry.kind])).toEqual([
			[1, 'message'],
			[2, 'message'],
			[3, 'message'],
			[4, 'postback'],
			[5, 'reaction'],
			[6, 'read'],
			[7, 'message'],
		]);
		expect((await call(emulator, '/__emulator/incoming', undefined, { token: null })).body).toEqual(JSON.parse(JSON.stringify(emulator.incoming)));

		// Issue 22: the Conversations API lists what the person wrote too (messages, not postbacks,
		// reactions or reads), newest first, named as the person actions named them.
		const ana = { id: PSID, name: 'Ana' };
		const thread = await call(emulator, `/v25.0/${emulator.threadId(PSID)}?fields=messages{id,from,message}`);
		expect(thread.body.messages.data).toEqual([
			{ id: photo.mid, from: ana, message: '' },
			{ id: tapped.mid, from: ana, message: 'Track parcel' },
			{ id: 'm_1', from: { id: PAGE.id, name: PAGE.name }, message: 'Hi Ana! How can we help?' },
			{ id: hello.mid, from: ana, message: 'hello' },
		]);
		expect((await call(emulator, '/v25.0/me/conversations?platform=messenger&user_id=42')).body).toEqual({ data: [{ id: emulator.threadId('42'), updated_time: expect.any(String) }] });
	});

	test('incoming mids never repeat, also across resets', async () => {
		const emulator = await startEmulator();
		const first = await emulator.personMessage({ psid: PSID, text: 'a' });
		emulator.reset();
		const second = await emulator.personMessage({ psid: PSID, text: 'a' });
		expect(second.mid).not.toBe(first.mid);
		expect(emulator.transcript()).toBe(`Demo Shop ↔ PSID ${PSID}\n  PSID ${PSID} → Demo Shop: a  ${second.mid}\n`);
	});
});
