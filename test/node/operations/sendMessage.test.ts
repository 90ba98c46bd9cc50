// Each operation, for each recipient type it offers, run by n8n's engine against a real
// HTTP server: the exact request that leaves n8n, and the output items users see.
// Expected bodies follow the Send API reference (shared/messenger-send-api.md).
import { server, send, TOKEN, useGraphServer } from '../helpers/fixtures';

useGraphServer();

const recipients = [
	{ recipientType: 'id', field: 'psid', value: '6789012345678901', key: 'id' },
	{ recipientType: 'user_ref', field: 'userRef', value: 'checkbox-ref-42', key: 'user_ref' },
	{ recipientType: 'comment_id', field: 'commentId', value: '111_222', key: 'comment_id' },
	{ recipientType: 'post_id', field: 'postId', value: '333_444', key: 'post_id' },
];
const personRecipients = recipients.slice(0, 2);

function expectJsonPost(path = '/v25.0/me/messages') {
	expect(server.requests).toHaveLength(1);
	const [request] = server.requests;
	expect(request.method).toBe('POST');
	expect(request.url).toBe(path);
	expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
	expect(request.headers['content-type']).toBe('application/json');
	expect(request.headers.accept).toBe('application/json');
	return request;
}

describe('Send Message', () => {
	test.each(recipients)('to a $recipientType: exact body and output', async (recipient) => {
		const run = await send({
			operation: 'sendMessage',
			recipientType: recipient.recipientType,
			[recipient.field]: ` ${recipient.value} `,
			messagingType: 'RESPONSE',
			text: 'Your order has shipped 📦',
		});

		expect(run.error).toBeUndefined();
		expect(expectJsonPost().body).toEqual({
			recipient: { [recipient.key]: recipient.value },
			messaging_type: 'RESPONSE',
			message: { text: 'Your order has shipped 📦' },
		});
		// The Send API answers user_ref sends without a recipient_id; private replies name the
		// commenter's PSID (the emulator's stand-in: psid-for-<comment or post>).
		const recipientIds: Record<string, string | undefined> = { id: recipient.value, user_ref: undefined, comment_id: `psid-for-${recipient.value}`, post_id: `psid-for-${recipient.value}` };
		const recipientId = recipientIds[recipient.key];
		const expected = recipientId ? { recipient_id: recipientId, message_id: 'm_1', attempts: 1 } : { message_id: 'm_1', attempts: 1 };
		expect(run.items).toEqual([{ json: expected, pairedItem: { item: 0 } }]);
	});

	test('with every option: quick replies, metadata, notification type, persona, reply to', async () => {
		const run = await send({
			operation: 'sendMessage',
			pageId: '1029384756',
			recipientType: 'id',
			psid: '42',
			messagingType: 'UPDATE',
			text: 'Pick a size',
			options: {
				quickReplies: {
					reply: [
						{ contentType: 'text', title: 'Small', payload: 'SIZE_S', imageUrl: 'https://example.com/s.png' },
						{ contentType: 'text', title: 'Large', payload: 'SIZE_L' },
						{ contentType: 'user_phone_number' },
						{ contentType: 'user_email' },
					],
				},
				metadata: 'campaign-7',
				notificationType: 'SILENT_PUSH',
				personaId: '555',
				replyTo: 'm_original',
			},
		});

		expect(run.error).toBeUndefined();
		expect(expectJsonPost('/v25.0/1029384756/messages').body).toEqual({
			recipient: { id: '42' },
			messaging_type: 'UPDATE',
			message: {
				text: 'Pick a size',
				quick_replies: [
					{ content_type: 'text', title: 'Small', payload: 'SIZE_S', image_url: 'https://example.com/s.png' },
					{ content_type: 'text', title: 'Large', payload: 'SIZE_L' },
					{ content_type: 'user_phone_number' },
					{ content_type: 'user_email' },
				],
				metadata: 'campaign-7',
			},
			notification_type: 'SILENT_PUSH',
			persona_id: '555',
			reply_to: { mid: 'm_original' },
		});
	});

	const threePeople = {
		parameters: { operation: 'sendMessage', recipientType: 'id', psid: '={{ $json.psid }}', messagingType: 'RESPONSE', text: '=Hi {{ $json.name }}' },
		items: [{ json: { psid: '1', name: 'Ann' } }, { json: { psid: '2', name: 'Bob' } }, { json: { psid: '3', name: 'Cy' } }],
	};
	const threeOutputs = [
		{ json: { recipient_id: '1', message_id: 'm_1', attempts: 1 }, pairedItem: { item: 0 } },
		{ json: { recipient_id: '2', message_id: 'm_2', attempts: 1 }, pairedItem: { item: 1 } },
		{ json: { recipient_id: '3', message_id: 'm_3', attempts: 1 }, pairedItem: { item: 2 } },
	];

	test('several items (default): one Graph batch request, one output item per input item, in order', async () => {
		const run = await send(threePeople.parameters, { items: threePeople.items });

		expect(run.error).toBeUndefined();
		expect(server.requests).toHaveLength(1);
		const [batch] = server.requests;
		expect(batch.method).toBe('POST');
		expect(batch.url).toBe('/v25.0/');
		expect(batch.headers.authorization).toBe(`Bearer ${TOKEN}`);
		expect(batch.body.include_headers).toBe('false');
		const operations = JSON.parse(String(batch.body.batch)) as Array<{ method: string; relative_url: string; body: string }>;
		expect(operations.map((op) => ({ ...op, body: Object.fromEntries(new URLSearchParams(op.body)) }))).toEqual(
			['Ann', 'Bob', 'Cy'].map((name, index) => ({
				method: 'POST',
				relative_url: 'me/messages',
				body: { recipient: `{"id":"${index + 1}"}`, messaging_type: 'RESPONSE', message: `{"text":"Hi ${name}"}` },
			})),
		);
		expect(batch.raw.toString()).not.toContain(TOKEN);
		expect(run.items).toEqual(threeOutputs);
	});

	test('several items with batching off: one request each, same output', async () => {
		const run = await send({ ...threePeople.parameters, delivery: { batching: false, maxConcurrency: 1 } }, { items: threePeople.items });

		expect(run.error).toBeUndefined();
		expect(server.requests.map((r) => r.body)).toEqual([
			{ recipient: { id: '1' }, messaging_type: 'RESPONSE', message: { text: 'Hi Ann' } },
			{ recipient: { id: '2' }, messaging_type: 'RESPONSE', message: { text: 'Hi Bob' } },
			{ recipient: { id: '3' }, messaging_type: 'RESPONSE', message: { text: 'Hi Cy' } },
		]);
		expect(run.items).toEqual(threeOutputs);
	});
});

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

describe('Sender Action', () => {
	test.each(personRecipients)('typing_on to a $recipientType, with a persona', async (recipient) => {
		const run = await send({
			operation: 'senderAction',
			recipientType: recipient.recipientType,
			[recipient.field]: recipient.value,
			senderAction: 'typing_on',
			personaId: '555',
		});

		expect(run.error).toBeUndefined();
		expect(expectJsonPost().body).toEqual({
			recipient: { [recipient.key]: recipient.value },
			sender_action: 'typing_on',
			persona_id: '555',
		});
	});

	test.each(['typing_off', 'mark_seen'])('%s: recipient and action only, never a message', async (action) => {
		const run = await send({ operation: 'senderAction', recipientType: 'id', psid: '42', senderAction: action });

		expect(run.error).toBeUndefined();
		expect(expectJsonPost().body).toEqual({ recipient: { id: '42' }, sender_action: action });
		expect(run.items).toEqual([{ json: { recipient_id: '42', attempts: 1 }, pairedItem: { item: 0 } }]);
	});

	test('react and unreact carry the message ID (and the emoji)', async () => {
		await send({ operation: 'senderAction', recipientType: 'id', psid: '42', senderAction: 'react', messageId: 'm_abc', reaction: '😮' });
		await send({ operation: 'senderAction', recipientType: 'id', psid: '42', senderAction: 'unreact', messageId: 'm_abc' });

		expect(server.requests.map((r) => r.body)).toEqual([
			{ recipient: { id: '42' }, sender_action: 'react', payload: { message_id: 'm_abc', reaction: '😮' } },
			{ recipient: { id: '42' }, sender_action: 'unreact', payload: { message_id: 'm_abc' } },
		]);
	});
});

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
});

test('the credential base URL and version decide the URL (trailing slashes tolerated)', async () => {
	const { credentials } = await import('../helpers/fixtures');
	const base = credentials().baseUrl as string;
	const run = await send(
		{ operation: 'senderAction', recipientType: 'id', psid: '42', senderAction: 'mark_seen' },
		{ credentials: credentials({ baseUrl: `${base}/`, apiVersion: 'v21.0' }) },
	);

	expect(run.error).toBeUndefined();
	expect(server.requests[0].url).toBe('/v21.0/me/messages');
});
