// Instagram in the real n8n (the version's shared `n8n start`, each workflow started by a POST to its
// webhook): a credential with Platform = Instagram (Instagram Login: the emulator stands in for
// graph.instagram.com), Instagram's rules applied by the installed package.
import { GraphEmulator } from '../../emulator/graphEmulator.cjs';
import { lastOutput } from './support/rest.cjs';
import { useSharedN8n } from './support/sharedN8n.cjs';
import { runByWebhook, runOk, startedByWebhook } from './support/webhookRuns.cjs';
import { chainWorkflow } from './workflows.cjs';

const IG_TOKEN = 'E2E-IG-TOKEN-7c21';
const IG_USER_ID = '17841400000000042';
const IGSID = '2233445566778899';
const CREDENTIAL = { id: 'msgrE2eInstaCred', name: 'Instagram (e2e)' };

const emulator = new GraphEmulator({ pages: [{ id: IG_USER_ID, name: 'Shop on Instagram', token: IG_TOKEN, platform: 'instagram' }] });

const reply = chainWorkflow('msgrE2eInstaOk01', 'e2e: Instagram reply and human agent follow-up', [
	{ name: 'Reply', credential: CREDENTIAL, parameters: { operation: 'sendMessage', pageId: 'me', recipientType: 'id', psid: IGSID, messagingType: 'RESPONSE', text: 'Merci ! Votre colis arrive demain 📦', options: { quickReplies: { reply: [{ contentType: 'text', title: 'Suivre', payload: 'TRACK' }] } } } },
	{ name: 'Agent follow-up', credential: CREDENTIAL, parameters: { operation: 'taggedUpdate', pageId: 'me', recipientType: 'id', psid: IGSID, tag: 'HUMAN_AGENT', contentType: 'text', text: 'Sam here: all good with your order?' } },
]);
const tooLong = chainWorkflow('msgrE2eInstaLong', 'e2e: Instagram text over 1000 bytes', [
	// 334 euro signs are 1002 bytes of UTF-8 but only 334 characters: fine on Messenger, not on Instagram.
	{ name: 'Too long', credential: CREDENTIAL, parameters: { operation: 'sendMessage', pageId: 'me', recipientType: 'id', psid: IGSID, messagingType: 'RESPONSE', text: '€'.repeat(334) } },
]);
const wrongTag = chainWorkflow('msgrE2eInstaTag1', 'e2e: Instagram with a Messenger-only tag', [
	{ name: 'Feedback tag', credential: CREDENTIAL, parameters: { operation: 'taggedUpdate', pageId: 'me', recipientType: 'id', psid: IGSID, tag: 'CUSTOMER_FEEDBACK', contentType: 'text', text: 'How did we do?' } },
]);
const extras = chainWorkflow('msgrE2eInstaXtra', 'e2e: Instagram heart sticker and post share', [
	{ name: 'Heart', credential: CREDENTIAL, parameters: { operation: 'sendAttachment', pageId: 'me', recipientType: 'id', psid: IGSID, messagingType: 'RESPONSE', attachmentType: 'like_heart' } },
	{ name: 'Share post', credential: CREDENTIAL, parameters: { operation: 'sendAttachment', pageId: 'me', recipientType: 'id', psid: IGSID, messagingType: 'RESPONSE', attachmentType: 'MEDIA_SHARE', instagramPostId: '17895695668004550' } },
]);

const WORKFLOWS = [reply, tooLong, wrongTag, extras].map(startedByWebhook);

const shared = useSharedN8n({
	before: async () => {
		await emulator.start();
		return {
			credentials: [{ ...CREDENTIAL, type: 'messengerPageApi', data: { platform: 'instagram', accessToken: IG_TOKEN, appSecret: '', apiVersion: 'v25.0', baseUrl: emulator.url } }],
			workflows: WORKFLOWS,
		};
	},
	after: () => emulator.stop(),
});
beforeAll(async () => {
	for (const workflow of WORKFLOWS) await shared().rest.activate(String(workflow.id));
}, 5 * 60_000);
beforeEach(() => emulator.reset());

test('a reply with a quick reply and a HUMAN_AGENT follow-up reach the Instagram account', async () => {
	const run = await runOk(shared().rest, 'msgrE2eInstaOk01');

	expect(emulator.requests.map((request) => [request.path, request.headers.authorization])).toEqual([
		['/v25.0/me/messages', `Bearer ${IG_TOKEN}`],
		['/v25.0/me/messages', `Bearer ${IG_TOKEN}`],
	]);
	expect(emulator.requests.map((request) => request.body)).toEqual([
		{ recipient: { id: IGSID }, messaging_type: 'RESPONSE', message: { text: 'Merci ! Votre colis arrive demain 📦', quick_replies: [{ content_type: 'text', title: 'Suivre', payload: 'TRACK' }] } },
		{ recipient: { id: IGSID }, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message: { text: 'Sam here: all good with your order?' } },
	]);
	expect(lastOutput(run, 'Agent follow-up')).toEqual([{ json: { recipient_id: IGSID, message_id: 'm_2', attempts: 1 }, pairedItem: { item: 0 } }]);
});

test.each([
	['msgrE2eInstaLong', 'Text in item 0: 1002 bytes'],
	['msgrE2eInstaTag1', 'CUSTOMER_FEEDBACK'],
])('Instagram rules are applied by the installed package before sending (%s)', async (id, words) => {
	const result = await runByWebhook(shared().rest, id);

	expect(result.status).toBe('error');
	expect(result.error).toContain(words);
	expect(emulator.requests).toHaveLength(0);
});

test('a heart sticker and a post share reach the Instagram account', async () => {
	const run = await runOk(shared().rest, 'msgrE2eInstaXtra');

	expect(emulator.requests.map((request) => [request.path, request.headers.authorization])).toEqual([
		['/v25.0/me/messages', `Bearer ${IG_TOKEN}`],
		['/v25.0/me/messages', `Bearer ${IG_TOKEN}`],
	]);
	expect(emulator.requests.map((request) => request.body)).toEqual([
		{ recipient: { id: IGSID }, messaging_type: 'RESPONSE', message: { attachment: { type: 'like_heart' } } },
		{ recipient: { id: IGSID }, messaging_type: 'RESPONSE', message: { attachment: { type: 'MEDIA_SHARE', payload: { id: '17895695668004550' } } } },
	]);
	expect(lastOutput(run, 'Heart')).toEqual([{ json: { recipient_id: IGSID, message_id: 'm_1', attempts: 1 }, pairedItem: { item: 0 } }]);
	expect(lastOutput(run, 'Share post')).toEqual([{ json: { recipient_id: IGSID, message_id: 'm_2', attempts: 1 }, pairedItem: { item: 0 } }]);
	expect(emulator.transcript()).toContain('❤️ heart sticker');
	expect(emulator.transcript()).toContain('📷 shared post 17895695668004550');
});
