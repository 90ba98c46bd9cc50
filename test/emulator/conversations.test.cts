// The Conversations API (read side): how a client finds out whether an uncertain send arrived
// (/work/shared/messenger-send-api.md, "Finding out whether a message arrived").
import { spawn } from 'node:child_process';
import path from 'node:path';

import type { EmulatorPage, GraphEmulator } from '../../emulator/graphEmulator.cjs';
import { APP_SECRET, batch, call, errorOf, messageOp, OTHER_PAGE, PAGE, proofFor, PSID, send, startEmulator, textMessage, TOKEN } from './helpers.cjs';

const OTHER_PSID = '6789012345670000';
const IG_TOKEN = 'DUMMY-IG-TOKEN';
const IG_ACCOUNT: EmulatorPage = { id: '17841400000000001', name: 'Demo Shop on Instagram', token: IG_TOKEN, platform: 'instagram' };
const ALL_FIELDS = '{id,created_time,from,to,message}';
const NO_PERMISSION = {
	message:
		'(#200) The permission(s) pages_read_engagement,pages_manage_metadata are not available. It could because either they are not approved for the app or the app is not in live mode. Also make sure the user has granted the permission to the app.',
	type: 'OAuthException',
	code: 200,
	fbtrace_id: expect.any(String),
};

/** Freezes the clock the emulator stamps `receivedAt` with. */
function at(iso: string): void {
	jest.spyOn(Date, 'now').mockReturnValue(Date.parse(iso));
}

afterEach(() => jest.restoreAllMocks());

const lookup = (psid = PSID, extra = '') => `/v25.0/me/conversations?platform=messenger&user_id=${psid}${extra}`;
const thread = (id: string, fields = `messages${ALL_FIELDS}`) => `/v25.0/${id}?fields=${encodeURIComponent(fields)}`;

function message(id: string, createdTime: string, text: string, psid = PSID, page: EmulatorPage = PAGE) {
	return { id, created_time: createdTime, from: { id: page.id, name: page.name }, to: { data: [{ id: psid }] }, message: text };
}

async function sendMany(emulator: GraphEmulator, count: number, token = TOKEN): Promise<void> {
	for (let start = 0; start < count; start += 50) {
		const ops = Array.from({ length: Math.min(50, count - start) }, (_, i) => messageOp(`message ${start + i + 1}`));
		const answer = await call(emulator, '/v25.0/', new URLSearchParams({ batch: JSON.stringify(ops) }), { token });
		expect(answer.status).toBe(200);
	}
}

describe('finding a sent message', () => {
	test('attachments: the thread shows the type and Messenger\'s own copy of the file, never the URL sent; a template shows nothing', async () => {
		const emulator = await startEmulator();
		at('2026-12-01T09:14:13.000Z');
		await send(emulator, { recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { attachment: { type: 'image', payload: { url: 'https://example.com/a.png' } } } });
		await send(emulator, {
			recipient: { id: PSID },
			messaging_type: 'RESPONSE',
			message: { attachment: { type: 'template', payload: { template_type: 'button', text: 'Approve?', buttons: [{ type: 'postback', title: 'Yes', payload: 'Y' }] } } },
		});
		const fields = 'messages.limit(5){id,message,attachments{id,mime_type,image_data,video_data,file_url}}';
		const answer = await call(emulator, lookup(PSID, `&fields=${encodeURIComponent(fields)}`));
		const [template, image] = answer.body.data[0].messages.data;
		expect(template).toEqual({ id: 'm_2', message: '' });
		expect(image).toEqual({ id: 'm_1', message: '', attachments: { data: [{ id: 'm_1_att0', mime_type: 'image/jpeg', image_data: { url: expect.stringMatching(/^https:\/\/scontent\.emulator\.invalid\//), preview_url: expect.any(String) } }] } });
		expect(JSON.stringify(image)).not.toContain('example.com');
		expect(errorOf(await call(emulator, lookup(PSID, `&fields=${encodeURIComponent('messages{attachments{size}}')}`)))).toMatchObject({ code: 100 });
		await emulator.stop();
	});

	test('a send, then the thread lookup and its messages: the send’s message_id, created_time and text', async () => {
		const emulator = await startEmulator();
		at('2026-12-01T09:14:13.789Z');
		expect((await send(emulator, textMessage('Your order has shipped'))).body).toEqual({ recipient_id: PSID, message_id: 'm_1' });

		const threads = await call(emulator, lookup());
		expect(threads.status).toBe(200);
		expect(threads.body).toEqual({ data: [{ id: emulator.threadId(PSID), updated_time: '2026-12-01T09:14:13+0000' }] });
		const id = threads.body.data[0].id as string;
		expect(id).toMatch(/^t_\d+$/);

		const messages = await call(emulator, thread(id));
		expect(messages.body).toEqual({ id, messages: { data: [message('m_1', '2026-12-01T09:14:13+0000', 'Your order has shipped')] } });
		// Reads are logged like any Graph call but deliver nothing.
		expect(emulator.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			'POST /v25.0/me/messages',
			'GET /v25.0/me/conversations',
			`GET /v25.0/${id}`,
		]);
		expect(emulator.stats()).toEqual({ requests: 3, accepted: 1, rejected: {}, faults: {}, notRun: 0 });
	});

	test('newest first; limit(N); attachments read as ""; sender actions are not messages', async () => {
		const emulator = await startEmulator();
		at('2026-12-01T09:00:00Z');
		await send(emulator, textMessage('first'));
		at('2026-12-01T09:00:05Z');
		await send(emulator, { recipient: { id: PSID }, sender_action: 'typing_on' });
		await send(emulator, { recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { attachment: { type: 'image', payload: { url: 'https://example.com/a.png' } } } });
		at('2026-12-01T09:01:00Z');
		await send(emulator, textMessage('third'));

		const id = emulator.threadId(PSID);
		expect((await call(emulator, thread(id))).body).toEqual({
			id,
			messages: {
				data: [
					message('m_3', '2026-12-01T09:01:00+0000', 'third'),
					message('m_2', '2026-12-01T09:00:05+0000', ''),
					message('m_1', '2026-12-01T09:00:00+0000', 'first'),
				],
			},
		});
		expect((await call(emulator, thread(id, 'messages.limit(2){id,message}'))).body).toEqual({
			id,
			messages: { data: [{ id: 'm_3', message: 'third' }, { id: 'm_2', message: '' }] },
		});
		// Only the fields asked for (the id always); no selection: id and created_time.
		expect((await call(emulator, thread(id, 'messages.limit(1){created_time}'))).body).toEqual({
			id,
			messages: { data: [{ id: 'm_3', created_time: '2026-12-01T09:01:00+0000' }] },
		});
		expect((await call(emulator, thread(id, 'messages.limit(1)'))).body).toEqual({
			id,
			messages: { data: [{ id: 'm_3', created_time: '2026-12-01T09:01:00+0000' }] },
		});
		expect((await call(emulator, `/v25.0/${id}`)).body).toEqual({ id, updated_time: '2026-12-01T09:01:00+0000' });
		expect((await call(emulator, `/v25.0/${id}?fields=id`)).body).toEqual({ id });
	});

	test('without a limit 25 messages; at most 100', async () => {
		const emulator = await startEmulator();
		await sendMany(emulator, 120);
		const id = emulator.threadId(PSID);
		const ids = async (fields: string) => ((await call(emulator, thread(id, fields))).body.messages.data as Array<{ id: string }>).map((entry) => entry.id);
		const newest = (count: number) => Array.from({ length: count }, (_, i) => `m_${120 - i}`);
		expect(await ids('messages{id}')).toEqual(newest(25));
		expect(await ids('messages.limit(500){id}')).toEqual(newest(100));
		expect(await ids('messages.limit(30){id}')).toEqual(newest(30));
	});

	test('the nested form on the lookup itself; every thread without user_id, newest first; the Page ID instead of me', async () => {
		const emulator = await startEmulator();
		at('2026-12-01T09:00:00Z');
		await send(emulator, textMessage('to the first person'));
		at('2026-12-01T09:00:30Z');
		await send(emulator, textMessage('to the second person', { id: OTHER_PSID }));
		at('2026-12-01T09:01:00Z');
		await send(emulator, textMessage('again to the first'));

		const nested = await call(emulator, lookup(PSID, `&fields=${encodeURIComponent(`messages.limit(1)${ALL_FIELDS}`)}`));
		expect(nested.body).toEqual({
			data: [{ id: emulator.threadId(PSID), messages: { data: [message('m_3', '2026-12-01T09:01:00+0000', 'again to the first')] } }],
		});
		const withoutLimit = await call(emulator, lookup(OTHER_PSID, `&fields=${encodeURIComponent('id,updated_time,messages{message}')}`));
		expect(withoutLimit.body).toEqual({
			data: [
				{
					id: emulator.threadId(OTHER_PSID),
					updated_time: '2026-12-01T09:00:30+0000',
					messages: { data: [{ id: 'm_2', message: 'to the second person' }] },
				},
			],
		});

		const all = await call(emulator, `/v25.0/${PAGE.id}/conversations?platform=messenger`);
		expect(all.body).toEqual({
			data: [
				{ id: emulator.threadId(PSID), updated_time: '2026-12-01T09:01:00+0000' },
				{ id: emulator.threadId(OTHER_PSID), updated_time: '2026-12-01T09:00:30+0000' },
			],
		});
		expect((await call(emulator, '/v25.0/me/conversations?platform=messenger&fields=id&limit=1')).body).toEqual({ data: [{ id: emulator.threadId(PSID) }] });
	});

	test('a conversations read works as a batch operation too', async () => {
		const emulator = await startEmulator();
		await send(emulator, textMessage('hello'));
		const answer = await batch(emulator, [
			{ method: 'GET', relative_url: `me/conversations?platform=messenger&user_id=${PSID}&fields=${encodeURIComponent('messages{id,message}')}` },
		]);
		expect(answer.status).toBe(200);
		expect(answer.body[0].code).toBe(200);
		expect(JSON.parse(answer.body[0].body)).toEqual({ data: [{ id: emulator.threadId(PSID), messages: { data: [{ id: 'm_1', message: 'hello' }] } }] });
	});

	test('thread IDs are stable per Page and person, also across a reset', async () => {
		const emulator = await startEmulator({ pages: [PAGE, OTHER_PAGE] });
		const before = emulator.threadId(PSID);
		expect(before).toBe(emulator.threadId(PSID, PAGE.id));
		expect(emulator.threadId(OTHER_PSID)).not.toBe(before);
		expect(emulator.threadId(PSID, OTHER_PAGE.id)).not.toBe(before);
		await send(emulator, textMessage('x'));
		expect((await call(emulator, lookup())).body.data[0].id).toBe(before);
		emulator.reset();
		await send(emulator, textMessage('y'));
		expect((await call(emulator, lookup())).body.data[0].id).toBe(before);
	});
});

describe('no thread', () => {
	test('for private replies, user_ref sends, sender actions alone and people never messaged', async () => {
		const emulator = await startEmulator();
		const reply = await send(emulator, textMessage('Thanks for your comment', { comment_id: '123_456' }));
		expect(reply.body).toEqual({ recipient_id: 'psid-for-123_456', message_id: 'm_1' });
		expect((await send(emulator, textMessage('Thanks for your post', { post_id: '123_789' }))).status).toBe(200);
		expect((await send(emulator, textMessage('Thanks for opting in', { user_ref: 'ref-abc' }))).status).toBe(200);
		expect((await send(emulator, { recipient: { id: OTHER_PSID }, sender_action: 'mark_seen' })).status).toBe(200);
		expect(emulator.inbox).toHaveLength(4);

		for (const psid of ['psid-for-123_456', 'psid-for-123_789', 'ref-abc', OTHER_PSID, PSID]) {
			expect((await call(emulator, lookup(psid))).body).toEqual({ data: [] });
		}
		expect((await call(emulator, '/v25.0/me/conversations?platform=messenger')).body).toEqual({ data: [] });
	});

	test('an unknown conversation ID, or another Page’s thread, does not exist (100/33)', async () => {
		const emulator = await startEmulator({ pages: [PAGE, OTHER_PAGE] });
		await send(emulator, textMessage('for the first Page only'));
		const id = emulator.threadId(PSID);
		expect((await call(emulator, thread(id))).status).toBe(200);

		for (const [unknown, token] of [
			['t_12345', TOKEN],
			[emulator.threadId(OTHER_PSID), TOKEN],
			[id, OTHER_PAGE.token],
		]) {
			const answer = await call(emulator, thread(unknown), undefined, { token });
			expect(answer.status).toBe(400);
			expect(answer.body).toEqual({
				error: {
					message: `Unsupported get request. Object with ID '${unknown}' does not exist, cannot be loaded due to missing permissions, or does not support this operation`,
					type: 'GraphMethodException',
					code: 100,
					error_subcode: 33,
					fbtrace_id: expect.any(String),
				},
			});
		}
		// Another Page's ID on the conversations edge, as elsewhere.
		expect(errorOf(await call(emulator, `/v25.0/${OTHER_PAGE.id}/conversations?platform=messenger`))).toEqual({ status: 400, code: 100, subcode: 33 });
	});
});

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
		expect(emulator.stats()).toEqual({ requests: 6, accepted: 2, rejected: {}, faults: { dropAfterDelivery: 1, http5xx: 1 }, notRun: 0 });
	});
});
