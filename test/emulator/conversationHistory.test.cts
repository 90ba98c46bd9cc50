// The conversation as history: both sides with attachments, paging past 25 with cursors through
// the messages edge, and Instagram's 20-message window.
import { call, errorOf, PAGE, PSID, send, startEmulator, textMessage } from './helpers.cjs';

const fields = (text: string) => encodeURIComponent(text);
const ALL = 'id,created_time,from,to,message,attachments{id,mime_type,name,image_data,file_url}';

describe('conversation history', () => {
	test('both sides, newest first: the person named, their attachments as the webhook’s CDN URLs, the Page’s as the platform’s copies', async () => {
		const emulator = await startEmulator();
		const photo = await emulator.personMessage({ psid: PSID, name: 'Ana', text: 'this one', attachments: [{ type: 'image', payload: { url: 'https://scontent.example.invalid/ana.jpg' } }] });
		await send(emulator, { recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { attachment: { type: 'file', payload: { url: 'https://example.com/invoice.pdf' } } } });
		const answer = await call(emulator, `/v25.0/me/conversations?platform=messenger&user_id=${PSID}&fields=${fields(`messages.limit(5){${ALL}}`)}`);
		expect(answer.body.data[0].messages).toEqual({
			data: [
				{
					id: 'm_1',
					created_time: expect.any(String),
					from: { id: PAGE.id, name: PAGE.name },
					to: { data: [{ id: PSID }] },
					message: '',
					attachments: { data: [{ id: 'm_1_att0', mime_type: 'application/octet-stream', name: 'file-0', file_url: expect.stringMatching(/^https:\/\/scontent\.emulator\.invalid\//) }] },
				},
				{
					id: photo.mid,
					created_time: expect.any(String),
					from: { id: PSID, name: 'Ana' },
					to: { data: [{ id: PAGE.id }] },
					message: 'this one',
					attachments: {
						data: [{ id: `${photo.mid}_att0`, mime_type: 'image/jpeg', name: 'image-0', image_data: { url: 'https://scontent.example.invalid/ana.jpg', preview_url: 'https://scontent.example.invalid/ana.jpg' } }],
					},
				},
			],
		});
	});

	test('past 25: cursors and next; the messages edge pages on until the first message; a bad cursor is 100', async () => {
		const emulator = await startEmulator();
		await emulator.personMessage({ psid: PSID, text: 'message 0' });
		for (let i = 1; i <= 30; i += 1) await send(emulator, textMessage(`message ${i}`));
		const id = emulator.threadId(PSID);
		const first = await call(emulator, `/v25.0/${id}?fields=${fields('messages{id,message}')}`);
		const { data, paging } = first.body.messages;
		expect(data).toHaveLength(25);
		expect(data[0]).toEqual({ id: 'm_30', message: 'message 30' });
		expect(paging).toEqual({
			cursors: { before: expect.any(String), after: expect.any(String) },
			next: `${emulator.url}/v25.0/${id}/messages?fields=id%2Cmessage&limit=25&after=${paging.cursors.after}`,
		});
		const second = await call(emulator, paging.next.slice(emulator.url.length));
		expect(second.status).toBe(200);
		expect(second.body.data.map((message: { message: string }) => message.message)).toEqual(['message 5', 'message 4', 'message 3', 'message 2', 'message 1', 'message 0']);
		expect(second.body.paging).toEqual({ cursors: { before: expect.any(String), after: expect.any(String) } });
		// A smaller page through the edge: cursors and next even on a short read.
		const small = await call(emulator, `/v25.0/${id}/messages?fields=id&limit=2`);
		expect(small.body.data).toEqual([{ id: 'm_30' }, { id: 'm_29' }]);
		expect(small.body.paging.next).toContain('limit=2&after=');
		expect(errorOf(await call(emulator, `/v25.0/${id}/messages?after=nonsense`))).toEqual({ status: 400, code: 100 });
		expect(errorOf(await call(emulator, `/v25.0/t_1/messages`))).toEqual({ status: 400, code: 100, subcode: 33 });
	});

	test('Instagram: only the newest 20, and no cursor reaches further', async () => {
		const IG = { id: '17841400000000001', name: 'Demo Shop IG', token: 'TEST-IG-TOKEN', platform: 'instagram' as const };
		const emulator = await startEmulator({ pages: [IG] });
		const IGSID = '9876543210987654';
		await emulator.personMessage({ psid: IGSID, pageId: IG.id, text: 'first' });
		for (let i = 1; i <= 24; i += 1) await send(emulator, textMessage(`reply ${i}`, { id: IGSID }), { token: IG.token });
		const id = emulator.threadId(IGSID, IG.id);
		const page1 = await call(emulator, `/v25.0/${id}/messages?fields=message&limit=15`, undefined, { token: IG.token });
		expect(page1.body.data).toHaveLength(15);
		const page2 = await call(emulator, page1.body.paging.next.slice(emulator.url.length), undefined, { token: IG.token });
		expect(page2.body.data.map((message: { message: string }) => message.message)).toEqual(['reply 9', 'reply 8', 'reply 7', 'reply 6', 'reply 5']);
		expect(page2.body.paging.next).toBeUndefined();
	});
});
