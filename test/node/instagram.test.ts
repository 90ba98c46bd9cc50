// An Instagram credential (Platform = Instagram), run by n8n's engine against the emulator with
// an Instagram account: Instagram's rules are checked before sending, the rest is the Send API.
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { GraphEmulator } from '../../emulator/graphEmulator';
import { runNode } from '../helpers/runNode';

const IG_TOKEN = 'TEST-IG-TOKEN-3b9e07';
const IG_USER_ID = '17841400000000001';
const IGSID = '1122334455667788';

// Stands in for https://graph.instagram.com (Instagram Login): the account is an Instagram one.
const emulator = new GraphEmulator({ pages: [{ id: IG_USER_ID, name: 'Shop on Instagram', token: IG_TOKEN, platform: 'instagram' }] });
let baseUrl = '';

beforeAll(async () => {
	baseUrl = await emulator.start();
});
beforeEach(() => emulator.reset());
afterAll(async () => await emulator.stop());

async function send(parameters: INodeParameters, options: { items?: INodeExecutionData[]; continueOnFail?: boolean } = {}) {
	return await runNode({
		parameters: { recipientType: 'id', psid: IGSID, ...parameters },
		items: options.items,
		continueOnFail: options.continueOnFail,
		credentials: { platform: 'instagram', accessToken: IG_TOKEN, appSecret: '', apiVersion: 'v25.0', baseUrl: `${baseUrl}/` },
	});
}

test('a text goes to {base}/{version}/{ig-user-id}/messages with the Instagram token, and is accepted', async () => {
	const run = await send({ operation: 'sendMessage', pageId: IG_USER_ID, messagingType: 'RESPONSE', text: 'Danke für Ihre Nachricht! 📦' });

	expect(run.error).toBeUndefined();
	expect(run.items).toEqual([{ json: { recipient_id: IGSID, message_id: 'm_1', attempts: 1 }, pairedItem: { item: 0 } }]);
	const [request] = emulator.requests;
	expect(request.url).toBe(`/v25.0/${IG_USER_ID}/messages`);
	expect(request.headers.authorization).toBe(`Bearer ${IG_TOKEN}`);
	expect(request.body).toEqual({ recipient: { id: IGSID }, messaging_type: 'RESPONSE', message: { text: 'Danke für Ihre Nachricht! 📦' } });
});

test('"me" works as the Page ID, as with Instagram Login', async () => {
	const run = await send({ operation: 'sendMessage', pageId: 'me', messagingType: 'RESPONSE', text: 'Hi' });
	expect(run.error).toBeUndefined();
	expect(emulator.requests[0].url).toBe('/v25.0/me/messages');
});

test('a HUMAN_AGENT tagged update is sent and accepted', async () => {
	const run = await send({ operation: 'taggedUpdate', tag: 'HUMAN_AGENT', contentType: 'text', text: 'An agent here: your refund is on its way' });

	expect(run.error).toBeUndefined();
	expect(emulator.inbox).toEqual([expect.objectContaining({ pageId: IG_USER_ID, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' })]);
});

describe('refused before sending', () => {
	test('a text of 1001 bytes (500 × "é" and an "a"), naming bytes and the limit', async () => {
		const run = await send({ operation: 'sendMessage', messagingType: 'RESPONSE', text: `${'é'.repeat(500)}a` });

		expect(emulator.requests).toHaveLength(0);
		expect(run.error?.message).toBe(
			'Text in item 0: 1001 bytes (UTF-8), more than the limit of 1000 (Instagram message text is at most 1000 bytes in UTF-8)',
		);
	});

	test('1000 bytes (500 × "é") still go out', async () => {
		const run = await send({ operation: 'sendMessage', messagingType: 'RESPONSE', text: 'é'.repeat(500) });
		expect(run.error).toBeUndefined();
		expect(emulator.inbox).toHaveLength(1);
	});

	test('a CUSTOMER_FEEDBACK tag, naming the tag and HUMAN_AGENT', async () => {
		const run = await send({ operation: 'taggedUpdate', tag: 'CUSTOMER_FEEDBACK', contentType: 'text', text: 'How did we do?' });

		expect(emulator.requests).toHaveLength(0);
		expect(run.error?.message).toBe('Tag in item 0 is "CUSTOMER_FEEDBACK": Instagram accepts only the HUMAN_AGENT tag');
	});

	test('an image over 8 MB; Continue On Fail sends the other items', async () => {
		const image = (size: number): INodeExecutionData => ({
			json: {},
			binary: { data: { data: Buffer.alloc(size).toString('base64'), mimeType: 'image/png', fileName: 'photo.png' } },
		});
		const run = await send(
			{ operation: 'sendAttachment', messagingType: 'RESPONSE', attachmentType: 'image', attachmentSource: 'binary', binaryPropertyName: 'data' },
			{ items: [image(8 * 1024 * 1024 + 1), image(1024)], continueOnFail: true },
		);

		expect(emulator.requests).toHaveLength(1);
		expect(run.items[0].json.error).toBe(
			'Input Binary Field in item 0: 8388609 bytes, more than the limit of 8388608 (an Instagram image is at most 8 MB)',
		);
		expect(run.items[0].json.attempts).toBe(0);
		expect(run.items[1].json).toMatchObject({ recipient_id: IGSID, message_id: 'm_1' });
	});
});
