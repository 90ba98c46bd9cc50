// Options → Show Typing First: typing_on to the same person, a pause, then the message, in one
// node step; the output has one item per input item (the message's answer).
import type { INodeParameters } from 'n8n-workflow';

import { server, send, useGraphServer } from '../../helpers/fixtures';
import { eachPerson } from '../../helpers/parameters';

useGraphServer();

const parameters = (extra: INodeParameters = {}) => eachPerson('=Hi {{ $json.psid }}', { messagingType: 'RESPONSE', options: { typingFirstSeconds: 0.4 }, ...extra });

test('typing_on, then the pause, then the message, per person; one output item per input', async () => {
	const run = await send(parameters(), { items: [{ json: { psid: 'a' } }, { json: { psid: 'b' } }] });

	expect(run.error).toBeUndefined();
	for (const psid of ['a', 'b']) {
		const conversation = server.conversation(`id:${psid}`);
		expect(conversation.map((entry) => entry.sender_action ?? entry.message)).toEqual(['typing_on', { text: `Hi ${psid}` }]);
		expect(conversation[1].receivedAt - conversation[0].receivedAt).toBeGreaterThanOrEqual(390);
	}
	expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	expect(run.items.map((item) => item.json.message_id)).toEqual([expect.stringMatching(/^m_/), expect.stringMatching(/^m_/)]);
});

test('two messages to one person: typing before each, in order', async () => {
	const run = await send(parameters({ delivery: { batching: false } }), { items: [{ json: { psid: 'a' } }, { json: { psid: 'a' } }] });

	expect(run.error).toBeUndefined();
	expect(server.conversation('id:a').map((entry) => entry.sender_action ?? 'message')).toEqual(['typing_on', 'message', 'typing_on', 'message']);
});

test('refused for a private reply (it would spend the one reply) and above 20 seconds, before sending', async () => {
	const comment = await send({ ...parameters(), recipientType: 'comment_id', commentId: '1_2' });
	const long = await send(parameters({ options: { typingFirstSeconds: 21 } }), { items: [{ json: { psid: 'a' } }] });

	expect(server.requests).toHaveLength(0);
	expect(comment.error?.message).toBe('Show Typing First (Seconds) in item 0 works only for PSID and User Ref recipients');
	expect(long.error?.message).toBe(
		'Show Typing First (Seconds) in item 0: 21 seconds, more than the limit of 20 (Messenger shows the typing indicator for at most 20 seconds)',
	);
});
