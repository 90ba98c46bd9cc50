// Sender Action (typing, seen, reactions), run by n8n's engine against the Graph API emulator:
// the exact request (recipient and action, never a message) and the output items.
import { server, send, useGraphServer } from '../../helpers/fixtures';
import { expectJsonPost, personRecipients } from '../../helpers/operations';

useGraphServer();

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
