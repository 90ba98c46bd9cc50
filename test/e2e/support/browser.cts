// One Chromium per jest run for the editor suites (Debian's /usr/bin/chromium driven by
// playwright-core; no browser is downloaded): the first editor suite launches it as a Playwright
// browser server, the others connect to it; each suite works in a browser context of its own. Jest's
// global teardown ends it.
import { chromium, type Browser } from 'playwright-core';

import { fixtureState, writeFixtureState } from './runState.cjs';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

interface BrowserState {
	pid: number;
	wsEndpoint: string;
}

export async function sharedBrowser(): Promise<Browser> {
	const state = fixtureState<BrowserState>('chromium');
	if (state) {
		try {
			return await chromium.connect(state.wsEndpoint, { timeout: 10_000 });
		} catch (error) {
			process.stderr.write(`The shared Chromium (pid ${state.pid}) does not answer (${String(error)}): launching another\n`);
		}
	}
	const server = await chromium.launchServer({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
	writeFixtureState<BrowserState>('chromium', { pid: Number(server.process().pid), wsEndpoint: server.wsEndpoint() });
	return await chromium.connect(server.wsEndpoint());
}
