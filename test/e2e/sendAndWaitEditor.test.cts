// Send and Wait for Response in the real n8n editor (the version N8N_TEST_VERSION picks) in Chromium:
// the fields the panel shows for Approval and for Free Text, and Limit Wait Time's own fields.
// Screenshots (n8n 2.8.4, docs/screenshots/): send-and-wait-panel.png, the panel of an approval
// question; send-and-wait-transcript.png, a real ask through this n8n (a published Webhook → Send and
// Wait workflow) as the emulator's transcript shows it: the question with its buttons, the tap, the
// confirmation. A screenshot that cannot be written is reported, never a test failure.
import path from 'node:path';

import { ROOT } from '../../scripts/n8n.cjs';
import { linearWorkflow } from '../../scripts/workflows.cjs';
import { CREDENTIAL, TRIGGER_NAME } from './editorWorkflow.cjs';
import { EditorSession, useEditorSession } from './editorSession.cjs';
import { webhookNode } from './exactlyOnceFlows.cjs';
import { poll } from './support/rest.cjs';
import { messengerSendNode } from './workflows.cjs';

jest.setTimeout(120_000);

const WORKFLOW_ID = 'msgrWaitEditor01';
const ASK_WORKFLOW_ID = 'msgrWaitEdAsk001';
const APPROVAL = 'Ask for approval';
const FREE_TEXT = 'Ask for an answer';
const PSID = '6789012345678901';

const workflow = {
	id: WORKFLOW_ID,
	name: 'Messenger Send: Send and Wait for Response',
	settings: { executionOrder: 'v1' },
	pinData: {},
	nodes: [
		{ id: '0b6f6d0e-1f8e-4d7b-9a41-6a1e5c2d3b40', name: TRIGGER_NAME, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: '1c7a7e1f-2a9f-4e8c-8b52-7b2f6d3e4c51',
			position: [260, -80],
			...messengerSendNode(
				APPROVAL,
				{
					operation: 'sendAndWait',
					recipientType: 'id',
					psid: PSID,
					messagingType: 'RESPONSE',
					message: 'Confirm your booking for 10:00?',
					responseType: 'approval',
					confirmation: { approved: 'Thanks, your booking is confirmed', declined: 'OK, we have cancelled it' },
				},
				CREDENTIAL,
			),
		},
		{
			id: '2d8b8f20-3bA0-4f9d-9c63-8c3a7e4f5d62',
			position: [260, 120],
			...messengerSendNode(
				FREE_TEXT,
				{ operation: 'sendAndWait', recipientType: 'id', psid: PSID, messagingType: 'RESPONSE', message: 'Which colour and size would you like?', responseType: 'freeText' },
				CREDENTIAL,
			),
		},
	],
	connections: {
		[TRIGGER_NAME]: {
			main: [
				[
					{ node: APPROVAL, type: 'main', index: 0 },
					{ node: FREE_TEXT, type: 'main', index: 0 },
				],
			],
		},
	},
};

const DOCS = path.join(ROOT, 'docs', 'screenshots');
const session = new EditorSession({ workflow, screenshots: DOCS });

/** The operation's own fields: a case asserts which of these the panel shows. */
const FIELDS = [
	'message',
	'responseType',
	'approvalType',
	'approveLabel',
	'declineLabel',
	'buttonStyle',
	'formButtonLabel',
	'formTitle',
	'formQuestion',
	'limitWaitTime',
	'limitType',
	'resumeAmount',
	'resumeUnit',
	'maxDateAndTime',
] as const;

async function expectShown(expected: string[]): Promise<void> {
	expect(await session.shownOf(FIELDS, expected)).toEqual([...expected].sort());
}

/** The labels after the Messaging Type (the fields before it are the recipient's, as on every operation). */
const operationLabels = (labels: string[]) => labels.slice(labels.indexOf('Messaging Type') + 1);

/** The operation's labels, once they are `expected`. */
const operationLabelsOf = async (expected: string[]) => await session.until(expected, async () => operationLabels(await session.panelItems({ notices: false })));

const screenshot = async (name: string, take?: () => Promise<string>) => await session.screenshotForReadme('send and wait editor', name, take);

useEditorSession(session);

/** Delivery Options: the node's common options (retries, pacing…), last on every operation. */
const APPROVAL_LABELS = ['Message', 'Response Type', 'Approval Buttons', 'Approve Label', 'Decline Label', 'Button Style', 'Limit Wait Time', 'Confirmation', 'Delivery Options'];
const LIMIT_LABELS = ['Message', 'Response Type', 'Approval Buttons', 'Approve Label', 'Decline Label', 'Button Style', 'Limit Wait Time', 'Limit Type', 'Amount', 'Unit', 'Confirmation', 'Delivery Options'];

test('Approval: Message, Response Type, Approval Buttons, Approve and Decline Labels, Button Style, Limit Wait Time, Confirmation', async () => {
	await session.openNode(APPROVAL);
	expect(await session.selectedOption('operation')).toBe('Send and Wait for Response');
	expect(await session.selectedOption('responseType')).toBe('Approval');
	await expectShown(['message', 'responseType', 'approvalType', 'approveLabel', 'declineLabel', 'buttonStyle', 'limitWaitTime']);
	expect(await operationLabelsOf(APPROVAL_LABELS)).toEqual(APPROVAL_LABELS);
	expect(await session.selectedOption('approvalType')).toBe('Approve and Decline');
	expect(await session.selectedOption('buttonStyle')).toBe('Link (Opens a Page)');
	await expect(session.parameter('approveLabel').locator('input').inputValue()).resolves.toBe('Approve');
	await expect(session.parameter('declineLabel').locator('input').inputValue()).resolves.toBe('Decline');
	// The whole panel, from the credential to Confirmation: a taller window for this one picture.
	await screenshot('send-and-wait-panel', async () => {
		const viewport = session.page.viewportSize() ?? { width: 1440, height: 900 };
		await session.page.setViewportSize({ width: viewport.width, height: 1320 });
		try {
			await session.scrollTo('operation');
			await session.page.mouse.move(1300, 700);
			await session.page.waitForTimeout(300);
			return await session.screenshot('send-and-wait-panel');
		} finally {
			await session.page.setViewportSize(viewport);
		}
	});
	expect(await session.openDropdown('responseType')).toEqual(['Approval', 'Free Text']);
	await session.closeDropdown();
	expect(await session.openDropdown('buttonStyle')).toEqual(['Link (Opens a Page)', 'In the Chat (Postback)']);
	await session.closeDropdown();

	// Approve Only: no Decline Label.
	await session.choose('approvalType', 'Approve Only');
	await expectShown(['message', 'responseType', 'approvalType', 'approveLabel', 'buttonStyle', 'limitWaitTime']);
	await session.choose('approvalType', 'Approve and Decline');
	await expectShown(['message', 'responseType', 'approvalType', 'approveLabel', 'declineLabel', 'buttonStyle', 'limitWaitTime']);
});

test('Free Text: Button Label, Form Title, Form Question; no Approve or Decline Label, no Button Style', async () => {
	await session.openNode(FREE_TEXT);
	expect(await session.selectedOption('responseType')).toBe('Free Text');
	await expectShown(['message', 'responseType', 'formButtonLabel', 'formTitle', 'formQuestion', 'limitWaitTime']);
	const labels = ['Message', 'Response Type', 'Button Label', 'Form Title', 'Form Question', 'Limit Wait Time', 'Confirmation', 'Delivery Options'];
	expect(await operationLabelsOf(labels)).toEqual(labels);
	await expect(session.parameter('formButtonLabel').locator('input').inputValue()).resolves.toBe('Answer');
	await expect(session.parameter('formTitle').locator('input').inputValue()).resolves.toBe('Your answer');

	// Switching to Approval in the panel brings its fields back.
	await session.choose('responseType', 'Approval');
	await expectShown(['message', 'responseType', 'approvalType', 'approveLabel', 'declineLabel', 'buttonStyle', 'limitWaitTime']);
});

test('Limit Wait Time on: Limit Type, Amount and Unit; At Specified Time: Max Date and Time', async () => {
	await session.openNode(APPROVAL);
	const base = ['message', 'responseType', 'approvalType', 'approveLabel', 'declineLabel', 'buttonStyle', 'limitWaitTime'];
	await expectShown(base);
	await session.parameter('limitWaitTime').locator('.el-switch').click();
	await expectShown([...base, 'limitType', 'resumeAmount', 'resumeUnit']);
	expect(await session.selectedOption('limitType')).toBe('After Time Interval');
	expect(await session.selectedOption('resumeUnit')).toBe('Hours');
	expect(await operationLabelsOf(LIMIT_LABELS)).toEqual(LIMIT_LABELS);
	expect(await session.openDropdown('resumeUnit')).toEqual(['Minutes', 'Hours', 'Days']);
	await session.closeDropdown();

	await session.choose('limitType', 'At Specified Time');
	await expectShown([...base, 'limitType', 'maxDateAndTime']);

	await session.parameter('limitWaitTime').locator('.el-switch').click();
	await expectShown(base);
});

test('a real ask through this n8n, as the emulator’s transcript shows it (screenshot)', async () => {
	// A published Webhook → Send and Wait workflow: imported beside the running n8n, published as
	// the editor's Publish button does.
	const asked = linearWorkflow(ASK_WORKFLOW_ID, 'Send and Wait: the transcript', [
		webhookNode('Booking request', 'send-and-wait-editor-ask', 'onReceived'),
		messengerSendNode(
			'Ask to confirm',
			{
				operation: 'sendAndWait',
				recipientType: 'id',
				psid: '={{ $json.body.psid }}',
				messagingType: 'RESPONSE',
				message: 'Confirm your booking for 10:00?',
				responseType: 'approval',
				confirmation: { approved: 'Thanks, your booking is confirmed', declined: 'OK, we have cancelled it' },
			},
			CREDENTIAL,
		),
		{ name: 'After the answer', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} },
	]);
	await session.shared.import([], [asked]);
	const saved = await session.rest('GET', `/workflows/${ASK_WORKFLOW_ID}`);
	expect(saved.status).toBe(200);
	const activated = await session.rest('POST', `/workflows/${ASK_WORKFLOW_ID}/activate`, { versionId: (saved.json.data ?? saved.json).versionId });
	expect(activated.status).toBe(200);

	const emulator = session.emulator;
	emulator.reset();
	const response = await poll('the webhook registered', async () => {
		const answer = await fetch(`${session.baseUrl}/webhook/send-and-wait-editor-ask`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ psid: PSID }),
		});
		return answer.status === 404 ? undefined : answer;
	}, 60_000);
	expect(response.status).toBe(200);
	await poll('the question sent', () => (emulator.inbox.length ? true : undefined), 30_000).catch(async (error: Error) => {
		throw new Error(`${error.message}; executions: ${await session.shared.rest.describeExecutions(ASK_WORKFLOW_ID)}`);
	});
	// n8n puts the execution to wait after the send's answer: give it that moment before the tap.
	await poll('the execution waiting', async () => {
		const rows = await session.rest('GET', `/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: ASK_WORKFLOW_ID }))}`);
		const results = (rows.json.data ?? rows.json).results ?? [];
		return results.some((row: { status: string }) => row.status === 'waiting') ? true : undefined;
	}, 30_000);
	const tap = await emulator.personTaps({ psid: PSID, title: 'Approve', name: 'Ana' });
	expect(tap).toMatchObject({ kind: 'web_url', status: 200 });
	await poll('the confirmation', () => (emulator.inbox.some((entry) => entry.message?.text === 'Thanks, your booking is confirmed') ? true : undefined), 30_000);

	const transcript = emulator.transcript();
	expect(transcript).toContain('🧩 button template: Confirm your booking for 10:00? [Approve] [Decline]');
	expect(transcript).toMatch(new RegExp(`Ana taps \\[Approve\\] → GET ${session.baseUrl.replace(/[.]/g, '\\.')}/webhook-waiting/\\d+/[^ ]+\\?approved=true&signature=[^ ]+ 200`));
	expect(transcript).toContain('Thanks, your booking is confirmed');
	process.stderr.write(`send and wait editor: transcript\n${transcript}\n`);

	await screenshot('send-and-wait-transcript', async () => {
		const file = path.join(session.screenshots, 'send-and-wait-transcript.png');
		const page = await session.page.context().newPage();
		try {
			await page.setViewportSize({ width: 1100, height: 300 });
			await page.setContent(transcriptPage(transcript));
			await page.locator('main').screenshot({ path: file, animations: 'disabled' });
		} finally {
			await page.close();
		}
		return file;
	});
});

function escapeHtml(text: string): string {
	return text.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char] ?? char);
}

/**
 * The transcript as a small readable page: monospace, each line with a hanging indent where a long
 * link wraps. Characters outside the Basic Multilingual Plane (the emoji the transcript marks
 * templates with) are shown as their code point: the machine's fonts (DejaVu) have no emoji.
 */
function transcriptPage(transcript: string): string {
	const lines = transcript.split('\n').map((line) => {
		const indent = line.length - line.trimStart().length;
		const text = escapeHtml(line.trimStart()).replace(/[\u{10000}-\u{10FFFF}]/gu, (char) => `<span class="cp">U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase()}</span>`);
		return `<div style="padding-left:${indent + 4}ch;text-indent:-4ch">${text || '&nbsp;'}</div>`;
	});
	return `<!doctype html><html><head><meta charset="utf-8"><style>
body{margin:0;background:#fff}
main{padding:16px 20px;font:14px/1.6 "DejaVu Sans Mono",monospace;color:#1c1e21;white-space:pre-wrap;overflow-wrap:anywhere;width:1060px;box-sizing:border-box}
.cp{font-size:11px;padding:0 4px;border-radius:3px;background:#e4e6eb;color:#444}
</style></head><body><main>${lines.join('')}</main></body></html>`;
}
