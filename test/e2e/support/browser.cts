// One Chromium per jest run for the editor suites (Debian's /usr/bin/chromium driven by
// playwright-core; no browser is downloaded), and in it one signed-in page with n8n's editor loaded:
// the first editor suite launches Chromium with a DevTools endpoint, the others connect to it and
// find the page where the previous suite left it. A load of n8n's editor costs Chromium about 9 CPU
// seconds (it builds the whole app and every node type's description); opening the next suite's
// workflow inside the loaded app costs about 1. Jest's global teardown ends Chromium.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { chromium, type Browser, type Page } from 'playwright-core';

import { fixtureState, runDir, writeFixtureState } from './runState.cjs';

const CHROMIUM = '/usr/bin/chromium';
export const VIEWPORT = { width: 1440, height: 900 };
/** What Playwright's own launch sets for a test browser and the editor suites depend on, and no network of its own. */
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--no-default-browser-check',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-extensions',
	'--disable-dev-shm-usage',
	// A page that is not in front (a second tab) keeps its timers and rendering at full speed.
	'--disable-background-timer-throttling',
	'--disable-backgrounding-occluded-windows',
	'--disable-renderer-backgrounding',
	'--hide-scrollbars',
	'--mute-audio',
	`--window-size=${VIEWPORT.width},${VIEWPORT.height}`,
	'--remote-debugging-address=127.0.0.1',
	'--remote-debugging-port=0',
];

interface BrowserState {
	pid: number;
	wsEndpoint: string;
}

/**
 * Starts Chromium in a process group of its own (the teardown stops the group) and reads its DevTools
 * endpoint from the file Chromium writes into its profile (port, then path).
 */
async function launch(): Promise<BrowserState> {
	const profile = path.join(runDir(), `chromium-profile-${process.pid}-${Date.now()}`);
	const child = spawn(CHROMIUM, [...CHROMIUM_ARGS, `--user-data-dir=${profile}`, 'about:blank'], { detached: true, stdio: 'ignore' });
	child.unref();
	let exited: number | null | undefined;
	child.on('exit', (code) => (exited = code));
	const file = path.join(profile, 'DevToolsActivePort');
	const deadline = Date.now() + 60_000;
	for (;;) {
		const [port, route] = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
		if (port && route?.startsWith('/devtools/browser/')) {
			const state = { pid: Number(child.pid), wsEndpoint: `ws://127.0.0.1:${port}${route}` };
			writeFixtureState<BrowserState>('chromium', state);
			return state;
		}
		if (exited !== undefined) throw new Error(`Chromium exited (${exited}) before it listened`);
		if (Date.now() > deadline) throw new Error('Chromium wrote no DevTools endpoint within 60 s');
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

/** The run's Chromium, launched if there is none yet (or it does not answer). */
export async function sharedBrowser(): Promise<Browser> {
	const state = fixtureState<BrowserState>('chromium');
	if (state) {
		try {
			return await chromium.connectOverCDP(state.wsEndpoint, { timeout: 30_000 });
		} catch (error) {
			process.stderr.write(`The shared Chromium (pid ${state.pid}) does not answer (${String(error)}): launching another\n`);
		}
	}
	return await chromium.connectOverCDP((await launch()).wsEndpoint, { timeout: 60_000 });
}

/** The page the editor suites share: the first of Chromium's own context (its first tab). */
export async function sharedPage(browser: Browser): Promise<Page> {
	const context = browser.contexts()[0];
	const page = context.pages()[0] ?? (await context.newPage());
	await page.setViewportSize(VIEWPORT);
	return page;
}
