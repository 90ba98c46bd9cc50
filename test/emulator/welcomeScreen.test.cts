// What a person sees of the Page's messenger profile: openChat (greeting with names, Get Started,
// ice breakers, menu, by locale), the taps and their messaging_postbacks webhooks, the transcript,
// and the same actions over the control endpoints.
import { call, parsed, PAGE, PSID, startEmulator, subscribed } from './helpers.cjs';
import type { GraphEmulator } from '../../emulator/graphEmulator.cjs';

const IG = { id: '17841400000000001', name: 'Demo Shop IG', token: 'TEST-IG-TOKEN', platform: 'instagram' as const };
const SHOP_URL = 'https://shop.example/orders';

const PROFILE = {
	get_started: { payload: 'GET_STARTED' },
	greeting: [
		{ locale: 'default', text: 'Hi {{user_first_name}}! ({{user_last_name}}, {{user_full_name}})' },
		{ locale: 'fr_FR', text: 'Salut {{user_first_name}} !' },
	],
	ice_breakers: [
		{ call_to_actions: [{ question: 'Where are you?', payload: 'WHERE' }, { question: 'Opening hours?', payload: 'HOURS' }] },
		{ locale: 'de_DE', call_to_actions: [{ question: 'Wo seid ihr?', payload: 'WHERE' }] },
	],
	persistent_menu: [
		{
			locale: 'default',
			composer_input_disabled: true,
			call_to_actions: [
				{ type: 'postback', title: 'Track order', payload: 'TRACK' },
				{ type: 'web_url', title: 'Shop', url: SHOP_URL },
			],
		},
	],
};

async function withProfile(emulator: GraphEmulator, profile: Record<string, unknown> = PROFILE, path = '/v25.0/me/messenger_profile', token?: string): Promise<void> {
	expect((await call(emulator, path, profile, token === undefined ? {} : { token })).body).toEqual({ result: 'success' });
}

describe('openChat', () => {
	test('the greeting with the names filled in, Get Started for someone who never wrote, the ice breakers and the menu; transcript lines', async () => {
		const emulator = await startEmulator();
		await withProfile(emulator);
		const screen = emulator.openChat({ psid: PSID, name: 'Lena Maria Schulz' });
		expect(screen).toEqual({
			pageId: PAGE.id,
			psid: PSID,
			platform: 'messenger',
			locale: 'default',
			greeting: 'Hi Lena! (Maria Schulz, Lena Maria Schulz)',
			getStarted: { payload: 'GET_STARTED' },
			iceBreakers: [
				{ question: 'Where are you?', payload: 'WHERE' },
				{ question: 'Opening hours?', payload: 'HOURS' },
			],
			menu: [
				{ type: 'postback', title: 'Track order', payload: 'TRACK' },
				{ type: 'web_url', title: 'Shop', url: SHOP_URL },
			],
			composerInputDisabled: true,
		});
		expect(emulator.transcript()).toBe(
			[
				`Demo Shop ↔ PSID ${PSID}`,
				'  Lena Maria Schulz opens the chat',
				'        greeting: Hi Lena! (Maria Schulz, Lena Maria Schulz)',
				'        [Get Started]',
				'        ice breakers: [Where are you?] [Opening hours?]',
				'        menu (typing disabled): [Track order] [Shop ↗]',
				'',
			].join('\n'),
		);
		// Opening the chat is no event.
		expect(emulator.incoming).toEqual([]);
	});

	test("the person's locale picks each property's entry, else its default; it is kept for later actions", async () => {
		const emulator = await startEmulator();
		await withProfile(emulator);
		const german = emulator.openChat({ psid: PSID, name: 'Jonas', locale: 'de_DE' });
		expect(german).toMatchObject({ locale: 'de_DE', greeting: 'Hi Jonas! (, Jonas)', iceBreakers: [{ question: 'Wo seid ihr?', payload: 'WHERE' }] });
		expect(emulator.openChat({ psid: PSID })).toMatchObject({ locale: 'de_DE' });
		expect(emulator.openChat({ psid: '42', locale: 'fr_FR' }).greeting).toBe(`Salut Person !`);
		expect(() => emulator.openChat({ psid: PSID, locale: 'german' })).toThrow('locale must be "default" or a locale such as "en_US"');
	});

	test('nothing set up: an empty screen, said so in the transcript', async () => {
		const emulator = await startEmulator();
		expect(emulator.openChat({ psid: PSID, name: 'Ana' })).toEqual({
			pageId: PAGE.id,
			psid: PSID,
			platform: 'messenger',
			locale: 'default',
			iceBreakers: [],
			menu: [],
			composerInputDisabled: false,
		});
		expect(emulator.transcript()).toBe(`Demo Shop ↔ PSID ${PSID}\n  Ana opens the chat: nothing set up\n`);
	});

	test("an Instagram account: its platform=instagram profile's ice breakers and menu", async () => {
		const emulator = await startEmulator({ pages: [PAGE, IG] });
		await withProfile(emulator, { ice_breakers: PROFILE.ice_breakers, persistent_menu: PROFILE.persistent_menu }, '/v25.0/me/messenger_profile?platform=instagram', IG.token);
		const screen = emulator.openChat({ psid: '9876543210987654', pageId: IG.id });
		expect(screen).toMatchObject({ platform: 'instagram', iceBreakers: [{ question: 'Where are you?' }, { question: 'Opening hours?' }], menu: [{ title: 'Track order' }, { title: 'Shop' }] });
		expect(screen.greeting).toBeUndefined();
		expect(screen.getStarted).toBeUndefined();
		expect((await emulator.tapIceBreaker({ psid: '9876543210987654', pageId: IG.id, question: 'Opening hours?' })).payload).toBe('HOURS');
	});
});

describe('the taps', () => {
	test('Get Started: a messaging_postbacks event titled "Get Started"; then the person has written and the button is gone', async () => {
		const { emulator, receiver } = await subscribed('messaging_postbacks');
		await withProfile(emulator);
		emulator.openChat({ psid: PSID, name: 'Lena' });
		const tap = await emulator.tapGetStarted({ psid: PSID });
		expect(tap).toEqual({ kind: 'postback', title: 'Get Started', payload: 'GET_STARTED', mid: expect.stringMatching(/^m_/), delivery: expect.objectContaining({ status: 200, fields: ['messaging_postbacks'] }) });
		const event = parsed(receiver.posts()[0]).entry[0].messaging[0];
		expect(event).toEqual({ sender: { id: PSID }, recipient: { id: PAGE.id }, timestamp: expect.any(Number), postback: { title: 'Get Started', payload: 'GET_STARTED', mid: tap.mid } });
		expect(emulator.incoming[0]).toMatchObject({ kind: 'postback', surface: 'get_started' });
		expect(emulator.openChat({ psid: PSID }).getStarted).toBeUndefined();
		await expect(emulator.tapGetStarted({ psid: PSID })).rejects.toMatchObject({
			status: 404,
			message: `Demo Shop shows no Get Started button: PSID ${PSID} wrote to it already, and Get Started shows only to people who never did`,
		});
		await expect(emulator.tapGetStarted({ psid: '42' })).resolves.toMatchObject({ payload: 'GET_STARTED' });
		expect(emulator.transcript()).toContain(`  Lena taps [Get Started] ▶ postback GET_STARTED  ${tap.mid}`);
	});

	test('ice breakers and menu items: postbacks with their payload and title; a web_url item opens its link without a webhook', async () => {
		const { emulator, receiver } = await subscribed('messaging_postbacks');
		await withProfile(emulator);
		const ice = await emulator.tapIceBreaker({ psid: PSID, name: 'Lena', question: 'Opening hours?' });
		expect(ice).toMatchObject({ kind: 'postback', title: 'Opening hours?', payload: 'HOURS' });
		const track = await emulator.tapMenuItem({ psid: PSID, title: 'Track order' });
		expect(track).toMatchObject({ kind: 'postback', title: 'Track order', payload: 'TRACK' });
		expect(await emulator.tapMenuItem({ psid: PSID, title: 'Shop' })).toEqual({ kind: 'web_url', title: 'Shop', url: SHOP_URL });
		await emulator.settleWebhooks();
		expect(receiver.posts().map((post) => parsed(post).entry[0].messaging[0].postback.payload)).toEqual(['HOURS', 'TRACK']);
		expect(emulator.incoming.map((entry) => entry.surface)).toEqual(['ice_breaker', 'menu']);
		expect(emulator.transcript()).toBe(
			[
				`Demo Shop ↔ PSID ${PSID}`,
				`  Lena taps ice breaker [Opening hours?] ▶ postback HOURS  ${String(ice.mid)}`,
				`  Lena taps menu [Track order] ▶ postback TRACK  ${track.kind === 'postback' ? track.mid : ''}`,
				`  Lena taps menu [Shop] → opens ${SHOP_URL}`,
				'',
			].join('\n'),
		);
	});

	test('tapping what is not on the screen throws, naming what is there', async () => {
		const emulator = await startEmulator();
		await expect(emulator.tapGetStarted({ psid: PSID })).rejects.toThrow('Demo Shop shows no Get Started button: get_started is not set');
		await expect(emulator.tapIceBreaker({ psid: PSID, question: 'Hi?' })).rejects.toThrow(`No ice breaker "Hi?" on Demo Shop's welcome screen for PSID ${PSID} (locale default); there are none`);
		await withProfile(emulator);
		await expect(emulator.tapIceBreaker({ psid: PSID, question: 'where are you?' })).rejects.toMatchObject({
			status: 404,
			message: `No ice breaker "where are you?" on Demo Shop's welcome screen for PSID ${PSID} (locale default); there: [Where are you?], [Opening hours?]`,
		});
		await expect(emulator.tapMenuItem({ psid: PSID, title: 'Help', locale: 'de_DE' })).rejects.toThrow(
			`No menu item titled "Help" on Demo Shop's menu for PSID ${PSID} (locale de_DE); there: [Track order] (postback), [Shop] (web_url)`,
		);
		expect(emulator.incoming).toEqual([]);
	});
});

describe('over the control endpoints', () => {
	test('POST /__emulator/person/open-chat, get-started, ice-breaker, menu-item', async () => {
		const emulator = await startEmulator();
		await withProfile(emulator);
		const opened = await call(emulator, '/__emulator/person/open-chat', { psid: PSID, name: 'Lena' }, { token: null });
		expect(opened.status).toBe(200);
		expect(opened.body).toMatchObject({ greeting: 'Hi Lena! (, Lena)', getStarted: { payload: 'GET_STARTED' } });
		expect((await call(emulator, '/__emulator/person/get-started', { psid: PSID }, { token: null })).body).toMatchObject({ kind: 'postback', payload: 'GET_STARTED', delivery: null });
		expect((await call(emulator, '/__emulator/person/ice-breaker', { psid: PSID, question: 'Where are you?' }, { token: null })).body).toMatchObject({ payload: 'WHERE' });
		expect((await call(emulator, '/__emulator/person/menu-item', { psid: PSID, title: 'Shop' }, { token: null })).body).toEqual({ kind: 'web_url', title: 'Shop', url: SHOP_URL });
		const missing = await call(emulator, '/__emulator/person/menu-item', { psid: PSID, title: 'Nope' }, { token: null });
		expect(missing.status).toBe(404);
		expect(missing.body.error.message).toMatch(/^No menu item titled "Nope"/);
		expect((await call(emulator, '/__emulator/person/open-chat', { name: 'no psid' }, { token: null })).status).toBe(400);
	});
});
