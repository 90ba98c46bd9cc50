// Send Attachment, run by n8n's engine against the Graph API emulator: the exact request for each
// source (a URL, a saved attachment ID, binary data as multipart, several image URLs) and what is
// refused before sending. Attachment Type Template: templates.test.ts.
import type { INodeExecutionData } from 'n8n-workflow';

import { server, send, TOKEN, useGraphServer } from '../../helpers/fixtures';
import { expectJsonPost, recipients } from '../../helpers/operations';

useGraphServer();

const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

function itemWithFile(data: Buffer, fileName = 'receipt.png', mimeType = 'image/png'): INodeExecutionData {
	return { json: { psid: '42' }, binary: { data: { data: data.toString('base64'), mimeType, fileName } } };
}

describe('Send Attachment', () => {
	test.each(recipients)('from a URL to a $recipientType', async (recipient) => {
		const run = await send({
			operation: 'sendAttachment',
			recipientType: recipient.recipientType,
			[recipient.field]: recipient.value,
			messagingType: 'RESPONSE',
			attachmentType: 'image',
			attachmentSource: 'url',
			attachmentUrl: 'https://example.com/photo.jpg',
			isReusable: true,
		});

		expect(run.error).toBeUndefined();
		expect(expectJsonPost().body).toEqual({
			recipient: { [recipient.key]: recipient.value },
			messaging_type: 'RESPONSE',
			message: { attachment: { type: 'image', payload: { url: 'https://example.com/photo.jpg', is_reusable: true } } },
		});
	});

	test('a saved attachment ID, with quick replies and notification type', async () => {
		const upload = await send({
			operation: 'sendAttachment',
			recipientType: 'id',
			psid: '42',
			messagingType: 'RESPONSE',
			attachmentType: 'file',
			attachmentSource: 'url',
			attachmentUrl: 'https://example.com/menu.pdf',
			isReusable: true,
		});
		const attachmentId = String(upload.items[0].json.attachment_id);
		expect(attachmentId).toMatch(/^\d+$/);
		server.requests.length = 0;

		const run = await send({
			operation: 'sendAttachment',
			recipientType: 'id',
			psid: '42',
			messagingType: 'UPDATE',
			attachmentType: 'file',
			attachmentSource: 'attachmentId',
			attachmentId: attachmentId,
			options: { quickReplies: { reply: [{ contentType: 'text', title: 'Thanks', payload: 'THANKS' }] }, notificationType: 'NO_PUSH' },
		});

		expect(run.error).toBeUndefined();
		expect(expectJsonPost().body).toEqual({
			recipient: { id: '42' },
			messaging_type: 'UPDATE',
			message: {
				attachment: { type: 'file', payload: { attachment_id: attachmentId } },
				quick_replies: [{ content_type: 'text', title: 'Thanks', payload: 'THANKS' }],
			},
			notification_type: 'NO_PUSH',
		});
	});
});

// From binary data: a multipart upload whose every Send API parameter is its own form field and
// whose file travels as `filedata` with its name and MIME type.
describe('Send Attachment from binary data', () => {
	test('uploads the bytes with file name, MIME type and every other field', async () => {
		const run = await send(
			{
				operation: 'sendAttachment',
				recipientType: 'id',
				psid: '={{ $json.psid }}',
				messagingType: 'RESPONSE',
				attachmentType: 'image',
				attachmentSource: 'binary',
				binaryPropertyName: 'data',
				isReusable: true,
				options: { notificationType: 'SILENT_PUSH', metadata: 'order-17' },
			},
			{ items: [itemWithFile(png)] },
		);

		expect(run.error).toBeUndefined();
		expect(server.requests).toHaveLength(1);
		const [request] = server.requests;
		expect(request.method).toBe('POST');
		expect(request.url).toBe('/v25.0/me/messages');
		expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
		expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(request.body).toEqual({
			recipient: '{"id":"42"}',
			messaging_type: 'RESPONSE',
			message: '{"attachment":{"type":"image","payload":{"is_reusable":true}},"metadata":"order-17"}',
			notification_type: 'SILENT_PUSH',
		});
		expect(Object.keys(request.files)).toEqual(['filedata']);
		expect(request.files.filedata.fileName).toBe('receipt.png');
		expect(request.files.filedata.mimeType).toBe('image/png');
		expect(request.files.filedata.data.equals(png)).toBe(true);
		expect(run.items).toEqual([
			{ json: { recipient_id: '42', message_id: 'm_1', attachment_id: server.inbox[0].attachment_id, attempts: 1 }, pairedItem: { item: 0 } },
		]);
	});

	const binaryParameters = {
		operation: 'sendAttachment',
		recipientType: 'id',
		psid: '42',
		messagingType: 'RESPONSE',
		attachmentType: 'file',
		attachmentSource: 'binary',
		binaryPropertyName: 'data',
	};

	test('a file over 25 MB is refused before sending, naming field, item, size and limit', async () => {
		const run = await send(binaryParameters, { items: [itemWithFile(Buffer.alloc(25 * 1024 * 1024 + 1), 'big.bin', 'application/octet-stream')] });

		expect(server.requests).toHaveLength(0);
		expect(run.error?.message).toBe(
			'Input Binary Field in item 0: 26214401 bytes, more than the limit of 26214400 (an attachment file is at most 25 MB)',
		);
	});

	test('an empty file is refused before sending', async () => {
		const run = await send(binaryParameters, { items: [itemWithFile(Buffer.alloc(0))] });

		expect(server.requests).toHaveLength(0);
		expect(run.error?.message).toBe('Input Binary Field in item 0 holds an empty file (0 bytes)');
	});

	test('a missing binary field fails that item with n8n’s own message, and Continue On Fail keeps the others', async () => {
		const run = await send(binaryParameters, { items: [{ json: {} }, itemWithFile(png)], continueOnFail: true });

		expect(server.requests).toHaveLength(1);
		expect(run.items).toHaveLength(2);
		expect(run.items[0].pairedItem).toEqual({ item: 0 });
		expect(String(run.items[0].json.error)).toMatch(/binary/i);
		expect(run.items[1]).toEqual({ json: { recipient_id: '42', message_id: 'm_1', attempts: 1 }, pairedItem: { item: 1 } });
	});
});

// Source "Several Image URLs": one message with up to 30 images, as `message.attachments`
// (shared/messenger-send-api.md: "an array of up to 30 attachments, images only").
describe('Send Attachment, Source Several Image URLs', () => {
	const base = { operation: 'sendAttachment', recipientType: 'id', psid: '42', messagingType: 'RESPONSE', attachmentType: 'image', attachmentSource: 'imageUrls' };
	const urls = (count: number) => Array.from({ length: count }, (_, i) => `https://example.com/p${i + 1}.jpg`);

	test('one URL per line: one message with every image', async () => {
		const run = await send({ ...base, imageUrls: 'https://example.com/front.jpg\nhttps://example.com/back.jpg\n' });

		expect(run.error).toBeUndefined();
		expect(server.requests[0].body).toEqual({
			recipient: { id: '42' },
			messaging_type: 'RESPONSE',
			message: {
				attachments: [
					{ type: 'image', payload: { url: 'https://example.com/front.jpg' } },
					{ type: 'image', payload: { url: 'https://example.com/back.jpg' } },
				],
			},
		});
		expect(server.inbox).toHaveLength(1);
		expect(run.items[0].json.message_id).toBe('m_1');
	});

	test('30 images from an expression that gives a list are accepted; 31 are refused before sending', async () => {
		const ok = await send({ ...base, imageUrls: `={{ ${JSON.stringify(urls(30))} }}` });
		expect(ok.error).toBeUndefined();
		expect((server.inbox[0].message as { attachments: unknown[] }).attachments).toHaveLength(30);

		server.requests.length = 0;
		const tooMany = await send({ ...base, imageUrls: urls(31).join('\n') });
		expect(server.requests).toHaveLength(0);
		expect(tooMany.error?.message).toBe('Image URLs in item 0: 31 images, more than the limit of 30 (a message carries at most 30 images)');
	});

	test('only images, only http(s) URLs', async () => {
		const video = await send({ ...base, attachmentType: 'video', imageUrls: urls(2).join('\n') });
		const ftp = await send({ ...base, imageUrls: 'https://example.com/a.jpg\nftp://example.com/b.jpg' });

		expect(server.requests).toHaveLength(0);
		expect(video.error?.message).toBe('Image URLs in item 0 need Attachment Type Image: several attachments in one message must be images');
		expect(ftp.error?.message).toBe('Image URL 2 in item 0 is not an http(s) URL: "ftp://example.com/b.jpg"');
	});
});
