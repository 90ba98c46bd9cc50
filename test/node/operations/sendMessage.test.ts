// Send Message, for each recipient type it offers, run by n8n's engine against the Graph API
// emulator: the exact request that leaves n8n, and the output items users see. Expected bodies
// follow the Send API reference (shared/messenger-send-api.md). Content Template: templates.test.ts.
import { server, send, TOKEN, useGraphServer } from '../../helpers/fixtures';
import { expectJsonPost, recipients } from '../../helpers/operations';
import { eachPerson } from '../../helpers/parameters';

useGraphServer();

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
		parameters: eachPerson('=Hi {{ $json.name }}', { messagingType: 'RESPONSE' }),
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
