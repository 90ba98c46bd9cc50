// A real n8n editor in a real browser for the editor end-to-end test: the Graph API emulator,
// n8n (the version N8N_TEST_VERSION picks: 2.8.4, 2.40.7 or 1.123.81) with this package loaded
// from its nodes folder, an owner, and a signed-in Chromium page (playwright-core driving Debian's
// /usr/bin/chromium; no browser is downloaded). The selectors are data-test-ids all three versions
// render; where their editors differ (the panel's close button), both variants are handled.
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

import { GraphEmulator } from '../../emulator/graphEmulator.cjs';
import { N8N_VERSION, type N8nVersion } from '../../scripts/n8nInstall.cjs';
import { ROOT } from '../../scripts/n8n.cjs';
import { sharedBrowser } from './support/browser.cjs';
import { OWNER } from './support/rest.cjs';
import { sharedN8n, type SharedN8n } from './support/sharedN8n.cjs';
import { CREDENTIAL, editorWorkflow, PAGE } from './editorWorkflow.cjs';

export const SCREENSHOTS = path.join(ROOT, 'test-results', 'editor');

/** The n8n version whose screenshots land in test-results/ (and from there in docs/screenshots/ and the README). */
export const SCREENSHOT_VERSION: N8nVersion = '2.8.4';

/**
 * Where a run writes the screenshots meant for `folder`: that folder on SCREENSHOT_VERSION, a
 * temporary folder per version on the others, so that they never replace the README's.
 */
export function screenshotFolder(folder: string, version: N8nVersion = N8N_VERSION): string {
	if (version === SCREENSHOT_VERSION) return folder;
	return path.join(tmpdir(), 'messenger-send-screenshots', `n8n-${version}`, path.basename(folder));
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

export interface EditorSessionOptions {
	/** The workflow imported and opened (with an `id`); default `editorWorkflow()`. */
	workflow?: Record<string, unknown>;
	/** The folder for screenshots on SCREENSHOT_VERSION (see screenshotFolder); default SCREENSHOTS. */
	screenshots?: string;
}

export class EditorSession {
	readonly emulator = new GraphEmulator({ pages: [PAGE] });

	private attached?: SharedN8n;

	private context?: BrowserContext;

	readonly workflow: Record<string, unknown>;

	readonly screenshots: string;

	constructor(options: EditorSessionOptions = {}) {
		this.workflow = options.workflow ?? editorWorkflow();
		this.screenshots = screenshotFolder(options.screenshots ?? SCREENSHOTS);
	}

	/** The shared n8n the session works in (see support/sharedN8n.cts). */
	get shared(): SharedN8n {
		if (!this.attached) throw new Error('The editor session has not started');
		return this.attached;
	}

	get workflowId(): string {
		return String(this.workflow.id);
	}

	baseUrl = '';

	browser?: Browser;

	private currentPage?: Page;

	get page(): Page {
		if (!this.currentPage) throw new Error('The editor session has not started');
		return this.currentPage;
	}

	async start(): Promise<void> {
		if (!existsSync(path.join(ROOT, 'dist', 'nodes', 'MessengerSend', 'MessengerSend.node.js'))) {
			throw new Error('dist/ is missing: run `npm run build` before the editor test');
		}
		mkdirSync(this.screenshots, { recursive: true });
		await this.emulator.start();
		this.attached = await sharedN8n();
		await this.attached.import([{ id: CREDENTIAL.id, name: CREDENTIAL.name, type: 'messengerPageApi', data: this.credentialData(PAGE.token) }], [this.workflow]);
		this.baseUrl = this.attached.url;
		// The editor reads its settings once when it loads, and n8n mounts its REST controllers one
		// after another: until login and settings answer, the sign-in page may never show its form.
		await retry('POST /rest/login', async () => {
			const login = await fetch(`${this.baseUrl}/rest/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
			});
			const settings = await fetch(`${this.baseUrl}/rest/settings`);
			return login.ok && settings.ok ? true : undefined;
		});
		this.browser = await sharedBrowser();
		this.context = await this.browser.newContext({ viewport: { width: 1440, height: 900 } });
		this.currentPage = await this.context.newPage();
		await this.signIn();
		await this.openWorkflow();
	}

	/** Closes the suite's browser context and unpublishes its workflows; the shared n8n and Chromium go on. */
	async stop(): Promise<void> {
		await this.context?.close().catch(() => undefined);
		// Disconnects only: the browser is shared.
		await this.browser?.close().catch(() => undefined);
		await this.attached?.cleanUp().catch(() => undefined);
		await this.emulator.stop().catch(() => undefined);
	}

	credentialData(accessToken: string): Record<string, string> {
		return { accessToken, appSecret: '', apiVersion: 'v25.0', baseUrl: this.emulator.url };
	}

	private async signIn(): Promise<void> {
		const page = this.page;
		// Loaded once more if the form does not show (seen once on a loaded machine: a blank page).
		await retry('the sign-in form', async () => {
			await page.goto(`${this.baseUrl}/signin`);
			await page.locator('input[name="emailOrLdapLoginId"]').waitFor({ timeout: 45_000 });
			return true;
		}, 150_000);
		await page.locator('input[name="emailOrLdapLoginId"]').fill(OWNER.email);
		await page.locator('input[name="password"]').fill(OWNER.password);
		await page.locator('input[name="password"]').press('Enter');
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 60_000 });
	}

	/** n8n's REST API, signed in as the owner (the shared n8n's session). */
	async rest(method: string, route: string, body?: unknown): Promise<{ status: number; json: any }> {
		return await this.shared.rest.call(method, route, body);
	}

	async screenshot(name: string): Promise<string> {
		const file = path.join(this.screenshots, `${name}.png`);
		await this.page.screenshot({ path: file, animations: 'disabled' });
		return file;
	}

	/** Screenshots are for the README: a failure to write one is reported (as `suite`), never a test failure. */
	async screenshotForReadme(suite: string, name: string, take: () => Promise<string> = async () => await this.screenshot(name)): Promise<void> {
		try {
			process.stderr.write(`${suite}: screenshot ${await take()}\n`);
		} catch (error) {
			process.stderr.write(`${suite}: screenshot ${name} not written: ${(error as Error).message}\n`);
		}
	}

	/** Reads (polling, as n8n re-renders a panel asynchronously) until it is `expected`; returns what it last saw, for the assertion. */
	async until<T>(expected: T, read: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const seen = await read();
			if (JSON.stringify(seen) === JSON.stringify(expected) || Date.now() > deadline) return seen;
			await this.page.waitForTimeout(100);
		}
	}

	// ---- the editor ----

	async openWorkflow(): Promise<void> {
		await this.page.goto(`${this.baseUrl}/workflow/${this.workflowId}`);
		// The first load compiles n8n's whole editor: past 30 s on a busy CI machine (seen at load 13).
		await this.page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 120_000 });
	}

	canvasNode(name: string): Locator {
		return this.page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
	}

	/** The names on the canvas, as n8n renders them. */
	async canvasNodeNames(): Promise<string[]> {
		return await this.page
			.locator('[data-test-id="canvas-node"]')
			.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-node-name') ?? ''));
	}

	get ndv(): Locator {
		return this.page.locator('[data-test-id="ndv"]');
	}

	parameter(name: string): Locator {
		return this.ndv.locator(`[data-test-id="parameter-input-${name}"]`).first();
	}

	/** Double-clicks a node on the canvas and waits for its parameter panel. */
	async openNode(name: string): Promise<void> {
		if (await this.ndv.isVisible()) await this.closeNode();
		await this.canvasNode(name).dblclick();
		await this.ndv.waitFor();
		await this.ndv.locator('[data-test-id="node-title-container"]', { hasText: name }).waitFor();
		await this.parameter('operation').waitFor();
	}

	/** Closes the parameter panel with its close button (Escape only blurs a field). */
	async closeNode(): Promise<void> {
		const popper = this.openPopper;
		if (await popper.isVisible()) {
			await this.page.keyboard.press('Escape');
			await popper.waitFor({ state: 'hidden' });
		}
		// n8n 2.x's panel has a close button (x); 1.x's (the older panel) a "Back to canvas" link.
		await this.ndv
			.locator('[data-test-id="ndv-close-button"], [data-test-id="back-to-canvas"]')
			.filter({ visible: true })
			.first()
			.click();
		await this.ndv.waitFor({ state: 'hidden' });
	}

	/**
	 * The top-level parameters the panel shows (names, in order), leaving out fields nested in
	 * collections and the hidden Settings tab.
	 */
	async visibleParameters(): Promise<string[]> {
		return await this.ndv.locator('[data-test-id="node-parameters"] [data-test-id^="parameter-input-"]').evaluateAll((inputs) =>
			inputs
				.filter((input) => {
					const testId = input.getAttribute('data-test-id') ?? '';
					if (testId === 'parameter-input-field' || testId === 'parameter-input-item') return false;
					const item = input.closest('[data-test-id="parameter-item"]');
					const nested = item?.parentElement?.closest('[data-test-id="parameter-item"]');
					return !nested && (input as HTMLElement).checkVisibility();
				})
				.map((input) => (input.getAttribute('data-test-id') ?? '').replace('parameter-input-', '')),
		);
	}

	/**
	 * What the open panel lists, top to bottom: each top-level parameter's label (collections such
	 * as Options by their label too) and, with `notices`, each notice as "Notice: <text>".
	 */
	async panelItems({ notices = true } = {}): Promise<string[]> {
		const selector = notices ? '[data-test-id="input-label"], [role="alert"]' : '[data-test-id="input-label"]';
		return await this.ndv.locator('[data-test-id="node-parameters"]').evaluate(
			(panel, query) =>
				[...panel.querySelectorAll(query)]
					.filter((element) => (element as HTMLElement).checkVisibility())
					// Top level: inside exactly one parameter item (a collection's fields are inside two).
					.filter((element) => {
						let depth = 0;
						for (let node = element.parentElement; node && node !== panel; node = node.parentElement) {
							if (node.getAttribute('data-test-id') === 'parameter-item') depth++;
						}
						return depth === 1;
					})
					.map((element) => {
						if (element.getAttribute('role') === 'alert') return `Notice: ${(element as HTMLElement).innerText.trim()}`;
						const label = element.querySelector('label') as HTMLElement | null;
						return (label?.innerText ?? '').split('\n')[0].trim();
					}),
			selector,
		);
	}

	/**
	 * Of the given field names, those the panel shows, sorted. Waits (polling) until they are
	 * `expected`, since n8n renders a panel and re-renders after a change asynchronously;
	 * returns what it last saw, for the test's assertion.
	 */
	async shownOf(fields: readonly string[], expected: readonly string[], timeoutMs = 10_000): Promise<string[]> {
		const want = JSON.stringify([...expected].sort());
		const deadline = Date.now() + timeoutMs;
		let shown: string[] = [];
		for (;;) {
			const visible = await this.visibleParameters();
			shown = fields.filter((field) => visible.includes(field)).sort();
			if (JSON.stringify(shown) === want || Date.now() > deadline) return shown;
			await this.page.waitForTimeout(100);
		}
	}

	/** The value an options parameter shows (its selected option's name). */
	async selectedOption(name: string): Promise<string> {
		return await this.parameter(name).locator('input').first().inputValue();
	}

	/** The open dropdown list of a select (element-plus renders it in a popper on <body>). */
	get openPopper(): Locator {
		return this.page.locator('.el-select__popper:visible');
	}

	/** Opens the dropdown of an options parameter and returns the names of its options. */
	async openDropdown(name: string): Promise<string[]> {
		await this.parameter(name).click();
		await this.openPopper.waitFor();
		return await this.openPopper.locator('[role="option"] .option-headline').allInnerTexts();
	}

	async closeDropdown(): Promise<void> {
		await this.page.keyboard.press('Escape');
		await this.openPopper.waitFor({ state: 'hidden' });
	}

	/** Picks an option the way a user does: click the select, then the option in the list. */
	async choose(name: string, optionName: string): Promise<void> {
		await this.openDropdown(name);
		await this.openPopper
			.locator('[role="option"]', { has: this.page.locator('.option-headline', { hasText: new RegExp(`^${escapeRegExp(optionName)}$`) }) })
			.click();
		await this.openPopper.waitFor({ state: 'hidden' });
	}

	/** Scrolls the parameter list so that the given parameter is at its top, just under the tabs. */
	async scrollTo(name: string): Promise<void> {
		await this.parameter(name).evaluate((input) => {
			const item = input.closest('[data-test-id="parameter-item"]') ?? input;
			const tabs = document.querySelector('[data-test-id="ndv"] [data-test-id="tab-params"]');
			let container = item.parentElement;
			while (container && !(container.scrollHeight > container.clientHeight && /auto|scroll/.test(getComputedStyle(container).overflowY))) {
				container = container.parentElement;
			}
			if (!container) return;
			const top = tabs ? tabs.getBoundingClientRect().bottom + 12 : container.getBoundingClientRect().top;
			container.scrollTop += item.getBoundingClientRect().top - top;
		});
	}
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Starts `session` before a suite's tests (the first run on a machine installs n8n: minutes;
 * later runs start in about 20 s) and stops it after; `started` runs once it is up.
 */
export function useEditorSession(session: EditorSession, started: () => Promise<void> = async () => undefined): void {
	beforeAll(async () => {
		await session.start();
		await started();
	}, 20 * 60_000);

	afterAll(async () => {
		await session.stop();
	}, 60_000);

	afterEach(async () => {
		// A failed test must not leave a panel open for the next one.
		if (session.browser && (await session.ndv.isVisible().catch(() => false))) await session.closeNode().catch(() => undefined);
	});
}
