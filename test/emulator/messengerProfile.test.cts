// The Messenger Profile API: GET/POST/DELETE {page}/messenger_profile, each property's rules at
// their limits, the menu's need for Get Started, Instagram's profile, the write rate limit, batches.
import { batch, call, errorOf, opBody, PAGE, startEmulator, TOKEN, type Answer } from './helpers.cjs';
import type { GraphEmulator } from '../../emulator/graphEmulator.cjs';

const PATH = '/v25.0/me/messenger_profile';
const ALL = 'get_started,greeting,ice_breakers,persistent_menu,whitelisted_domains';
const IG = { id: '17841400000000001', name: 'Demo Shop IG', token: 'TEST-IG-TOKEN', platform: 'instagram' as const };

const getStarted = { payload: 'GET_STARTED' };
const greeting = [{ locale: 'default', text: 'Hi {{user_first_name}}!' }];
const iceBreakers = [{ call_to_actions: [{ question: 'Where are you?', payload: 'WHERE' }] }];
const menu = [{ locale: 'default', call_to_actions: [{ type: 'postback', title: 'Track order', payload: 'TRACK' }] }];

const post = async (emulator: GraphEmulator, body: unknown, path = PATH, token = TOKEN) => await call(emulator, path, body, { token });
const get = async (emulator: GraphEmulator, fields = ALL, path = PATH, token = TOKEN) =>
	await call(emulator, `${path}${path.includes('?') ? '&' : '?'}fields=${fields}`, undefined, { token });
const remove = async (emulator: GraphEmulator, fields: unknown, path = PATH, token = TOKEN) => await call(emulator, path, { fields }, { method: 'DELETE', token });

/** A 100 refusal whose message is exactly this. */
function refused(answer: Answer, message: string): void {
	expect(answer.status).toBe(400);
	expect(answer.body.error).toEqual({ message, type: 'OAuthException', code: 100, fbtrace_id: expect.any(String) });
}

/** Writes unlimited: the rule tests make many. */
const unlimited = async () => await startEmulator({ profileWritesPer10Minutes: 0 });

afterEach(() => jest.restoreAllMocks());

describe('GET, POST and DELETE {page}/messenger_profile', () => {
	test('nothing set: data []; POST sets exactly the given properties; GET shows only the asked ones that are set, in the asked order', async () => {
		const emulator = await unlimited();
		expect((await get(emulator)).body).toEqual({ data: [] });
		const answer = await post(emulator, { get_started: getStarted, greeting });
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({ result: 'success' });
		expect((await get(emulator, 'greeting,get_started,ice_breakers')).body).toEqual({ data: [{ greeting, get_started: getStarted }] });
		expect((await get(emulator, 'ice_breakers')).body).toEqual({ data: [] });
		// Another POST leaves the others.
		expect((await post(emulator, { ice_breakers: iceBreakers, whitelisted_domains: ['https://shop.example'] })).body).toEqual({ result: 'success' });
		expect((await get(emulator)).body).toEqual({ data: [{ get_started: getStarted, greeting, ice_breakers: iceBreakers, whitelisted_domains: ['https://shop.example'] }] });
		expect(emulator.messengerProfile()).toEqual({ get_started: getStarted, greeting, ice_breakers: iceBreakers, whitelisted_domains: ['https://shop.example'] });
		// Replacing a property replaces all of it.
		await post(emulator, { greeting: [{ locale: 'default', text: 'Hello' }] });
		expect((await get(emulator, 'greeting')).body).toEqual({ data: [{ greeting: [{ locale: 'default', text: 'Hello' }] }] });
	});

	test('DELETE takes fields as a JSON array, JSON text or a comma list (body or query); a property that is not set is fine', async () => {
		const emulator = await unlimited();
		await post(emulator, { get_started: getStarted, greeting, ice_breakers: iceBreakers, whitelisted_domains: ['https://shop.example'] });
		expect((await remove(emulator, ['greeting'])).body).toEqual({ result: 'success' });
		expect((await call(emulator, `${PATH}?fields=${encodeURIComponent('["ice_breakers"]')}`, undefined, { method: 'DELETE' })).body).toEqual({ result: 'success' });
		expect((await remove(emulator, 'whitelisted_domains, persistent_menu')).body).toEqual({ result: 'success' });
		expect((await get(emulator)).body).toEqual({ data: [{ get_started: getStarted }] });
		expect((await remove(emulator, ['greeting'])).body).toEqual({ result: 'success' });
	});

	test('form bodies carry the properties as JSON text', async () => {
		const emulator = await unlimited();
		const form = new URLSearchParams({ get_started: JSON.stringify(getStarted), persistent_menu: JSON.stringify(menu) });
		expect((await post(emulator, form)).body).toEqual({ result: 'success' });
		expect((await get(emulator, 'persistent_menu')).body).toEqual({ data: [{ persistent_menu: menu }] });
		refused(await post(emulator, new URLSearchParams({ get_started: 'not json' })), '(#100) get_started must be an object {"payload": "…"}');
	});

	test('fields missing or unknown, unknown properties, no property, other methods and tokens', async () => {
		const emulator = await unlimited();
		const fieldList = 'get_started, greeting, ice_breakers, persistent_menu, whitelisted_domains';
		refused(await call(emulator, PATH), `(#100) The parameter fields is required: some of ${fieldList}`);
		refused(await get(emulator, 'greeting,home_url'), `(#100) Param fields[1] must be one of {${fieldList}} - got "home_url"`);
		refused(await remove(emulator, []), `(#100) The parameter fields is required: some of ${fieldList}`);
		refused(await remove(emulator, ['account_linking_url']), `(#100) Param fields[0] must be one of {${fieldList}} - got "account_linking_url"`);
		refused(await post(emulator, { greeting, home_url: 'https://shop.example' }), `(#100) Each property must be one of {${fieldList}} - got "home_url"`);
		refused(await post(emulator, {}), `(#100) Requires one of the params: ${fieldList}`);
		// Nothing of a refused POST is kept.
		expect((await get(emulator)).body).toEqual({ data: [] });
		expect(errorOf(await call(emulator, PATH, { greeting }, { method: 'PUT' }))).toEqual({ status: 400, code: 100, subcode: 33 });
		expect(errorOf(await call(emulator, PATH, { greeting }, { token: 'WRONG' }))).toEqual({ status: 400, code: 190 });
		expect(errorOf(await call(emulator, '/v25.0/5550001111/messenger_profile', { greeting }))).toEqual({ status: 400, code: 100, subcode: 33 });
		expect(errorOf(await call(emulator, `/v25.0/${PAGE.id}/messenger_profile?platform=whatsapp&fields=greeting`))).toEqual({ status: 400, code: 100 });
	});
});

describe('the properties at their limits and one past', () => {
	test('get_started: payload 1..1000', async () => {
		const emulator = await unlimited();
		expect((await post(emulator, { get_started: { payload: 'x'.repeat(1000) } })).body).toEqual({ result: 'success' });
		refused(await post(emulator, { get_started: { payload: 'x'.repeat(1001) } }), '(#100) get_started.payload must be at most 1000 characters, got 1001');
		refused(await post(emulator, { get_started: { payload: '' } }), '(#100) get_started.payload is required (a string)');
		refused(await post(emulator, { get_started: 'GET_STARTED' }), '(#100) get_started must be an object {"payload": "…"}');
	});

	test('greeting: text 1..160 (code points), one entry per locale, default required', async () => {
		const emulator = await unlimited();
		const emoji = '👋'.repeat(160);
		expect((await post(emulator, { greeting: [{ locale: 'default', text: emoji }, { locale: 'pt_BR', text: 'Olá {{user_full_name}}' }] })).body).toEqual({ result: 'success' });
		refused(await post(emulator, { greeting: [{ locale: 'default', text: `${emoji}!` }] }), '(#100) greeting[0].text must be at most 160 characters, got 161');
		refused(await post(emulator, { greeting: [{ locale: 'en_US', text: 'Hi' }] }), '(#100) greeting needs an entry with the locale "default"');
		refused(await post(emulator, { greeting: [{ locale: 'default', text: 'a' }, { locale: 'default', text: 'b' }] }), '(#100) greeting has two entries for the locale default');
		refused(await post(emulator, { greeting: [{ locale: 'english', text: 'Hi' }] }), '(#100) greeting[0].locale must be "default" or a locale such as "en_US", got "english"');
		refused(await post(emulator, { greeting: [{ text: 'Hi' }] }), '(#100) greeting[0].locale is required ("default" or a locale such as "en_US")');
		refused(await post(emulator, { greeting: [] }), '(#100) greeting must be a non-empty array');
	});

	test('ice_breakers: 1..4 questions a locale, question 1..80, payload 1..1000, locale absent = default', async () => {
		const emulator = await unlimited();
		const questions = (count: number, question = 'Q?') => Array.from({ length: count }, (_, index) => ({ question: `${question}${index}`, payload: `P${index}` }));
		expect((await post(emulator, { ice_breakers: [{ call_to_actions: questions(4) }] })).body).toEqual({ result: 'success' });
		expect((await post(emulator, { ice_breakers: [{ call_to_actions: questions(1) }, { locale: 'de_DE', call_to_actions: questions(4) }] })).body).toEqual({ result: 'success' });
		refused(await post(emulator, { ice_breakers: [{ call_to_actions: questions(5) }] }), '(#100) ice_breakers[0].call_to_actions must have at most 4 entries, got 5');
		refused(await post(emulator, { ice_breakers: [{ call_to_actions: [] }] }), '(#100) ice_breakers[0].call_to_actions must be a non-empty array');
		expect((await post(emulator, { ice_breakers: [{ call_to_actions: [{ question: 'q'.repeat(80), payload: 'p'.repeat(1000) }] }] })).body).toEqual({ result: 'success' });
		refused(await post(emulator, { ice_breakers: [{ call_to_actions: [{ question: 'q'.repeat(81), payload: 'P' }] }] }), '(#100) ice_breakers[0].call_to_actions[0].question must be at most 80 characters, got 81');
		refused(await post(emulator, { ice_breakers: [{ call_to_actions: [{ question: 'Q', payload: 'p'.repeat(1001) }] }] }), '(#100) ice_breakers[0].call_to_actions[0].payload must be at most 1000 characters, got 1001');
		refused(await post(emulator, { ice_breakers: [{ locale: 'en_US', call_to_actions: questions(1) }] }), '(#100) ice_breakers needs an entry with the locale "default"');
		refused(await post(emulator, { ice_breakers: [{ call_to_actions: questions(1) }, { locale: 'default', call_to_actions: questions(1) }] }), '(#100) ice_breakers has two entries for the locale default');
	});

	test('persistent_menu: 1..20 postback / web_url buttons a locale, title 1..30, no nesting, default required', async () => {
		const emulator = await unlimited();
		const buttons = (count: number) => Array.from({ length: count }, (_, index) => ({ type: 'postback', title: `Item ${index}`, payload: `ITEM_${index}` }));
		const withMenu = async (entries: unknown) => await post(emulator, { get_started: getStarted, persistent_menu: entries });
		expect((await withMenu([{ locale: 'default', composer_input_disabled: true, call_to_actions: buttons(20) }])).body).toEqual({ result: 'success' });
		refused(await withMenu([{ locale: 'default', call_to_actions: buttons(21) }]), '(#100) persistent_menu[0].call_to_actions must have at most 20 entries, got 21');
		const link = { type: 'web_url', title: 't'.repeat(30), url: 'https://shop.example/orders', webview_height_ratio: 'tall' };
		expect((await withMenu([{ locale: 'default', call_to_actions: [link] }])).body).toEqual({ result: 'success' });
		refused(await withMenu([{ locale: 'default', call_to_actions: [{ ...link, title: 't'.repeat(31) }] }]), '(#100) persistent_menu[0].call_to_actions[0].title must be at most 30 characters, got 31');
		refused(await withMenu([{ locale: 'default', call_to_actions: [{ ...link, url: 'ftp://shop.example' }] }]), '(#100) persistent_menu[0].call_to_actions[0].url must be an http(s) URL');
		refused(await withMenu([{ locale: 'default', call_to_actions: [{ ...link, webview_height_ratio: 'huge' }] }]), '(#100) persistent_menu[0].call_to_actions[0].webview_height_ratio must be one of compact, tall, full');
		refused(
			await withMenu([{ locale: 'default', call_to_actions: [{ type: 'nested', title: 'More', call_to_actions: buttons(2) }] }]),
			'(#100) persistent_menu[0].call_to_actions[0].type must be "postback" or "web_url" (menus are not nested), got "nested"',
		);
		refused(await withMenu([{ locale: 'default', composer_input_disabled: 'yes', call_to_actions: buttons(1) }]), '(#100) persistent_menu[0].composer_input_disabled must be true or false');
		refused(await withMenu([{ locale: 'fr_FR', call_to_actions: buttons(1) }]), '(#100) persistent_menu needs an entry with the locale "default"');
	});

	test('whitelisted_domains: 1..50 https URLs', async () => {
		const emulator = await unlimited();
		const domains = (count: number) => Array.from({ length: count }, (_, index) => `https://shop${index}.example`);
		expect((await post(emulator, { whitelisted_domains: domains(50) })).body).toEqual({ result: 'success' });
		refused(await post(emulator, { whitelisted_domains: domains(51) }), '(#100) whitelisted_domains must have at most 50 entries, got 51');
		refused(await post(emulator, { whitelisted_domains: ['http://shop.example'] }), '(#100) whitelisted_domains[0] must be an https:// URL, got "http://shop.example"');
		refused(await post(emulator, { whitelisted_domains: [] }), '(#100) whitelisted_domains must be a non-empty array');
	});
});

describe('the persistent menu needs Get Started (Messenger)', () => {
	const NEEDS = '(#100) You must set a Get Started button if you also wish to use persistent menu.';

	test('a POST that would leave a menu without Get Started is refused; together or after it, it is fine', async () => {
		const emulator = await unlimited();
		refused(await post(emulator, { persistent_menu: menu }), NEEDS);
		expect((await get(emulator)).body).toEqual({ data: [] });
		expect((await post(emulator, { get_started: getStarted, persistent_menu: menu })).body).toEqual({ result: 'success' });
		expect((await post(emulator, { persistent_menu: menu })).body).toEqual({ result: 'success' });
	});

	test('a DELETE of get_started while the menu stays is refused; both at once, or the menu first, is fine', async () => {
		const emulator = await unlimited();
		await post(emulator, { get_started: getStarted, persistent_menu: menu });
		refused(await remove(emulator, ['get_started']), NEEDS);
		expect((await get(emulator, 'get_started,persistent_menu')).body).toEqual({ data: [{ get_started: getStarted, persistent_menu: menu }] });
		expect((await remove(emulator, ['get_started', 'persistent_menu'])).body).toEqual({ result: 'success' });
		await post(emulator, { get_started: getStarted, persistent_menu: menu });
		expect((await remove(emulator, ['persistent_menu'])).body).toEqual({ result: 'success' });
		expect((await remove(emulator, ['get_started'])).body).toEqual({ result: 'success' });
		expect((await get(emulator)).body).toEqual({ data: [] });
	});
});

describe('Instagram (platform=instagram)', () => {
	test("an Instagram account's profile: ice_breakers and persistent_menu only, the menu without Get Started", async () => {
		const emulator = await startEmulator({ pages: [PAGE, IG], profileWritesPer10Minutes: 0 });
		const igPath = `${PATH}?platform=instagram`;
		expect((await post(emulator, { ice_breakers: iceBreakers, persistent_menu: menu }, igPath, IG.token)).body).toEqual({ result: 'success' });
		expect((await get(emulator, 'ice_breakers,persistent_menu', igPath, IG.token)).body).toEqual({ data: [{ ice_breakers: iceBreakers, persistent_menu: menu }] });
		refused(await post(emulator, { greeting }, igPath, IG.token), '(#100) greeting is not supported for Instagram');
		refused(await get(emulator, 'get_started', igPath, IG.token), '(#100) get_started is not supported for Instagram');
		refused(await remove(emulator, ['whitelisted_domains'], igPath, IG.token), '(#100) whitelisted_domains is not supported for Instagram');
		refused(await post(emulator, { ice_breakers: iceBreakers }, PATH, IG.token), "(#100) An Instagram account's messenger_profile needs platform=instagram");
		expect((await remove(emulator, ['persistent_menu'], igPath, IG.token)).body).toEqual({ result: 'success' });
		expect(emulator.messengerProfile(IG.id)).toEqual({ ice_breakers: iceBreakers });
	});

	test("a Page's platform=instagram profile is apart from its Messenger one", async () => {
		const emulator = await unlimited();
		expect((await post(emulator, { persistent_menu: menu }, `${PATH}?platform=instagram`)).body).toEqual({ result: 'success' });
		expect((await get(emulator)).body).toEqual({ data: [] });
		expect(emulator.messengerProfile(PAGE.id, 'instagram')).toEqual({ persistent_menu: menu });
		expect((await post(emulator, { get_started: getStarted }, `${PATH}?platform=messenger`)).body).toEqual({ result: 'success' });
		expect((await get(emulator, 'persistent_menu', `${PATH}?platform=instagram`)).body).toEqual({ data: [{ persistent_menu: menu }] });
	});
});

describe('the write rate limit', () => {
	const LIMITED = {
		message: '(#613) Calls to this api have exceeded the rate limit.',
		type: 'OAuthException',
		code: 613,
		error_subcode: 2018339,
		fbtrace_id: expect.any(String),
	};

	test('10 writes in 10 minutes per Page and platform (refused ones count); the 11th is 613/2018339; reads are free; the window passes', async () => {
		let now = Date.parse('2026-05-04T10:00:00Z');
		jest.spyOn(Date, 'now').mockImplementation(() => now);
		const emulator = await startEmulator();
		for (let index = 0; index < 9; index += 1) expect((await post(emulator, { get_started: { payload: `P${index}` } })).status).toBe(200);
		refused(await post(emulator, { greeting: [] }), '(#100) greeting must be a non-empty array');
		const eleventh = await remove(emulator, ['greeting']);
		expect(eleventh.status).toBe(400);
		expect(eleventh.body).toEqual({ error: LIMITED });
		expect((await post(emulator, { greeting })).body).toEqual({ error: LIMITED });
		expect(emulator.stats().rejected['613/2018339']).toBe(2);
		for (let index = 0; index < 5; index += 1) expect((await get(emulator, 'get_started')).body).toEqual({ data: [{ get_started: { payload: 'P8' } }] });
		// Instagram's profile of the same Page has its own window.
		expect((await post(emulator, { ice_breakers: iceBreakers }, `${PATH}?platform=instagram`)).status).toBe(200);
		now += 10 * 60 * 1000 - 1;
		expect((await post(emulator, { greeting })).body).toEqual({ error: LIMITED });
		now += 1;
		expect((await post(emulator, { greeting })).body).toEqual({ result: 'success' });
	});

	test('profileWritesPer10Minutes sets the limit (0: none); reset() empties the window', async () => {
		const emulator = await startEmulator({ profileWritesPer10Minutes: 2 });
		await post(emulator, { greeting });
		await post(emulator, { greeting });
		expect(errorOf(await post(emulator, { greeting }))).toEqual({ status: 400, code: 613, subcode: 2018339 });
		emulator.reset();
		expect((await get(emulator)).body).toEqual({ data: [] });
		expect((await post(emulator, { greeting })).status).toBe(200);
		emulator.configure({ profileWritesPer10Minutes: 0 });
		for (let index = 0; index < 15; index += 1) expect((await post(emulator, { greeting })).status).toBe(200);
	});
});

describe('in a Graph batch', () => {
	test('POST, GET and DELETE as batch operations, counted by the rate limit', async () => {
		const emulator = await startEmulator({ profileWritesPer10Minutes: 3 });
		const answer = await batch(emulator, [
			{ method: 'POST', relative_url: 'me/messenger_profile', body: opBody({ get_started: getStarted, persistent_menu: menu }) },
			{ method: 'GET', relative_url: 'me/messenger_profile?fields=get_started,persistent_menu' },
			{ method: 'DELETE', relative_url: 'me/messenger_profile', body: opBody({ fields: ['get_started'] }) },
			{ method: 'DELETE', relative_url: 'me/messenger_profile?fields=persistent_menu,get_started' },
			{ method: 'POST', relative_url: 'me/messenger_profile', body: opBody({ greeting }) },
		]);
		expect(answer.status).toBe(200);
		expect(answer.body.map((entry: { code: number }) => entry.code)).toEqual([200, 200, 400, 200, 400]);
		expect(JSON.parse(answer.body[0].body)).toEqual({ result: 'success' });
		expect(JSON.parse(answer.body[1].body)).toEqual({ data: [{ get_started: getStarted, persistent_menu: menu }] });
		expect(JSON.parse(answer.body[2].body).error.message).toBe('(#100) You must set a Get Started button if you also wish to use persistent menu.');
		expect(JSON.parse(answer.body[3].body)).toEqual({ result: 'success' });
		expect(JSON.parse(answer.body[4].body).error).toMatchObject({ code: 613, error_subcode: 2018339 });
		expect(emulator.messengerProfile()).toEqual({});
	});
});
