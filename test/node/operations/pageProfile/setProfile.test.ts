// Page Profile → Set, run by n8n's engine against the emulator's Messenger Profile API: the exact
// requests (a GET of the chosen properties, then one POST of only those that differ), changed:
// false with no write on a repeat, the menu's Get Started rule refused before any write, the
// profile's write rate limit explained and never retried, Instagram, Continue On Fail.
import { credentials, everythingRecorded, PAGE_ID, send, server, TOKEN, useGraphServer } from '../../../helpers/fixtures';

useGraphServer();

const greeting = { greetings: { greeting: [{ locale: 'default', text: 'Hi {{user_first_name}}!' }, { locale: 'de_DE', text: 'Hallo {{user_first_name}}!' }] } };
const everything = {
	resource: 'pageProfile',
	operation: 'set',
	profileProperties: ['get_started', 'greeting', 'ice_breakers', 'persistent_menu', 'whitelisted_domains'],
	getStartedPayload: 'GET_STARTED',
	...greeting,
	iceBreakers: { iceBreaker: [{ locale: 'default', question: 'Where is my order?', payload: 'ORDER' }, { locale: 'default', question: 'Talk to a human', payload: 'HUMAN' }] },
	menuItems: {
		menuItem: [
			{ locale: 'default', type: 'postback', title: 'Talk to a human', payload: 'HUMAN' },
			{ locale: 'default', type: 'web_url', title: 'Shop', url: 'https://shop.example/', webviewHeightRatio: 'tall' },
		],
	},
	allowedDomains: { domain: [{ url: 'https://shop.example' }] },
};
const WRITTEN = {
	get_started: { payload: 'GET_STARTED' },
	greeting: [
		{ locale: 'default', text: 'Hi {{user_first_name}}!' },
		{ locale: 'de_DE', text: 'Hallo {{user_first_name}}!' },
	],
	ice_breakers: [{ locale: 'default', call_to_actions: [{ question: 'Where is my order?', payload: 'ORDER' }, { question: 'Talk to a human', payload: 'HUMAN' }] }],
	persistent_menu: [
		{
			locale: 'default',
			composer_input_disabled: false,
			call_to_actions: [
				{ type: 'postback', title: 'Talk to a human', payload: 'HUMAN' },
				{ type: 'web_url', title: 'Shop', url: 'https://shop.example/', webview_height_ratio: 'tall' },
			],
		},
	],
	whitelisted_domains: ['https://shop.example'],
};
const FIELDS = 'get_started,greeting,ice_breakers,persistent_menu,whitelisted_domains';
const requests = () => server.requests.map((request) => ({ method: request.method, url: request.url, ...(request.method === 'GET' ? {} : { body: request.body }) }));

test('the same Set in two executions at the same moment: both succeed, the profile is what they set, written at most twice', async () => {
	// Every answer 150 ms late: both read the profile before either has written.
	server.configure({ latencyMs: 150 });
	try {
		const runs = await Promise.all([send(everything), send(everything)]);

		expect(runs.map((run) => run.error)).toEqual([undefined, undefined]);
		expect(runs.map((run) => run.items[0].json.live)).toEqual([WRITTEN, WRITTEN]);
		expect(server.messengerProfile(PAGE_ID)).toEqual(WRITTEN);
		// Both found nothing and both wrote the same: two of Meta's ~10 writes per 10 minutes, nothing else.
		expect(requests().map((request) => request.method).sort()).toEqual(['GET', 'GET', 'POST', 'POST']);
	} finally {
		server.configure({ latencyMs: 0 });
	}
});

test('every property from the editor’s fields: one GET, one POST with all of them; the output says what changed and what is live', async () => {
	const run = await send(everything);

	expect(run.error).toBeUndefined();
	expect(requests()).toEqual([
		{ method: 'GET', url: `/v25.0/me/messenger_profile?fields=${encodeURIComponent(FIELDS)}` },
		{ method: 'POST', url: '/v25.0/me/messenger_profile', body: WRITTEN },
	]);
	for (const request of server.requests) expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
	expect(run.items).toEqual([
		{
			json: { success: true, changed: true, platform: 'messenger', changedProperties: FIELDS.split(','), unchangedProperties: [], live: WRITTEN },
			pairedItem: { item: 0 },
		},
	]);
	expect(server.messengerProfile(PAGE_ID)).toEqual(WRITTEN);
	expect(everythingRecorded(run)).not.toContain(TOKEN);
});

test('the same Set again: changed false, only the GET, no write', async () => {
	await send(everything);
	server.requests.length = 0;
	const again = await send(everything);

	expect(requests().map((request) => request.method)).toEqual(['GET']);
	expect(again.items[0].json).toMatchObject({ success: true, changed: false, changedProperties: [], unchangedProperties: FIELDS.split(','), live: expect.objectContaining({ get_started: { payload: 'GET_STARTED' } }) });
});

test('a partial change writes only the property that differs', async () => {
	await send(everything);
	server.requests.length = 0;
	const run = await send({ ...everything, profileProperties: ['get_started', 'greeting'], greetings: { greeting: [{ locale: 'default', text: 'Welcome!' }] } });

	expect(requests()).toEqual([
		{ method: 'GET', url: `/v25.0/me/messenger_profile?fields=${encodeURIComponent('get_started,greeting')}` },
		{ method: 'POST', url: '/v25.0/me/messenger_profile', body: { greeting: [{ locale: 'default', text: 'Welcome!' }] } },
	]);
	expect(run.items[0].json).toEqual({
		success: true,
		changed: true,
		platform: 'messenger',
		changedProperties: ['greeting'],
		unchangedProperties: ['get_started'],
		live: { get_started: { payload: 'GET_STARTED' }, greeting: [{ locale: 'default', text: 'Welcome!' }] },
	});
	expect(server.messengerProfile(PAGE_ID)).toEqual({ ...WRITTEN, greeting: [{ locale: 'default', text: 'Welcome!' }] });
});

test('JSON input: the properties given, checked like the fields', async () => {
	const profileJson = JSON.stringify({ greeting: [{ locale: 'default', text: 'Hello {{user_full_name}}' }], whitelisted_domains: ['https://a.example'] });
	const run = await send({ resource: 'pageProfile', operation: 'set', inputMode: 'json', profileJson });

	expect(requests()).toEqual([
		{ method: 'GET', url: `/v25.0/me/messenger_profile?fields=${encodeURIComponent('greeting,whitelisted_domains')}` },
		{ method: 'POST', url: '/v25.0/me/messenger_profile', body: JSON.parse(profileJson) },
	]);
	expect(run.items[0].json).toMatchObject({ changed: true, changedProperties: ['greeting', 'whitelisted_domains'] });

	const tooLong = await send({ resource: 'pageProfile', operation: 'set', inputMode: 'json', profileJson: JSON.stringify({ greeting: [{ locale: 'default', text: 'x'.repeat(161) }] }) });
	expect(tooLong.error?.message).toBe('Greeting Text (default) in item 0 has 161 characters, more than the 160 Messenger accepts (a greeting has at most 160 characters)');
});

test('a menu without Get Started (neither live nor in this Set): refused after the GET, before any write', async () => {
	const run = await send({ ...everything, profileProperties: ['persistent_menu'] }, { continueOnFail: true });

	expect(requests()).toEqual([{ method: 'GET', url: `/v25.0/me/messenger_profile?fields=${encodeURIComponent('get_started,persistent_menu')}` }]);
	expect(run.items).toEqual([{ json: expect.objectContaining({ error: expect.stringMatching(/^Persistent Menu in item 0 needs Get Started, which the Page does not have/) }), pairedItem: { item: 0 } }]);
	expect(server.messengerProfile(PAGE_ID)).toEqual({});
});

test('a menu with Get Started already live: written alone', async () => {
	await send({ ...everything, profileProperties: ['get_started'] });
	server.requests.length = 0;
	const run = await send({ ...everything, profileProperties: ['persistent_menu'] });

	expect(requests()).toEqual([
		{ method: 'GET', url: `/v25.0/me/messenger_profile?fields=${encodeURIComponent('get_started,persistent_menu')}` },
		{ method: 'POST', url: '/v25.0/me/messenger_profile', body: { persistent_menu: WRITTEN.persistent_menu } },
	]);
	expect(run.items[0].json).toMatchObject({ changed: true, changedProperties: ['persistent_menu'], live: { persistent_menu: WRITTEN.persistent_menu } });
});

test('the profile’s write rate limit (613): explained, sent once (not retried), the other items done (Continue On Fail)', async () => {
	server.configure({ profileWritesPer10Minutes: 1 });
	try {
		const run = await send(
			{ resource: 'pageProfile', operation: 'set', profileProperties: ['get_started'], getStartedPayload: '={{ $json.payload }}' },
			{ items: [{ json: { payload: 'ONE' } }, { json: { payload: 'TWO' } }], continueOnFail: true },
		);

		expect(requests().map((request) => request.method)).toEqual(['GET', 'POST', 'GET', 'POST']);
		expect(run.items[0]).toEqual({ json: expect.objectContaining({ changed: true, live: { get_started: { payload: 'ONE' } } }), pairedItem: { item: 0 } });
		expect(run.items[1].pairedItem).toEqual({ item: 1 });
		expect(run.items[1].json).toMatchObject({ error: 'Meta allows about 10 changes of the Page’s profile per 10 minutes (item 1)', code: 613, error_subcode: 2018339 });
		expect(run.items[1].json.description).toContain('Wait and run again; nothing else was changed.');
		expect(server.messengerProfile(PAGE_ID)).toEqual({ get_started: { payload: 'ONE' } });
		expect(everythingRecorded(run)).not.toContain(TOKEN);
	} finally {
		server.configure({ profileWritesPer10Minutes: undefined });
	}
});

test('without Continue On Fail the rate limit fails the node with the explanation', async () => {
	server.configure({ profileWritesPer10Minutes: 1 });
	try {
		await send({ ...everything, profileProperties: ['get_started'] });
		server.requests.length = 0;
		const run = await send({ ...everything, profileProperties: ['get_started'], getStartedPayload: 'OTHER' });
		expect(requests().map((request) => request.method)).toEqual(['GET', 'POST']);
		expect(run.error?.message).toBe('Meta allows about 10 changes of the Page’s profile per 10 minutes (item 0)');
		expect(JSON.stringify(run.error)).not.toContain(TOKEN);
	} finally {
		server.configure({ profileWritesPer10Minutes: undefined });
	}
});

describe('Instagram (a credential with Platform = Instagram)', () => {
	const instagram = () => ({ credentials: credentials({ platform: 'instagram' }) });

	test('ice breakers: the same edge with platform=instagram; the menu needs no Get Started there', async () => {
		const run = await send({ ...everything, profileProperties: ['ice_breakers', 'persistent_menu'] }, instagram());

		expect(requests()).toEqual([
			{ method: 'GET', url: `/v25.0/me/messenger_profile?platform=instagram&fields=${encodeURIComponent('ice_breakers,persistent_menu')}` },
			{ method: 'POST', url: '/v25.0/me/messenger_profile?platform=instagram', body: { ice_breakers: WRITTEN.ice_breakers, persistent_menu: WRITTEN.persistent_menu } },
		]);
		expect(run.items[0].json).toMatchObject({ changed: true, platform: 'instagram' });
		expect(server.messengerProfile(PAGE_ID, 'instagram')).toEqual({ ice_breakers: WRITTEN.ice_breakers, persistent_menu: WRITTEN.persistent_menu });
		expect(server.messengerProfile(PAGE_ID)).toEqual({});
	});

	test('a greeting: refused before any request, naming what Instagram has', async () => {
		const run = await send({ ...everything, profileProperties: ['greeting'] }, instagram());

		expect(server.requests).toHaveLength(0);
		expect(run.error?.message).toBe(
			'Properties in item 0 asks for Greeting, which an Instagram account does not have: Meta’s profile of an Instagram account holds only Ice Breakers and Persistent Menu'.replace('Meta’s', "Meta's"),
		);
	});
});
