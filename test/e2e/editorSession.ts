// A real n8n editor in a real browser for the editor end-to-end test: the Graph API emulator,
// n8n 2.8.4 with this package loaded from its nodes folder, an owner, and a signed-in Chromium
// page (playwright-core driving Debian's /usr/bin/chromium; no browser is downloaded).
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

import { GraphEmulator } from '../../emulator/graphEmulator';
import { N8n, NODE_TYPE, ROOT } from '../../scripts/n8n';

export const EDITOR_PORT = 5692;
export const PAGE = { id: '1029384756', name: 'Demo Shop', token: 'EDITOR-PAGE-TOKEN' };
export const CREDENTIAL = { id: 'msgrEditorCred01', name: 'Messenger Page (local emulator)' };
export const WORKFLOW_ID = 'msgrEditorTest01';
export const OWNER = { email: 'owner@example.com', firstName: 'Olga', lastName: 'Owner', password: 'Demo-Password-1' };
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'editor');

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

const PSID = '6789012345678901';

interface NodeSpec {
	name: string;
	parameters: Record<string, unknown>;
}

/** One row of the canvas per operation, each row chained from the trigger. */
const ROWS: NodeSpec[][] = [
	[
		{
			name: 'Reply with quick replies',
			parameters: {
				operation: 'sendMessage',
				recipientType: 'id',
				psid: PSID,
				messagingType: 'RESPONSE',
				text: 'Hi Ann! Your order #1042 has shipped 📦',
				options: {
					quickReplies: {
						reply: [
							{ contentType: 'text', title: 'Track parcel', payload: 'TRACK_1042' },
							{ contentType: 'text', title: 'Talk to a human', payload: 'HUMAN' },
						],
					},
				},
			},
		},
		{
			name: 'Message to user ref',
			parameters: { operation: 'sendMessage', recipientType: 'user_ref', userRef: 'checkbox-ref-42', messagingType: 'UPDATE', text: 'Thanks for opting in' },
		},
		{
			name: 'Private reply to comment',
			parameters: { operation: 'sendMessage', recipientType: 'comment_id', commentId: '1029384756_111', messagingType: 'RESPONSE', text: 'We sent you the details' },
		},
		{
			name: 'Private reply to post',
			parameters: { operation: 'sendMessage', recipientType: 'post_id', postId: '1029384756_222', messagingType: 'RESPONSE', text: 'Thanks for your post' },
		},
	],
	[
		{
			name: 'Photo from URL',
			parameters: { operation: 'sendAttachment', recipientType: 'id', psid: PSID, messagingType: 'RESPONSE', attachmentType: 'image', attachmentSource: 'url', attachmentUrl: 'https://example.com/parcel-1042.jpg', isReusable: true },
		},
		{
			name: 'Saved attachment',
			parameters: { operation: 'sendAttachment', recipientType: 'id', psid: PSID, messagingType: 'RESPONSE', attachmentType: 'image', attachmentSource: 'attachmentId', attachmentId: '1857000000000001' },
		},
		{
			name: 'Invoice from binary',
			parameters: { operation: 'sendAttachment', recipientType: 'id', psid: PSID, messagingType: 'RESPONSE', attachmentType: 'file', attachmentSource: 'binary', binaryPropertyName: 'data' },
		},
	],
	[
		{ name: 'Show typing', parameters: { operation: 'senderAction', recipientType: 'id', psid: PSID, senderAction: 'typing_on' } },
		{
			name: 'React with a heart',
			parameters: { operation: 'senderAction', recipientType: 'user_ref', userRef: 'checkbox-ref-42', senderAction: 'react', messageId: 'm_AbC123', reaction: '❤' },
		},
	],
	[
		{
			name: 'Follow-up (after 24 h)',
			parameters: { operation: 'taggedUpdate', recipientType: 'id', psid: PSID, tag: 'HUMAN_AGENT', contentType: 'text', text: 'Hi Ann, this is Sam from support: did the parcel arrive safely?' },
		},
	],
];

export const TRIGGER_NAME = 'When clicking ‘Execute workflow’';

export function editorWorkflow(): Record<string, unknown> {
	const trigger = { id: randomUUID(), name: TRIGGER_NAME, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 240], parameters: {} };
	const nodes: object[] = [trigger];
	const connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }> = {};
	const link = (from: string, to: string) => {
		connections[from] ??= { main: [[]] };
		connections[from].main[0].push({ node: to, type: 'main', index: 0 });
	};
	ROWS.forEach((row, rowIndex) => {
		row.forEach((spec, column) => {
			nodes.push({
				id: randomUUID(),
				name: spec.name,
				type: NODE_TYPE,
				typeVersion: 1,
				position: [260 * (column + 1), 160 * rowIndex],
				parameters: spec.parameters,
				credentials: { messengerPageApi: CREDENTIAL },
			});
			link(column === 0 ? TRIGGER_NAME : row[column - 1].name, spec.name);
		});
	});
	return { id: WORKFLOW_ID, name: 'Messenger Send: every operation', nodes, connections, settings: { executionOrder: 'v1' }, pinData: {} };
}

async function retry<T>(what: string, attempt: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	while (Date.now() < deadline) {
		try {
			const result = await attempt();
			if (result !== undefined) return result;
		} catch (error) {
			last = error;
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`${what} did not succeed within ${timeoutMs / 1000} s${last ? `: ${String(last)}` : ''}`);
}

export class EditorSession {
	readonly emulator = new GraphEmulator({ pages: [PAGE] });

	readonly n8n = new N8n({ port: EDITOR_PORT });

	baseUrl = '';

	browser?: Browser;

	private currentPage?: Page;

	private cookie = '';

	get page(): Page {
		if (!this.currentPage) throw new Error('The editor session has not started');
		return this.currentPage;
	}

	async start(): Promise<void> {
		mkdirSync(SCREENSHOTS, { recursive: true });
		await this.emulator.start();
		this.n8n.prepare();
		await this.n8n.importCredentials([
			{ id: CREDENTIAL.id, name: CREDENTIAL.name, type: 'messengerPageApi', data: this.credentialData(PAGE.token) },
		]);
		await this.n8n.importWorkflows([editorWorkflow()]);
		this.baseUrl = await this.n8n.start();
		// Right after /healthz the REST routes may still answer 404 for a few seconds.
		await retry('POST /rest/owner/setup', async () => {
			const response = await fetch(`${this.baseUrl}/rest/owner/setup`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(OWNER),
			});
			return response.ok ? true : undefined;
		});
		this.browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
		const context = await this.browser.newContext({ viewport: { width: 1440, height: 900 } });
		this.currentPage = await context.newPage();
		await this.signIn();
	}

	async stop(): Promise<void> {
		await this.browser?.close().catch(() => undefined);
		await this.n8n.stop().catch(() => undefined);
		await this.emulator.stop().catch(() => undefined);
		this.n8n.remove();
	}

	credentialData(accessToken: string): Record<string, string> {
		return { accessToken, appSecret: '', apiVersion: 'v25.0', baseUrl: this.emulator.url };
	}

	private async signIn(): Promise<void> {
		const page = this.page;
		await page.goto(`${this.baseUrl}/signin`);
		await page.locator('input[name="emailOrLdapLoginId"]').fill(OWNER.email);
		await page.locator('input[name="password"]').fill(OWNER.password);
		await page.locator('input[name="password"]').press('Enter');
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 60_000 });
	}

	/** n8n's REST API with a session of its own (cookie from POST /rest/login). */
	async rest(method: string, route: string, body?: unknown): Promise<{ status: number; json: any }> {
		if (!this.cookie) {
			const login = await fetch(`${this.baseUrl}/rest/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
			});
			if (!login.ok) throw new Error(`POST /rest/login: ${login.status} ${await login.text()}`);
			this.cookie = login.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
		}
		const response = await fetch(`${this.baseUrl}/rest${route}`, {
			method,
			headers: { 'content-type': 'application/json', cookie: this.cookie, 'browser-id': 'editor-e2e' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		let json: any;
		try {
			json = JSON.parse(text);
		} catch {
			json = text;
		}
		return { status: response.status, json };
	}

	async screenshot(name: string): Promise<string> {
		const file = path.join(SCREENSHOTS, `${name}.png`);
		await this.page.screenshot({ path: file });
		return file;
	}

	// ---- the editor ----

	async openWorkflow(): Promise<void> {
		await this.page.goto(`${this.baseUrl}/workflow/${WORKFLOW_ID}`);
		await this.page.locator('[data-test-id="canvas-node"]').first().waitFor();
	}

	canvasNode(name: string): Locator {
		return this.page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
	}

	get ndv(): Locator {
		return this.page.locator('[data-test-id="ndv"]');
	}

	parameter(name: string): Locator {
		return this.ndv.locator(`[data-test-id="parameter-input-${name}"]`);
	}
}
