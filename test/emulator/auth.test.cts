// Tokens, appsecret_proof, Page IDs, versions and the node endpoint (GET /{version}/me).
import { createHmac } from 'node:crypto';

import { APP_SECRET, call, errorOf, OTHER_PAGE, PAGE, proofFor, PSID, send, startEmulator, textMessage, TOKEN } from './helpers.cjs';

describe('access token', () => {
	test('Bearer header, access_token query and access_token form field all work', async () => {
		const emulator = await startEmulator();
		expect((await send(emulator, textMessage('header'))).status).toBe(200);
		expect((await call(emulator, `/v25.0/me/messages?access_token=${TOKEN}`, textMessage('query'), { token: null })).status).toBe(200);
		const form = new URLSearchParams({ access_token: TOKEN, recipient: JSON.stringify({ id: PSID }), messaging_type: 'RESPONSE', message: '{"text":"form"}' });
		expect((await call(emulator, '/v25.0/me/messages', form, { token: null })).status).toBe(200);
		expect(emulator.inbox).toHaveLength(3);
	});

	test.each([
		['missing', null],
		['unknown', 'TEST-WRONG-TOKEN'],
	])('%s token → 190 OAuthException, HTTP 400, nothing delivered', async (_label, token) => {
		const emulator = await startEmulator();
		const answer = await send(emulator, textMessage('x'), { token });
		expect(answer.status).toBe(400);
		expect(answer.headers.get('content-type')).toBe('application/json');
		expect(answer.body).toEqual({
			error: { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190, fbtrace_id: expect.stringMatching(/^\w{11}$/) },
		});
		expect(emulator.inbox).toHaveLength(0);
		expect(emulator.stats().rejected).toEqual({ 190: 1 });
	});

	test('the token decides the Page: me, the Page ID, or 100/33 for another ID', async () => {
		const emulator = await startEmulator({ pages: [PAGE, OTHER_PAGE] });
		expect((await call(emulator, `/v25.0/${PAGE.id}/messages`, textMessage('x'))).status).toBe(200);
		const other = await call(emulator, `/v25.0/${OTHER_PAGE.id}/messages`, textMessage('x'));
		expect(errorOf(other)).toEqual({ status: 400, code: 100, subcode: 33 });
		expect(other.body.error.type).toBe('GraphMethodException');
		const asOther = await call(emulator, '/v25.0/me/messages', textMessage('from the other page'), { token: OTHER_PAGE.token });
		expect(asOther.status).toBe(200);
		expect(emulator.inbox.map((entry) => entry.pageId)).toEqual([PAGE.id, OTHER_PAGE.id]);
	});
});

describe('appsecret_proof', () => {
	const withSecret = { ...PAGE, appSecret: APP_SECRET };

	test('a correct proof passes; a wrong one fails even when proofs are not required', async () => {
		const emulator = await startEmulator({ pages: [withSecret] });
		const good = await call(emulator, `/v25.0/me/messages?appsecret_proof=${proofFor(TOKEN, APP_SECRET)}`, textMessage('x'));
		expect(good.status).toBe(200);
		const wrong = await call(emulator, `/v25.0/me/messages?appsecret_proof=${proofFor(TOKEN, 'TEST-NOT-THE-SECRET')}`, textMessage('x'));
		expect(errorOf(wrong)).toEqual({ status: 400, code: 100 });
		expect(wrong.body.error.message).toBe('Invalid appsecret_proof provided in the API argument');
		expect((await send(emulator, textMessage('no proof, not required'))).status).toBe(200);
		expect(emulator.inbox).toHaveLength(2);
	});

	test('when required, a missing proof fails; a proof in the body works too', async () => {
		const emulator = await startEmulator({ pages: [{ ...withSecret, requireAppSecretProof: true }] });
		const missing = await send(emulator, textMessage('x'));
		expect(errorOf(missing)).toEqual({ status: 400, code: 100 });
		expect(missing.body.error.message).toBe('API calls from the server require an appsecret_proof argument');
		const inBody = await send(emulator, { ...textMessage('x'), appsecret_proof: proofFor(TOKEN, APP_SECRET) });
		expect(inBody.status).toBe(200);
	});

	test('the time-stamped variant signs token|time and expires after 5 minutes', async () => {
		const emulator = await startEmulator({ pages: [{ ...withSecret, requireAppSecretProof: true }] });
		const timed = (time: number) => {
			const proof = createHmac('sha256', APP_SECRET).update(`${TOKEN}|${time}`).digest('hex');
			return `/v25.0/me/messages?appsecret_proof=${proof}&appsecret_time=${time}`;
		};
		const now = Math.floor(Date.now() / 1000);
		expect((await call(emulator, timed(now), textMessage('x'))).status).toBe(200);
		expect(errorOf(await call(emulator, timed(now - 600), textMessage('x')))).toEqual({ status: 400, code: 100 });
	});

	test('GET /me checks the proof as well', async () => {
		const emulator = await startEmulator({ pages: [{ ...withSecret, requireAppSecretProof: true }] });
		expect(errorOf(await call(emulator, '/v25.0/me'))).toEqual({ status: 400, code: 100 });
		expect((await call(emulator, `/v25.0/me?appsecret_proof=${proofFor(TOKEN, APP_SECRET)}`)).body).toEqual({ id: PAGE.id, name: PAGE.name });
	});
});

describe('GET /{version}/me and /{version}/{page-id}', () => {
	test('answers the token\'s Page, honouring fields', async () => {
		const emulator = await startEmulator();
		expect((await call(emulator, '/v25.0/me')).body).toEqual({ id: PAGE.id, name: PAGE.name });
		expect((await call(emulator, '/v21.0/me?fields=id,name')).body).toEqual({ id: PAGE.id, name: PAGE.name });
		expect((await call(emulator, `/v25.0/${PAGE.id}?fields=id`)).body).toEqual({ id: PAGE.id });
		expect(errorOf(await call(emulator, '/v25.0/me?fields=email'))).toEqual({ status: 400, code: 100 });
		expect(errorOf(await call(emulator, '/v25.0/me', undefined, { token: null }))).toEqual({ status: 400, code: 190 });
		expect(errorOf(await call(emulator, '/v25.0/9999'))).toEqual({ status: 400, code: 100, subcode: 33 });
		expect(emulator.inbox).toHaveLength(0);
	});
});

describe('paths and versions', () => {
	test('a path without a vNN.N version → 100; an unknown edge → 2500; a wrong method → 100/33', async () => {
		const emulator = await startEmulator();
		expect(errorOf(await call(emulator, '/me/messages', textMessage('x')))).toEqual({ status: 400, code: 100 });
		expect(errorOf(await call(emulator, '/latest/me/messages', textMessage('x')))).toEqual({ status: 400, code: 100 });
		expect(errorOf(await call(emulator, '/v25.0/me/conversations', textMessage('x')))).toEqual({ status: 400, code: 2500 });
		expect(errorOf(await call(emulator, '/v25.0/me/messages'))).toEqual({ status: 400, code: 100, subcode: 33 });
		expect(emulator.inbox).toHaveLength(0);
		expect(emulator.requests).toHaveLength(4);
	});

	test('an unparsable JSON body → 100', async () => {
		const emulator = await startEmulator();
		const response = await fetch(`${emulator.url}/v25.0/me/messages`, {
			method: 'POST',
			headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
			body: '{"recipient":',
		});
		expect(response.status).toBe(400);
		expect((await response.json()).error.code).toBe(100);
		expect(emulator.requests).toHaveLength(1);
	});
});

describe('error answers', () => {
	test('fbtrace_id is random-looking but reproducible from the seed', async () => {
		const traces = async (seed: number) => {
			const emulator = await startEmulator({ seed });
			const ids: string[] = [];
			for (let i = 0; i < 3; i += 1) ids.push((await send(emulator, textMessage(''))).body.error.fbtrace_id);
			return ids;
		};
		const first = await traces(7);
		expect(new Set(first).size).toBe(3);
		expect(await traces(7)).toEqual(first);
		expect(await traces(8)).not.toEqual(first);
	});
});
