// Get Thread Owner and Get Conversation, run by n8n's engine: the exact calls, paging past 25,
// the output items (oldest first, from person or page), Continue On Fail and the errors explained.
import { PAGE_INBOX_APP_ID } from '../../../../nodes/shared/handover';
import { credentials, everythingRecorded, send, TOKEN, useGraphServer } from '../../../helpers/fixtures';
import { fakeGraph, ok, ownerIs } from '../../../helpers/conversationGraph';
import { graphError } from '../../../helpers/graphReplies';

useGraphServer();

const PSID = '6789012345678901';
const FIELDS = 'id,created_time,from,to,message,attachments{id,mime_type,name,image_data,video_data,file_url}';

describe('Get Thread Owner', () => {
	test('the owner of each person’s thread, batched, paired', async () => {
		const calls = fakeGraph((call) => ownerIs(call.query.recipient === '12' ? PAGE_INBOX_APP_ID : '1111111111'));
		const run = await send({ resource: 'conversation', operation: 'getThreadOwner', psid: '={{ $json.psid }}' }, { items: [{ json: { psid: '11' } }, { json: { psid: '12' } }] });

		expect(calls).toEqual([
			{ method: 'GET', path: 'me/thread_owner', query: { recipient: '11' }, batched: true },
			{ method: 'GET', path: 'me/thread_owner', query: { recipient: '12' }, batched: true },
		]);
		expect(run.items).toEqual([
			{ json: { recipientId: '11', threadOwner: { appId: '1111111111' }, ownedByPageInbox: false }, pairedItem: { item: 0 } },
			{ json: { recipientId: '12', threadOwner: { appId: PAGE_INBOX_APP_ID }, ownedByPageInbox: true }, pairedItem: { item: 1 } },
		]);
	});

	test('an unknown person: an error item explained, the token nowhere', async () => {
		fakeGraph(() => graphError(100, undefined, `(#100) No matching user found (token ${TOKEN})`));
		const run = await send({ resource: 'conversation', operation: 'getThreadOwner', psid: PSID }, { continueOnFail: true });

		expect(run.items).toEqual([
			{
				json: {
					error: 'Messenger does not know this person for this Page (item 0)',
					description: 'Check the PSID: it must be the Page-scoped ID (Instagram: IGSID) from this Page’s webhook, of a person who wrote to the Page. Graph API said: (#100) No matching user found (token [redacted]) (code 100, fbtrace_id AbCdEf123)',
					code: 100,
					fbtrace_id: 'AbCdEf123',
					type: 'OAuthException',
					httpCode: '400',
					attempts: 1,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(everythingRecorded(run)).not.toContain(TOKEN);
	});
});

const message = (n: number, fromPerson: boolean, extra: object = {}) => ({
	id: `m_${n}`,
	created_time: `2026-12-01T09:${String(n).padStart(2, '0')}:00+0000`,
	from: { id: fromPerson ? PSID : '1029384756', ...(fromPerson ? {} : { name: 'Test Shop' }) },
	to: { data: [{ id: fromPerson ? '1029384756' : PSID }] },
	message: `text ${n}`,
	...extra,
});

describe('Get Conversation', () => {
	test('30 messages: the first 25 with the conversation, the rest through its paging, oldest first', async () => {
		const newest = Array.from({ length: 25 }, (_, i) => message(40 - i, i % 2 === 0));
		const older = Array.from({ length: 10 }, (_, i) => message(15 - i, true));
		const calls = fakeGraph((call) =>
			call.path === 'me/conversations'
				? ok({ data: [{ id: 't_777', messages: { data: newest, paging: { cursors: { before: 'B', after: 'AFTER1' }, next: 'https://graph.facebook.com/v25.0/t_777/messages?after=AFTER1' } } }] })
				: ok({ data: older, paging: { cursors: { before: 'B2', after: 'AFTER2' } } }),
		);
		const run = await send({ resource: 'conversation', operation: 'getConversation', psid: PSID, limit: 30 });

		expect(run.error).toBeUndefined();
		expect(calls).toEqual([
			{ method: 'GET', path: 'me/conversations', query: { platform: 'messenger', user_id: PSID, fields: `messages.limit(25){${FIELDS}}` }, batched: false },
			{ method: 'GET', path: 't_777/messages', query: { fields: FIELDS, limit: '5', after: 'AFTER1' }, batched: false },
		]);
		const json = run.items[0].json as { messages: Array<Record<string, unknown>> } & Record<string, unknown>;
		expect(json).toMatchObject({ recipientId: PSID, platform: 'messenger', conversationId: 't_777', count: 30 });
		expect(json.messages.map((m) => m.mid)).toEqual([...['m_11', 'm_12', 'm_13', 'm_14', 'm_15'], ...Array.from({ length: 25 }, (_, i) => `m_${16 + i}`)]);
		expect(json.messages.at(-1)).toEqual({ mid: 'm_40', from: 'person', text: 'text 40', attachments: [], time: '2026-12-01T09:40:00.000Z' });
		expect(json.messages.at(-2)).toMatchObject({ mid: 'm_39', from: 'page' });
		expect(run.items[0].pairedItem).toEqual({ item: 0 });
	});

	test('attachments with type and URL; the default limit is 50', async () => {
		const calls = fakeGraph(() =>
			ok({ data: [{ id: 't_1', messages: { data: [message(1, true, { message: '', attachments: { data: [{ id: 'a1', mime_type: 'image/png', image_data: { url: 'https://cdn.example/1.png' } }] } })] } }] }),
		);
		const run = await send({ resource: 'conversation', operation: 'getConversation', psid: PSID });

		expect(calls[0].query.fields).toBe(`messages.limit(25){${FIELDS}}`);
		expect(run.items[0].json).toEqual({
			recipientId: PSID,
			platform: 'messenger',
			conversationId: 't_1',
			count: 1,
			messages: [{ mid: 'm_1', from: 'person', text: '', attachments: [{ type: 'image', url: 'https://cdn.example/1.png' }], time: '2026-12-01T09:01:00.000Z' }],
		});
	});

	test('Instagram: platform instagram, never more than the 20 most recent', async () => {
		const calls = fakeGraph(() => ok({ data: [] }));
		const run = await send({ resource: 'conversation', operation: 'getConversation', psid: PSID, limit: 100 }, { credentials: credentials({ platform: 'instagram' }) });
		expect(calls[0].query).toEqual({ platform: 'instagram', user_id: PSID, fields: `messages.limit(20){${FIELDS}}` });
		expect(run.items[0].json).toEqual({ recipientId: PSID, platform: 'instagram', count: 0, messages: [] });
	});

	test('a limit out of range is refused before anything is sent; a missing permission is explained', async () => {
		fakeGraph(() => graphError(200, undefined, '(#200) The permission(s) pages_read_engagement are not available'));
		const refused = await send({ resource: 'conversation', operation: 'getConversation', psid: PSID, limit: 101 });
		expect(refused.error?.message).toBe('Limit in item 0 must be a whole number from 1 to 100, not 101');

		const run = await send({ resource: 'conversation', operation: 'getConversation', psid: PSID, limit: 5 }, { continueOnFail: true });
		expect(run.items[0].json.error).toBe('The app may not read this conversation (item 0)');
		expect(run.items[0].json.description).toMatch(/^Generate the Page token with pages_messaging, pages_read_engagement and pages_manage_metadata/);
	});
});
