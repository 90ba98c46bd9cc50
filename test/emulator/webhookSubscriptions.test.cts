// The webhook side, subscriptions: the app's ({app-id}/subscriptions, with Meta's verification call
// to the callback URL) and the Page's subscribed apps. The other webhook files: deliveries of the
// person's events (webhookDeliveries), echoes of the Page's sends (webhookEchoes), the test controls
// and the transcript (webhookControls), several apps and the command line (webhookApps); what they
// share is in helpers.cts.
import { DEFAULT_APP } from '../../emulator/graphEmulator.cjs';
import {
	APP_SECRET,
	APP_TOKEN,
	batch,
	call,
	errorOf,
	OTHER_PAGE,
	PAGE,
	proofFor,
	send,
	startEmulator,
	startReceiver,
	subscribeApp,
	subscribePage,
	textMessage,
	TOKEN,
	VERIFY_TOKEN,
	waitFor,
} from './helpers.cjs';

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
		// A verification held 5 s against a send answered well within it, even on a loaded CI machine.
		receiver.answer = (request) => ({ status: 200, body: request.query['hub.challenge'], delayMs: 5000 });
		const subscribing = subscribeApp(emulator, receiver.url, 'messages');
		await waitFor(() => receiver.requests.length === 1);
		const started = Date.now();
		expect((await send(emulator, textMessage('meanwhile'))).status).toBe(200);
		expect(Date.now() - started).toBeLessThan(2500);
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
