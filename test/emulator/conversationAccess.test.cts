// The Conversations API (read side), what may read it and how: the parameters it requires, the read
// permission (also an Instagram account's, switched at run time and by the CLI), Instagram's newest
// 20 messages, tokens and proofs, latency and faults. Finding a sent message: conversationLookup.test.cts.
import { spawn } from 'node:child_process';
import path from 'node:path';

import type { EmulatorPage } from '../../emulator/graphEmulator.cjs';
import { ALL_FIELDS, at, lookup, message, sendMany, thread } from './conversationHelpers.cjs';
import { APP_SECRET, call, errorOf, PAGE, proofFor, PSID, send, startEmulator, textMessage, TOKEN } from './helpers.cjs';

const IG_TOKEN = 'DUMMY-IG-TOKEN';
const IG_ACCOUNT: EmulatorPage = { id: '17841400000000001', name: 'Demo Shop on Instagram', token: IG_TOKEN, platform: 'instagram' };
const NO_PERMISSION = {
	message:
		'(#200) The permission(s) pages_read_engagement,pages_manage_metadata are not available. It could because either they are not approved for the app or the app is not in live mode. Also make sure the user has granted the permission to the app.',
	type: 'OAuthException',
	code: 200,
	fbtrace_id: expect.any(String),
};

describe('parameters', () => {
	test('platform is required and must match the account; bad fields or limits → 100', async () => {
		const emulator = await startEmulator({ pages: [PAGE, IG_ACCOUNT] });
		await send(emulator, textMessage('x'));
		const missing = await call(emulator, `/v25.0/me/conversations?user_id=${PSID}`);
		expect(missing.body).toEqual({
			error: { message: '(#100) The parameter platform is required (messenger for this Page)', type: 'OAuthException', code: 100, fbtrace_id: expect.any(String) },
		});
		const wrong = await call(emulator, `/v25.0/me/conversations?platform=instagram&user_id=${PSID}`);
		expect(wrong.body.error).toEqual({
			message: "(#100) platform must be messenger for this Page, not 'instagram'",
			type: 'OAuthException',
			code: 100,
			fbtrace_id: expect.any(String),
		});
		const igWrong = await call(emulator, '/v25.0/me/conversations?platform=messenger', undefined, { token: IG_TOKEN });
		expect(igWrong.body.error.message).toBe("(#100) platform must be instagram for this Instagram account, not 'messenger'");
		expect((await call(emulator, '/v25.0/me/conversations?platform=instagram', undefined, { token: IG_TOKEN })).body).toEqual({ data: [] });

		const id = emulator.threadId(PSID);
		for (const bad of [thread(id, 'messages{id,bogus}'), thread(id, 'snippet'), thread(id, 'messages.limit(0){id}'), thread(id, 'messages.limit(x)'), thread(id, 'messages{id')]) {
			expect(errorOf(await call(emulator, bad))).toEqual({ status: 400, code: 100 });
		}
		expect((await call(emulator, thread(id, 'messages{id,bogus}'))).body.error.message).toBe(
			'(#100) Tried accessing nonexisting field (bogus) on node type (Message)',
		);
		expect(errorOf(await call(emulator, lookup(PSID, '&limit=-1')))).toEqual({ status: 400, code: 100 });
		// Only GET reads conversations; a POST keeps the unknown-edge answer.
		expect(errorOf(await call(emulator, '/v25.0/me/conversations', { platform: 'messenger' }))).toEqual({ status: 400, code: 2500 });
		expect(emulator.inbox).toHaveLength(1);
	});
});

describe('permissions', () => {
	test('without the read permission both endpoints answer 403 with Graph error 200; sends still work', async () => {
		const emulator = await startEmulator({ pages: [{ ...PAGE, canReadConversations: false }] });
		expect((await send(emulator, textMessage('sent fine'))).status).toBe(200);
		for (const path of [lookup(), thread(emulator.threadId(PSID)), thread('t_12345')]) {
			const answer = await call(emulator, path);
			expect(answer.status).toBe(403);
			expect(answer.body).toEqual({ error: NO_PERMISSION });
		}
		expect(emulator.stats().rejected).toEqual({ 200: 3 });
	});

	test('an Instagram account names its own permissions', async () => {
		const emulator = await startEmulator({ pages: [{ ...IG_ACCOUNT, canReadConversations: false }] });
		const answer = await call(emulator, '/v25.0/me/conversations?platform=instagram', undefined, { token: IG_TOKEN });
		expect(answer.status).toBe(403);
		expect(answer.body.error).toEqual({
			...NO_PERMISSION,
			message: NO_PERMISSION.message.replace('pages_read_engagement,pages_manage_metadata', 'instagram_basic,instagram_manage_messages,pages_manage_metadata'),
		});
	});

	test('switched at run time through configure() and POST /__emulator/config', async () => {
		const emulator = await startEmulator();
		await send(emulator, textMessage('x'));
		emulator.configure({ pages: [{ ...PAGE, canReadConversations: false }] });
		expect(errorOf(await call(emulator, lookup()))).toEqual({ status: 403, code: 200 });
		await call(emulator, '/__emulator/config', { pages: [PAGE] }, { token: null });
		expect((await call(emulator, lookup())).status).toBe(200);
		await call(emulator, '/__emulator/config', { pages: [{ ...PAGE, canReadConversations: false }] }, { token: null });
		expect(errorOf(await call(emulator, lookup()))).toEqual({ status: 403, code: 200 });
	});

	test('the CLI’s --no-conversations-permission', async () => {
		const root = path.resolve(__dirname, '../..');
		const child = spawn('npx', ['tsx', 'emulator/cli.cts', '--port', '0', '--token', TOKEN, '--no-conversations-permission'], {
			cwd: root,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
		try {
			const url = await new Promise<string>((resolve, reject) => {
				let stdout = '';
				const timer = setTimeout(() => reject(new Error('no listening line within 15 s')), 15_000);
				child.stdout!.on('data', (chunk: Buffer) => {
					stdout += chunk.toString();
					const match = stdout.match(/listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
					if (match) {
						clearTimeout(timer);
						resolve(match[1]);
					}
				});
			});
			const answer = await fetch(`${url}${lookup()}`, { headers: { authorization: `Bearer ${TOKEN}` } });
			expect(answer.status).toBe(403);
			expect(((await answer.json()) as { error: { code: number } }).error.code).toBe(200);
		} finally {
			try {
				process.kill(-child.pid!, 'SIGTERM');
			} catch {
				// already gone
			}
		}
		await exited;
	}, 25_000);
});

describe('Instagram', () => {
	test('only the newest 20 messages of a thread can be read, whatever the limit', async () => {
		const emulator = await startEmulator({ pages: [IG_ACCOUNT] });
		await sendMany(emulator, 26, IG_TOKEN);
		const threads = await call(emulator, `/v25.0/me/conversations?platform=instagram&user_id=${PSID}`, undefined, { token: IG_TOKEN });
		const id = emulator.threadId(PSID, IG_ACCOUNT.id);
		expect(threads.body.data).toEqual([{ id, updated_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/) }]);

		const ids = async (fields: string) =>
			((await call(emulator, thread(id, fields), undefined, { token: IG_TOKEN })).body.messages.data as Array<{ id: string }>).map((entry) => entry.id);
		const newest = (count: number) => Array.from({ length: count }, (_, i) => `m_${26 - i}`);
		expect(await ids('messages.limit(50){id}')).toEqual(newest(20));
		expect(await ids('messages{id}')).toEqual(newest(20));
		expect(await ids('messages.limit(5){id}')).toEqual(newest(5));
		const oldest = await call(emulator, thread(id, 'messages.limit(20){id,from,to,message}'), undefined, { token: IG_TOKEN });
		expect(oldest.body.messages.data[19]).toEqual({ id: 'm_7', from: { id: IG_ACCOUNT.id, name: IG_ACCOUNT.name }, to: { data: [{ id: PSID }] }, message: 'message 7' });
	});
});

describe('tokens, proofs, latency and faults', () => {
	test('no token or an unknown one → 190; appsecret_proof is checked as for sends', async () => {
		const emulator = await startEmulator({ pages: [{ ...PAGE, appSecret: APP_SECRET, requireAppSecretProof: true }] });
		const proof = `&appsecret_proof=${proofFor(TOKEN, APP_SECRET)}`;
		await call(emulator, `/v25.0/me/messages?appsecret_proof=${proofFor(TOKEN, APP_SECRET)}`, textMessage('x'));
		const id = emulator.threadId(PSID);

		for (const path of [lookup(PSID, proof), `${thread(id)}${proof}`]) {
			expect(errorOf(await call(emulator, path, undefined, { token: null }))).toEqual({ status: 400, code: 190 });
			expect(errorOf(await call(emulator, path, undefined, { token: 'TEST-NOT-A-TOKEN' }))).toEqual({ status: 400, code: 190 });
			expect((await call(emulator, path)).status).toBe(200);
		}
		for (const path of [lookup(), thread(id)]) {
			const missing = await call(emulator, path);
			expect(missing.body.error).toEqual({
				message: 'API calls from the server require an appsecret_proof argument',
				type: 'GraphMethodException',
				code: 100,
				fbtrace_id: expect.any(String),
			});
			const wrong = await call(emulator, `${path}${path.includes('?') ? '&' : '?'}appsecret_proof=${proofFor(TOKEN, 'TEST-NOT-THE-SECRET')}`);
			expect(wrong.body.error.message).toBe('Invalid appsecret_proof provided in the API argument');
		}
		// access_token as a query parameter works as for other calls.
		expect((await call(emulator, `${lookup(PSID, proof)}&access_token=${TOKEN}`, undefined, { token: null })).body.data).toHaveLength(1);
	});

	test('a send dropped after delivery is visible to the lookup; lookups take no fault ordinal and no rate-cap slot', async () => {
		const emulator = await startEmulator({
			faults: { dropAfterDelivery: { probability: 1 } },
			rateCapPerSecond: 2,
			latencyMs: 100,
		});
		at('2026-12-01T09:14:13.002Z');
		await expect(send(emulator, textMessage('did this arrive?'))).rejects.toThrow();
		// From now on only send operation 2 fails (configure keeps the ordinals).
		emulator.configure({ faults: { http5xx: { schedule: [2] } } });
		const started = performance.now();
		for (let i = 0; i < 3; i += 1) {
			const found = await call(emulator, lookup(PSID, `&fields=${encodeURIComponent(`messages.limit(1)${ALL_FIELDS}`)}`));
			expect(found.status).toBe(200);
			expect(found.body).toEqual({
				data: [{ id: emulator.threadId(PSID), messages: { data: [message('m_1', '2026-12-01T09:14:13+0000', 'did this arrive?')] } }],
			});
		}
		// Latency applies to reads as to every Graph answer.
		expect(performance.now() - started).toBeGreaterThanOrEqual(290);

		// The next send is still operation 2: the scheduled 5xx hits it, not a lookup.
		expect(errorOf(await send(emulator, textMessage('second send')))).toEqual({ status: 500, code: 2 });
		expect((await send(emulator, textMessage('third send'))).body).toEqual({ recipient_id: PSID, message_id: 'm_2' });
		expect(emulator.stats()).toEqual({ requests: 6, accepted: 2, rejected: {}, faults: { dropAfterDelivery: 1, http5xx: 1 }, notRun: 0, cutOff: 0 });
	});
});
