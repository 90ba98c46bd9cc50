// The webhook side, deliveries of the person's events: Meta's escaped JSON and its two signatures
// over the raw bytes, a delivery only when both the app and the Page subscribed the event's field,
// each kind of event under its field, one delivery at a time per app, failed deliveries recorded,
// an Instagram account's object.
import { DEFAULT_APP, metaJson, signWebhook, webhookBody } from '../../emulator/graphEmulator.cjs';
import {
	APP_ID_NUMBER,
	hmac,
	PAGE,
	parsed,
	PSID,
	send,
	startEmulator,
	startReceiver,
	subscribeApp,
	subscribed,
	subscribePage,
	textMessage,
} from './helpers.cjs';

describe('pure helpers', () => {
	test('metaJson escapes non-ASCII (surrogate pairs as two escapes) and slashes; it parses back to the same value', () => {
		const value = { text: 'Café 😀 a/b', url: 'https://example.com/x', n: 1, nested: ['ü'] };
		const raw = metaJson(value);
		expect(raw).toBe('{"text":"Caf\\u00e9 \\ud83d\\ude00 a\\/b","url":"https:\\/\\/example.com\\/x","n":1,"nested":["\\u00fc"]}');
		expect(JSON.parse(raw)).toEqual(value);
		expect(JSON.stringify(JSON.parse(raw))).not.toBe(raw);
		expect(metaJson('plain ascii')).toBe('"plain ascii"');
	});

	test('signWebhook gives both header values with their prefixes; webhookBody wraps entries', () => {
		expect(signWebhook('s3cret', 'body')).toEqual({ sha256: `sha256=${hmac('sha256', 's3cret', 'body')}`, sha1: `sha1=${hmac('sha1', 's3cret', 'body')}` });
		expect(signWebhook('s3cret', Buffer.from('body'))).toEqual(signWebhook('s3cret', 'body'));
		expect(webhookBody('page', [{ id: '1', time: 2, messaging: [] }])).toEqual({ object: 'page', entry: [{ id: '1', time: 2, messaging: [] }] });
	});
});

describe('deliveries of the person\'s events', () => {
	test('a message is delivered only when both the app and the Page subscribed its field', async () => {
		const emulator = await startEmulator();
		const receiver = await startReceiver();
		await subscribeApp(emulator, receiver.url, 'messaging_postbacks');
		await subscribePage(emulator, 'messages');
		expect(await emulator.personMessage({ psid: PSID, text: 'app has no messages' })).toEqual({ mid: expect.stringMatching(/^m_[\w-]{32}$/), delivery: null });

		await subscribeApp(emulator, receiver.url, 'messages');
		await subscribePage(emulator, 'messaging_postbacks');
		expect((await emulator.personMessage({ psid: PSID, text: 'page has no messages' })).delivery).toBeNull();
		expect(receiver.posts()).toHaveLength(0);

		await subscribePage(emulator, 'messages');
		const { mid, delivery } = await emulator.personMessage({ psid: PSID, text: 'now both' });
		expect(receiver.posts()).toHaveLength(1);
		const [post] = receiver.posts();
		const body = parsed(post);
		expect(body).toEqual({
			object: 'page',
			entry: [
				{
					id: PAGE.id,
					time: expect.any(Number),
					messaging: [{ sender: { id: PSID }, recipient: { id: PAGE.id }, timestamp: expect.any(Number), message: { mid, text: 'now both' } }],
				},
			],
		});
		expect(post.raw.toString('utf8')).toBe(
			`{"object":"page","entry":[{"id":"${PAGE.id}","time":${body.entry[0].time},"messaging":[{"sender":{"id":"${PSID}"},"recipient":{"id":"${PAGE.id}"},"timestamp":${body.entry[0].messaging[0].timestamp},"message":{"mid":"${mid}","text":"now both"}}]}]}`,
		);
		expect(post.path).toBe('/webhook');
		expect(post.headers['content-type']).toBe('application/json');
		expect(post.headers['user-agent']).toBe('facebookexternalua');
		expect(post.headers['x-hub-signature-256']).toBe(`sha256=${hmac('sha256', DEFAULT_APP.secret, post.raw)}`);
		expect(post.headers['x-hub-signature']).toBe(`sha1=${hmac('sha1', DEFAULT_APP.secret, post.raw)}`);
		expect(delivery).toEqual({
			id: expect.stringMatching(/^wh_\d+$/),
			appId: DEFAULT_APP.id,
			at: expect.any(Number),
			url: receiver.url,
			object: 'page',
			events: 1,
			fields: ['messages'],
			raw: post.raw.toString('utf8'),
			signature256: post.headers['x-hub-signature-256'],
			signature1: post.headers['x-hub-signature'],
			signed: 'valid',
			contentType: 'application/json',
			status: 200,
			responseBody: 'EVENT_RECEIVED',
		});
		expect(emulator.deliveries).toEqual([delivery]);
	});

	test('the signature is over the raw bytes; re-serialised JSON of "é", "😀" and "/" does not match', async () => {
		const { emulator, receiver } = await subscribed();
		await emulator.personMessage({ psid: PSID, text: 'Café 😀 and/or', attachments: [{ type: 'image', payload: { url: 'https://example.com/a.png' } }] });
		const [post] = receiver.posts();
		const raw = post.raw.toString('utf8');
		expect(raw).toContain('"text":"Caf\\u00e9 \\ud83d\\ude00 and\\/or"');
		expect(raw).toContain('"url":"https:\\/\\/example.com\\/a.png"');
		expect(/[^\x20-\x7e]/.test(raw)).toBe(false);
		expect(parsed(post).entry[0].messaging[0].message.text).toBe('Café 😀 and/or');

		const header = String(post.headers['x-hub-signature-256']);
		expect(header).toBe(`sha256=${hmac('sha256', DEFAULT_APP.secret, post.raw)}`);
		const reserialised = JSON.stringify(JSON.parse(raw));
		expect(reserialised).not.toBe(raw);
		expect(`sha256=${hmac('sha256', DEFAULT_APP.secret, reserialised)}`).not.toBe(header);
	});

	test('quick replies, replies, attachments; postbacks, reactions and reads, each under its field', async () => {
		const { emulator, receiver } = await subscribed();
		const tapped = await emulator.personMessage({ psid: PSID, text: 'Track parcel', quickReplyPayload: 'TRACK', replyToMid: 'm_1' });
		const postback = await emulator.personPostback({ psid: PSID, payload: 'GET_STARTED', title: 'Get Started' });
		const reacted = await emulator.personReaction({ psid: PSID, mid: 'm_1' });
		await emulator.personReaction({ psid: PSID, mid: 'm_1', action: 'unreact' });
		const read = await emulator.personRead({ psid: PSID, watermark: 1_767_225_600_000 });
		expect(postback.mid).toMatch(/^m_/);
		expect(reacted.mid).toBeUndefined();
		expect(read.delivery?.fields).toEqual(['message_reads']);

		const events = receiver.posts().map((post) => {
			const { sender, recipient, timestamp, ...rest } = parsed(post).entry[0].messaging[0];
			expect({ sender, recipient, timestamp }).toEqual({ sender: { id: PSID }, recipient: { id: PAGE.id }, timestamp: expect.any(Number) });
			return rest;
		});
		expect(events).toEqual([
			{ message: { mid: tapped.mid, text: 'Track parcel', quick_reply: { payload: 'TRACK' }, reply_to: { mid: 'm_1' } } },
			{ postback: { title: 'Get Started', payload: 'GET_STARTED', mid: postback.mid } },
			{ reaction: { reaction: 'love', emoji: '❤', action: 'react', mid: 'm_1' } },
			{ reaction: { action: 'unreact', mid: 'm_1' } },
			{ read: { watermark: 1_767_225_600_000 } },
		]);
		expect(emulator.deliveries.map((delivery) => delivery.fields[0])).toEqual(['messages', 'messaging_postbacks', 'message_reactions', 'message_reactions', 'message_reads']);
	});

	test('deliveries of one app go out one at a time, in order', async () => {
		const { emulator, receiver } = await subscribed();
		let open = 0;
		let most = 0;
		receiver.answer = (request) => {
			if (request.method !== 'POST') return undefined;
			open += 1;
			most = Math.max(most, open);
			setTimeout(() => (open -= 1), 30);
			return { status: 200, delayMs: 30 };
		};
		const results = await Promise.all(['one', 'two', 'three', 'four'].map(async (text) => await emulator.personMessage({ psid: PSID, text })));
		expect(most).toBe(1);
		expect(receiver.posts().map((post) => parsed(post).entry[0].messaging[0].message.text)).toEqual(['one', 'two', 'three', 'four']);
		expect(results.map((result) => result.delivery?.status)).toEqual([200, 200, 200, 200]);
	});

	test('a receiver that fails or is gone is recorded (status 0 without a connection); nothing is retried', async () => {
		const { emulator, receiver } = await subscribed();
		receiver.answer = (request) => (request.method === 'POST' ? { status: 500, body: 'x'.repeat(600) } : undefined);
		const failed = await emulator.personMessage({ psid: PSID, text: 'answered 500' });
		expect(failed.delivery).toMatchObject({ status: 500, responseBody: 'x'.repeat(500) });
		await receiver.close();
		const gone = await emulator.personMessage({ psid: PSID, text: 'nobody there' });
		expect(gone.delivery).toMatchObject({ status: 0, responseBody: '', error: expect.stringContaining('ECONNREFUSED') });
		expect(emulator.deliveries).toHaveLength(2);
	});

	test('an Instagram account: object instagram, reads as messaging_seen, echoes under messages', async () => {
		const instagram = { id: '17841400000000001', name: 'Demo Shop IG', token: 'TEST-IG-TOKEN', platform: 'instagram' as const };
		const emulator = await startEmulator({ pages: [instagram] });
		const receiver = await startReceiver();
		await subscribeApp(emulator, receiver.url, 'messages,messaging_seen', 'instagram');
		await subscribePage(emulator, 'messages,messaging_seen', instagram.token);
		await emulator.personRead({ psid: PSID });
		await send(emulator, textMessage('hi on Instagram'), { token: instagram.token });
		await emulator.settleWebhooks();
		const bodies = receiver.posts().map(parsed);
		expect(bodies.map((body) => body.object)).toEqual(['instagram', 'instagram']);
		expect(bodies[0].entry[0].id).toBe(instagram.id);
		expect(bodies[1].entry[0].messaging[0].message).toEqual({ mid: 'm_1', is_echo: true, app_id: APP_ID_NUMBER, text: 'hi on Instagram' });
		expect(emulator.deliveries.map((delivery) => delivery.fields)).toEqual([['messaging_seen'], ['messages']]);
	});

	test('deliverEvent routes any event (optin, referral, handover) by its field', async () => {
		const { emulator, receiver } = await subscribed('messages,messaging_optins');
		await subscribePage(emulator, 'messages,messaging_optins');
		const optin = { sender: { id: PSID }, recipient: { id: PAGE.id }, timestamp: 1, optin: { ref: 'landing' } };
		expect((await emulator.deliverEvent(optin))?.fields).toEqual(['messaging_optins']);
		expect(await emulator.deliverEvent({ sender: { id: PSID }, recipient: { id: PAGE.id }, timestamp: 2, pass_thread_control: { new_owner_app_id: '1' } })).toBeNull();
		expect(parsed(receiver.posts()[0]).entry[0].messaging).toEqual([optin]);
	});
});
