// The Conversations API (read side): how a client finds out whether an uncertain send arrived
// (/work/shared/messenger-send-api.md, "Finding out whether a message arrived"): the thread lookup
// and its messages, and the sends that have no thread. Parameters, permissions, Instagram's limit,
// tokens, proofs and faults: conversationAccess.test.cts.
import { ALL_FIELDS, at, lookup, message, sendMany, thread } from './conversationHelpers.cjs';
import { batch, call, errorOf, OTHER_PAGE, PAGE, PSID, send, startEmulator, textMessage, TOKEN } from './helpers.cjs';

const OTHER_PSID = '6789012345670000';

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
		expect(emulator.stats()).toEqual({ requests: 3, accepted: 1, rejected: {}, faults: {}, notRun: 0, cutOff: 0 });
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
