// Page Profile → Get and Delete, run by n8n's engine against the emulator: what is live now (null
// when not set), the DELETE naming only what is set, changed: false with no write when nothing is,
// Get Started kept while the menu stays, Instagram.
import { credentials, everythingRecorded, PAGE_ID, send, server, TOKEN, useGraphServer } from '../../../helpers/fixtures';

useGraphServer();

const MENU = [{ locale: 'default', call_to_actions: [{ type: 'postback', title: 'Help', payload: 'HELP' }] }];
const GREETING = [{ locale: 'default', text: 'Hi {{user_first_name}}!' }];
const requests = () => server.requests.map((request) => ({ method: request.method, url: request.url, ...(request.method === 'GET' ? {} : { body: request.body }) }));

async function liveProfile(profile: Record<string, unknown>, platform = 'messenger'): Promise<void> {
	const run = await send({ resource: 'pageProfile', operation: 'set', inputMode: 'json', profileJson: JSON.stringify(profile) }, { credentials: credentials({ platform }) });
	expect(run.error).toBeUndefined();
	server.requests.length = 0;
}

describe('Get', () => {
	test('all five by default: what is live, null where nothing is set', async () => {
		await liveProfile({ get_started: { payload: 'GO' }, greeting: GREETING });
		const run = await send({ resource: 'pageProfile', operation: 'get' });

		expect(requests()).toEqual([{ method: 'GET', url: `/v25.0/me/messenger_profile?fields=${encodeURIComponent('get_started,greeting,ice_breakers,persistent_menu,whitelisted_domains')}` }]);
		expect(run.items).toEqual([
			{
				json: { platform: 'messenger', live: { get_started: { payload: 'GO' }, greeting: GREETING, ice_breakers: null, persistent_menu: null, whitelisted_domains: null } },
				pairedItem: { item: 0 },
			},
		]);
		expect(everythingRecorded(run)).not.toContain(TOKEN);
	});

	test('the chosen ones only, of the Page ID given', async () => {
		const run = await send({ resource: 'pageProfile', operation: 'get', profileProperties: ['greeting'], pageId: PAGE_ID });
		expect(requests()).toEqual([{ method: 'GET', url: `/v25.0/${PAGE_ID}/messenger_profile?fields=greeting` }]);
		expect(run.items[0].json).toEqual({ platform: 'messenger', live: { greeting: null } });
	});

	test('Instagram: all means ice breakers and the menu, with platform=instagram', async () => {
		await liveProfile({ persistent_menu: MENU }, 'instagram');
		const run = await send({ resource: 'pageProfile', operation: 'get' }, { credentials: credentials({ platform: 'instagram' }) });
		expect(requests()).toEqual([{ method: 'GET', url: `/v25.0/me/messenger_profile?platform=instagram&fields=${encodeURIComponent('ice_breakers,persistent_menu')}` }]);
		expect(run.items[0].json).toEqual({ platform: 'instagram', live: { ice_breakers: null, persistent_menu: MENU } });
	});
});

describe('Delete', () => {
	test('only what is set is named in the DELETE; the output says what went and what was not set', async () => {
		await liveProfile({ greeting: GREETING, whitelisted_domains: ['https://a.example'] });
		const run = await send({ resource: 'pageProfile', operation: 'delete', profileProperties: ['greeting', 'ice_breakers'] });

		expect(requests()).toEqual([
			{ method: 'GET', url: `/v25.0/me/messenger_profile?fields=${encodeURIComponent('greeting,ice_breakers')}` },
			{ method: 'DELETE', url: '/v25.0/me/messenger_profile', body: { fields: ['greeting'] } },
		]);
		expect(run.items).toEqual([
			{
				json: { success: true, changed: true, platform: 'messenger', deletedProperties: ['greeting'], notSetProperties: ['ice_breakers'], live: { greeting: null, ice_breakers: null } },
				pairedItem: { item: 0 },
			},
		]);
		expect(server.messengerProfile(PAGE_ID)).toEqual({ whitelisted_domains: ['https://a.example'] });
	});

	test('nothing of it set (a second run): changed false, no DELETE', async () => {
		const run = await send({ resource: 'pageProfile', operation: 'delete', profileProperties: ['greeting'] });
		expect(requests().map((request) => request.method)).toEqual(['GET']);
		expect(run.items[0].json).toMatchObject({ success: true, changed: false, deletedProperties: [], notSetProperties: ['greeting'] });
	});

	test('Get Started while the menu stays: refused before any write; both together are deleted', async () => {
		await liveProfile({ get_started: { payload: 'GO' }, persistent_menu: MENU });
		const refused = await send({ resource: 'pageProfile', operation: 'delete', profileProperties: ['get_started'] }, { continueOnFail: true });

		expect(requests()).toEqual([{ method: 'GET', url: `/v25.0/me/messenger_profile?fields=${encodeURIComponent('get_started,persistent_menu')}` }]);
		expect(refused.items).toEqual([{ json: expect.objectContaining({ error: expect.stringMatching(/^Get Started in item 0 can’t be deleted while the Persistent Menu stays/) }), pairedItem: { item: 0 } }]);

		server.requests.length = 0;
		const both = await send({ resource: 'pageProfile', operation: 'delete', profileProperties: ['get_started', 'persistent_menu'] });
		expect(requests()[1]).toEqual({ method: 'DELETE', url: '/v25.0/me/messenger_profile', body: { fields: ['get_started', 'persistent_menu'] } });
		expect(both.items[0].json).toMatchObject({ changed: true, deletedProperties: ['get_started', 'persistent_menu'] });
		expect(server.messengerProfile(PAGE_ID)).toEqual({});
	});

	test('nothing chosen: refused naming the field', async () => {
		const run = await send({ resource: 'pageProfile', operation: 'delete' });
		expect(server.requests).toHaveLength(0);
		expect(run.error?.message).toBe('Properties in item 0 is empty: choose what to delete');
	});

	test('Instagram: platform=instagram on both calls', async () => {
		await liveProfile({ ice_breakers: [{ locale: 'default', call_to_actions: [{ question: 'Hi?', payload: 'HI' }] }] }, 'instagram');
		const run = await send({ resource: 'pageProfile', operation: 'delete', profileProperties: ['ice_breakers'] }, { credentials: credentials({ platform: 'instagram' }) });
		expect(requests()).toEqual([
			{ method: 'GET', url: '/v25.0/me/messenger_profile?platform=instagram&fields=ice_breakers' },
			{ method: 'DELETE', url: '/v25.0/me/messenger_profile?platform=instagram', body: { fields: ['ice_breakers'] } },
		]);
		expect(run.items[0].json).toMatchObject({ changed: true, platform: 'instagram' });
		expect(server.messengerProfile(PAGE_ID, 'instagram')).toEqual({});
	});
});
