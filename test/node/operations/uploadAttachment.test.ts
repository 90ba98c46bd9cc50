// Upload Attachment: POST /{page}/message_attachments stores a file for the Page and returns an
// attachment_id (shared/messenger-send-api.md, "Sending a file from bytes"); nobody gets a message.
import { server, send, TOKEN, useGraphServer } from '../../helpers/fixtures';

useGraphServer();

const pdf = Buffer.from('%PDF-1.4 menu');

test('from a URL: JSON to message_attachments, always reusable; the ID then sends', async () => {
	const run = await send({ operation: 'uploadAttachment', attachmentType: 'file', attachmentSource: 'url', attachmentUrl: 'https://example.com/menu.pdf' });

	expect(run.error).toBeUndefined();
	expect(server.requests).toHaveLength(1);
	const [request] = server.requests;
	expect(request.method).toBe('POST');
	expect(request.url).toBe('/v25.0/me/message_attachments');
	expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
	expect(request.body).toEqual({ message: { attachment: { type: 'file', payload: { url: 'https://example.com/menu.pdf', is_reusable: true } } } });
	expect(server.inbox).toHaveLength(0);
	const attachmentId = String(run.items[0].json.attachment_id);
	expect(run.items).toEqual([{ json: { attachment_id: attachmentId, attempts: 1 }, pairedItem: { item: 0 } }]);

	const reuse = await send({
		operation: 'sendAttachment',
		recipientType: 'id',
		psid: '42',
		messagingType: 'RESPONSE',
		attachmentType: 'file',
		attachmentSource: 'attachmentId',
		attachmentId,
	});
	expect(reuse.error).toBeUndefined();
	expect(server.inbox.map((entry) => entry.message)).toEqual([{ attachment: { type: 'file', payload: { attachment_id: attachmentId } } }]);
});

test('from binary data: multipart with the message field and the file as filedata', async () => {
	const run = await send(
		{ operation: 'uploadAttachment', attachmentType: 'file', attachmentSource: 'binary', binaryPropertyName: 'data' },
		{ items: [{ json: {}, binary: { data: { data: pdf.toString('base64'), mimeType: 'application/pdf', fileName: 'menu.pdf' } } }] },
	);

	expect(run.error).toBeUndefined();
	const [request] = server.requests;
	expect(request.url).toBe('/v25.0/me/message_attachments');
	expect(request.body).toEqual({ message: '{"attachment":{"type":"file","payload":{"is_reusable":true}}}' });
	expect(request.files.filedata).toEqual({ fileName: 'menu.pdf', mimeType: 'application/pdf', data: pdf });
	expect(run.items[0].json.attachment_id).toMatch(/^\d+$/);
});

test('several uploads: one request each (never in a batch, never waiting for each other), outputs in order', async () => {
	const run = await send(
		{ operation: 'uploadAttachment', attachmentType: 'image', attachmentSource: 'url', attachmentUrl: '={{ $json.url }}' },
		{ items: ['a', 'b', 'c'].map((name) => ({ json: { url: `https://example.com/${name}.png` } })) },
	);

	expect(run.error).toBeUndefined();
	expect(server.requests.map((request) => request.path)).toEqual(Array(3).fill('/v25.0/me/message_attachments'));
	expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	expect(new Set(run.items.map((item) => item.json.attachment_id)).size).toBe(3);
});

test('a URL that is not http(s) is refused before anything is sent', async () => {
	const run = await send({ operation: 'uploadAttachment', attachmentType: 'image', attachmentSource: 'url', attachmentUrl: 'file:///etc/passwd' });

	expect(server.requests).toHaveLength(0);
	expect(run.error?.message).toBe('Attachment URL in item 0 is not an http(s) URL: "file:///etc/passwd"');
});
