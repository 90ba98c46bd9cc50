// Instagram accounts (`platform: 'instagram'`): Instagram's stricter Send API rules, seen from
// the client (/work/shared/messenger-send-api.md, "Instagram differences").
import type { EmulatorPage } from '../../emulator/graphEmulator.cjs';
import { call, errorOf, PAGE, PSID, send, startEmulator, textMessage } from './helpers.cjs';

const IG_TOKEN = 'DUMMY-IG-TOKEN';
const IG_ACCOUNT: EmulatorPage = { id: '17841400000000001', name: 'Demo Shop on Instagram', token: IG_TOKEN, platform: 'instagram' };
const MB = 1024 * 1024;

async function startInstagram() {
	return await startEmulator({ pages: [IG_ACCOUNT, PAGE] });
}

function multipart(fields: Record<string, unknown>, file: { size: number; type: string; name: string }): FormData {
	const form = new FormData();
	for (const [key, value] of Object.entries(fields)) form.set(key, typeof value === 'string' ? value : JSON.stringify(value));
	form.set('filedata', new Blob([Buffer.alloc(file.size, 1)], { type: file.type }), file.name);
	return form;
}

function imageSend(size: number, type = 'image/png'): FormData {
	return multipart(
		{ recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { attachment: { type: 'image', payload: {} } } },
		{ size, type, name: 'photo.png' },
	);
}

const ig = { token: IG_TOKEN };

describe('text', () => {
	test('1000 bytes of multi-byte text is accepted; 1001 bytes is refused with 100', async () => {
		const emulator = await startInstagram();
		const atLimit = 'é'.repeat(500); // 2 bytes each: 1000 bytes, 500 characters
		expect((await send(emulator, textMessage(atLimit), ig)).body).toEqual({ recipient_id: PSID, message_id: 'm_1' });
		const answer = await send(emulator, textMessage(`${atLimit}a`), ig);
		expect(errorOf(answer)).toEqual({ status: 400, code: 100 });
		expect(answer.body.error.message).toContain('1000 bytes');
		expect(emulator.inbox).toHaveLength(1);
	});

	test('an emoji counts 4 bytes: 250 emoji pass, 251 do not', async () => {
		const emulator = await startInstagram();
		expect((await send(emulator, textMessage('😀'.repeat(250)), ig)).status).toBe(200);
		expect(errorOf(await send(emulator, textMessage('😀'.repeat(251)), ig))).toEqual({ status: 400, code: 100 });
	});

	test('the same 1001 bytes go through on a Messenger Page of the same emulator', async () => {
		const emulator = await startInstagram();
		expect((await send(emulator, textMessage('é'.repeat(501)))).status).toBe(200);
	});
});

describe('tags', () => {
	const tagged = (tag: string) => ({ ...textMessage('An agent replies'), messaging_type: 'MESSAGE_TAG', tag });

	test('HUMAN_AGENT is accepted', async () => {
		const emulator = await startInstagram();
		const answer = await send(emulator, tagged('HUMAN_AGENT'), ig);
		expect(answer.status).toBe(200);
		expect(emulator.inbox[0]).toMatchObject({ pageId: IG_ACCOUNT.id, tag: 'HUMAN_AGENT' });
	});

	test.each(['CUSTOMER_FEEDBACK', 'ACCOUNT_UPDATE'])('%s is refused with 100', async (tag) => {
		const emulator = await startInstagram();
		expect(errorOf(await send(emulator, tagged(tag), ig))).toEqual({ status: 400, code: 100 });
		expect(emulator.inbox).toHaveLength(0);
	});
});

describe('images', () => {
	test('an 8 MB png is accepted; 8 MB + 1 byte is refused with 100/2018109', async () => {
		const emulator = await startInstagram();
		expect((await call(emulator, '/v25.0/me/messages', imageSend(8 * MB), ig)).status).toBe(200);
		expect(errorOf(await call(emulator, '/v25.0/me/messages', imageSend(8 * MB + 1), ig))).toEqual({ status: 400, code: 100, subcode: 2018109 });
	});

	test('a webp image is refused with 100/2018047; jpeg and gif pass', async () => {
		const emulator = await startInstagram();
		expect(errorOf(await call(emulator, '/v25.0/me/messages', imageSend(10, 'image/webp'), ig))).toEqual({ status: 400, code: 100, subcode: 2018047 });
		expect((await call(emulator, '/v25.0/me/messages', imageSend(10, 'image/jpeg'), ig)).status).toBe(200);
		expect((await call(emulator, '/v25.0/me/messages', imageSend(10, 'image/gif'), ig)).status).toBe(200);
	});

	test('an upload to message_attachments follows the 8 MB image limit too', async () => {
		const emulator = await startInstagram();
		const upload = (size: number) =>
			multipart({ message: { attachment: { type: 'image', payload: { is_reusable: true } } } }, { size, type: 'image/png', name: 'photo.png' });
		expect((await call(emulator, '/v25.0/me/message_attachments', upload(8 * MB), ig)).status).toBe(200);
		expect(errorOf(await call(emulator, '/v25.0/me/message_attachments', upload(8 * MB + 1), ig))).toEqual({ status: 400, code: 100, subcode: 2018109 });
	});

	test('a Messenger Page still takes a 9 MB image (its limit is 25 MB)', async () => {
		const emulator = await startInstagram();
		expect((await call(emulator, '/v25.0/me/messages', imageSend(9 * MB))).status).toBe(200);
	});
});

describe('templates and quick replies', () => {
	const template = (payload: Record<string, unknown>) => ({
		recipient: { id: PSID },
		messaging_type: 'RESPONSE',
		message: { attachment: { type: 'template', payload } },
	});

	test('generic and button templates are accepted', async () => {
		const emulator = await startInstagram();
		const generic = template({ template_type: 'generic', elements: [{ title: 'Blue shirt' }] });
		const button = template({ template_type: 'button', text: 'Track it', buttons: [{ type: 'web_url', url: 'https://example.com', title: 'Track' }] });
		expect((await send(emulator, generic, ig)).status).toBe(200);
		expect((await send(emulator, button, ig)).status).toBe(200);
	});

	test.each([
		['media', { template_type: 'media', elements: [{ media_type: 'image', attachment_id: '1' }] }],
		['receipt', { template_type: 'receipt', recipient_name: 'Ann', order_number: '1', currency: 'EUR', payment_method: 'Visa', summary: { total_cost: 1 } }],
	])('a %s template is refused with 100', async (_name, payload) => {
		const emulator = await startInstagram();
		expect(errorOf(await send(emulator, template(payload), ig))).toEqual({ status: 400, code: 100 });
	});

	test('text quick replies pass; a user_email quick reply is refused with 100', async () => {
		const emulator = await startInstagram();
		const withReplies = (content_type: string) => ({
			...textMessage('Pick one'),
			message: { text: 'Pick one', quick_replies: [{ content_type: 'text', title: 'Yes', payload: 'YES' }, { content_type }] },
		});
		expect(errorOf(await send(emulator, withReplies('user_email'), ig))).toEqual({ status: 400, code: 100 });
		const text = { ...textMessage('Pick one'), message: { text: 'Pick one', quick_replies: [{ content_type: 'text', title: 'Yes', payload: 'YES' }] } };
		expect((await send(emulator, text, ig)).status).toBe(200);
	});
});

describe('heart sticker, post share and several images', () => {
	const attachmentSend = (attachment: Record<string, unknown>, recipient: Record<string, string> = { id: PSID }) => ({
		recipient,
		messaging_type: 'RESPONSE',
		message: { attachment },
	});
	const heart = attachmentSend({ type: 'like_heart' });
	const post = attachmentSend({ type: 'MEDIA_SHARE', payload: { id: '17895695668004550' } });
	const images = (count: number) => ({
		recipient: { id: PSID },
		messaging_type: 'RESPONSE',
		message: { attachments: Array.from({ length: count }, (_, index) => ({ type: 'image', payload: { url: `https://example.com/${index}.jpg` } })) },
	});

	test('an Instagram account accepts both, keeps them in the inbox and shows them readably in the transcript', async () => {
		const emulator = await startInstagram();
		expect((await send(emulator, heart, ig)).body).toEqual({ recipient_id: PSID, message_id: 'm_1' });
		expect((await send(emulator, post, ig)).body).toEqual({ recipient_id: PSID, message_id: 'm_2' });
		expect(emulator.inbox.map((entry) => entry.message)).toEqual([
			{ attachment: { type: 'like_heart' } },
			{ attachment: { type: 'MEDIA_SHARE', payload: { id: '17895695668004550' } } },
		]);
		expect(emulator.transcript()).toBe(
			[
				`Demo Shop on Instagram ↔ PSID ${PSID}`,
				'  Page: ❤️ heart sticker  [RESPONSE] m_1',
				'  Page: 📷 shared post 17895695668004550  [RESPONSE] m_2',
				'',
			].join('\n'),
		);
	});

	test('a Messenger Page refuses both with 100 and delivers nothing', async () => {
		const emulator = await startInstagram();
		for (const body of [heart, post]) {
			const answer = await send(emulator, body);
			expect(errorOf(answer)).toEqual({ status: 400, code: 100 });
			expect(answer.body.error.message).toBe('(#100) Param message[attachment][type] must be one of {image, audio, video, file, template}');
		}
		expect(emulator.inbox).toHaveLength(0);
	});

	test('a post share needs the post ID; a heart sticker takes no payload and no file', async () => {
		const emulator = await startInstagram();
		const noId = await send(emulator, attachmentSend({ type: 'MEDIA_SHARE', payload: {} }), ig);
		expect(errorOf(noId)).toEqual({ status: 400, code: 100 });
		expect(noId.body.error.message).toBe('(#100) Param message[attachment][payload][id] is required for MEDIA_SHARE');
		const withUrl = await send(emulator, attachmentSend({ type: 'like_heart', payload: { url: 'https://example.com/a.png' } }), ig);
		expect(withUrl.body.error.message).toBe('(#100) Param message[attachment][payload] must be empty for like_heart');
		const withFile = multipart({ recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { attachment: { type: 'like_heart' } } }, { size: 10, type: 'image/png', name: 'a.png' });
		expect(errorOf(await call(emulator, '/v25.0/me/messages', withFile, ig))).toEqual({ status: 400, code: 100 });
		expect(emulator.inbox).toHaveLength(0);
	});

	test('10 images in one message pass on Instagram, 11 are refused with 100; a Messenger Page takes 30', async () => {
		const emulator = await startInstagram();
		expect((await send(emulator, images(10), ig)).status).toBe(200);
		const eleven = await send(emulator, images(11), ig);
		expect(errorOf(eleven)).toEqual({ status: 400, code: 100 });
		expect(eleven.body.error.message).toBe('(#100) Param message[attachments] must have at most 10 images for Instagram messaging');
		expect((await send(emulator, images(30))).status).toBe(200);
	});

	test('reactions reach an Instagram account and read well in the transcript', async () => {
		const emulator = await startInstagram();
		const action = (sender_action: string, payload: Record<string, string>) => ({ recipient: { id: PSID }, sender_action, payload });
		expect((await send(emulator, action('react', { message_id: 'm_in_1', reaction: 'love' }), ig)).body).toEqual({ recipient_id: PSID });
		expect((await send(emulator, action('unreact', { message_id: 'm_in_1' }), ig)).body).toEqual({ recipient_id: PSID });
		expect(emulator.transcript()).toBe(
			[`Demo Shop on Instagram ↔ PSID ${PSID}`, '  · reacted love to m_in_1', '  · removed reaction from m_in_1', ''].join('\n'),
		);
	});
});
