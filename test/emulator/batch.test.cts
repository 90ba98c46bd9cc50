// POST /{version}/ with batch=[...]: ordering, limits, depends_on, null entries, files and proofs.
import { APP_SECRET, batch, call, errorOf, messageOp, opBody, PAGE, proofFor, PSID, startEmulator, TOKEN } from './helpers.cjs';

type Entry = { code: number; headers?: Array<{ name: string; value: string }>; body: string } | null;

const bodies = (entries: Entry[]) => entries.map((entry) => (entry ? JSON.parse(entry.body) : null));

describe('batch requests', () => {
	test('runs operations in request order and answers one entry per operation', async () => {
		const emulator = await startEmulator();
		const answer = await batch(emulator, [
			messageOp('first'),
			{ method: 'POST', relative_url: `${PAGE.id}/messages`, body: opBody({ recipient: { id: PSID }, sender_action: 'typing_on' }) },
			messageOp('third', { relative_url: 'v25.0/me/messages' }),
			messageOp('fourth', { relative_url: `/v25.0/${PAGE.id}/messages` }),
			{ method: 'GET', relative_url: 'me?fields=id,name' },
		]);
		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toBe('application/json');
		expect(answer.body.map((entry: Entry) => entry?.code)).toEqual([200, 200, 200, 200, 200]);
		expect(answer.body[0].headers).toEqual(expect.arrayContaining([{ name: 'content-type', value: 'application/json' }]));
		expect(bodies(answer.body)).toEqual([
			{ recipient_id: PSID, message_id: 'm_1' },
			{ recipient_id: PSID },
			{ recipient_id: PSID, message_id: 'm_2' },
			{ recipient_id: PSID, message_id: 'm_3' },
			{ id: PAGE.id, name: PAGE.name },
		]);
		expect(emulator.inbox.map((entry) => entry.message?.text ?? entry.sender_action)).toEqual(['first', 'typing_on', 'third', 'fourth']);
		expect(emulator.inbox.every((entry) => entry.viaBatch)).toBe(true);
		expect(emulator.requests).toHaveLength(1);
	});

	test('one failing operation does not fail the others', async () => {
		const emulator = await startEmulator();
		const answer = await batch(emulator, [messageOp('ok'), messageOp(''), messageOp('also ok')]);
		expect(answer.body.map((entry: Entry) => entry?.code)).toEqual([200, 400, 200]);
		expect(JSON.parse(answer.body[1].body).error).toMatchObject({ code: 100, error_subcode: 2018034 });
		expect(emulator.inbox).toHaveLength(2);
		expect(emulator.stats().rejected).toEqual({ '100/2018034': 1 });
	});

	test('the batch parameter works in JSON and at the unversioned root', async () => {
		const emulator = await startEmulator();
		const asJson = await call(emulator, '/v25.0', { batch: JSON.stringify([messageOp('json string')]) });
		expect(bodies(asJson.body)).toEqual([{ recipient_id: PSID, message_id: 'm_1' }]);
		const asArray = await call(emulator, '/', { batch: [messageOp('json array')] });
		expect(bodies(asArray.body)).toEqual([{ recipient_id: PSID, message_id: 'm_2' }]);
		const tokenParam = await batch(emulator, [messageOp('token param')], { access_token: TOKEN });
		expect(tokenParam.status).toBe(200);
	});

	test('at most 50 operations; batch required; a top-level token required', async () => {
		const emulator = await startEmulator();
		const fifty = Array.from({ length: 50 }, (_, i) => messageOp(`message ${i}`));
		expect((await batch(emulator, fifty)).body).toHaveLength(50);
		const tooMany = await batch(emulator, [...fifty, messageOp('51st')]);
		expect(errorOf(tooMany)).toEqual({ status: 400, code: 100 });
		expect(tooMany.body.error.message).toContain('Maximum batch size is 50');
		expect(errorOf(await call(emulator, '/v25.0/', new URLSearchParams({})))).toEqual({ status: 400, code: 100 });
		expect(errorOf(await call(emulator, '/v25.0/', new URLSearchParams({ batch: 'not json' })))).toEqual({ status: 400, code: 100 });
		const noToken = await call(emulator, '/v25.0/', new URLSearchParams({ batch: JSON.stringify([messageOp('x')]) }), { token: null });
		expect(errorOf(noToken)).toEqual({ status: 400, code: 190 });
		expect(emulator.inbox).toHaveLength(50);
	});

	test('malformed operations get their own error entries', async () => {
		const emulator = await startEmulator();
		const answer = await batch(emulator, ['nonsense', { method: 'POST' }, { method: 'POST', relative_url: 'me/feed' }, messageOp('fine')]);
		expect(answer.body.map((entry: Entry) => entry?.code)).toEqual([400, 400, 400, 200]);
		expect(bodies(answer.body).slice(0, 3).map((body) => body.error.code)).toEqual([100, 100, 2500]);
	});

	test('include_headers=false leaves headers out', async () => {
		const emulator = await startEmulator();
		const answer = await batch(emulator, [messageOp('x')], { include_headers: 'false' });
		expect(answer.body[0]).toEqual({ code: 200, body: JSON.stringify({ recipient_id: PSID, message_id: 'm_1' }) });
	});
});

describe('depends_on', () => {
	test('an operation runs after the one it names, even if that one comes later', async () => {
		const emulator = await startEmulator();
		const answer = await batch(emulator, [
			messageOp('second', { depends_on: 'greeting' }),
			messageOp('first', { name: 'greeting', omit_response_on_success: false }),
		]);
		expect(bodies(answer.body)).toEqual([
			{ recipient_id: PSID, message_id: 'm_2' },
			{ recipient_id: PSID, message_id: 'm_1' },
		]);
		expect(emulator.inbox.map((entry) => entry.message?.text)).toEqual(['first', 'second']);
	});

	test('the answer of an operation another depends on is left out unless omit_response_on_success is false', async () => {
		const emulator = await startEmulator();
		const answer = await batch(emulator, [
			messageOp('one', { name: 'one' }),
			messageOp('two', { name: 'two', depends_on: 'one', omit_response_on_success: 'false' }),
			messageOp('three', { depends_on: 'two' }),
			messageOp('named, nobody depends on it', { name: 'alone' }),
		]);
		expect(answer.body[0]).toBeNull();
		expect(bodies(answer.body.slice(1))).toEqual([
			{ recipient_id: PSID, message_id: 'm_2' },
			{ recipient_id: PSID, message_id: 'm_3' },
			{ recipient_id: PSID, message_id: 'm_4' },
		]);
		// Left out of the answer, delivered all the same.
		expect(emulator.inbox.map((entry) => entry.message?.text)).toEqual(['one', 'two', 'three', 'named, nobody depends on it']);
	});

	test('a dependent of a failed, unknown or cyclic operation gets an error entry and is not delivered', async () => {
		const emulator = await startEmulator();
		const answer = await batch(emulator, [
			messageOp('', { name: 'broken' }),
			messageOp('after broken', { depends_on: 'broken' }),
			messageOp('after nobody', { depends_on: 'nobody' }),
			messageOp('a', { name: 'a', depends_on: 'b' }),
			messageOp('b', { name: 'b', depends_on: 'a' }),
			messageOp('independent'),
		]);
		expect(answer.body.map((entry: Entry) => entry?.code)).toEqual([400, 400, 400, 400, 400, 200]);
		expect(JSON.parse(answer.body[1].body).error.message).toContain("'broken'");
		expect(emulator.inbox.map((entry) => entry.message?.text)).toEqual(['independent']);
		// Not run because what they depend on failed ('after broken', and 'a' behind the cycle's 'b'):
		// no refusals of their own.
		expect(emulator.stats().notRun).toBe(2);
		expect(emulator.stats().rejected).toEqual({ 100: 2, '100/2018034': 1 });
	});
});

describe('files and proofs in batches', () => {
	test('attached_files maps a multipart part to the operation\'s filedata', async () => {
		const emulator = await startEmulator();
		const form = new FormData();
		form.set('batch', JSON.stringify([
			{
				method: 'POST',
				relative_url: 'me/messages',
				attached_files: 'photo',
				body: opBody({ recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { attachment: { type: 'image', payload: { is_reusable: true } } } }),
			},
			{ method: 'POST', relative_url: 'me/messages', attached_files: 'missing', body: opBody({ recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { attachment: { type: 'image', payload: {} } } }) },
		]));
		form.set('photo', new Blob([Buffer.from('fake png bytes')], { type: 'image/png' }), 'parcel.png');
		const answer = await call(emulator, '/v25.0/', form);
		expect(answer.body.map((entry: Entry) => entry?.code)).toEqual([200, 400]);
		expect(JSON.parse(answer.body[0].body)).toEqual({ recipient_id: PSID, message_id: 'm_1', attachment_id: expect.stringMatching(/^\d+$/) });
		expect(emulator.inbox[0].file).toMatchObject({ fileName: 'parcel.png', mimeType: 'image/png', size: 14 });
	});

	test('appsecret_proof top-level or per operation; a wrong top-level proof fails the batch', async () => {
		const emulator = await startEmulator({ pages: [{ ...PAGE, appSecret: APP_SECRET, requireAppSecretProof: true }] });
		const proof = proofFor(TOKEN, APP_SECRET);
		expect((await batch(emulator, [messageOp('top')], { appsecret_proof: proof })).body[0].code).toBe(200);

		const perOp = await batch(emulator, [
			{ ...messageOp('own proof'), body: `${messageOp('own proof').body as string}&appsecret_proof=${proof}` },
			messageOp('no proof'),
		]);
		// No top-level proof: each operation needs its own.
		expect(perOp.body.map((entry: Entry) => entry?.code)).toEqual([200, 400]);
		expect(JSON.parse(perOp.body[1].body).error.message).toBe('API calls from the server require an appsecret_proof argument');
		expect(emulator.inbox.map((entry) => entry.message?.text)).toEqual(['top', 'own proof']);

		const wrong = await batch(emulator, [messageOp('x')], { appsecret_proof: proofFor(TOKEN, 'TEST-NOT-THE-SECRET') });
		expect(wrong.body.error.message).toBe('Invalid appsecret_proof provided in the API argument');
	});

	test('a per-operation proof is checked when the Page does not require one at top level', async () => {
		const emulator = await startEmulator({ pages: [{ ...PAGE, appSecret: APP_SECRET }] });
		const answer = await batch(emulator, [
			{ ...messageOp('right'), body: `${messageOp('right').body as string}&appsecret_proof=${proofFor(TOKEN, APP_SECRET)}` },
			{ ...messageOp('wrong'), body: `${messageOp('wrong').body as string}&appsecret_proof=${proofFor(TOKEN, 'TEST-NOT-THE-SECRET')}` },
		]);
		expect(answer.body.map((entry: Entry) => entry?.code)).toEqual([200, 400]);
		expect(emulator.inbox.map((entry) => entry.message?.text)).toEqual(['right']);
	});
});
