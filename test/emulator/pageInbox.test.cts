// Conversation Routing on the webhook side, and the test acting as the Page's people: a person's
// messages go to the owner on `messaging` and to the other apps on `standby`; a human replies
// from the Page Inbox and passes the thread back.
import { call, PAGE, PSID } from './helpers.cjs';
import { BOT, control, eventsOf, handover, INBOX, routing, SUPPORT_APP } from './handoverHelpers.cjs';

const PERSON = { id: PSID };

describe('routing: messaging for the owner, standby for the others', () => {
	test('an idle thread: the bot on messaging, the support app on standby; once the Page Inbox owns it, both on standby', async () => {
		const { emulator, bot, support } = await routing();
		const first = await emulator.personMessage({ psid: PSID, text: 'where is my parcel?' });
		expect(first.delivery?.fields).toEqual(['messages']);
		await control(emulator, 'pass_thread_control', { recipient: PERSON, target_app_id: INBOX });
		const second = await emulator.personMessage({ psid: PSID, text: 'hello, anyone?' });
		// The default app's delivery is the one a person action answers: on standby now.
		expect(second.delivery?.fields).toEqual(['standby']);
		const pressed = await emulator.personPostback({ psid: PSID, payload: 'MENU', title: 'Menu' });
		await emulator.settleWebhooks();
		const message = (mid: string, text: string) => ({ sender: PERSON, recipient: { id: PAGE.id }, timestamp: expect.any(Number), message: { mid, text } });
		expect(eventsOf(bot)).toEqual([
			['messaging', message(first.mid!, 'where is my parcel?')],
			['messaging', handover('pass_thread_control', { new_owner_app_id: INBOX, previous_owner_app_id: BOT })],
			['standby', message(second.mid!, 'hello, anyone?')],
			// "messaging_postback events delivered via the Standby channel will not include the postback payload."
			['standby', { sender: PERSON, recipient: { id: PAGE.id }, timestamp: expect.any(Number), postback: { title: 'Menu', mid: pressed.mid } }],
		]);
		expect(eventsOf(support).map(([channel]) => channel)).toEqual(['standby', 'messaging', 'standby', 'standby']);
	});

	test('a secondary receiver owns the thread: it gets messaging; an app not subscribed to standby gets nothing', async () => {
		const { emulator, bot, support } = await routing('messages,messaging_handovers');
		await control(emulator, 'pass_thread_control', { recipient: PERSON, target_app_id: SUPPORT_APP.id });
		const result = await emulator.personMessage({ psid: PSID, text: 'refund please' });
		expect(result.delivery).toBeNull();
		await emulator.settleWebhooks();
		expect(eventsOf(bot).map(([channel, event]) => [channel, Object.keys(event)[3]])).toEqual([['messaging', 'pass_thread_control']]);
		expect(eventsOf(support).map(([channel, event]) => [channel, Object.keys(event)[3]])).toEqual([
			['messaging', 'pass_thread_control'],
			['messaging', 'message'],
		]);
	});
});

describe('the Page Inbox (the test as the Page’s people)', () => {
	test('a human replies: stored in the thread from the Page, echoed with the Page Inbox’s app_id; passes back with a handover webhook', async () => {
		const { emulator, bot } = await routing();
		await control(emulator, 'pass_thread_control', { recipient: PERSON, target_app_id: INBOX, metadata: 'human please' });
		const reply = await emulator.pageInboxReply({ psid: PSID, text: 'Hi Ana, Sam here. Let me check.' });
		expect(reply).toEqual({ mid: expect.stringMatching(/^m_/), threadOwner: INBOX, delivery: expect.objectContaining({ fields: ['message_echoes'] }) });
		const back = await emulator.pageInboxPass({ psid: PSID, metadata: 'solved' });
		expect(back).toEqual({ threadOwner: BOT, delivery: expect.objectContaining({ fields: ['messaging_handovers'] }) });
		await emulator.settleWebhooks();
		expect(eventsOf(bot).slice(1)).toEqual([
			[
				'messaging',
				{
					sender: { id: PAGE.id },
					recipient: PERSON,
					timestamp: expect.any(Number),
					message: { mid: reply.mid, is_echo: true, app_id: 263902037430900, text: 'Hi Ana, Sam here. Let me check.' },
				},
			],
			['messaging', handover('pass_thread_control', { new_owner_app_id: BOT, previous_owner_app_id: INBOX, metadata: 'solved' })],
		]);
		// The thread lists the human's reply from the Page; the inbox of sends does not.
		const thread = await call(emulator, `/v25.0/${emulator.threadId(PSID)}?fields=${encodeURIComponent('messages{id,from,message}')}`);
		expect(thread.body.messages.data[0]).toEqual({ id: reply.mid, from: { id: PAGE.id, name: PAGE.name }, message: 'Hi Ana, Sam here. Let me check.' });
		expect(emulator.inbox).toHaveLength(0);
		expect(emulator.pageInboxReplies).toEqual([{ seq: 1, pageId: PAGE.id, psid: PSID, mid: reply.mid, text: 'Hi Ana, Sam here. Let me check.', receivedAt: expect.any(Number) }]);
		expect(emulator.transcript()).toBe(
			[
				`Demo Shop ↔ PSID ${PSID}`,
				`  Ana → Demo Shop: hello  ${emulator.incoming[0].mid}`,
				'  — thread passed to Page Inbox by Demo App (metadata "human please")',
				`  Page Inbox (human): Hi Ana, Sam here. Let me check.  ${reply.mid}`,
				'  — thread passed to Demo App by Page Inbox (metadata "solved")',
				'',
			].join('\n'),
		);
	});

	test('over HTTP: reply, pass, thread owner; refusals as 4xx', async () => {
		const { emulator } = await routing();
		const owner = async () => (await call(emulator, `/__emulator/thread-owner?psid=${PSID}`, undefined, { token: null })).body;
		expect(await owner()).toEqual({ psid: PSID, appId: BOT, ownedByPageInbox: false });
		// The Page Inbox does not own the thread: Graph's refusal, as a 409.
		const refused = await call(emulator, '/__emulator/page-inbox/pass', { psid: PSID }, { token: null });
		expect(refused.status).toBe(409);
		expect(refused.body.error.message).toBe(`(#10) Application does not have permission for this action: app ${INBOX} does not own the thread of ${PSID}`);
		await control(emulator, 'pass_thread_control', { recipient: PERSON, target_app_id: INBOX });
		expect(await owner()).toEqual({ psid: PSID, appId: INBOX, ownedByPageInbox: true });
		expect(emulator.ownedByPageInbox(PSID)).toBe(true);
		const reply = await call(emulator, '/__emulator/page-inbox/reply', { psid: PSID, text: 'On it' }, { token: null });
		expect(reply.status).toBe(200);
		expect(reply.body.threadOwner).toBe(INBOX);
		const passed = await call(emulator, '/__emulator/page-inbox/pass', { psid: PSID, targetAppId: SUPPORT_APP.id }, { token: null });
		expect(passed.body).toMatchObject({ threadOwner: SUPPORT_APP.id });
		expect((await call(emulator, '/__emulator/handovers', undefined, { token: null })).body.map((entry: { action: string; byAppId: string }) => [entry.action, entry.byAppId])).toEqual([
			['pass', BOT],
			['pass', INBOX],
		]);
		expect((await call(emulator, '/__emulator/page-inbox/reply', { psid: '42', text: 'hi' }, { token: null })).status).toBe(404);
		expect((await call(emulator, '/__emulator/page-inbox/reply', { psid: PSID }, { token: null })).status).toBe(400);
		expect((await call(emulator, '/__emulator/thread-owner', undefined, { token: null })).status).toBe(400);
		// reset() forgets who owns what (and what the people wrote).
		emulator.reset();
		expect(emulator.threadOwner(PSID)).toBe(BOT);
		expect(emulator.handovers).toEqual([]);
	});
});
