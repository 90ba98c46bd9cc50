// The Conversation and Person actions against the Graph API emulator's own Conversation Routing
// (thread owners, the Page Inbox, profiles, conversations): the node's view of a hand-over and
// back, changed: false on a repeat, the messages oldest first, the person's profile.
import { PAGE_INBOX_APP_ID } from '../../../../nodes/shared/handover';
import { send, server, useGraphServer } from '../../../helpers/fixtures';

useGraphServer();

const PSID = '6789012345678901';
const conversation = (operation: string, extra: Record<string, unknown> = {}) => send({ resource: 'conversation', operation, psid: PSID, ...extra });

test('pass to the Page Inbox, again (changed false), take back, again (changed false), release', async () => {
	await server.personMessage({ psid: PSID, text: 'I want a human', name: 'Ann Lee' });

	const owner = await conversation('getThreadOwner');
	const ourApp = (owner.items[0].json.threadOwner as { appId: string }).appId;
	expect(owner.items[0].json).toEqual({ recipientId: PSID, threadOwner: { appId: ourApp }, ownedByPageInbox: false });

	const passed = await conversation('passToPageInbox', { metadata: 'asked for a human' });
	expect(passed.items[0].json).toEqual({
		success: true,
		changed: true,
		recipientId: PSID,
		threadOwner: { appId: PAGE_INBOX_APP_ID },
		ownedByPageInbox: true,
		previousOwner: { appId: ourApp },
		targetAppId: PAGE_INBOX_APP_ID,
	});
	expect((await conversation('getThreadOwner')).items[0].json.ownedByPageInbox).toBe(true);

	const again = await conversation('passToPageInbox');
	expect(again.error).toBeUndefined();
	expect(again.items[0].json).toMatchObject({ success: true, changed: false, ownedByPageInbox: true });

	const taken = await conversation('takeBack', { metadata: 'bot again' });
	expect(taken.items[0].json).toEqual({ success: true, changed: true, recipientId: PSID, threadOwner: { appId: ourApp }, ownedByPageInbox: false, previousOwner: { appId: PAGE_INBOX_APP_ID } });

	const takenAgain = await conversation('takeBack');
	expect(takenAgain.items[0].json).toMatchObject({ success: true, changed: false, threadOwner: { appId: ourApp } });

	// The default app's thread is idle already: releasing it changes nothing.
	const released = await conversation('release');
	expect(released.items[0].json).toMatchObject({ success: true, changed: false, threadOwner: { appId: ourApp } });
});

test('a person who never wrote: each action an error item naming the item, explained', async () => {
	const run = await send({ resource: 'conversation', operation: 'passToPageInbox', psid: '1234' }, { continueOnFail: true });
	expect(run.items).toHaveLength(1);
	expect(run.items[0].pairedItem).toEqual({ item: 0 });
	expect(run.items[0].json.error).toMatch(/\(item 0\)$/);
	expect(run.items[0].json.code).toBe(100);
});

test('Get Conversation: the person’s and the Page’s messages, oldest first', async () => {
	await server.personMessage({ psid: PSID, text: 'hello', name: 'Ann Lee' });
	await send({ operation: 'sendMessage', recipientType: 'id', psid: PSID, messagingType: 'RESPONSE', text: 'Hi Ann!' });
	await server.personMessage({ psid: PSID, text: 'where is my parcel?' });

	const run = await conversation('getConversation', { limit: 10 });
	const json = run.items[0].json as { messages: Array<{ from: string; text: string; mid: string; time: string }> };
	expect(json.messages.map(({ from, text }) => [from, text])).toEqual([
		['person', 'hello'],
		['page', 'Hi Ann!'],
		['person', 'where is my parcel?'],
	]);
	expect(json).toMatchObject({ recipientId: PSID, platform: 'messenger', count: 3 });
	for (const message of json.messages) expect(message.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

test('Get Conversation pages past 25', async () => {
	for (let n = 1; n <= 30; n++) await server.personMessage({ psid: PSID, text: `message ${n}` });
	const run = await conversation('getConversation', { limit: 28 });
	const texts = (run.items[0].json.messages as Array<{ text: string }>).map((message) => message.text);
	expect(texts).toEqual(Array.from({ length: 28 }, (_, i) => `message ${i + 3}`));
	expect(server.requests.filter((request) => request.path.endsWith('/messages') && request.method === 'GET')).toHaveLength(1);
});

test('Get Person: the profile of a person who wrote', async () => {
	await server.personMessage({ psid: PSID, text: 'hi', name: 'Ann Lee' });
	const run = await send({ resource: 'person', operation: 'getPerson', psid: PSID });
	expect(run.items[0].json).toMatchObject({ id: PSID, platform: 'messenger', firstName: 'Ann', lastName: 'Lee', name: 'Ann Lee', profilePic: expect.stringMatching(/^https?:/) });
});

test('Request Control of a thread this app owns already: changed false, nothing asked (its own app read from GET /app)', async () => {
	await server.personMessage({ psid: PSID, text: 'hi' });
	const run = await conversation('requestControl', { metadata: 'may I?' });
	expect(run.error).toBeUndefined();
	expect(run.items[0].json).toMatchObject({ success: true, changed: false, recipientId: PSID, ownedByPageInbox: false });
	expect(server.requests.filter((request) => request.path.endsWith('/request_thread_control'))).toHaveLength(0);
	expect(server.requests.filter((request) => /\/app$/.test(request.path.split('?')[0]))).toHaveLength(1);
});
