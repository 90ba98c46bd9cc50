// Tagged Update (messaging type MESSAGE_TAG), run by n8n's engine against the Graph API emulator:
// the exact request for a text, an attachment from a URL and one from binary data.
// Content Template (Customer Feedback, HUMAN_AGENT): taggedUpdateTemplates.test.ts.
import { server, send, useGraphServer } from '../../helpers/fixtures';
import { expectJsonPost, personRecipients } from '../../helpers/operations';

useGraphServer();

describe('Tagged Update', () => {
	test.each(personRecipients)('text with HUMAN_AGENT to a $recipientType', async (recipient) => {
		const run = await send({
			operation: 'taggedUpdate',
			recipientType: recipient.recipientType,
			[recipient.field]: recipient.value,
			tag: 'HUMAN_AGENT',
			contentType: 'text',
			text: 'Following up on your question',
			options: { notificationType: 'REGULAR' },
		});

		expect(run.error).toBeUndefined();
		expect(expectJsonPost().body).toEqual({
			recipient: { [recipient.key]: recipient.value },
			messaging_type: 'MESSAGE_TAG',
			tag: 'HUMAN_AGENT',
			message: { text: 'Following up on your question' },
			notification_type: 'REGULAR',
		});
	});

	test('a video from a URL with HUMAN_AGENT', async () => {
		const run = await send({
			operation: 'taggedUpdate',
			recipientType: 'id',
			psid: '42',
			tag: 'HUMAN_AGENT',
			contentType: 'attachment',
			attachmentType: 'video',
			attachmentSource: 'url',
			attachmentUrl: 'https://example.com/clip.mp4',
		});

		expect(run.error).toBeUndefined();
		expect(expectJsonPost().body).toEqual({
			recipient: { id: '42' },
			messaging_type: 'MESSAGE_TAG',
			tag: 'HUMAN_AGENT',
			message: { attachment: { type: 'video', payload: { url: 'https://example.com/clip.mp4' } } },
		});
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
});
