// The thread control edges: Graph's answers, the role errors, the handover webhooks, batches,
// and two calls for the same person at once.
import { batch, call, errorOf, opBody, PAGE, parsed, PSID } from './helpers.cjs';
import { BOT, control, eventsOf, handover, INBOX, ownerOf, routing, SUPPORT_APP, SUPPORT_TOKEN } from './handoverHelpers.cjs';
import { DEFAULT_APP } from '../../emulator/graphEmulator.cjs';

const PERSON = { id: PSID };

describe('thread control', () => {
	test('pass to the Page Inbox: {success:true}, the owner changes, every subscribed app hears pass_thread_control, the transcript says so', async () => {
		const { emulator, bot, support } = await routing();
		expect((await ownerOf(emulator)).body).toEqual({ data: [{ thread_owner: { app_id: BOT } }] });
		const answer = await control(emulator, 'pass_thread_control', { recipient: PERSON, target_app_id: INBOX, metadata: 'Ana asked for a human' });
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({ success: true });
		expect((await ownerOf(emulator)).body).toEqual({ data: [{ thread_owner: { app_id: INBOX } }] });
		expect(emulator.threadOwner(PSID)).toBe(INBOX);
		await emulator.settleWebhooks();
		const event = handover('pass_thread_control', { new_owner_app_id: INBOX, previous_owner_app_id: BOT, metadata: 'Ana asked for a human' });
		expect(eventsOf(bot)).toEqual([['messaging', event]]);
		expect(eventsOf(support)).toEqual([['messaging', event]]);
		expect(parsed(bot.posts()[0])).toMatchObject({ object: 'page', entry: [{ id: PAGE.id, time: expect.any(Number) }] });
		// The person's first message went to the bot (owner) on messaging and to the support app on standby.
		expect(emulator.deliveries.map((delivery) => delivery.fields)).toEqual([['messages'], ['standby'], ['messaging_handovers'], ['messaging_handovers']]);
		expect(emulator.handovers).toEqual([
			{ seq: 1, pageId: PAGE.id, psid: PSID, action: 'pass', byAppId: BOT, previousOwnerAppId: BOT, newOwnerAppId: INBOX, metadata: 'Ana asked for a human', at: expect.any(Number) },
		]);
		expect(emulator.transcript()).toContain('  — thread passed to Page Inbox by Demo App (metadata "Ana asked for a human")');
		// Not a send: nothing in the inbox, no fault ordinal.
		expect(emulator.stats()).toMatchObject({ accepted: 0, rejected: {} });
	});

	test('take back from the Page Inbox: take_thread_control; taking a thread the app owns already is success without a webhook', async () => {
		const { emulator, bot } = await routing();
		await control(emulator, 'pass_thread_control', { recipient: PERSON, target_app_id: INBOX });
		expect((await control(emulator, 'take_thread_control', { recipient: PERSON, metadata: 'back to the bot' })).body).toEqual({ success: true });
		expect((await control(emulator, 'take_thread_control', { recipient: PERSON })).body).toEqual({ success: true });
		await emulator.settleWebhooks();
		expect(eventsOf(bot)).toEqual([
			['messaging', handover('pass_thread_control', { new_owner_app_id: INBOX, previous_owner_app_id: BOT })],
			['messaging', handover('take_thread_control', { previous_owner_app_id: INBOX, new_owner_app_id: BOT, metadata: 'back to the bot' })],
		]);
		expect(emulator.threadOwner(PSID)).toBe(BOT);
		expect(emulator.transcript()).toContain('  — thread taken back by Demo App from Page Inbox (metadata "back to the bot")');
	});

	test('request goes to the owner only; release gives the thread back to the default app without a webhook', async () => {
		const { emulator, bot, support } = await routing();
		expect((await control(emulator, 'request_thread_control', { recipient: PERSON, metadata: 'billing question' }, SUPPORT_TOKEN)).body).toEqual({ success: true });
		await emulator.settleWebhooks();
		expect(eventsOf(bot)).toEqual([['messaging', handover('request_thread_control', { requested_owner_app_id: SUPPORT_APP.id, metadata: 'billing question' })]]);
		expect(eventsOf(support)).toEqual([]);
		expect(emulator.threadOwner(PSID)).toBe(BOT);

		await control(emulator, 'pass_thread_control', { recipient: PERSON, target_app_id: SUPPORT_APP.id });
		expect(emulator.threadOwner(PSID)).toBe(SUPPORT_APP.id);
		expect((await control(emulator, 'release_thread_control', { recipient: PERSON }, SUPPORT_TOKEN)).body).toEqual({ success: true });
		expect(emulator.threadOwner(PSID)).toBe(BOT);
		// The default app's own thread is idle already: releasing it changes nothing.
		expect((await control(emulator, 'release_thread_control', { recipient: PERSON })).body).toEqual({ success: true });
		await emulator.settleWebhooks();
		expect(eventsOf(support).map(([, event]) => Object.keys(event)[3])).toEqual(['pass_thread_control']);
		expect(emulator.handovers.map((entry) => [entry.action, entry.byAppId, entry.newOwnerAppId])).toEqual([
			['request', SUPPORT_APP.id, BOT],
			['pass', BOT, SUPPORT_APP.id],
			['release', SUPPORT_APP.id, BOT],
		]);
		expect(emulator.transcript()).toContain(`  — Support Desk asks Demo App for the thread (metadata "billing question")`);
		expect(emulator.transcript()).toContain('  — thread released by Support Desk: back to Demo App');
	});

	test('the wrong role: code 10 (HTTP 403); bad input: code 100; nothing changes', async () => {
		const { emulator, bot } = await routing();
		const refused = await control(emulator, 'pass_thread_control', { recipient: PERSON, target_app_id: INBOX }, SUPPORT_TOKEN);
		expect(refused.body.error).toEqual({
			message: `(#10) Application does not have permission for this action: app ${SUPPORT_APP.id} does not own the thread of ${PSID}`,
			type: 'OAuthException',
			code: 10,
			fbtrace_id: expect.any(String),
		});
		expect(errorOf(refused)).toEqual({ status: 403, code: 10 });
		expect(errorOf(await control(emulator, 'take_thread_control', { recipient: PERSON }, SUPPORT_TOKEN))).toEqual({ status: 403, code: 10 });
		expect(errorOf(await control(emulator, 'release_thread_control', { recipient: PERSON }, SUPPORT_TOKEN))).toEqual({ status: 403, code: 10 });
		expect(errorOf(await call(emulator, '/v25.0/me/secondary_receivers', undefined, { token: SUPPORT_TOKEN }))).toEqual({ status: 403, code: 10 });
		expect(errorOf(await control(emulator, 'request_thread_control', { recipient: PERSON }))).toEqual({ status: 400, code: 100 });
		expect(errorOf(await control(emulator, 'pass_thread_control', { recipient: PERSON }))).toEqual({ status: 400, code: 100 });
		expect((await control(emulator, 'pass_thread_control', { recipient: PERSON, target_app_id: '123' })).body.error.message).toBe(
			`(#100) Param target_app_id must be an app connected to the Page (${BOT}, ${INBOX}, ${SUPPORT_APP.id}), not 123`,
		);
		expect(errorOf(await control(emulator, 'pass_thread_control', { recipient: PERSON, target_app_id: BOT }))).toEqual({ status: 400, code: 100 });
		expect(errorOf(await control(emulator, 'pass_thread_control', { target_app_id: INBOX }))).toEqual({ status: 400, code: 100 });
		expect(errorOf(await control(emulator, 'pass_thread_control', { recipient: 'not json', target_app_id: INBOX }))).toEqual({ status: 400, code: 100 });
		expect(errorOf(await control(emulator, 'pass_thread_control', { recipient: PERSON, target_app_id: INBOX, metadata: 'x'.repeat(1001) }))).toEqual({ status: 400, code: 100 });
		// Someone who never wrote to the Page: the Send API's "No matching user found".
		expect((await control(emulator, 'take_thread_control', { recipient: { id: '42' } })).body.error).toMatchObject({ message: '(#100) No matching user found', code: 100, error_subcode: 2018001 });
		expect(errorOf(await ownerOf(emulator, '42'))).toEqual({ status: 400, code: 100, subcode: 2018001 });
		expect(errorOf(await call(emulator, '/v25.0/me/thread_owner'))).toEqual({ status: 400, code: 100 });
		expect(errorOf(await call(emulator, '/v25.0/me/pass_thread_control'))).toEqual({ status: 400, code: 100, subcode: 33 });
		expect(errorOf(await control(emulator, 'pass_thread_control', { recipient: PERSON, target_app_id: INBOX }, 'NOT-A-TOKEN'))).toEqual({ status: 400, code: 190 });
		expect(emulator.threadOwner(PSID)).toBe(BOT);
		expect(emulator.handovers).toEqual([]);
		await emulator.settleWebhooks();
		expect(bot.posts()).toEqual([]);
		expect(emulator.stats().rejected).toEqual({ 10: 4, 100: 8, '100/2018001': 2, '100/33': 1, 190: 1 });
	});

	test('two passes for the same person fired together: exactly one owner change and one handover webhook', async () => {
		const { emulator, bot } = await routing('messages,messaging_handovers', 'messages');
		const [first, second] = await Promise.all([
			control(emulator, 'pass_thread_control', { recipient: PERSON, target_app_id: INBOX, metadata: 'first' }),
			control(emulator, 'pass_thread_control', { recipient: PERSON, target_app_id: SUPPORT_APP.id, metadata: 'second' }),
		]);
		const answers = [first, second].map((answer) => answer.status).sort();
		expect(answers).toEqual([200, 403]);
		expect(emulator.handovers).toHaveLength(1);
		await emulator.settleWebhooks();
		expect(bot.posts()).toHaveLength(1);
		const winner = first.status === 200 ? INBOX : SUPPORT_APP.id;
		expect(emulator.threadOwner(PSID)).toBe(winner);
		expect(eventsOf(bot)[0][1].pass_thread_control.new_owner_app_id).toBe(winner);
	});

	test('in a batch, form-encoded like the Send API operations: answers and errors per operation', async () => {
		const { emulator } = await routing();
		const answer = await batch(emulator, [
			{ method: 'POST', relative_url: 'me/pass_thread_control', body: opBody({ recipient: PERSON, target_app_id: INBOX, metadata: 'from a batch' }) },
			{ method: 'GET', relative_url: `me/thread_owner?recipient=${PSID}` },
			{ method: 'POST', relative_url: 'me/pass_thread_control', body: opBody({ recipient: PERSON, target_app_id: INBOX }) },
			{ method: 'POST', relative_url: 'me/take_thread_control', body: opBody({ recipient: PERSON }) },
		]);
		expect(answer.status).toBe(200);
		expect(answer.body.map((entry: { code: number }) => entry.code)).toEqual([200, 200, 403, 200]);
		expect(JSON.parse(answer.body[0].body)).toEqual({ success: true });
		expect(JSON.parse(answer.body[1].body)).toEqual({ data: [{ thread_owner: { app_id: INBOX } }] });
		expect(JSON.parse(answer.body[2].body).error.code).toBe(10);
		expect(emulator.threadOwner(PSID)).toBe(BOT);
		// A form-encoded direct call: recipient as JSON text.
		const form = new URLSearchParams({ recipient: JSON.stringify(PERSON), target_app_id: SUPPORT_APP.id });
		expect((await call(emulator, '/v25.0/me/pass_thread_control', form)).body).toEqual({ success: true });
		expect(emulator.threadOwner(PSID)).toBe(SUPPORT_APP.id);
	});

	test('secondary_receivers: the Page Inbox and the configured apps, for the default app', async () => {
		const { emulator } = await routing();
		expect((await call(emulator, '/v25.0/me/secondary_receivers?fields=id,name')).body).toEqual({
			data: [
				{ id: INBOX, name: 'Page Inbox' },
				{ id: SUPPORT_APP.id, name: 'Support Desk' },
			],
		});
		expect((await call(emulator, `/v25.0/${PAGE.id}/secondary_receivers?fields=id`)).body).toEqual({ data: [{ id: INBOX }, { id: SUPPORT_APP.id }] });
		expect(errorOf(await call(emulator, '/v25.0/me/secondary_receivers?fields=id,secret'))).toEqual({ status: 400, code: 100 });
	});

	test('GET app with a Page token: the app the token belongs to (how a caller learns which app it is)', async () => {
		const { emulator } = await routing();
		expect((await call(emulator, '/v25.0/app')).body).toEqual({ id: DEFAULT_APP.id, name: DEFAULT_APP.name });
		expect((await call(emulator, '/v25.0/app', undefined, { token: SUPPORT_TOKEN })).body).toEqual({ id: SUPPORT_APP.id, name: SUPPORT_APP.name });
		expect(errorOf(await call(emulator, '/v25.0/app', undefined, { token: 'NOT-A-TOKEN' }))).toMatchObject({ code: 190 });
	});
});
