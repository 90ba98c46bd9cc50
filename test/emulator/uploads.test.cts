// Files from bytes: multipart sends with `filedata`, and POST /{page}/message_attachments.
import { createHash } from 'node:crypto';

import { call, errorOf, OTHER_PAGE, PAGE, PSID, send, startEmulator } from './helpers.cjs';

function multipart(fields: Record<string, unknown>, file?: { data: Buffer<ArrayBuffer>; name: string; type: string }): FormData {
	const form = new FormData();
	for (const [key, value] of Object.entries(fields)) form.set(key, typeof value === 'string' ? value : JSON.stringify(value));
	if (file) form.set('filedata', new Blob([file.data], { type: file.type }), file.name);
	return form;
}

const pdf = { data: Buffer.from('%PDF-1.4 invoice 1042\n'.repeat(800)), name: 'invoice-1042.pdf', type: 'application/pdf' };

describe('multipart sends', () => {
	test('every field survives; the file is recorded by name, type, size and hash; reusable answers attachment_id', async () => {
		const emulator = await startEmulator();
		const form = multipart(
			{
				recipient: { id: PSID },
				messaging_type: 'MESSAGE_TAG',
				tag: 'HUMAN_AGENT',
				notification_type: 'NO_PUSH',
				message: { attachment: { type: 'file', payload: { is_reusable: true } }, metadata: 'invoice' },
			},
			pdf,
		);
		const answer = await call(emulator, '/v25.0/me/messages', form);
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({ recipient_id: PSID, message_id: 'm_1', attachment_id: expect.stringMatching(/^\d+$/) });
		expect(emulator.inbox[0]).toMatchObject({
			messaging_type: 'MESSAGE_TAG',
			tag: 'HUMAN_AGENT',
			notification_type: 'NO_PUSH',
			attachment_id: answer.body.attachment_id,
			file: {
				fileName: 'invoice-1042.pdf',
				mimeType: 'application/pdf',
				size: pdf.data.length,
				sha256: createHash('sha256').update(pdf.data).digest('hex'),
			},
		});
		expect(emulator.requests[0].files.filedata.data.equals(pdf.data)).toBe(true);

		const reuse = await send(emulator, {
			recipient: { id: PSID },
			messaging_type: 'RESPONSE',
			message: { attachment: { type: 'file', payload: { attachment_id: answer.body.attachment_id } } },
		});
		expect(reuse.body).toEqual({ recipient_id: PSID, message_id: 'm_2' });
	});

	test('a file without is_reusable answers no attachment_id', async () => {
		const emulator = await startEmulator();
		const form = multipart({ recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { attachment: { type: 'image', payload: {} } } }, { data: Buffer.from('png'), name: 'a.png', type: 'image/png' });
		expect((await call(emulator, '/v25.0/me/messages', form)).body).toEqual({ recipient_id: PSID, message_id: 'm_1' });
	});

	test('a file over 25 MB → 100/2018109; a file next to a URL or a text → 100', async () => {
		const emulator = await startEmulator();
		const fields = { recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { attachment: { type: 'video', payload: {} } } };
		const big = { data: Buffer.alloc(25 * 1024 * 1024 + 1), name: 'big.mp4', type: 'video/mp4' };
		expect(errorOf(await call(emulator, '/v25.0/me/messages', multipart(fields, big)))).toEqual({ status: 400, code: 100, subcode: 2018109 });

		const withUrl = { ...fields, message: { attachment: { type: 'video', payload: { url: 'https://example.com/v.mp4' } } } };
		expect(errorOf(await call(emulator, '/v25.0/me/messages', multipart(withUrl, pdf)))).toEqual({ status: 400, code: 100 });
		const withText = { ...fields, message: { text: 'see attached' } };
		expect(errorOf(await call(emulator, '/v25.0/me/messages', multipart(withText, pdf)))).toEqual({ status: 400, code: 100 });
		expect(emulator.inbox).toHaveLength(0);
	});

	test('a field that is not valid JSON → 100', async () => {
		const emulator = await startEmulator();
		const form = multipart({ recipient: '{id:', messaging_type: 'RESPONSE', message: { text: 'x' } });
		expect(errorOf(await call(emulator, '/v25.0/me/messages', form))).toEqual({ status: 400, code: 100 });
	});
});

describe('POST /{version}/{page}/message_attachments', () => {
	const upload = { attachment: { type: 'image', payload: { url: 'https://example.com/logo.png', is_reusable: true } } };

	test('from a URL or from filedata: answers {attachment_id}, usable by this Page only, not in the inbox', async () => {
		const emulator = await startEmulator({ pages: [PAGE, OTHER_PAGE] });
		const byUrl = await call(emulator, '/v25.0/me/message_attachments', { message: upload });
		expect(byUrl.body).toEqual({ attachment_id: expect.stringMatching(/^\d+$/) });
		const byFile = await call(emulator, `/v25.0/${PAGE.id}/message_attachments`, multipart({ message: { attachment: { type: 'file', payload: { is_reusable: true } } } }, pdf));
		expect(byFile.body).toEqual({ attachment_id: expect.stringMatching(/^\d+$/) });
		expect(byFile.body.attachment_id).not.toBe(byUrl.body.attachment_id);
		expect(emulator.inbox).toHaveLength(0);

		const using = (attachmentId: string) => ({
			recipient: { id: PSID },
			messaging_type: 'RESPONSE',
			message: { attachment: { type: 'image', payload: { attachment_id: attachmentId } } },
		});
		expect((await send(emulator, using(byUrl.body.attachment_id))).status).toBe(200);
		const fromOtherPage = await send(emulator, using(byUrl.body.attachment_id), { token: OTHER_PAGE.token });
		expect(errorOf(fromOtherPage)).toEqual({ status: 400, code: 100, subcode: 2018074 });
	});

	test('needs a media attachment with one source', async () => {
		const emulator = await startEmulator();
		expect(errorOf(await call(emulator, '/v25.0/me/message_attachments', {}))).toEqual({ status: 400, code: 100 });
		expect(errorOf(await call(emulator, '/v25.0/me/message_attachments', { message: { attachment: { type: 'template', payload: {} } } }))).toEqual({ status: 400, code: 100 });
		expect(errorOf(await call(emulator, '/v25.0/me/message_attachments', { message: { attachment: { type: 'image', payload: {} } } }))).toEqual({ status: 400, code: 100 });
		expect(errorOf(await call(emulator, '/v25.0/me/message_attachments', { message: upload }, { token: 'TEST-WRONG-TOKEN' }))).toEqual({ status: 400, code: 190 });
	});
});
