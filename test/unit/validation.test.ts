// The Send API's documented rules (shared/messenger-send-api.md), checked on built requests.
// Each limit is tested at the limit (accepted) and one past it (refused, with the message).
import type { IExecuteFunctions } from 'n8n-workflow';

import * as sendAttachment from '../../nodes/MessengerSend/actions/sendAttachment.operation';
import * as taggedUpdate from '../../nodes/MessengerSend/actions/taggedUpdate.operation';
import { MESSAGE_TAG } from '../../nodes/MessengerSend/rules';
import { validateSendRequest } from '../../nodes/MessengerSend/rules/validate';
import type { SendRequest } from '../../nodes/MessengerSend/request/types';

const MESSAGE_TAGS: string[] = [...MESSAGE_TAG.values];

const text = (value: string, extra: object = {}): SendRequest => ({
	body: { recipient: { id: '42' }, messaging_type: 'RESPONSE', message: { text: value, ...extra } },
});
const problem = (request: SendRequest, item = 0): string | undefined => {
	try {
		validateSendRequest(request, item);
		return undefined;
	} catch (error) {
		return (error as Error).message;
	}
};
const replies = (count: number) => Array.from({ length: count }, (_, i) => ({ content_type: 'text', title: `T${i}`, payload: `P${i}` }));

describe('limits: at the limit accepted, one past it refused naming field, item, size and limit', () => {
	test('text: fewer than 2000 characters', () => {
		expect(problem(text('a'.repeat(1999)))).toBeUndefined();
		expect(problem(text('a'.repeat(2000)), 7)).toBe(
			'Text in item 7: 2000 characters, more than the limit of 1999 (message text must be fewer than 2000 characters, counted as Unicode code points: an emoji is one, a flag or a family emoji several)',
		);
	});

	test('characters are counted as a person counts them (an emoji is one)', () => {
		expect(problem(text('😀'.repeat(1999)))).toBeUndefined();
		expect(problem(text('😀'.repeat(2000)))).toMatch(/^Text in item 0: 2000 characters/);
	});

	test('metadata: fewer than 1000 characters', () => {
		expect(problem(text('hi', { metadata: 'm'.repeat(999) }))).toBeUndefined();
		expect(problem(text('hi', { metadata: 'm'.repeat(1000) }))).toBe(
			'Metadata in item 0: 1000 characters, more than the limit of 999 (metadata must be fewer than 1000 characters)',
		);
	});

	test('at most 13 quick replies', () => {
		expect(problem(text('hi', { quick_replies: replies(13) }))).toBeUndefined();
		expect(problem(text('hi', { quick_replies: replies(14) }))).toBe(
			'Quick Replies in item 0: 14 quick replies, more than the limit of 13 (a message carries at most 13 quick replies)',
		);
	});

	test('quick reply title at most 20, payload at most 1000 characters', () => {
		const reply = (title: string, payload: string) => text('hi', { quick_replies: [{ content_type: 'text', title, payload }] });
		expect(problem(reply('t'.repeat(20), 'p'.repeat(1000)))).toBeUndefined();
		expect(problem(reply('t'.repeat(21), 'p'))).toBe(
			'Quick Reply 1 Title in item 0: 21 characters, more than the limit of 20 (a quick reply title has at most 20 characters)',
		);
		expect(problem(reply('t', 'p'.repeat(1001)))).toBe(
			'Quick Reply 1 Payload in item 0: 1001 characters, more than the limit of 1000 (a quick reply payload has at most 1000 characters)',
		);
	});

	test('a file of at most 25 MB', () => {
		const upload = (size: number): SendRequest => ({
			body: { recipient: { id: '42' }, messaging_type: 'RESPONSE', message: { attachment: { type: 'file', payload: {} } } },
			file: { data: Buffer.alloc(size), fileName: 'a.bin', mimeType: 'application/octet-stream' },
		});
		expect(problem(upload(25 * 1024 * 1024))).toBeUndefined();
		expect(problem(upload(25 * 1024 * 1024 + 1))).toBe(
			'Input Binary Field in item 0: 26214401 bytes, more than the limit of 26214400 (an attachment file is at most 25 MB)',
		);
	});
});

describe('structure rules', () => {
	test('exactly one recipient identifier', () => {
		const withRecipient = (recipient: object) => problem({ body: { ...text('hi').body, recipient: recipient as Record<string, string> } });
		expect(withRecipient({ id: '1', user_ref: 'r' })).toBe(
			'Recipient in item 0 must have exactly one identifier (id, user_ref, comment_id, post_id, phone_number), found id, user_ref',
		);
		expect(withRecipient({})).toMatch(/found none$/);
		expect(withRecipient({ psid: '1' })).toMatch(/found psid$/);
		expect(withRecipient({ comment_id: '1_2' })).toBeUndefined();
	});

	test('a message and a sender action never travel together', () => {
		expect(problem({ body: { ...text('hi').body, sender_action: 'typing_on' } })).toBe(
			'Item 0 must carry either a message or a sender action, never both',
		);
		expect(problem({ body: { recipient: { id: '1' } } })).toBe('Item 0 must carry either a message or a sender action, found neither');
	});

	test('text xor attachment, never empty', () => {
		expect(problem(text('hi', { attachment: { type: 'image', payload: { url: 'https://e.com/a.png' } } }))).toBe(
			'Message in item 0 needs exactly one of text or attachment, found text and attachment',
		);
		expect(problem(text(''))).toBe('Text in item 0 is empty: enter a value');
	});

	test('tag only with MESSAGE_TAG, and MESSAGE_TAG needs a tag', () => {
		expect(problem({ body: { ...text('hi').body, tag: 'HUMAN_AGENT' } })).toBe(
			'Tag in item 0 is only allowed with messaging type MESSAGE_TAG (use the Tagged Update operation)',
		);
		expect(problem({ body: { ...text('hi').body, messaging_type: 'MESSAGE_TAG' } })).toBe('Tag in item 0 is empty: enter a value');
		expect(problem({ body: { ...text('hi').body, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' } })).toBeUndefined();
	});

	test('messaging type and notification type come from the documented lists', () => {
		expect(problem({ body: { ...text('hi').body, messaging_type: 'PROMO' } })).toBe(
			'Messaging Type in item 0 is "PROMO": use one of RESPONSE, UPDATE, MESSAGE_TAG, UTILITY',
		);
		expect(problem({ body: { ...text('hi').body, notification_type: 'LOUD' } })).toBe(
			'Notification Type in item 0 is "LOUD": use one of REGULAR, SILENT_PUSH, NO_PUSH',
		);
	});

	test('an attachment has exactly one source', () => {
		const attachment = (payload: object, file = false): SendRequest => ({
			body: { recipient: { id: '1' }, messaging_type: 'RESPONSE', message: { attachment: { type: 'image', payload } } },
			...(file ? { file: { data: Buffer.from('x'), fileName: 'a', mimeType: 'image/png' } } : {}),
		});
		expect(problem(attachment({ url: 'https://e.com/a.png', attachment_id: '1' }))).toBe(
			'Attachment in item 0 needs exactly one source (a URL, an attachment ID or binary data), found url, attachment_id',
		);
		expect(problem(attachment({ url: 'https://e.com/a.png' }, true))).toMatch(/found url, filedata$/);
		expect(problem(attachment({}))).toMatch(/found none$/);
		expect(problem(attachment({ attachment_id: '  ' }))).toBe('Attachment ID in item 0 is empty: enter a value');
	});

	test('react needs a message ID and an emoji; unreact a message ID', () => {
		const action = (sender_action: string, payload?: object) => problem({ body: { recipient: { id: '1' }, sender_action, payload } });
		expect(action('react', { message_id: 'm_1', reaction: '❤' })).toBeUndefined();
		expect(action('react', { message_id: 'm_1' })).toBe('Reaction in item 0 is empty: enter a value');
		expect(action('unreact', {})).toBe('Message ID in item 0 is empty: enter a value');
		expect(action('wave')).toBe('Action in item 0 is "wave": use one of typing_on, typing_off, mark_seen, react, unreact');
	});
});

// Found by the fuzz tests (test/unit/fuzz.test.ts): each was sent and refused by the emulator,
// or failed with a TypeError naming neither field nor item.
describe('regressions found by fuzzing', () => {
	/** A stand-in for n8n's execute functions: parameters by name, one binary field "data". */
	const context = (parameters: Record<string, unknown>, binary?: { fileName?: string; fileExtension?: string }) =>
		({
			getNodeParameter: (name: string, _item: number, fallback?: unknown) => parameters[name] ?? fallback,
			helpers: {
				assertBinaryData: () => ({ data: '', mimeType: 'image/png', ...binary }),
				getBinaryDataBuffer: async () => Buffer.from('png'),
			},
		}) as unknown as IExecuteFunctions;
	const upload = { recipientType: 'id', psid: '42', messagingType: 'RESPONSE', attachmentType: 'image', attachmentSource: 'binary', binaryPropertyName: 'data' };

	test('a Reply To Message ID of only spaces is refused (it became reply_to {mid: ""}, which the platform refuses)', () => {
		expect(problem(text('hi'))).toBeUndefined();
		expect(problem({ body: { ...text('hi').body, reply_to: { mid: 'm_1' } } })).toBeUndefined();
		expect(problem({ body: { ...text('hi').body, reply_to: { mid: '' } } }, 4)).toBe('Reply To Message ID in item 4 is empty: enter a value');
	});

	test('a tag must be one of the documented tags (an expression could send any text)', () => {
		const tagged = (tag?: string) => problem({ body: { ...text('hi').body, messaging_type: 'MESSAGE_TAG', tag } });
		// CUSTOMER_FEEDBACK is documented but goes only with its template (test/unit/customerFeedbackTemplate.test.ts).
		for (const tag of MESSAGE_TAGS.filter((tag) => tag !== 'CUSTOMER_FEEDBACK')) expect(tagged(tag)).toBeUndefined();
		expect(tagged('CUSTOMER_FEEDBACK')).toMatch(/^Tag in item 0 is CUSTOMER_FEEDBACK: it goes only with the customer feedback template/);
		expect(tagged('human_agent')).toBe(
			'Tag in item 0 is "human_agent": use one of HUMAN_AGENT, CUSTOMER_FEEDBACK, ACCOUNT_UPDATE, CONFIRMED_EVENT_UPDATE, POST_PURCHASE_UPDATE',
		);
		expect(tagged(undefined)).toBe('Tag in item 0 is empty: enter a value');
	});

	test('the tags checked are the tags the editor offers', () => {
		const tag = taggedUpdate.description.find((property) => property.name === 'tag');
		expect(((tag?.options ?? []) as Array<{ value: string }>).map((option) => option.value).sort()).toEqual([...MESSAGE_TAGS].sort());
	});

	test('a tag from an expression is read as text: a number is quoted, an object refused by name', async () => {
		const tagged = async (tag: unknown) => {
			try {
				validateSendRequest(await taggedUpdate.prepare.call(context({ recipientType: 'id', psid: '42', contentType: 'text', text: 'hi', tag }), 1), 1);
				return undefined;
			} catch (error) {
				return (error as Error).message;
			}
		};
		expect(await tagged(42)).toMatch(/^Tag in item 1 is "42": use one of HUMAN_AGENT/);
		expect(await tagged({ a: 1 })).toBe('Tag in item 1 must be text, but the expression gave an object');
	});

	test('an object without a prototype where a value of a list is expected is named, not a TypeError', () => {
		expect(problem({ body: { ...text('hi').body, messaging_type: Object.create(null) } })).toBe(
			'Messaging Type in item 0 is an object: use one of RESPONSE, UPDATE, MESSAGE_TAG, UTILITY',
		);
		expect(problem({ body: { ...text('hi').body, messaging_type: [1, 2] } })).toMatch(/^Messaging Type in item 0 is a list:/);
	});

	test('an Attachment Type object from an expression is refused by name (it named the file: TypeError without a prototype)', async () => {
		await expect(sendAttachment.prepare.call(context({ ...upload, attachmentType: Object.create(null) }), 2)).rejects.toThrow(
			'Attachment Type in item 2 must be text, but the expression gave an object',
		);
	});

	test('a binary with an empty file name is uploaded under the type and extension (a part without a name is not a file)', async () => {
		const named = async (binary: { fileName?: string; fileExtension?: string }) =>
			(await sendAttachment.prepare.call(context(upload, binary), 0)).file?.fileName;
		expect(await named({ fileName: '', fileExtension: 'png' })).toBe('image.png');
		expect(await named({ fileName: '' })).toBe('image');
		expect(await named({ fileName: 'receipt.png' })).toBe('receipt.png');
	});
});

test('characters are counted in place as code points, lone surrogates one each', async () => {
	const { countCharacters } = await import('../../nodes/MessengerSend/rules/limits');
	for (const value of ['', 'a', '😀', 'a😀b', '\ud800', '\udc00\ud800', '\ud800\ud800\udc00', '👨‍👩‍👧', `x${'😀'.repeat(10)}\ud83d`]) {
		expect(countCharacters(value)).toBe([...value].length);
	}
});
