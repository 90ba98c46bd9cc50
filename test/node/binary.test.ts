// Send Attachment from binary data: a multipart upload whose every Send API parameter is its
// own form field and whose file travels as `filedata` with its name and MIME type.
import type { INodeExecutionData } from 'n8n-workflow';

import { server, send, TOKEN, useGraphServer } from '../helpers/fixtures';

useGraphServer();

const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

function itemWithFile(data: Buffer, fileName = 'receipt.png', mimeType = 'image/png'): INodeExecutionData {
	return { json: { psid: '42' }, binary: { data: { data: data.toString('base64'), mimeType, fileName } } };
}

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

test('a tagged update keeps tag and messaging type on the multipart path', async () => {
	const pdf = Buffer.from('%PDF-1.4 invoice');
	const run = await send(
		{
			operation: 'taggedUpdate',
			recipientType: 'id',
			psid: '42',
			tag: 'HUMAN_AGENT',
			contentType: 'attachment',
			attachmentType: 'file',
			attachmentSource: 'binary',
			binaryPropertyName: 'invoice',
			options: { notificationType: 'NO_PUSH' },
		},
		{ items: [{ json: {}, binary: { invoice: { data: pdf.toString('base64'), mimeType: 'application/pdf', fileName: 'invoice-17.pdf' } } }] },
	);

	expect(run.error).toBeUndefined();
	const [request] = server.requests;
	expect(request.body).toEqual({
		recipient: '{"id":"42"}',
		messaging_type: 'MESSAGE_TAG',
		tag: 'HUMAN_AGENT',
		message: '{"attachment":{"type":"file","payload":{}}}',
		notification_type: 'NO_PUSH',
	});
	expect(request.files.filedata).toEqual({ fileName: 'invoice-17.pdf', mimeType: 'application/pdf', data: pdf });
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
