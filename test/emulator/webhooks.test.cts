// The webhook side: app subscriptions with their verification call, Pages' subscribed apps,
// signed deliveries of the person's events and the Page's echoes, and the test controls.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import path from 'node:path';

import { DEFAULT_APP, metaJson, signWebhook, webhookBody } from '../../emulator/graphEmulator.cjs';
import {
	APP_SECRET,
	APP_TOKEN,
	batch,
	call,
	errorOf,
	messageOp,
	OTHER_PAGE,
	PAGE,
	proofFor,
	PSID,
	send,
	sleep,
	startEmulator,
	startReceiver,
	subscribeApp,
	subscribePage,
	textMessage,
	TOKEN,
	VERIFY_TOKEN,
	type Received,
} from './helpers.cjs';

const ALL_FIELDS = 'messages,messaging_postbacks,message_reactions,message_reads,message_deliveries,message_echoes';
const APP_ID_NUMBER = Number(DEFAULT_APP.id);

/** An emulator and a receiver with the app and the Page both subscribed to `fields`. */
async function subscribed(fields = ALL_FIELDS, options: Parameters<typeof startEmulator>[0] = {}) {
	const emulator = await startEmulator(options);
	const receiver = await startReceiver();
	expect((await subscribeApp(emulator, receiver.url, fields)).body).toEqual({ success: true });
	expect((await subscribePage(emulator, fields)).body).toEqual({ success: true });
	return { emulator, receiver };
}

function hmac(algorithm: 'sha256' | 'sha1', secret: string, data: Buffer | string): string {
	return createHmac(algorithm, secret).update(data).digest('hex');
}

function parsed(request: Received): any {
	return JSON.parse(request.raw.toString('utf8'));
}

async function waitFor(condition: () => boolean, ms = 3000): Promise<void> {
	const until = Date.now() + ms;
	while (!condition()) {
		if (Date.now() > until) throw new Error('timed out waiting');
		await sleep(5);
	}
}

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

describe('POST {app-id}/subscriptions and its verification call', () => {
	test('the right verify token: the receiver is asked, the challenge echoed, the subscription saved', async () => {
		const emulator = await startEmulator();
		const receiver = await startReceiver();
		const answer = await subscribeApp(emulator, receiver.url, 'messages,messaging_postbacks');
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({ success: true });

		expect(receiver.requests).toHaveLength(1);
		const [verification] = receiver.requests;
		expect(verification.method).toBe('GET');
		expect(verification.path).toBe('/webhook');
		expect(Object.keys(verification.query)).toEqual(['hub.mode', 'hub.verify_token', 'hub.challenge']);
		expect(verification.query['hub.mode']).toBe('subscribe');
		expect(verification.query['hub.verify_token']).toBe(VERIFY_TOKEN);
		expect(verification.query['hub.challenge']).toMatch(/^\d{10}$/);
		expect(verification.headers['user-agent']).toMatch(/^facebookplatform/);

		expect(emulator.webhookState().subscriptions).toEqual([
			{ appId: DEFAULT_APP.id, object: 'page', callback_url: receiver.url, fields: ['messages', 'messaging_postbacks'], verify_token: VERIFY_TOKEN },
		]);
		// Recorded as Graph traffic, but not a send.
		expect(emulator.requests).toHaveLength(1);
		expect(emulator.stats()).toMatchObject({ requests: 1, accepted: 0 });
		expect(emulator.sendOperations()).toEqual([]);
	});

	test('GET lists the subscriptions with versioned fields and without the verify token', async () => {
		const emulator = await startEmulator();
		const receiver = await startReceiver();
		await subscribeApp(emulator, receiver.url, 'messages,message_echoes');
		const listed = await call(emulator, `/v25.0/${DEFAULT_APP.id}/subscriptions`, undefined, { token: APP_TOKEN });
		expect(listed.status).toBe(200);
		expect(listed.body).toEqual({
			data: [
				{
					object: 'page',
					callback_url: receiver.url,
					active: true,
					fields: [
						{ name: 'messages', version: 'v25.0' },
						{ name: 'message_echoes', version: 'v25.0' },
					],
				},
			],
		});
		expect(listed.text).not.toContain(VERIFY_TOKEN);
		// The token as a parameter works too.
		const byParam = await call(emulator, `/v25.0/${DEFAULT_APP.id}/subscriptions?access_token=${encodeURIComponent(APP_TOKEN)}`, undefined, { token: null });
		expect(byParam.body).toEqual(listed.body);
	});

	test('a wrong verify token: 2200 with the receiver status, nothing saved', async () => {
		const emulator = await startEmulator();
		const receiver = await startReceiver('the-receivers-token');
		const answer = await subscribeApp(emulator, receiver.url, 'messages');
		expect(errorOf(answer)).toEqual({ status: 400, code: 2200 });
		expect(answer.body.error.message).toBe('(#2200) Callback verification failed with the following errors: HTTP Status Code = 403; HTTP Message = Forbidden');
		expect(answer.body.error.type).toBe('OAuthException');
		expect(emulator.webhookState().subscriptions).toEqual([]);
		expect(emulator.stats().rejected).toEqual({ 2200: 1 });
	});

	test('a receiver that is down, or answers something else than the challenge: 2200', async () => {
		const emulator = await startEmulator();
		const down = await startReceiver();
		await down.close();
		const refused = await subscribeApp(emulator, down.url, 'messages');
		expect(errorOf(refused)).toEqual({ status: 400, code: 2200 });
		expect(refused.body.error.message).toBe("(#2200) Callback verification failed with the following errors: curl_errno = 7; curl_error = Couldn't connect to server");

		const receiver = await startReceiver();
		receiver.answer = () => ({ status: 200, body: 'ok' });
		const mismatch = await subscribeApp(emulator, receiver.url, 'messages');
		const challenge = receiver.requests[0].query['hub.challenge'];
		expect(mismatch.body.error.message).toBe(
			`(#2200) Callback verification failed with the following errors: HTTP Status Code = 200; HTTP Message = OK; The challenge did not match: expected "${challenge}", received "ok"`,
		);
		receiver.answer = () => ({ status: 500, body: 'boom' });
		expect((await subscribeApp(emulator, receiver.url, 'messages')).body.error.message).toBe(
			'(#2200) Callback verification failed with the following errors: HTTP Status Code = 500; HTTP Message = Internal Server Error',
		);
		expect(emulator.webhookState().subscriptions).toEqual([]);
	});

	test('a callback URL with a query gets the hub parameters appended with &', async () => {
		const emulator = await startEmulator();
		const receiver = await startReceiver();
		expect((await subscribeApp(emulator, `${receiver.url}?workflow=42`, 'messages')).body).toEqual({ success: true });
		expect(receiver.requests[0].url).toMatch(/^\/webhook\?workflow=42&hub\.mode=subscribe&hub\.verify_token=test-verify-token&hub\.challenge=\d{10}$/);
	});

	test('a verification that takes long does not hold up other Graph requests', async () => {
		const emulator = await startEmulator();
		const receiver = await startReceiver();
		receiver.answer = (request) => ({ status: 200, body: request.query['hub.challenge'], delayMs: 400 });
		const subscribing = subscribeApp(emulator, receiver.url, 'messages');
		await waitFor(() => receiver.requests.length === 1);
		const started = Date.now();
		expect((await send(emulator, textMessage('meanwhile'))).status).toBe(200);
		expect(Date.now() - started).toBeLessThan(300);
		expect((await subscribing).body).toEqual({ success: true });
	});

	test('tokens: a wrong or missing app token 190, a Page token 100, another app ID 100/33', async () => {
		const emulator = await startEmulator();
		const receiver = await startReceiver();
		const form = () => new URLSearchParams({ object: 'page', callback_url: receiver.url, verify_token: VERIFY_TOKEN, fields: 'messages' });
		const path = `/v25.0/${DEFAULT_APP.id}/subscriptions`;
		const wrong = await call(emulator, path, form(), { token: `${DEFAULT_APP.id}|not-the-secret` });
		expect(errorOf(wrong)).toEqual({ status: 400, code: 190 });
		expect(wrong.body.error).toMatchObject({ type: 'OAuthException', message: 'Invalid OAuth access token - Cannot parse access token' });
		expect(errorOf(await call(emulator, path, form(), { token: null }))).toEqual({ status: 400, code: 190 });
		const pageToken = await call(emulator, path, form(), { token: TOKEN });
		expect(errorOf(pageToken)).toEqual({ status: 400, code: 100 });
		expect(pageToken.body.error.message).toBe('(#100) This call needs an app access token ({app-id}|{app-secret}), not a Page access token');
		expect(errorOf(await call(emulator, '/v25.0/999/subscriptions', form(), { token: APP_TOKEN }))).toEqual({ status: 400, code: 100, subcode: 33 });
		expect(errorOf(await call(emulator, `/v25.0/${DEFAULT_APP.id}/subscriptions`, undefined, { token: TOKEN }))).toEqual({ status: 400, code: 100 });
		// None of these reached the receiver.
		expect(receiver.requests).toHaveLength(0);
	});

	test('parameters: fields as a comma list or JSON array; unknown field, object or missing parameters 100', async () => {
		const emulator = await startEmulator();
		const receiver = await startReceiver();
		const unknown = await subscribeApp(emulator, receiver.url, 'messages,feed');
		expect(errorOf(unknown)).toEqual({ status: 400, code: 100 });
		expect(unknown.body.error.message).toMatch(/^\(#100\) Param fields\[1\] must be one of \{messages, messaging_postbacks, .*\} - got "feed"$/);
		expect(errorOf(await subscribeApp(emulator, receiver.url, 'messages', 'user'))).toEqual({ status: 400, code: 100 });
		expect(errorOf(await subscribeApp(emulator, receiver.url, ''))).toEqual({ status: 400, code: 100 });
		expect(errorOf(await subscribeApp(emulator, 'ftp://example.com/hook', 'messages'))).toEqual({ status: 400, code: 100 });
		expect(errorOf(await subscribeApp(emulator, receiver.url, 'messages', 'page', ''))).toEqual({ status: 400, code: 100 });
		// Instagram has its own list.
		expect(errorOf(await subscribeApp(emulator, receiver.url, 'message_reads', 'instagram'))).toEqual({ status: 400, code: 100 });
		expect(receiver.requests).toHaveLength(0);

		const json = await call(
			emulator,
			`/v25.0/${DEFAULT_APP.id}/subscriptions`,
			{ object: 'page', callback_url: receiver.url, verify_token: VERIFY_TOKEN, fields: ['messages', 'message_reads'], include_values: true },
			{ token: APP_TOKEN },
		);
		expect(json.body).toEqual({ success: true });
		expect(emulator.webhookState().subscriptions[0].fields).toEqual(['messages', 'message_reads']);
		const arrayString = await subscribeApp(emulator, receiver.url, '["messaging_postbacks"]');
		expect(arrayString.body).toEqual({ success: true });
		expect(emulator.webhookState().subscriptions[0].fields).toEqual(['messaging_postbacks']);
	});

	test('a new POST replaces the object\'s subscription (URL and fields); each object has its own', async () => {
		const emulator = await startEmulator();
		const first = await startReceiver();
		const second = await startReceiver('second-token', '/other');
		await subscribeApp(emulator, first.url, 'messages,message_echoes');
		await subscribeApp(emulator, second.url, 'messaging_postbacks', 'page', 'second-token');
		await subscribeApp(emulator, first.url, 'messages,messaging_seen', 'instagram');
		expect(emulator.webhookState().subscriptions).toEqual([
			{ appId: DEFAULT_APP.id, object: 'page', callback_url: second.url, fields: ['messaging_postbacks'], verify_token: 'second-token' },
			{ appId: DEFAULT_APP.id, object: 'instagram', callback_url: first.url, fields: ['messages', 'messaging_seen'], verify_token: VERIFY_TOKEN },
		]);
	});

	test('DELETE removes fields of one object, one object, or everything', async () => {
		const emulator = await startEmulator();
		const receiver = await startReceiver();
		const path = `/v25.0/${DEFAULT_APP.id}/subscriptions`;
		const del = async (query: string) => await call(emulator, `${path}${query}`, undefined, { method: 'DELETE', token: APP_TOKEN });
		await subscribeApp(emulator, receiver.url, 'messages,message_echoes,messaging_postbacks');
		await subscribeApp(emulator, receiver.url, 'messages', 'instagram');

		expect((await del('?object=page&fields=message_echoes,messaging_postbacks')).body).toEqual({ success: true });
		expect(emulator.webhookState().subscriptions.map(({ object, fields }) => ({ object, fields }))).toEqual([
			{ object: 'page', fields: ['messages'] },
			{ object: 'instagram', fields: ['messages'] },
		]);
		// The last field takes the subscription with it.
		expect((await del('?object=page&fields=messages')).body).toEqual({ success: true });
		expect(emulator.webhookState().subscriptions.map(({ object }) => object)).toEqual(['instagram']);

		await subscribeApp(emulator, receiver.url, 'messages');
		expect((await del('?object=instagram')).body).toEqual({ success: true });
		expect(emulator.webhookState().subscriptions.map(({ object }) => object)).toEqual(['page']);
		await subscribeApp(emulator, receiver.url, 'messages', 'instagram');
		expect((await del('')).body).toEqual({ success: true });
		expect(emulator.webhookState().subscriptions).toEqual([]);

		expect(errorOf(await del('?fields=messages'))).toEqual({ status: 400, code: 100 });
		expect(errorOf(await del('?object=user'))).toEqual({ status: 400, code: 100 });
		expect(errorOf(await call(emulator, path, undefined, { method: 'DELETE', token: TOKEN }))).toEqual({ status: 400, code: 100 });
	});
});

describe('{page}/subscribed_apps', () => {
	test('POST sets the Page\'s fields, GET lists the app, DELETE removes it (Page token)', async () => {
		const emulator = await startEmulator();
		const empty = await call(emulator, '/v25.0/me/subscribed_apps');
		expect(empty.status).toBe(200);
		expect(empty.body).toEqual({ data: [] });

		expect((await subscribePage(emulator, 'messages,messaging_postbacks')).body).toEqual({ success: true });
		expect((await call(emulator, `/v25.0/${PAGE.id}/subscribed_apps`)).body).toEqual({
			data: [{ id: DEFAULT_APP.id, name: 'Demo App', subscribed_fields: ['messages', 'messaging_postbacks'] }],
		});
		// Replaced, not merged; a JSON array works too.
		expect((await call(emulator, '/v25.0/me/subscribed_apps', { subscribed_fields: ['message_reads'] })).body).toEqual({ success: true });
		expect(emulator.webhookState().subscribedApps).toEqual([{ pageId: PAGE.id, appId: DEFAULT_APP.id, fields: ['message_reads'] }]);

		expect((await call(emulator, '/v25.0/me/subscribed_apps', undefined, { method: 'DELETE' })).body).toEqual({ success: true });
		expect((await call(emulator, '/v25.0/me/subscribed_apps')).body).toEqual({ data: [] });
		expect(emulator.sendOperations()).toEqual([]);
		expect(emulator.stats()).toMatchObject({ accepted: 0, faults: {} });
	});

	test('an app token, another Page, a missing or unknown field, a missing proof are refused', async () => {
		const emulator = await startEmulator({ pages: [{ ...PAGE, appSecret: APP_SECRET, requireAppSecretProof: true }, OTHER_PAGE] });
		expect(errorOf(await subscribePage(emulator, 'messages', APP_TOKEN))).toEqual({ status: 400, code: 190 });
		expect(errorOf(await call(emulator, `/v25.0/${PAGE.id}/subscribed_apps`, new URLSearchParams({ subscribed_fields: 'messages' }), { token: OTHER_PAGE.token }))).toEqual({
			status: 400,
			code: 100,
			subcode: 33,
		});
		expect(errorOf(await subscribePage(emulator, 'messages', OTHER_PAGE.token))).toEqual({ status: 200, code: undefined });
		expect(errorOf(await subscribePage(emulator, '', OTHER_PAGE.token))).toEqual({ status: 400, code: 100 });
		const unknown = await subscribePage(emulator, 'messages,feed', OTHER_PAGE.token);
		expect(unknown.body.error.message).toMatch(/^\(#100\) Param subscribed_fields\[1\] must be one of \{.*\} - got "feed"$/);

		// The proof rules of every Page call.
		const noProof = await subscribePage(emulator, 'messages');
		expect(noProof.body.error).toMatchObject({ code: 100, type: 'GraphMethodException', message: 'API calls from the server require an appsecret_proof argument' });
		const proven = await call(emulator, '/v25.0/me/subscribed_apps', new URLSearchParams({ subscribed_fields: 'messages', appsecret_proof: proofFor(TOKEN, APP_SECRET) }));
		expect(proven.body).toEqual({ success: true });
	});

	test('works inside a batch of Page calls; {app-id}/subscriptions does not', async () => {
		const emulator = await startEmulator();
		const answer = await batch(emulator, [
			{ method: 'POST', relative_url: 'me/subscribed_apps', body: 'subscribed_fields=messages' },
			{ method: 'GET', relative_url: 'me/subscribed_apps' },
			{ method: 'GET', relative_url: `${DEFAULT_APP.id}/subscriptions` },
		]);
		expect(answer.body.map((entry: { code: number }) => entry.code)).toEqual([200, 200, 400]);
		expect(JSON.parse(answer.body[1].body)).toEqual({ data: [{ id: DEFAULT_APP.id, name: 'Demo App', subscribed_fields: ['messages'] }] });
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

describe('echoes of the Page\'s sends', () => {
	test('an accepted send produces its echo with the message_id, app_id and metadata; the answer does not wait for it', async () => {
		const { emulator, receiver } = await subscribed();
		receiver.answer = (request) => (request.method === 'POST' ? { status: 200, body: 'EVENT_RECEIVED', delayMs: 500 } : undefined);
		const started = Date.now();
		const sent = await send(emulator, {
			recipient: { id: PSID },
			messaging_type: 'RESPONSE',
			message: { text: 'Your order shipped', metadata: 'order-1042', quick_replies: [{ content_type: 'text', title: 'Track', payload: 'TRACK' }] },
		});
		expect(Date.now() - started).toBeLessThan(400);
		expect(sent.body).toEqual({ recipient_id: PSID, message_id: 'm_1' });
		const [delivery] = await emulator.settleWebhooks();
		expect(delivery.fields).toEqual(['message_echoes']);
		const [post] = receiver.posts();
		const event = parsed(post).entry[0].messaging[0];
		expect(event).toEqual({
			sender: { id: PAGE.id },
			recipient: { id: PSID },
			timestamp: emulator.inbox[0].receivedAt,
			message: {
				mid: 'm_1',
				is_echo: true,
				app_id: APP_ID_NUMBER,
				metadata: 'order-1042',
				text: 'Your order shipped',
				quick_replies: [{ content_type: 'text', title: 'Track', payload: 'TRACK' }],
			},
		});
		expect(post.raw.toString('utf8')).toContain(`"message":{"mid":"m_1","is_echo":true,"app_id":${DEFAULT_APP.id},"metadata":"order-1042"`);
	});

	test('attachments echo as URLs; sends in a batch echo too, in order', async () => {
		const { emulator, receiver } = await subscribed();
		await send(emulator, { recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { attachment: { type: 'image', payload: { url: 'https://example.com/p.jpg' } } } });
		const answer = await batch(emulator, [messageOp('first in batch'), messageOp('second in batch', {}, '42')]);
		expect(answer.body.map((entry: { code: number }) => entry.code)).toEqual([200, 200]);
		await emulator.settleWebhooks();
		const messages = receiver.posts().map((post) => parsed(post).entry[0].messaging[0]);
		expect(messages.map((event) => [event.recipient.id, event.message])).toEqual([
			[PSID, { mid: 'm_1', is_echo: true, app_id: APP_ID_NUMBER, attachments: [{ type: 'image', payload: { url: 'https://example.com/p.jpg' } }] }],
			[PSID, { mid: 'm_2', is_echo: true, app_id: APP_ID_NUMBER, text: 'first in batch' }],
			['42', { mid: 'm_3', is_echo: true, app_id: APP_ID_NUMBER, text: 'second in batch' }],
		]);
	});

	test('sender actions, rejected sends, user_ref and private replies produce no echo', async () => {
		const { emulator, receiver } = await subscribed();
		await send(emulator, { recipient: { id: PSID }, sender_action: 'typing_on' });
		await send(emulator, { recipient: { id: PSID }, sender_action: 'mark_seen' });
		await send(emulator, textMessage('x'.repeat(2000)));
		await send(emulator, textMessage('to a ref', { user_ref: 'ref-1' }));
		await send(emulator, textMessage('private reply', { comment_id: '1_2' }));
		expect(emulator.inbox).toHaveLength(4);
		expect(await emulator.settleWebhooks()).toEqual([]);
		expect(receiver.posts()).toHaveLength(0);
	});

	test('without message_echoes on both sides there is no echo', async () => {
		const emulator = await startEmulator();
		const receiver = await startReceiver();
		await subscribeApp(emulator, receiver.url, 'messages,message_echoes');
		await subscribePage(emulator, 'messages');
		await send(emulator, textMessage('not echoed'));
		expect(await emulator.settleWebhooks()).toEqual([]);
	});

	test('deliveryReceipts: each accepted message send is followed by a delivery from the person', async () => {
		const { emulator, receiver } = await subscribed(ALL_FIELDS, { deliveryReceipts: true });
		await send(emulator, textMessage('receipt please'));
		await send(emulator, { recipient: { id: PSID }, sender_action: 'typing_on' });
		await emulator.settleWebhooks();
		const events = receiver.posts().map((post) => parsed(post).entry[0].messaging[0]);
		expect(events).toHaveLength(2);
		const { receivedAt } = emulator.inbox[0];
		expect(events[1]).toEqual({ sender: { id: PSID }, recipient: { id: PAGE.id }, timestamp: receivedAt, delivery: { mids: ['m_1'], watermark: receivedAt } });
		expect(emulator.deliveries.map((delivery) => delivery.fields)).toEqual([['message_echoes'], ['message_deliveries']]);
	});

	test('a send whose answer is dropped after delivery still echoes', async () => {
		const { emulator, receiver } = await subscribed(ALL_FIELDS, { faults: { dropAfterDelivery: { schedule: [1] } } });
		await expect(send(emulator, textMessage('ambiguous'))).rejects.toThrow();
		await emulator.settleWebhooks();
		expect(parsed(receiver.posts()[0]).entry[0].messaging[0].message).toMatchObject({ mid: 'm_1', is_echo: true });
	});
});

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

		// The Conversations API still lists only the Page's messages.
		const thread = await call(emulator, `/v25.0/${emulator.threadId(PSID)}?fields=messages{id,from,message}`);
		expect(thread.body.messages.data).toEqual([{ id: 'm_1', from: { id: PAGE.id, name: PAGE.name }, message: 'Hi Ana! How can we help?' }]);
		expect((await call(emulator, '/v25.0/me/conversations?platform=messenger&user_id=42')).body).toEqual({ data: [] });
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

describe('apps', () => {
	test('several apps: each Page\'s events go to its own app, signed with that app\'s secret', async () => {
		const other = { id: '9988776655', secret: 'OTHER-APP-SECRET', name: 'Other App' };
		const emulator = await startEmulator({ apps: [DEFAULT_APP, other], pages: [PAGE, { ...OTHER_PAGE, appId: other.id }] });
		const receiver = await startReceiver();
		const form = new URLSearchParams({ object: 'page', callback_url: receiver.url, verify_token: VERIFY_TOKEN, fields: 'messages' });
		expect((await call(emulator, `/v25.0/${other.id}/subscriptions`, form, { token: `${other.id}|${other.secret}` })).body).toEqual({ success: true });
		expect(errorOf(await call(emulator, `/v25.0/${other.id}/subscriptions`, undefined, { token: APP_TOKEN }))).toEqual({ status: 400, code: 100, subcode: 33 });
		await subscribePage(emulator, 'messages', OTHER_PAGE.token);
		expect((await call(emulator, '/v25.0/me/subscribed_apps', undefined, { token: OTHER_PAGE.token })).body.data[0]).toMatchObject({ id: other.id, name: 'Other App' });

		expect((await emulator.personMessage({ psid: PSID, text: 'to Demo Shop' })).delivery).toBeNull();
		await emulator.personMessage({ psid: PSID, text: 'to Other Shop', pageId: OTHER_PAGE.id });
		const [post] = receiver.posts();
		expect(parsed(post).entry[0].id).toBe(OTHER_PAGE.id);
		expect(post.headers['x-hub-signature-256']).toBe(`sha256=${hmac('sha256', other.secret, post.raw)}`);
	});
});

describe('command line', () => {
	test('--app-id and --app-secret make the app (also the Page\'s proof secret); --delivery-receipts', async () => {
		const child = spawn('npx', ['tsx', 'emulator/cli.cts', '--port', '0', '--app-id', '777', '--app-secret', 'TEST-CLI-SECRET', '--delivery-receipts'], {
			cwd: path.resolve(__dirname, '../..'),
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		try {
			const url = await new Promise<string>((resolve, reject) => {
				let stdout = '';
				const timer = setTimeout(() => reject(new Error('no listening line within 15 s')), 15_000);
				child.stdout.on('data', (chunk: Buffer) => {
					stdout += chunk.toString();
					const match = stdout.match(/listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
					if (match) {
						clearTimeout(timer);
						resolve(match[1]);
					}
				});
			});
			const receiver = await startReceiver();
			const graph = async (route: string, body: URLSearchParams | undefined, token: string) => {
				const response = await fetch(`${url}/v25.0/${route}`, { method: body ? 'POST' : 'GET', headers: { authorization: `Bearer ${token}` }, body });
				return { status: response.status, body: await response.json() };
			};
			const subscription = new URLSearchParams({ object: 'page', callback_url: receiver.url, verify_token: VERIFY_TOKEN, fields: 'message_echoes,message_deliveries' });
			expect((await graph(`${DEFAULT_APP.id}/subscriptions`, subscription, APP_TOKEN)).body.error.code).toBe(190);
			expect((await graph('777/subscriptions', subscription, '777|TEST-CLI-SECRET')).body).toEqual({ success: true });
			const pageToken = 'DEMO-PAGE-TOKEN';
			const fields = new URLSearchParams({ subscribed_fields: 'message_echoes,message_deliveries', appsecret_proof: 'wrong' });
			expect((await graph('me/subscribed_apps', fields, pageToken)).body.error.message).toBe('Invalid appsecret_proof provided in the API argument');
			fields.set('appsecret_proof', proofFor(pageToken, 'TEST-CLI-SECRET'));
			expect((await graph('me/subscribed_apps', fields, pageToken)).body).toEqual({ success: true });
			const message = new URLSearchParams({ recipient: JSON.stringify({ id: PSID }), messaging_type: 'RESPONSE', message: JSON.stringify({ text: 'hi' }) });
			expect((await graph('me/messages', message, pageToken)).status).toBe(200);
			await waitFor(() => receiver.posts().length === 2);
			const [echo, receipt] = receiver.posts();
			expect(parsed(echo).entry[0].messaging[0].message).toEqual({ mid: 'm_1', is_echo: true, app_id: 777, text: 'hi' });
			expect(parsed(receipt).entry[0].messaging[0].delivery.mids).toEqual(['m_1']);
			expect(echo.headers['x-hub-signature-256']).toBe(`sha256=${hmac('sha256', 'TEST-CLI-SECRET', echo.raw)}`);
		} finally {
			const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve));
			try {
				process.kill(-child.pid!, 'SIGTERM');
			} catch {
				// already gone
			}
			await exited;
		}
	}, 25_000);
});
