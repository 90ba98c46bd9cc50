// A real n8n editor in a real browser for the editor end-to-end test: the Graph API emulator,
// n8n (the version N8N_TEST_VERSION picks: 2.8.4, 2.40.7 or 1.123.81) with this package loaded
// from its nodes folder, an owner, and a signed-in Chromium page (playwright-core driving Debian's
// /usr/bin/chromium; no browser is downloaded). The selectors are data-test-ids all three versions
// render; where their editors differ (the panel's close button), both variants are handled.
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Browser, Locator, Page } from 'playwright-core';

import { GraphEmulator } from '../../emulator/graphEmulator.cjs';
import { N8N_VERSION, type N8nVersion } from '../../scripts/n8nInstall.cjs';
import { ROOT } from '../../scripts/n8n.cjs';
import { sharedBrowser, sharedPage, VIEWPORT } from './support/browser.cjs';
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

/** A workflow's node names: all of them, and those the canvas shows as nodes (not the sticky notes). */
interface WorkflowNames {
	all: string[];
	shown: string[];
}

export class EditorSession {
	readonly emulator = new GraphEmulator({ pages: [PAGE] });

	private attached?: SharedN8n;

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
		this.browser = await sharedBrowser();
		this.currentPage = await sharedPage(this.browser);
		await this.openWorkflow();
	}

	/** Disconnects from Chromium, leaving the shared page to the next suite, and unpublishes the suite's workflows; the shared n8n goes on. */
	async stop(): Promise<void> {
		// Over CDP this only disconnects: the browser and its page stay for the next suite.
		await this.browser?.close().catch(() => undefined);
		await this.attached?.cleanUp().catch(() => undefined);
		await this.emulator.stop().catch(() => undefined);
	}

	credentialData(accessToken: string): Record<string, string> {
		return { accessToken, appSecret: '', apiVersion: 'v25.0', baseUrl: this.emulator.url };
	}

	/**
	 * Signs the shared page's browser in to n8n as the owner (the session cookie n8n's sign-in form
	 * gets). n8n mounts its REST controllers one after another, and the editor reads its settings once
	 * when it loads: until login and settings both answer, it is tried again.
	 */
	private async signIn(): Promise<void> {
		await retry('POST /rest/login from the browser', async () => {
			const login = await this.page.request.post(`${this.baseUrl}/rest/login`, { data: { emailOrLdapLoginId: OWNER.email, password: OWNER.password } });
			const settings = await this.page.request.get(`${this.baseUrl}/rest/settings`);
			return login.ok() && settings.ok() ? true : undefined;
		});
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

	/**
	 * Opens a workflow on the canvas: inside the loaded editor, as a link in n8n's workflow list does,
	 * when the shared page has n8n's editor loaded (a previous suite's); otherwise signed in and loaded.
	 * Done when the page shows that workflow's nodes and no other's.
	 */
	async openWorkflow(workflow: { id?: unknown; nodes?: unknown } = this.workflow): Promise<void> {
		const route = `/workflow/${String(workflow.id)}`;
		const nodes = (workflow.nodes ?? []) as Array<{ name: string; type: string }>;
		// Sticky notes may or may not count as canvas nodes: all names may show, every other node must.
		const names = { all: nodes.map((node) => node.name), shown: nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote').map((node) => node.name) };
		if (this.page.url().startsWith(this.baseUrl) && (await this.openInApp(route, names))) return;
		await this.signIn();
		// Loaded once more if the canvas does not show (seen on a loaded machine: a blank page).
		await retry(
			`${route} in the editor`,
			async () => {
				await this.page.goto(`${this.baseUrl}${route}`);
				// The first load compiles n8n's whole editor: past 30 s on a busy CI machine (seen at load 13).
				await this.page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 90_000 });
				return (await this.showing(route, names)) || undefined;
			},
			200_000,
		);
	}

	/** Routes the loaded editor to `route`, leaving an unsaved workflow unsaved; false when it does not get there within a minute. */
	private async openInApp(route: string, names: WorkflowNames): Promise<boolean> {
		const page = this.page;
		if (await this.ndv.isVisible().catch(() => false)) await this.closeNode().catch(() => undefined);
		await page.keyboard.press('Escape').catch(() => undefined);
		const routed = await page
			.evaluate((target) => {
				const router = (document.querySelector('#app') as { __vue_app__?: any } | null)?.__vue_app__?.config?.globalProperties?.$router;
				if (!router) return false;
				// Not awaited: n8n's "Save changes before leaving?" holds the navigation until answered.
				void router.push(target).catch(() => undefined);
				return true;
			}, route)
			.catch(() => false);
		if (!routed) return false;
		const leave = page.locator('.el-message-box button', { hasText: 'Leave without saving' });
		const deadline = Date.now() + 60_000;
		while (Date.now() < deadline) {
			if (await this.showing(route, names)) {
				// The pointer off the nodes (the right edge of the canvas, halfway down), as on a fresh page: the
				// last suite's pointer may be where this workflow has a node, hovered in a screenshot.
				await page.mouse.move(VIEWPORT.width - 2, VIEWPORT.height / 2);
				return true;
			}
			if (await leave.isVisible().catch(() => false)) await leave.click().catch(() => undefined);
			await page.waitForTimeout(200);
		}
		return false;
	}

	/** Whether the page shows the workflow at `route`: its URL, every one of its nodes on the canvas and nothing else. */
	private async showing(route: string, names: WorkflowNames): Promise<boolean> {
		if (new URL(this.page.url()).pathname !== route) return false;
		const shown = await this.canvasNodeNames().catch((): string[] => []);
		return shown.length > 0 && names.shown.every((name) => shown.includes(name)) && shown.every((name) => names.all.includes(name));
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
