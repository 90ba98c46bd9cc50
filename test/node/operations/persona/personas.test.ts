// Persona → Create, Get Many and Delete, run by n8n's engine against the emulator's Personas API;
// the editor's list of the Page's personas (the Persona ID fields' list search); Send Message and
// Sender Action with a persona, as saved before (plain text) and as the editor saves it now.
import { SEARCH_PERSONAS } from '../../../../nodes/MessengerSend/descriptions/persona';
import { MessengerSend } from '../../../../nodes/MessengerSend/MessengerSend.node';
import { credentials, everythingRecorded, PAGE_ID, send, server, TOKEN, useGraphServer } from '../../../helpers/fixtures';
import { graphError } from '../../../helpers/graphReplies';
import { loadOptionsContext } from '../../../helpers/loadOptions';

useGraphServer();

const PSID = '6789012345678901';
const SAM = { personaName: 'Sam from Support', profilePictureUrl: 'https://shop.example/sam.png' };
const requests = () => server.requests.map((request) => ({ method: request.method, url: request.url, ...(request.method === 'POST' ? { body: request.body } : {}) }));
const create = (persona: Record<string, string> = SAM, options = {}) => send({ resource: 'persona', operation: 'create', ...persona }, options);

describe('Create', () => {
	test('lists the Page’s personas, then creates: the exact calls and the output', async () => {
		const run = await create();

		expect(requests()).toEqual([
			{ method: 'GET', url: '/v25.0/me/personas?limit=100' },
			{ method: 'POST', url: '/v25.0/me/personas', body: { name: 'Sam from Support', profile_picture_url: 'https://shop.example/sam.png' } },
			// Listed again: did another execution create the same persona at the same moment?
			{ method: 'GET', url: '/v25.0/me/personas?limit=100' },
		]);
		const id = server.personas(PAGE_ID)[0].id;
		expect(run.items).toEqual([{ json: { success: true, changed: true, id, name: 'Sam from Support', profilePictureUrl: 'https://shop.example/sam.png' }, pairedItem: { item: 0 } }]);
		expect(everythingRecorded(run)).not.toContain(TOKEN);
	});

	test('run again (n8n may run the node twice): the existing persona, changed false, no second one', async () => {
		const first = await create();
		server.requests.length = 0;
		const again = await create();

		expect(requests().map((request) => request.method)).toEqual(['GET']);
		expect(again.items[0].json).toEqual({ ...first.items[0].json, changed: false });
		expect(server.personas(PAGE_ID)).toHaveLength(1);
	});

	test('two executions create the same persona at the same moment: one persona stays, both report it, one as created', async () => {
		// Every answer 150 ms late: both executions list the personas before either has created one.
		server.configure({ latencyMs: 150 });
		try {
			const runs = await Promise.all([create(), create()]);

			const personas = server.personas(PAGE_ID);
			expect(personas).toHaveLength(1);
			// Both created, both listed again and found two; the one with the higher ID was deleted by its creator.
			expect(requests().map((request) => request.method).sort()).toEqual(['DELETE', 'GET', 'GET', 'GET', 'GET', 'POST', 'POST']);
			expect(runs.map((run) => run.items[0].json.id)).toEqual([personas[0].id, personas[0].id]);
			expect(runs.map((run) => run.items[0].json.changed).sort()).toEqual([false, true]);
		} finally {
			server.configure({ latencyMs: 0 });
		}
	});

	test('two items with the same persona in one run: one created, the second finds it', async () => {
		const run = await send({ resource: 'persona', operation: 'create', personaName: '={{ $json.name }}', profilePictureUrl: SAM.profilePictureUrl }, { items: [{ json: { name: 'Ann' } }, { json: { name: 'Ann' } }] });
		expect(run.items.map((item) => [item.json.changed, item.pairedItem])).toEqual([
			[true, { item: 0 }],
			[false, { item: 1 }],
		]);
		expect(server.personas(PAGE_ID).map((persona) => persona.name)).toEqual(['Ann']);
	});

	test.each([
		[{ ...SAM, personaName: 'x'.repeat(51) }, 'Name in item 0 has 51 characters, more than the 50 Messenger accepts (a persona name has at most 50 characters)'],
		[{ ...SAM, personaName: ' ' }, 'Name in item 0 is empty'],
		[{ ...SAM, profilePictureUrl: 'ftp://shop.example/sam.png' }, 'Profile Picture URL in item 0 must be an http(s):// URL, not "ftp://shop.example/sam.png"'],
	])('refused before any call: %j', async (persona, message) => {
		const run = await create(persona);
		expect(server.requests).toHaveLength(0);
		expect(run.error?.message).toBe(message);
	});

	test('a name of exactly 50 characters is created', async () => {
		const run = await create({ ...SAM, personaName: 'x'.repeat(50) });
		expect(run.items[0].json).toMatchObject({ changed: true, name: 'x'.repeat(50) });
	});
});

describe('Get Many', () => {
	beforeEach(async () => {
		for (let n = 1; n <= 3; n++) await create({ personaName: `Agent ${n}`, profilePictureUrl: `https://shop.example/${n}.png` });
		server.requests.length = 0;
	});

	test('Limit: one item per persona, oldest first, all paired with the input item', async () => {
		const run = await send({ resource: 'persona', operation: 'getAll', limit: 2 });
		expect(requests()).toEqual([{ method: 'GET', url: '/v25.0/me/personas?limit=2' }]);
		expect(run.items).toEqual([
			{ json: { id: expect.stringMatching(/^\d+$/), name: 'Agent 1', profilePictureUrl: 'https://shop.example/1.png' }, pairedItem: { item: 0 } },
			{ json: { id: expect.stringMatching(/^\d+$/), name: 'Agent 2', profilePictureUrl: 'https://shop.example/2.png' }, pairedItem: { item: 0 } },
		]);
	});

	test('Return All follows Graph’s paging', async () => {
		for (let n = 4; n <= 102; n++) await create({ personaName: `Agent ${n}`, profilePictureUrl: `https://shop.example/${n}.png` });
		server.requests.length = 0;
		const run = await send({ resource: 'persona', operation: 'getAll', returnAll: true });
		expect(run.items.map((item) => item.json.name)).toEqual(Array.from({ length: 102 }, (_, i) => `Agent ${i + 1}`));
		expect(server.requests.map((request) => request.url.replace(/after=[^&]+/, 'after=…'))).toEqual(['/v25.0/me/personas?limit=100', '/v25.0/me/personas?limit=100&after=…']);
	});
});

describe('Delete', () => {
	test('DELETE /{persona-id}; again: changed false, not an error', async () => {
		const id = String((await create()).items[0].json.id);
		server.requests.length = 0;
		const run = await send({ resource: 'persona', operation: 'delete', personaId: { __rl: true, mode: 'list', value: id, cachedResultName: 'Sam from Support' } });

		expect(requests()).toEqual([{ method: 'DELETE', url: `/v25.0/${id}` }]);
		expect(run.items).toEqual([{ json: { success: true, changed: true, id }, pairedItem: { item: 0 } }]);
		expect(server.personas(PAGE_ID)).toEqual([]);

		const again = await send({ resource: 'persona', operation: 'delete', personaId: { __rl: true, mode: 'id', value: id } });
		expect(again.error).toBeUndefined();
		expect(again.items[0].json).toEqual({ success: true, changed: false, id });
	});

	test('another refusal: an error item, paired (Continue On Fail)', async () => {
		server.respondWith = () => graphError(10, undefined, '(#10) Requires pages_messaging');
		const run = await send({ resource: 'persona', operation: 'delete', personaId: { __rl: true, mode: 'id', value: '123' } }, { continueOnFail: true });
		expect(run.items).toEqual([{ json: expect.objectContaining({ error: 'The app may not manage the Page’s personas (item 0)', code: 10 }), pairedItem: { item: 0 } }]);
		expect(everythingRecorded(run)).not.toContain(TOKEN);
	});

	test('an expression that gives no ID: refused naming the field (n8n itself refuses an empty field)', async () => {
		const run = await send({ resource: 'persona', operation: 'delete', personaId: { __rl: true, mode: 'id', value: '={{ $json.persona }}' } });
		expect(run.error?.message).toBe('Persona ID in item 0 is empty: pick a persona, or enter its ID (Get Many lists them)');
	});
});

describe('the editor’s list of the Page’s personas', () => {
	const search = new MessengerSend().methods.listSearch[SEARCH_PERSONAS];

	test('lists them by name with their IDs, filtered by what is typed; the token only in the header', async () => {
		await create({ personaName: 'Sam from Support', profilePictureUrl: 'https://shop.example/sam.png' });
		await create({ personaName: 'Lena', profilePictureUrl: 'https://shop.example/lena.png' });
		server.requests.length = 0;
		const context = loadOptionsContext({ resource: 'message', operation: 'sendMessage', pageId: 'me' }, credentials());

		const all = await search.call(context);
		expect(all).toEqual({ results: server.personas(PAGE_ID).map((persona) => ({ name: persona.name, value: persona.id })), paginationToken: undefined });
		expect((await search.call(context, 'sam')).results.map((result) => result.name)).toEqual(['Sam from Support']);
		expect(server.requests[0].url).toBe('/v25.0/me/personas?limit=100');
		expect(server.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
	});

	test('a refusal: an error without the token', async () => {
		server.respondWith = () => graphError(190, undefined, `(#190) Invalid OAuth access token ${TOKEN}`, 401);
		const context = loadOptionsContext({ pageId: 'me' }, credentials());
		await expect(search.call(context)).rejects.toThrow('Could not list the Page’s personas');
		await expect(search.call(context)).rejects.not.toThrow(TOKEN);
	});
});

describe('sending as a persona', () => {
	test('Send Message: a persona ID saved as plain text (today’s workflows) and one picked from the list send the same', async () => {
		const id = String((await create()).items[0].json.id);
		await server.personMessage({ psid: PSID, text: 'hi' });
		const message = (personaId: string | Record<string, string | boolean>) => ({ operation: 'sendMessage', recipientType: 'id', psid: PSID, messagingType: 'RESPONSE', text: 'Hello', options: { personaId } });
		server.requests.length = 0;

		const saved = await send(message(id));
		const picked = await send(message({ __rl: true, mode: 'list', value: id, cachedResultName: 'Sam from Support' }));
		expect(saved.error).toBeUndefined();
		expect(picked.error).toBeUndefined();
		const bodies = server.requests.filter((request) => request.path.endsWith('/messages')).map((request) => request.body);
		expect(bodies.map((body) => body.persona_id)).toEqual([id, id]);
	});

	test('Sender Action: typing as a persona, plain text or by ID', async () => {
		const id = String((await create()).items[0].json.id);
		await server.personMessage({ psid: PSID, text: 'hi' });
		server.requests.length = 0;
		for (const personaId of [id, { __rl: true, mode: 'id', value: id }]) {
			const run = await send({ operation: 'senderAction', recipientType: 'id', psid: PSID, senderAction: 'typing_on', personaId });
			expect(run.error).toBeUndefined();
		}
		expect(server.requests.map((request) => request.body.persona_id)).toEqual([id, id]);
	});
});
