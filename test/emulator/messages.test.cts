// POST /{version}/{page}/messages: every Send API rule the emulator enforces, seen from the client.
import { errorOf, PAGE, PSID, send, startEmulator, textMessage, call } from './helpers.cjs';

describe('accepted sends', () => {
	test('a JSON text message answers recipient_id and m_1, and lands in the inbox', async () => {
		const emulator = await startEmulator();
		const answer = await send(emulator, textMessage('Hi Ann!'));
		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toBe('application/json');
		expect(answer.body).toEqual({ recipient_id: PSID, message_id: 'm_1' });
		expect(emulator.inbox).toEqual([
			expect.objectContaining({
				seq: 1,
				pageId: PAGE.id,
				recipient: { id: PSID },
				recipientKey: `id:${PSID}`,
				messaging_type: 'RESPONSE',
				message: { text: 'Hi Ann!' },
				message_id: 'm_1',
				viaBatch: false,
			}),
		]);
		expect(typeof emulator.inbox[0].receivedAt).toBe('number');
	});

	test('a urlencoded form carries recipient and message as JSON strings', async () => {
		const emulator = await startEmulator();
		const form = new URLSearchParams({
			recipient: JSON.stringify({ id: PSID }),
			messaging_type: 'UPDATE',
			message: JSON.stringify({ text: 'Your parcel is out for delivery' }),
			notification_type: 'SILENT_PUSH',
		});
		const answer = await call(emulator, `/v25.0/${PAGE.id}/messages`, form);
		expect(answer.body).toEqual({ recipient_id: PSID, message_id: 'm_1' });
		expect(emulator.inbox[0]).toMatchObject({ messaging_type: 'UPDATE', notification_type: 'SILENT_PUSH', message: { text: 'Your parcel is out for delivery' } });
	});

	test('message IDs count messages only, not sender actions', async () => {
		const emulator = await startEmulator();
		expect((await send(emulator, { recipient: { id: PSID }, sender_action: 'typing_on' })).body).toEqual({ recipient_id: PSID });
		expect((await send(emulator, textMessage('one'))).body.message_id).toBe('m_1');
		expect((await send(emulator, textMessage('two'))).body.message_id).toBe('m_2');
		expect(emulator.inbox.map((entry) => entry.seq)).toEqual([1, 2, 3]);
	});

	test('every content type keeps optional fields: persona, reply_to, metadata, quick replies', async () => {
		const emulator = await startEmulator();
		const answer = await send(emulator, {
			recipient: { id: PSID },
			messaging_type: 'RESPONSE',
			persona_id: '777',
			reply_to: { mid: 'm_1' },
			message: {
				text: 'Which size?',
				metadata: 'order-17',
				quick_replies: [
					{ content_type: 'text', title: 'Small', payload: 'SIZE_S', image_url: 'https://example.com/s.png' },
					{ content_type: 'user_phone_number' },
					{ content_type: 'user_email' },
				],
			},
		});
		expect(answer.status).toBe(200);
		expect(emulator.inbox[0]).toMatchObject({ persona_id: '777', reply_to: { mid: 'm_1' } });
	});

	test.each(['RESPONSE', 'UPDATE', 'UTILITY'])('messaging_type %s is accepted', async (type) => {
		const emulator = await startEmulator();
		expect((await send(emulator, { recipient: { id: PSID }, messaging_type: type, message: { text: 'x' } })).status).toBe(200);
	});

	// CUSTOMER_FEEDBACK is active too, only with its template: test/emulator/feedback.test.cts.
	test.each(['HUMAN_AGENT'])('active tag %s is accepted with MESSAGE_TAG', async (tag) => {
		const emulator = await startEmulator();
		const answer = await send(emulator, { recipient: { id: PSID }, messaging_type: 'MESSAGE_TAG', tag, message: { text: 'x' } });
		expect(answer.status).toBe(200);
		expect(emulator.inbox[0].tag).toBe(tag);
	});

	test.each(['REGULAR', 'SILENT_PUSH', 'NO_PUSH'])('notification_type %s is accepted', async (notification) => {
		const emulator = await startEmulator();
		expect((await send(emulator, { ...textMessage('x'), notification_type: notification })).status).toBe(200);
	});

	test('text counts Unicode code points: 1999 emoji pass, 2000 characters do not', async () => {
		const emulator = await startEmulator();
		expect((await send(emulator, textMessage('📦'.repeat(1999)))).status).toBe(200);
		expect(errorOf(await send(emulator, textMessage('a'.repeat(2000))))).toEqual({ status: 400, code: 100 });
	});

	test('metadata must be fewer than 1000 characters', async () => {
		const emulator = await startEmulator();
		const withMetadata = (metadata: string) => ({ recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { text: 'x', metadata } });
		expect((await send(emulator, withMetadata('m'.repeat(999)))).status).toBe(200);
		expect(errorOf(await send(emulator, withMetadata('m'.repeat(1000))))).toEqual({ status: 400, code: 100 });
	});

	test('a generic template is accepted', async () => {
		const emulator = await startEmulator();
		const answer = await send(emulator, {
			recipient: { id: PSID },
			messaging_type: 'RESPONSE',
			message: { attachment: { type: 'template', payload: { template_type: 'generic', elements: [{ title: 'Blue shirt' }] } } },
		});
		expect(answer.status).toBe(200);
	});
});

describe('recipients', () => {
	test('user_ref: no recipient_id in the answer', async () => {
		const emulator = await startEmulator();
		const answer = await send(emulator, textMessage('Thanks for opting in', { user_ref: 'ref-abc' }));
		expect(answer.body).toEqual({ message_id: 'm_1' });
		expect(emulator.inbox[0].recipientKey).toBe('user_ref:ref-abc');
		expect((await send(emulator, { recipient: { user_ref: 'ref-abc' }, sender_action: 'typing_on' })).body).toEqual({});
	});

	test('phone_number: accepted without recipient_id', async () => {
		const emulator = await startEmulator();
		const answer = await send(emulator, textMessage('Hello', { phone_number: '+15555550100' }));
		expect(answer.body).toEqual({ message_id: 'm_1' });
	});

	test.each(['comment_id', 'post_id'])('%s: one private reply, the second gets 10900', async (field) => {
		const emulator = await startEmulator();
		const first = await send(emulator, textMessage('Thanks for your comment', { [field]: '123_456' }));
		expect(first.body).toEqual({ recipient_id: 'psid-for-123_456', message_id: 'm_1' });
		const second = await send(emulator, textMessage('Again', { [field]: '123_456' }));
		expect(errorOf(second)).toEqual({ status: 400, code: 10900 });
		expect(second.body.error.message).toBe('(#10900) Activity already replied to');
		expect((await send(emulator, textMessage('Another comment', { [field]: '123_789' }))).status).toBe(200);
		expect(emulator.inbox).toHaveLength(2);
	});

	test.each([
		['missing', undefined],
		['empty object', {}],
		['two fields', { id: PSID, user_ref: 'ref' }],
		['empty id', { id: '' }],
		['not an object', 'someone'],
	])('recipient %s → 100', async (_label, recipient) => {
		const emulator = await startEmulator();
		const answer = await send(emulator, { recipient, messaging_type: 'RESPONSE', message: { text: 'x' } });
		expect(errorOf(answer)).toEqual({ status: 400, code: 100 });
		expect(emulator.inbox).toHaveLength(0);
	});
});

describe('rejected sends (not delivered)', () => {
	const cases: Array<[string, Record<string, unknown>, { code: number; subcode?: number }]> = [
		['message and sender_action', { ...textMessage('x'), sender_action: 'typing_on' }, { code: 100, subcode: 2018014 }],
		['neither message nor sender_action', { recipient: { id: PSID }, messaging_type: 'RESPONSE' }, { code: 100 }],
		['no messaging_type', { recipient: { id: PSID }, message: { text: 'x' } }, { code: 100 }],
		['unknown messaging_type', { recipient: { id: PSID }, messaging_type: 'PROMO', message: { text: 'x' } }, { code: 100 }],
		['tag without MESSAGE_TAG', { ...textMessage('x'), tag: 'HUMAN_AGENT' }, { code: 100 }],
		['MESSAGE_TAG without tag', { recipient: { id: PSID }, messaging_type: 'MESSAGE_TAG', message: { text: 'x' } }, { code: 100 }],
		['unknown tag', { recipient: { id: PSID }, messaging_type: 'MESSAGE_TAG', tag: 'SALE', message: { text: 'x' } }, { code: 100 }],
		['text and attachment', { recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { text: 'x', attachment: { type: 'image', payload: { url: 'https://example.com/a.png' } } } }, { code: 100, subcode: 2018018 }],
		['empty message', { recipient: { id: PSID }, messaging_type: 'RESPONSE', message: {} }, { code: 100, subcode: 2018034 }],
		['empty text', { recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { text: '' } }, { code: 100, subcode: 2018034 }],
		['unknown notification_type', { ...textMessage('x'), notification_type: 'LOUD' }, { code: 100 }],
		['reply_to without mid', { ...textMessage('x'), reply_to: {} }, { code: 100 }],
	];
	test.each(cases)('%s', async (_label, body, expected) => {
		const emulator = await startEmulator();
		const answer = await send(emulator, body);
		expect(errorOf(answer)).toEqual({ status: 400, ...expected });
		expect(answer.body.error).toEqual(expect.objectContaining({ type: 'OAuthException', fbtrace_id: expect.any(String) }));
		expect(answer.body.error.message).toMatch(/^\(#100\) /);
		expect(emulator.inbox).toHaveLength(0);
	});

	test.each(['ACCOUNT_UPDATE', 'CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE'])('retired tag %s → 100 saying it is no longer supported', async (tag) => {
		const emulator = await startEmulator();
		const answer = await send(emulator, { recipient: { id: PSID }, messaging_type: 'MESSAGE_TAG', tag, message: { text: 'x' } });
		expect(errorOf(answer)).toEqual({ status: 400, code: 100 });
		expect(answer.body.error.message).toContain(`${tag} is no longer supported`);
	});

	test('quick replies: 13 pass; 14, long titles, long or missing payloads and unknown types fail', async () => {
		const emulator = await startEmulator();
		const withReplies = (quick_replies: unknown) => ({ recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { text: 'Pick one', quick_replies } });
		const reply = (title: string, payload: unknown = 'P') => ({ content_type: 'text', title, payload });
		const thirteen = Array.from({ length: 13 }, (_, i) => reply(`Option ${i}`));
		expect((await send(emulator, withReplies(thirteen))).status).toBe(200);
		expect((await send(emulator, withReplies([reply('t'.repeat(20), 'p'.repeat(1000))]))).status).toBe(200);
		for (const bad of [
			[...thirteen, reply('One more')],
			[reply('t'.repeat(21))],
			[reply('ok', 'p'.repeat(1001))],
			[{ content_type: 'text', title: 'No payload' }],
			[{ content_type: 'text', payload: 'NO_TITLE' }],
			[{ content_type: 'location' }],
		]) {
			expect(errorOf(await send(emulator, withReplies(bad)))).toEqual({ status: 400, code: 100 });
		}
		expect(emulator.inbox).toHaveLength(2);
	});

	test('outside the 24 h window: RESPONSE and UPDATE get 10/2018278, MESSAGE_TAG is accepted', async () => {
		const emulator = await startEmulator({ outsideWindow: [PSID] });
		for (const type of ['RESPONSE', 'UPDATE']) {
			const answer = await send(emulator, { recipient: { id: PSID }, messaging_type: type, message: { text: 'late' } });
			expect(errorOf(answer)).toEqual({ status: 400, code: 10, subcode: 2018278 });
		}
		const tagged = await send(emulator, { recipient: { id: PSID }, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message: { text: 'late' } });
		expect(tagged.status).toBe(200);
		expect((await send(emulator, textMessage('inside', { id: '42' }))).status).toBe(200);
		expect(emulator.inbox).toHaveLength(2);
	});
});

describe('attachments by URL or saved ID', () => {
	const attachment = (type: string, payload: Record<string, unknown>) => ({
		recipient: { id: PSID },
		messaging_type: 'RESPONSE',
		message: { attachment: { type, payload } },
	});

	test.each(['image', 'audio', 'video', 'file'])('%s from a URL is accepted', async (type) => {
		const emulator = await startEmulator();
		const answer = await send(emulator, attachment(type, { url: `https://example.com/media.${type}` }));
		expect(answer.body).toEqual({ recipient_id: PSID, message_id: 'm_1' });
	});

	test('a reusable URL attachment answers an attachment_id that the Page can send again', async () => {
		const emulator = await startEmulator();
		const first = await send(emulator, attachment('image', { url: 'https://example.com/parcel.jpg', is_reusable: true }));
		expect(first.body).toEqual({ recipient_id: PSID, message_id: 'm_1', attachment_id: expect.stringMatching(/^\d+$/) });
		const again = await send(emulator, attachment('image', { attachment_id: first.body.attachment_id }));
		expect(again.body).toEqual({ recipient_id: PSID, message_id: 'm_2' });
	});

	test('an attachment_id the emulator never issued → 100/2018074', async () => {
		const emulator = await startEmulator();
		expect(errorOf(await send(emulator, attachment('image', { attachment_id: '1234567890' })))).toEqual({ status: 400, code: 100, subcode: 2018074 });
	});

	test('payload needs exactly one source; the type must be known; a URL that cannot be fetched → 2018008', async () => {
		const emulator = await startEmulator();
		expect(errorOf(await send(emulator, attachment('image', {})))).toEqual({ status: 400, code: 100 });
		expect(errorOf(await send(emulator, attachment('image', { url: 'https://example.com/a.png', attachment_id: '1' })))).toEqual({ status: 400, code: 100 });
		expect(errorOf(await send(emulator, attachment('sticker', { url: 'https://example.com/a.png' })))).toEqual({ status: 400, code: 100 });
		expect(errorOf(await send(emulator, attachment('image', { url: 'https://cdn.example.invalid/a.png' })))).toEqual({ status: 400, code: 100, subcode: 2018008 });
		expect(errorOf(await send(emulator, attachment('template', {})))).toEqual({ status: 400, code: 100 });
		expect(emulator.inbox).toHaveLength(0);
	});
});

describe('sender actions', () => {
	test.each([
		['typing_on', undefined],
		['typing_off', undefined],
		['mark_seen', undefined],
		['react', { message_id: 'm_1', reaction: '❤' }],
		['unreact', { message_id: 'm_1' }],
	])('%s is accepted and answers recipient_id only', async (action, payload) => {
		const emulator = await startEmulator();
		const answer = await send(emulator, { recipient: { id: PSID }, sender_action: action, ...(payload ? { payload } : {}) });
		expect(answer.body).toEqual({ recipient_id: PSID });
		expect(emulator.inbox[0]).toMatchObject({ sender_action: action });
		expect(emulator.inbox[0].message_id).toBeUndefined();
	});

	test.each([
		['unknown action', { sender_action: 'dance' }],
		['react without reaction', { sender_action: 'react', payload: { message_id: 'm_1' } }],
		['react without message_id', { sender_action: 'react', payload: { reaction: '❤' } }],
		['unreact without payload', { sender_action: 'unreact' }],
	])('%s → 100', async (_label, fields) => {
		const emulator = await startEmulator();
		expect(errorOf(await send(emulator, { recipient: { id: PSID }, ...fields }))).toEqual({ status: 400, code: 100 });
		expect(emulator.inbox).toHaveLength(0);
	});

	test('a react payload may come as a JSON string in a form', async () => {
		const emulator = await startEmulator();
		const form = new URLSearchParams({
			recipient: JSON.stringify({ id: PSID }),
			sender_action: 'react',
			payload: JSON.stringify({ message_id: 'm_1', reaction: '👍' }),
		});
		expect((await call(emulator, '/v25.0/me/messages', form)).status).toBe(200);
		expect(emulator.inbox[0].payload).toEqual({ message_id: 'm_1', reaction: '👍' });
	});
});
