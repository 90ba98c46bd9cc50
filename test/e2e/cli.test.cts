// The real n8n CLI (n8n 2.8.4, installed by the project's scripts) runs workflows that use the
// package as users install it, against the Graph API emulator. Assertions: what the emulator
// received (exact bodies, order, files) and the output items n8n printed.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { GraphEmulator } from '../../emulator/graphEmulator.cjs';
import { EXAMPLE_FILES, N8n, NO_TASK_RUNNER, outputOf, readExample, DEMO_CREDENTIAL_ID, type N8nRun } from '../../scripts/n8n.cjs';
import { N8N_RUNTIMES, N8N_VERSION } from '../../scripts/n8nInstall.cjs';
import { portOf } from './support/ports.cjs';
import { BAD_CREDENTIAL, chainWorkflow, E2E_CREDENTIAL } from './workflows.cjs';

const PAGE = { id: '1029384756', name: 'Demo Shop', token: 'E2E-PAGE-TOKEN', appSecret: 'E2E-APP-SECRET', requireAppSecretProof: true };
const REVOKED_TOKEN = 'E2E-REVOKED-TOKEN';
const ANN = '6789012345678901';
const BO_OUTSIDE_WINDOW = '7000000000000002';

const emulator = new GraphEmulator({ pages: [PAGE], outsideWindow: [BO_OUTSIDE_WINDOW] });
const n8n = new N8n({ port: portOf('cli'), env: NO_TASK_RUNNER });

const matrix = chainWorkflow('msgrE2eMatrix001', 'e2e: every operation and recipient type', [
	{ name: 'Text to PSID', parameters: { operation: 'sendMessage', recipientType: 'id', psid: ANN, messagingType: 'RESPONSE', text: 'Hello Ann', options: { notificationType: 'SILENT_PUSH', metadata: 'e2e' } } },
	{ name: 'Text to user ref', parameters: { operation: 'sendMessage', recipientType: 'user_ref', userRef: 'checkbox-ref-42', messagingType: 'UPDATE', text: 'Thanks for opting in' } },
	{ name: 'Private reply to comment', parameters: { operation: 'sendMessage', recipientType: 'comment_id', commentId: '1029384756_111', messagingType: 'RESPONSE', text: 'We sent you the details' } },
	{ name: 'Private reply to post', parameters: { operation: 'sendMessage', recipientType: 'post_id', postId: '1029384756_222', messagingType: 'RESPONSE', text: 'Thanks for your post' } },
	{ name: 'Reusable image', parameters: { operation: 'sendAttachment', recipientType: 'id', psid: ANN, messagingType: 'RESPONSE', attachmentType: 'image', attachmentSource: 'url', attachmentUrl: 'https://example.com/a.jpg', isReusable: true } },
	{ name: 'Same image by ID', parameters: { operation: 'sendAttachment', recipientType: 'id', psid: ANN, messagingType: 'RESPONSE', attachmentType: 'image', attachmentSource: 'attachmentId', attachmentId: '={{ $json.attachment_id }}' } },
	{ name: 'Image to user ref', parameters: { operation: 'sendAttachment', recipientType: 'user_ref', userRef: 'checkbox-ref-42', messagingType: 'UPDATE', attachmentType: 'image', attachmentSource: 'url', attachmentUrl: 'https://example.com/b.jpg' } },
	{ name: 'File to comment', parameters: { operation: 'sendAttachment', recipientType: 'comment_id', commentId: '1029384756_333', messagingType: 'RESPONSE', attachmentType: 'file', attachmentSource: 'url', attachmentUrl: 'https://example.com/c.pdf' } },
	{ name: 'Video to post', parameters: { operation: 'sendAttachment', recipientType: 'post_id', postId: '1029384756_444', messagingType: 'RESPONSE', attachmentType: 'video', attachmentSource: 'url', attachmentUrl: 'https://example.com/d.mp4' } },
	{ name: 'Typing to PSID', parameters: { operation: 'senderAction', recipientType: 'id', psid: ANN, senderAction: 'typing_on' } },
	{ name: 'Seen to user ref', parameters: { operation: 'senderAction', recipientType: 'user_ref', userRef: 'checkbox-ref-42', senderAction: 'mark_seen' } },
	{ name: 'Tagged to PSID', parameters: { operation: 'taggedUpdate', recipientType: 'id', psid: BO_OUTSIDE_WINDOW, tag: 'HUMAN_AGENT', contentType: 'text', text: 'Sam from support here' } },
	{ name: 'Tagged to user ref', parameters: { operation: 'taggedUpdate', recipientType: 'user_ref', userRef: 'checkbox-ref-42', tag: 'HUMAN_AGENT', contentType: 'attachment', attachmentType: 'image', attachmentSource: 'url', attachmentUrl: 'https://example.com/survey.png' } },
]);

const revoked = chainWorkflow('msgrE2eRevoked01', 'e2e: revoked token', [
	{ name: 'Send with revoked token', credential: BAD_CREDENTIAL, parameters: { operation: 'sendMessage', recipientType: 'id', psid: ANN, messagingType: 'RESPONSE', text: 'never delivered' } },
]);

const tooLong = chainWorkflow('msgrE2eTooLong01', 'e2e: text too long', [
	{ name: 'Send too long', parameters: { operation: 'sendMessage', recipientType: 'id', psid: ANN, messagingType: 'RESPONSE', text: 'x'.repeat(2000) } },
]);

function credential(id: string, name: string, accessToken: string) {
	return { id, name, type: 'messengerPageApi', data: { accessToken, appSecret: PAGE.appSecret, apiVersion: 'v25.0', baseUrl: emulator.url } };
}

beforeAll(async () => {
	await emulator.start();
	n8n.prepare();
	await n8n.importCredentials([
		credential(E2E_CREDENTIAL.id, E2E_CREDENTIAL.name, PAGE.token),
		credential(BAD_CREDENTIAL.id, BAD_CREDENTIAL.name, REVOKED_TOKEN),
		credential(DEMO_CREDENTIAL_ID, 'Messenger Page (local emulator)', PAGE.token),
	]);
	await n8n.importWorkflows([
		matrix,
		revoked,
		tooLong,
		readExample('customer-support-reply.json'),
		readExample('send-invoice-file.json'),
		readExample('announce-to-list.json'),
	]);
}, 15 * 60_000);

beforeEach(() => emulator.reset());

afterAll(async () => {
	await emulator.stop();
	n8n.remove();
});

const bodies = () => emulator.requests.map((request) => request.body);

/**
 * A run that must succeed. n8n's verdict is the run it printed: under load `n8n execute` sometimes
 * exits 1 after printing a finished run without any error (its shutdown; seen on 1.123.81 and 2.8.4,
 * see faults.test.cts), which is reported but not failed.
 */
async function executeOk(id: string): Promise<N8nRun> {
	const result = await n8n.execute(id);
	if (!result.run || result.run.data.resultData.error) throw new Error(`n8n execute ${id} failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
	if (result.code !== 0) process.stderr.write(`n8n execute ${id}: exit code ${result.code} after a run without error\n${result.stderr.slice(-2000)}\n`);
	return result.run;
}

test(`the n8n under test is ${N8N_VERSION}, on the Node.js it is meant for`, async () => {
	const version = await n8n.cli(['--version']);
	expect(version.stdout.trim().split('\n').pop()).toBe(N8N_VERSION);
	const node = execFileSync('node', ['--version'], { env: n8n.env() }).toString().trim();
	expect(node).toMatch(N8N_RUNTIMES[N8N_VERSION].node ? /^v24\./ : /^v20\./);
});

test('every operation and recipient type: exact bodies, in workflow order, token only in the header', async () => {
	const run = await executeOk('msgrE2eMatrix001');

	expect(bodies()).toEqual([
		{ recipient: { id: ANN }, messaging_type: 'RESPONSE', message: { text: 'Hello Ann', metadata: 'e2e' }, notification_type: 'SILENT_PUSH' },
		{ recipient: { user_ref: 'checkbox-ref-42' }, messaging_type: 'UPDATE', message: { text: 'Thanks for opting in' } },
		{ recipient: { comment_id: '1029384756_111' }, messaging_type: 'RESPONSE', message: { text: 'We sent you the details' } },
		{ recipient: { post_id: '1029384756_222' }, messaging_type: 'RESPONSE', message: { text: 'Thanks for your post' } },
		{ recipient: { id: ANN }, messaging_type: 'RESPONSE', message: { attachment: { type: 'image', payload: { url: 'https://example.com/a.jpg', is_reusable: true } } } },
		{ recipient: { id: ANN }, messaging_type: 'RESPONSE', message: { attachment: { type: 'image', payload: { attachment_id: emulator.inbox[4].attachment_id } } } },
		{ recipient: { user_ref: 'checkbox-ref-42' }, messaging_type: 'UPDATE', message: { attachment: { type: 'image', payload: { url: 'https://example.com/b.jpg' } } } },
		{ recipient: { comment_id: '1029384756_333' }, messaging_type: 'RESPONSE', message: { attachment: { type: 'file', payload: { url: 'https://example.com/c.pdf' } } } },
		{ recipient: { post_id: '1029384756_444' }, messaging_type: 'RESPONSE', message: { attachment: { type: 'video', payload: { url: 'https://example.com/d.mp4' } } } },
		{ recipient: { id: ANN }, sender_action: 'typing_on' },
		{ recipient: { user_ref: 'checkbox-ref-42' }, sender_action: 'mark_seen' },
		{ recipient: { id: BO_OUTSIDE_WINDOW }, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message: { text: 'Sam from support here' } },
		{ recipient: { user_ref: 'checkbox-ref-42' }, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message: { attachment: { type: 'image', payload: { url: 'https://example.com/survey.png' } } } },
	]);
	expect(emulator.inbox).toHaveLength(13);
	expect(emulator.inbox[4].attachment_id).toMatch(/^\d+$/);
	for (const request of emulator.requests) {
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/v25.0/me/messages');
		expect(request.headers.authorization).toBe(`Bearer ${PAGE.token}`);
		expect(request.url).not.toContain(PAGE.token);
		expect(request.query.appsecret_proof).toMatch(/^[0-9a-f]{64}$/);
	}
	expect(outputOf(run, 'Text to PSID')).toEqual([{ json: { recipient_id: ANN, message_id: 'm_1', attempts: 1 }, pairedItem: { item: 0 } }]);
	expect(outputOf(run, 'Text to user ref')).toEqual([{ json: { message_id: 'm_2', attempts: 1 }, pairedItem: { item: 0 } }]);
	expect(outputOf(run, 'Reusable image')[0].json).toEqual({ recipient_id: ANN, message_id: 'm_5', attachment_id: emulator.inbox[4].attachment_id, attempts: 1 });
	expect(outputOf(run, 'Typing to PSID')).toEqual([{ json: { recipient_id: ANN, attempts: 1 }, pairedItem: { item: 0 } }]);
});

test('example: reply to a customer — typing, text with quick replies, photo, tagged follow-up', async () => {
	const run = await executeOk('msgrDemoReply001');

	expect(emulator.conversation(`id:${ANN}`).map((entry) => entry.sender_action ?? entry.message)).toEqual([
		'typing_on',
		{
			text: 'Hi Ann! Your order #1042 has shipped 📦',
			quick_replies: [
				{ content_type: 'text', title: 'Track parcel', payload: 'TRACK_1042' },
				{ content_type: 'text', title: 'Talk to a human', payload: 'HUMAN' },
			],
		},
		{ attachment: { type: 'image', payload: { url: 'https://example.com/parcel-1042.jpg' } } },
		{ text: 'Hi Ann, this is Sam from support: did the parcel arrive safely?' },
	]);
	expect(emulator.inbox[3]).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
	expect(outputOf(run, 'Follow-up (after 24 h)')).toEqual([{ json: { recipient_id: ANN, message_id: 'm_3', attempts: 1 }, pairedItem: { item: 0 } }]);
});

test('example: a PDF read from disk by an upstream node is uploaded as multipart filedata', async () => {
	const run = await executeOk('msgrDemoFile0001');
	const pdf = readFileSync(path.join(EXAMPLE_FILES, 'invoice-1042.pdf'));

	expect(emulator.requests).toHaveLength(1);
	const [request] = emulator.requests;
	expect(request.headers['content-type']).toMatch(/^multipart\/form-data/);
	expect(request.body).toEqual({
		recipient: JSON.stringify({ id: ANN }),
		messaging_type: 'RESPONSE',
		message: JSON.stringify({ attachment: { type: 'file', payload: { is_reusable: true } } }),
	});
	expect(request.files.filedata.fileName).toBe('invoice-1042.pdf');
	expect(request.files.filedata.mimeType).toBe('application/pdf');
	expect(request.files.filedata.data.equals(pdf)).toBe(true);
	const [item] = outputOf(run, 'Send invoice');
	expect(item.json).toEqual({ recipient_id: ANN, message_id: 'm_1', attachment_id: emulator.inbox[0].attachment_id, attempts: 1 });
});

test('example: Continue On Fail — the person outside the window gets an explained error item, the others their message', async () => {
	const run = await executeOk('msgrDemoList0001');

	expect(emulator.inbox.map((entry) => entry.recipientKey)).toEqual([`id:${ANN}`, 'id:7000000000000003']);
	const items = outputOf(run, 'Announce');
	expect(items).toHaveLength(3);
	expect(items[0]).toEqual({ json: { recipient_id: ANN, message_id: 'm_1', attempts: 1 }, pairedItem: { item: 0 } });
	expect(items[1].pairedItem).toEqual({ item: 1 });
	expect(items[1].json).toMatchObject({
		error: 'The person is outside the 24-hour messaging window (item 1)',
		code: 10,
		error_subcode: 2018278,
		fbtrace_id: expect.any(String),
	});
	expect(String(items[1].json.description)).toContain('Tagged Update');
	expect(items[2]).toEqual({ json: { recipient_id: '7000000000000003', message_id: 'm_2', attempts: 1 }, pairedItem: { item: 2 } });
});

test('a revoked token fails the workflow with a plain explanation and without the token in the output', async () => {
	const result = await n8n.execute('msgrE2eRevoked01');

	expect(result.code).toBe(1);
	expect(result.stdout).toContain('The Page access token is invalid or expired (item 0)');
	expect(result.stdout).toContain('Generate a new Page access token');
	expect(`${result.stdout}${result.stderr}`).not.toContain(REVOKED_TOKEN);
	expect(emulator.inbox).toHaveLength(0);
	expect(emulator.requests[0].url).not.toContain(REVOKED_TOKEN);
});

test('a text over the limit is refused by the node before anything is sent', async () => {
	const result = await n8n.execute('msgrE2eTooLong01');

	expect(result.code).toBe(1);
	expect(result.stdout).toContain('Text in item 0: 2000 characters, more than the limit of 1999');
	expect(emulator.requests).toHaveLength(0);
});
