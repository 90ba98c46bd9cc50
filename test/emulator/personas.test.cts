// Personas: POST/GET {page}/personas (paging), GET/DELETE {persona-id}, and a send's persona_id:
// refused when it is not the Page's, its name in the transcript when it is.
import { batch, call, errorOf, OTHER_PAGE, PAGE, PSID, send, startEmulator, textMessage, type Answer } from './helpers.cjs';
import type { GraphEmulator } from '../../emulator/graphEmulator.cjs';

const PICTURE = 'https://cdn.example/sam.png';

async function create(emulator: GraphEmulator, name: string, picture = PICTURE): Promise<Answer> {
	return await call(emulator, '/v25.0/me/personas', { name, profile_picture_url: picture });
}

function doesNotExist(answer: Answer, id: string, method = 'get'): void {
	expect(answer.status).toBe(400);
	expect(answer.body.error).toEqual({
		message: `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation`,
		type: 'GraphMethodException',
		code: 100,
		error_subcode: 33,
		fbtrace_id: expect.any(String),
	});
}

describe('the personas edges', () => {
	test('POST gives a numeric id; GET {persona-id} shows it; DELETE removes it; then it does not exist', async () => {
		const emulator = await startEmulator();
		const created = await create(emulator, 'Sam');
		expect(created.status).toBe(200);
		expect(created.body).toEqual({ id: expect.stringMatching(/^\d+$/) });
		const { id } = created.body;
		expect((await call(emulator, `/v25.0/${id}`)).body).toEqual({ id, name: 'Sam', profile_picture_url: PICTURE });
		expect((await call(emulator, `/v25.0/${id}?fields=name`)).body).toEqual({ id, name: 'Sam' });
		expect(errorOf(await call(emulator, `/v25.0/${id}?fields=email`))).toEqual({ status: 400, code: 100 });
		expect(emulator.personas()).toEqual([{ id, name: 'Sam', profile_picture_url: PICTURE }]);
		const deleted = await call(emulator, `/v25.0/${id}`, undefined, { method: 'DELETE' });
		expect(deleted.status).toBe(200);
		expect(deleted.body).toEqual({ success: true });
		doesNotExist(await call(emulator, `/v25.0/${id}`), id);
		doesNotExist(await call(emulator, `/v25.0/${id}`, undefined, { method: 'DELETE' }), id, 'delete');
		doesNotExist(await call(emulator, '/v25.0/1730000000000999'), '1730000000000999');
		expect((await call(emulator, '/v25.0/me/personas')).body).toEqual({ data: [] });
		// Each persona gets a new ID.
		expect((await create(emulator, 'Sam')).body.id).not.toBe(id);
	});

	test('name 1..50 and an http(s) profile_picture_url; another Page does not see the persona', async () => {
		const emulator = await startEmulator({ pages: [PAGE, OTHER_PAGE] });
		expect((await create(emulator, 'n'.repeat(50))).status).toBe(200);
		const long = await create(emulator, 'n'.repeat(51));
		expect(long.body.error).toMatchObject({ code: 100, message: '(#100) Param name must be at most 50 characters, got 51' });
		expect((await create(emulator, '')).body.error).toMatchObject({ code: 100, message: '(#100) The parameter name is required' });
		expect((await create(emulator, 'Sam', 'file:///sam.png')).body.error).toMatchObject({ code: 100, message: '(#100) Param profile_picture_url must be an http(s) URL' });
		expect((await call(emulator, '/v25.0/me/personas', { name: 'Sam' })).body.error.code).toBe(100);
		const { id } = (await create(emulator, 'Sam')).body;
		doesNotExist(await call(emulator, `/v25.0/${id}`, undefined, { token: OTHER_PAGE.token }), id);
		expect((await call(emulator, '/v25.0/me/personas', undefined, { token: OTHER_PAGE.token })).body).toEqual({ data: [] });
		expect(errorOf(await call(emulator, '/v25.0/me/personas', undefined, { method: 'DELETE' }))).toEqual({ status: 400, code: 100, subcode: 33 });
	});

	test('GET {page}/personas: oldest first, limit (default 25, 1..100) and after cursors, next while more follow', async () => {
		const emulator = await startEmulator();
		const ids: string[] = [];
		for (let index = 1; index <= 27; index += 1) ids.push((await create(emulator, `Agent ${index}`)).body.id);
		const first = await call(emulator, '/v25.0/me/personas');
		expect(first.body.data).toHaveLength(25);
		expect(first.body.data[0]).toEqual({ id: ids[0], name: 'Agent 1', profile_picture_url: PICTURE });
		expect(first.body.paging).toEqual({ cursors: { before: expect.any(String), after: expect.any(String) }, next: expect.stringContaining(`${emulator.url}/v25.0/${PAGE.id}/personas?limit=25&after=`) });
		const rest = await call(emulator, first.body.paging.next.slice(emulator.url.length));
		expect(rest.body.data.map((persona: { id: string }) => persona.id)).toEqual(ids.slice(25));
		expect(rest.body.paging).toEqual({ cursors: { before: expect.any(String), after: expect.any(String) } });

		const two = await call(emulator, '/v25.0/me/personas?limit=2');
		expect(two.body.data.map((persona: { name: string }) => persona.name)).toEqual(['Agent 1', 'Agent 2']);
		// A cursor still works after its persona was deleted.
		await call(emulator, `/v25.0/${ids[1]}`, undefined, { method: 'DELETE' });
		const after = await call(emulator, `/v25.0/me/personas?limit=2&after=${two.body.paging.cursors.after}`);
		expect(after.body.data.map((persona: { name: string }) => persona.name)).toEqual(['Agent 3', 'Agent 4']);
		expect(after.body.paging.cursors.before).not.toBe(two.body.paging.cursors.before);

		for (const limit of ['0', '101', 'x']) expect(errorOf(await call(emulator, `/v25.0/me/personas?limit=${limit}`))).toEqual({ status: 400, code: 100 });
		expect((await call(emulator, '/v25.0/me/personas?limit=100')).body.data).toHaveLength(26);
		expect((await call(emulator, '/v25.0/me/personas?after=bm90LWEtY3Vyc29y')).body.error).toMatchObject({ code: 100, message: "(#100) Invalid cursor 'bm90LWEtY3Vyc29y'" });
	});

	test('in a batch: create, list, read, delete', async () => {
		const emulator = await startEmulator();
		const answer = await batch(emulator, [
			{ method: 'POST', relative_url: 'me/personas', body: `name=Sam&profile_picture_url=${encodeURIComponent(PICTURE)}` },
			{ method: 'GET', relative_url: 'me/personas?limit=1' },
		]);
		const { id } = JSON.parse(answer.body[0].body);
		expect(JSON.parse(answer.body[1].body).data).toEqual([{ id, name: 'Sam', profile_picture_url: PICTURE }]);
		const second = await batch(emulator, [
			{ method: 'GET', relative_url: id },
			{ method: 'DELETE', relative_url: id },
		]);
		expect(second.body.map((entry: { body: string }) => JSON.parse(entry.body))).toEqual([{ id, name: 'Sam', profile_picture_url: PICTURE }, { success: true }]);
	});
});

describe("a send's persona_id", () => {
	test("one of the Page's personas: accepted, its name in the transcript (sends and typing)", async () => {
		const emulator = await startEmulator();
		await emulator.personMessage({ psid: PSID, text: 'hello?', name: 'Lena' });
		const { id } = (await create(emulator, 'Sam')).body;
		expect((await send(emulator, { recipient: { id: PSID }, sender_action: 'typing_on', persona_id: id })).status).toBe(200);
		expect((await send(emulator, { ...textMessage('Sam here, how can I help?'), persona_id: id })).status).toBe(200);
		expect((await send(emulator, textMessage('(bot) anything else?'))).status).toBe(200);
		expect(emulator.inbox[1]).toMatchObject({ persona_id: id, personaName: 'Sam' });
		expect(emulator.transcript()).toBe(
			[
				`Demo Shop ↔ PSID ${PSID}`,
				`  Lena → Demo Shop: hello?  ${emulator.incoming[0].mid}`,
				'  · typing… as Sam (persona)',
				'  Sam (persona) → Lena: Sam here, how can I help?  [RESPONSE] m_1',
				'  Page: (bot) anything else?  [RESPONSE] m_2',
				'',
			].join('\n'),
		);
	});

	test('not one of them: 100 Invalid persona_id once the Page created a persona (deleted ones too), or always with checkPersonas', async () => {
		const emulator = await startEmulator();
		// Before any persona: taken as before (older tests send made-up IDs).
		expect((await send(emulator, { ...textMessage('hi'), persona_id: '777' })).status).toBe(200);
		const { id } = (await create(emulator, 'Sam')).body;
		const invalid = { message: '(#100) Invalid persona_id', type: 'OAuthException', code: 100, fbtrace_id: expect.any(String) };
		const refusedSend = await send(emulator, { ...textMessage('hi'), persona_id: '777' });
		expect(refusedSend.status).toBe(400);
		expect(refusedSend.body).toEqual({ error: invalid });
		expect((await send(emulator, { recipient: { id: PSID }, sender_action: 'typing_on', persona_id: '777' })).body).toEqual({ error: invalid });
		await call(emulator, `/v25.0/${id}`, undefined, { method: 'DELETE' });
		expect((await send(emulator, { ...textMessage('hi'), persona_id: id })).body).toEqual({ error: invalid });
		expect(emulator.inbox).toHaveLength(1);
		expect(emulator.transcript()).toContain('        as persona 777');

		emulator.configure({ pages: [{ ...PAGE, checkPersonas: false }] });
		expect((await send(emulator, { ...textMessage('hi'), persona_id: '777' })).status).toBe(200);
		emulator.reset();
		emulator.configure({ pages: [{ ...PAGE, checkPersonas: true }] });
		expect(errorOf(await send(emulator, { ...textMessage('hi'), persona_id: '777' }))).toEqual({ status: 400, code: 100 });
	});
});
