// The emulator's time-stamped appsecret_proof: HMAC over token|time, refused past 5 minutes
// with the same Graph error as a wrong proof.
import { createHmac } from 'node:crypto';

import { APP_SECRET, batch, call, messageOp, PAGE, proofFor, startEmulator, textMessage, TOKEN } from './helpers.cjs';

const withSecret = { ...PAGE, appSecret: APP_SECRET, requireAppSecretProof: true };
const INVALID_PROOF = { message: 'Invalid appsecret_proof provided in the API argument', type: 'GraphMethodException', code: 100 };

function timedProof(time: number | string): Record<string, string> {
	return { appsecret_proof: createHmac('sha256', APP_SECRET).update(`${TOKEN}|${time}`).digest('hex'), appsecret_time: String(time) };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const query = (params: Record<string, string>) => `/v25.0/me/messages?${new URLSearchParams(params).toString()}`;

test('a correct proof whose time is more than 5 minutes old (or ahead) is refused as an invalid proof', async () => {
	const emulator = await startEmulator({ pages: [withSecret] });
	expect((await call(emulator, query(timedProof(nowSeconds() - 240)), textMessage('4 minutes old'))).status).toBe(200);
	for (const time of [nowSeconds() - 301, nowSeconds() - 3600, nowSeconds() + 400, 'not-a-time']) {
		const stale = await call(emulator, query(timedProof(time)), textMessage(`sent at ${time}`));
		expect(stale.status).toBe(400);
		expect(stale.body.error).toMatchObject(INVALID_PROOF);
	}
	expect(emulator.inbox.map((entry) => entry.message?.text)).toEqual(['4 minutes old']);
});

test('in a batch, a stale operation proof fails that operation only; a stale top-level proof fails the batch', async () => {
	const emulator = await startEmulator({ pages: [withSecret] });
	const withProof = (text: string, params: Record<string, string>) => ({ ...messageOp(text), body: `${messageOp(text).body as string}&${new URLSearchParams(params).toString()}` });
	const answer = await batch(emulator, [withProof('fresh', timedProof(nowSeconds())), withProof('stale', timedProof(nowSeconds() - 600))]);
	expect(answer.body[0].code).toBe(200);
	expect(answer.body[1].code).toBe(400);
	expect(JSON.parse(answer.body[1].body).error).toMatchObject(INVALID_PROOF);

	const staleTop = await batch(emulator, [messageOp('x')], timedProof(nowSeconds() - 600));
	expect(staleTop.status).toBe(400);
	expect(staleTop.body.error).toMatchObject(INVALID_PROOF);
	expect(emulator.inbox.map((entry) => entry.message?.text)).toEqual(['fresh']);
});

test('an operation with its own plain proof is not checked against the top-level appsecret_time', async () => {
	const emulator = await startEmulator({ pages: [withSecret] });
	const plain = { ...messageOp('own plain proof'), body: `${messageOp('own plain proof').body as string}&appsecret_proof=${proofFor(TOKEN, APP_SECRET)}` };
	const answer = await batch(emulator, [plain, messageOp('inherits the timed proof')], timedProof(nowSeconds()));
	expect(answer.body.map((entry: { code: number }) => entry.code)).toEqual([200, 200]);
});
