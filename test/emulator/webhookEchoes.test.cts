// The webhook side, echoes of the Page's sends: an accepted send's echo (message_id, app_id,
// metadata), none for sender actions, refused sends, user_ref and private replies, the field needed
// on both sides; delivery receipts; an echo also for a send whose answer was dropped.
import { DEFAULT_APP } from '../../emulator/graphEmulator.cjs';
import {
	ALL_FIELDS,
	APP_ID_NUMBER,
	batch,
	messageOp,
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

describe('echoes of the Page\'s sends', () => {
	test('an accepted send produces its echo with the message_id, app_id and metadata; the answer does not wait for it', async () => {
		const { emulator, receiver } = await subscribed();
		// The echo's delivery held 5 s: the send's answer comes well before it, even on a loaded CI machine.
		receiver.answer = (request) => (request.method === 'POST' ? { status: 200, body: 'EVENT_RECEIVED', delayMs: 5000 } : undefined);
		const started = Date.now();
		const sent = await send(emulator, {
			recipient: { id: PSID },
			messaging_type: 'RESPONSE',
			message: { text: 'Your order shipped', metadata: 'order-1042', quick_replies: [{ content_type: 'text', title: 'Track', payload: 'TRACK' }] },
		});
		expect(Date.now() - started).toBeLessThan(2500);
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
