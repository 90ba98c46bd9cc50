// Pass to Page Inbox, Pass to Another App, Take Back, Request Control and Release, run by n8n's
// engine: the exact calls (alone or in a Graph batch), the output items, changed: false when the
// thread already is where the action puts it, Continue On Fail, pairedItem and the errors.
import { PAGE_INBOX_APP_ID } from '../../../../nodes/shared/handover';
import { everythingRecorded, send, server, TOKEN, useGraphServer } from '../../../helpers/fixtures';
import { fakeGraph, ok, ownerIs, type SentCall } from '../../../helpers/conversationGraph';
import { graphError } from '../../../helpers/graphReplies';

useGraphServer();

const THIS_APP = '1111111111';
const OTHER_APP = '2222222222';
const PSID = '6789012345678901';
const items = (...psids: string[]) => psids.map((psid) => ({ json: { psid } }));
const eachPsid = { psid: '={{ $json.psid }}' };

/** Graph as a Page whose threads are owned as `owners` says (PSID → app), refusing what `refuse` says. */
function graphWith(owners: Record<string, string>, refuse: (call: SentCall) => boolean = () => false) {
	return fakeGraph((call) => {
		if (call.path === 'app') return ok({ id: THIS_APP });
		if (call.path === 'me/thread_owner') return ownerIs(owners[call.query.recipient] ?? THIS_APP);
		if (refuse(call)) return graphError(10, undefined, '(#10) This app does not own the thread');
		const psid = String((call.body?.recipient as { id?: string })?.id);
		if (call.path === 'me/pass_thread_control') owners[psid] = String(call.body?.target_app_id);
		if (call.path === 'me/take_thread_control') owners[psid] = THIS_APP;
		if (call.path === 'me/release_thread_control') delete owners[psid];
		return ok({ success: true });
	});
}

describe('Pass to Page Inbox', () => {
	test('reads the owner, passes with the metadata: the exact calls and the output item', async () => {
		const calls = graphWith({});
		const run = await send({ resource: 'conversation', operation: 'passToPageInbox', psid: PSID, metadata: 'asked for a human' });

		expect(run.error).toBeUndefined();
		expect(calls).toEqual([
			{ method: 'GET', path: 'me/thread_owner', query: { recipient: PSID }, batched: false },
			{ method: 'POST', path: 'me/pass_thread_control', query: {}, body: { recipient: { id: PSID }, target_app_id: PAGE_INBOX_APP_ID, metadata: 'asked for a human' }, batched: false },
		]);
		expect(server.requests.map((request) => [request.method, request.url])).toEqual([
			['GET', `/v25.0/me/thread_owner?recipient=${PSID}`],
			['POST', '/v25.0/me/pass_thread_control'],
		]);
		for (const request of server.requests) expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
		expect(run.items).toEqual([
			{
				json: {
					success: true,
					changed: true,
					recipientId: PSID,
					threadOwner: { appId: PAGE_INBOX_APP_ID },
					ownedByPageInbox: true,
					previousOwner: { appId: THIS_APP },
					targetAppId: PAGE_INBOX_APP_ID,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(everythingRecorded(run)).not.toContain(TOKEN);
	});

	test('already with the Page Inbox: changed false, nothing passed (a retried execution is harmless)', async () => {
		const calls = graphWith({ [PSID]: PAGE_INBOX_APP_ID });
		const run = await send({ resource: 'conversation', operation: 'passToPageInbox', psid: PSID });

		expect(calls.map((call) => `${call.method} ${call.path}`)).toEqual(['GET me/thread_owner']);
		expect(run.items).toEqual([
			{ json: { success: true, changed: false, recipientId: PSID, threadOwner: { appId: PAGE_INBOX_APP_ID }, ownedByPageInbox: true, targetAppId: PAGE_INBOX_APP_ID }, pairedItem: { item: 0 } },
		]);
	});

	test('refused because the Page Inbox got it meanwhile: changed false, not an error item', async () => {
		const owners: Record<string, string> = {};
		let reads = 0;
		fakeGraph((call) => {
			if (call.path === 'me/thread_owner') return ownerIs(reads++ === 0 ? THIS_APP : PAGE_INBOX_APP_ID);
			return graphError(10, undefined, '(#10) This app does not own the thread');
		});
		const run = await send({ resource: 'conversation', operation: 'passToPageInbox', psid: PSID }, { continueOnFail: true });

		expect(owners).toEqual({});
		expect(run.items).toEqual([{ json: expect.objectContaining({ success: true, changed: false, ownedByPageInbox: true }), pairedItem: { item: 0 } }]);
	});

	test('many items: one batch per round, each output item paired with its input', async () => {
		const calls = graphWith({ '12': PAGE_INBOX_APP_ID });
		const run = await send({ resource: 'conversation', operation: 'passToPageInbox', ...eachPsid }, { items: items('11', '12', '13') });

		expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual(['POST /v25.0/', 'POST /v25.0/']);
		expect(calls.every((call) => call.batched)).toBe(true);
		expect(calls.map((call) => `${call.method} ${call.path} ${call.query.recipient ?? (call.body?.recipient as { id: string }).id}`)).toEqual([
			'GET me/thread_owner 11',
			'GET me/thread_owner 12',
			'GET me/thread_owner 13',
			'POST me/pass_thread_control 11',
			'POST me/pass_thread_control 13',
		]);
		expect(run.items.map((item) => [item.json.recipientId, item.json.changed, item.pairedItem])).toEqual([
			['11', true, { item: 0 }],
			['12', false, { item: 1 }],
			['13', true, { item: 2 }],
		]);
	});
});

describe('errors', () => {
	test('a refusal: explained (what to change), Graph’s ids kept, who owns the thread said; Continue On Fail keeps the other items', async () => {
		graphWith({ '12': OTHER_APP }, (call) => call.method === 'POST' && (call.body?.recipient as { id: string }).id === '12');
		const run = await send({ resource: 'conversation', operation: 'passToPageInbox', ...eachPsid }, { items: items('11', '12'), continueOnFail: true });

		expect(run.items[0]).toMatchObject({ json: { success: true, changed: true }, pairedItem: { item: 0 } });
		expect(run.items[1]).toEqual({
			json: {
				error: 'This app may not pass this conversation (item 1)',
				description: expect.stringContaining('Only the app that owns the conversation can pass it.'),
				code: 10,
				fbtrace_id: 'AbCdEf123',
				type: 'OAuthException',
				httpCode: '400',
				attempts: 1,
			},
			pairedItem: { item: 1 },
		});
		expect(run.items[1].json.description).toContain(`The thread is owned now by app ${OTHER_APP}.`);
		expect(run.items[1].json.description).toContain('Graph API said: (#10) This app does not own the thread (code 10, fbtrace_id AbCdEf123)');
	});

	test('without Continue On Fail the node fails with the first refusal, and says the other items were done', async () => {
		graphWith({ '12': OTHER_APP }, (call) => call.method === 'POST' && (call.body?.recipient as { id: string }).id === '12');
		const run = await send({ resource: 'conversation', operation: 'passToPageInbox', ...eachPsid }, { items: items('11', '12') });

		expect(run.error?.message).toBe('This app may not pass this conversation (item 1)');
		expect(run.error?.description).toContain('1 of 2 items failed; the others were done.');
	});

	test('bad input is refused before anything is sent, naming the field, the item and the limit', async () => {
		graphWith({});
		const parameters = { resource: 'conversation', operation: 'passToPageInbox', psid: '={{ $json.psid }}', metadata: '={{ $json.metadata }}' };
		const input = [{ json: { psid: '11', metadata: 'ok' } }, { json: { psid: '' } }, { json: { psid: '13', metadata: 'x'.repeat(1001) } }];

		const failed = await send(parameters, { items: input });
		expect(failed.error?.message).toBe('PSID in item 1 is empty: enter the ID (e.g. the sender.id of the Messenger Trigger\'s item)');
		expect(server.requests).toHaveLength(0);

		const run = await send(parameters, { items: input, continueOnFail: true });
		expect(run.items.map((item) => [item.json.error ?? item.json.changed, item.pairedItem])).toEqual([
			[true, { item: 0 }],
			['PSID in item 1 is empty: enter the ID (e.g. the sender.id of the Messenger Trigger\'s item)', { item: 1 }],
			['Metadata in item 2 has 1001 characters, more than the 1000 Messenger accepts', { item: 2 }],
		]);
		expect(run.items[1].json.attempts).toBe(0);
	});
});

describe('Pass to Another App, Take Back, Request Control, Release', () => {
	test('Pass to Another App sends the Target App ID; a Target App ID that is no ID is refused first', async () => {
		const calls = graphWith({});
		const run = await send({ resource: 'conversation', operation: 'passToApp', psid: PSID, targetAppId: OTHER_APP });
		expect(calls[1]).toEqual({ method: 'POST', path: 'me/pass_thread_control', query: {}, body: { recipient: { id: PSID }, target_app_id: OTHER_APP }, batched: false });
		expect(run.items[0].json).toMatchObject({ changed: true, threadOwner: { appId: OTHER_APP }, ownedByPageInbox: false });

		const refused = await send({ resource: 'conversation', operation: 'passToApp', psid: PSID, targetAppId: 'inbox' });
		expect(refused.error?.message).toBe('Target App ID in item 0 must be a numeric ID, not "inbox"');
	});

	test('Take Back: this app’s ID once per run (GET /app), then the owner, the take, the owner after', async () => {
		const calls = graphWith({ [PSID]: PAGE_INBOX_APP_ID });
		const run = await send({ resource: 'conversation', operation: 'takeBack', psid: PSID, metadata: 'bot again' });

		expect(calls.map((call) => `${call.method} ${call.path} ${JSON.stringify(call.body ?? call.query)}`)).toEqual([
			'GET app {"fields":"id"}',
			`GET me/thread_owner {"recipient":"${PSID}"}`,
			`POST me/take_thread_control {"recipient":{"id":"${PSID}"},"metadata":"bot again"}`,
			`GET me/thread_owner {"recipient":"${PSID}"}`,
		]);
		expect(run.items).toEqual([
			{ json: { success: true, changed: true, recipientId: PSID, threadOwner: { appId: THIS_APP }, ownedByPageInbox: false, previousOwner: { appId: PAGE_INBOX_APP_ID } }, pairedItem: { item: 0 } },
		]);
	});

	test('Take Back when this app owns the thread, Release when it does not: changed false, nothing sent', async () => {
		const calls = graphWith({ '12': PAGE_INBOX_APP_ID });
		const taken = await send({ resource: 'conversation', operation: 'takeBack', psid: '11' });
		const released = await send({ resource: 'conversation', operation: 'release', psid: '12' });
		expect(calls.filter((call) => call.method === 'POST')).toEqual([]);
		expect(taken.items[0].json).toMatchObject({ changed: false, threadOwner: { appId: THIS_APP } });
		expect(released.items[0].json).toMatchObject({ changed: false, threadOwner: { appId: PAGE_INBOX_APP_ID }, ownedByPageInbox: true });
	});

	test('Request Control asks the owner; Release gives the thread up (the default app’s own thread stays with it: changed false)', async () => {
		const calls = graphWith({ '12': PAGE_INBOX_APP_ID, '13': THIS_APP });
		const requested = await send({ resource: 'conversation', operation: 'requestControl', psid: '12', metadata: 'customer is back' });
		const released = await send({ resource: 'conversation', operation: 'release', psid: '13' });
		expect(calls.filter((call) => call.method === 'POST').map((call) => [call.path, call.body])).toEqual([
			['me/request_thread_control', { recipient: { id: '12' }, metadata: 'customer is back' }],
			['me/release_thread_control', { recipient: { id: '13' } }],
		]);
		expect(requested.items[0].json).toEqual({ success: true, changed: true, requested: true, recipientId: '12', threadOwner: { appId: PAGE_INBOX_APP_ID }, ownedByPageInbox: true });
		expect(released.items[0].json).toMatchObject({ success: true, changed: false, threadOwner: { appId: THIS_APP }, previousOwner: { appId: THIS_APP } });
	});
});
