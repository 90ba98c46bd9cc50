// Issue 23, item 6: examples/page-setup.json run in a real n8n (the version's shared `n8n start`,
// its Manual Trigger swapped for a Webhook), then the auto-reply example published; a person opens
// the chat through the emulator and sees what the setup made (greeting with their name, Get Started,
// ice breakers, the menu), taps Get Started, an ice breaker and the menu's "Talk to a human", and the
// auto-reply answers each. Running the setup again writes nothing (changed: false).
import { randomUUID } from 'node:crypto';

import { GraphEmulator } from '../../emulator/graphEmulator.cjs';
import { readExample } from '../../scripts/n8n.cjs';
import { PAGE_INBOX_APP_ID } from '../../nodes/shared/handover';
import { lastOutput, poll } from './support/rest.cjs';
import { useSharedN8n } from './support/sharedN8n.cjs';
import { runOk, startedByWebhook } from './support/webhookRuns.cjs';
import { TRIGGER_TYPE, triggerSuite } from './triggerFlows.cjs';

const APP = { id: '4455667790', secret: `app-secret-${randomUUID()}`, name: 'Front Door App' };
const PAGE = { id: '1029384790', name: 'Demo Shop', token: `page-${randomUUID()}`, appId: APP.id, appSecret: APP.secret };
const CREDENTIAL = { id: 'msgrPgSetupCred1', name: 'Messenger Page (page setup e2e)' };
const PSID = '6822233344455566';

type Workflow = Record<string, unknown> & { id: string; nodes: Array<Record<string, any>> };

/** An example with the suite's own ID, credential and webhook (other suites import the same examples into the same n8n). */
function ownCopy(file: string, id: string): Workflow {
	const workflow = readExample(file) as Workflow;
	for (const node of workflow.nodes) {
		if (node.credentials?.messengerPageApi) node.credentials.messengerPageApi = CREDENTIAL;
		if (node.type === TRIGGER_TYPE) node.webhookId = randomUUID();
	}
	return { ...workflow, id };
}

const SETUP = startedByWebhook(ownCopy('page-setup.json', 'msgrPgSetupE2e01')) as Workflow;
const AUTO_REPLY = ownCopy('messenger-auto-reply.json', 'msgrPgSetupReply');
const HOOK = String(AUTO_REPLY.nodes.find((node) => node.type === TRIGGER_TYPE)?.webhookId);
const SET_NODE = 'Set the Page’s front door';
const GET_NODE = 'What is live now';

/** The profile the example sets, in Graph's shape, as Meta stores it. */
const PROFILE = {
	get_started: { payload: 'GET_STARTED' },
	greeting: [{ locale: 'default', text: 'Hi {{user_first_name}}! Welcome to Demo Shop. Ask us anything, or tap a question below.' }],
	ice_breakers: [
		{
			locale: 'default',
			call_to_actions: [
				{ question: 'When are you open?', payload: 'HOURS' },
				{ question: 'Can I talk to a person?', payload: 'HUMAN' },
				{ question: 'What can you help me with?', payload: 'GET_STARTED' },
			],
		},
	],
	persistent_menu: [
		{
			locale: 'default',
			composer_input_disabled: false,
			call_to_actions: [
				{ type: 'postback', title: 'Opening hours', payload: 'HOURS' },
				{ type: 'postback', title: 'Talk to a human', payload: 'HUMAN' },
				{ type: 'web_url', title: 'Visit our shop', url: 'https://shop.example', webview_height_ratio: 'full' },
			],
		},
	],
	whitelisted_domains: ['https://shop.example'],
};
const PROPERTIES = ['get_started', 'greeting', 'ice_breakers', 'persistent_menu', 'whitelisted_domains'];

const emulator = new GraphEmulator({ apps: [APP], pages: [PAGE] });
const { credential, executions, inboxTexts, publish } = triggerSuite(emulator, () => shared());

const shared = useSharedN8n({
	before: async () => {
		await emulator.start();
		return {
			credentials: [credential(CREDENTIAL, { accessToken: PAGE.token, appId: APP.id, appSecret: APP.secret })],
			workflows: [SETUP, AUTO_REPLY],
		};
	},
	after: async () => {
		await emulator.stop();
	},
});

const profileWrites = () => emulator.requests.filter((request) => request.path.endsWith('/messenger_profile') && request.method !== 'GET');

beforeAll(async () => {
	await shared().rest.activate(SETUP.id);
}, 5 * 60_000);

afterAll(() => {
	process.stderr.write(`page setup e2e: transcript\n${emulator.transcript()}\n`);
});

test('the Page setup example sets the greeting, Get Started, ice breakers, menu and allowed domain in one write, and Get shows them live', async () => {
	const run = await runOk(shared().rest, SETUP.id);
	const set = lastOutput(run, SET_NODE).map((item) => item.json);
	expect(set).toEqual([
		{ success: true, changed: true, platform: 'messenger', changedProperties: PROPERTIES, unchangedProperties: [], live: PROFILE },
	]);
	expect(lastOutput(run, GET_NODE).map((item) => item.json)).toEqual([{ platform: 'messenger', live: PROFILE }]);
	expect(emulator.messengerProfile(PAGE.id)).toEqual(PROFILE);
	// One write with everything (the menu and the Get Started it needs together), its body exactly the profile.
	expect(profileWrites().map((request) => ({ method: request.method, body: request.body }))).toEqual([{ method: 'POST', body: PROFILE }]);
});

test('run again: nothing differs, so nothing is written (changed: false)', async () => {
	const before = profileWrites().length;
	const run = await runOk(shared().rest, SETUP.id);
	expect(lastOutput(run, SET_NODE).map((item) => item.json)).toEqual([
		{ success: true, changed: false, platform: 'messenger', changedProperties: [], unchangedProperties: PROPERTIES, live: PROFILE },
	]);
	expect(profileWrites()).toHaveLength(before);
});

test('a person opens the chat and sees the welcome screen; the auto-reply answers Get Started, an ice breaker and the menu’s Talk to a human', async () => {
	const listening = () => {
		const state = emulator.webhookState();
		return state.subscriptions.some((entry) => entry.appId === APP.id && entry.fields.includes('messaging_postbacks')) &&
			state.subscribedApps.some((entry) => entry.appId === APP.id && entry.pageId === PAGE.id && entry.fields.includes('messaging_postbacks'));
	};
	await publish(AUTO_REPLY.id, HOOK, listening);

	const screen = emulator.openChat({ psid: PSID, name: 'Lena Berg' });
	expect(screen).toMatchObject({
		greeting: 'Hi Lena! Welcome to Demo Shop. Ask us anything, or tap a question below.',
		getStarted: { payload: 'GET_STARTED' },
		iceBreakers: PROFILE.ice_breakers[0].call_to_actions,
		menu: [
			{ type: 'postback', title: 'Opening hours', payload: 'HOURS' },
			{ type: 'postback', title: 'Talk to a human', payload: 'HUMAN' },
			{ type: 'web_url', title: 'Visit our shop', url: 'https://shop.example' },
		],
	});

	// One tap at a time, each answered before the next: the replies then come in the order of the taps.
	const replied = async (count: number) => await poll(`${count} replies to the person`, () => (inboxTexts(PSID).length >= count ? true : undefined), 90_000);
	expect((await emulator.tapGetStarted({ psid: PSID })).delivery?.status).toBe(200);
	await replied(1);
	expect((await emulator.tapIceBreaker({ psid: PSID, question: 'When are you open?' })).delivery?.status).toBe(200);
	await replied(2);
	const link = await emulator.tapMenuItem({ psid: PSID, title: 'Visit our shop' });
	expect(link).toEqual({ kind: 'web_url', title: 'Visit our shop', url: 'https://shop.example' });
	const human = await emulator.tapMenuItem({ psid: PSID, title: 'Talk to a human' });
	expect(human.kind === 'postback' ? human.delivery?.status : human).toBe(200);
	await poll('the thread passed to the Page Inbox', () => (emulator.ownedByPageInbox(PSID) && inboxTexts(PSID).length >= 3 ? true : undefined), 90_000);

	expect(inboxTexts(PSID)).toEqual([
		'Hi, and welcome! What can we do for you?',
		'We are open Monday to Friday from 9:00 to 18:00, and on Saturday from 10:00 to 14:00.',
		'A person will answer you soon',
	]);
	expect(emulator.threadOwner(PSID)).toBe(PAGE_INBOX_APP_ID);
	// Three taps and the bot's own pass: four executions, all successful; the link opened nothing in n8n.
	const rows = await poll('4 ended executions', async () => {
		const found = await executions(AUTO_REPLY.id);
		return found.length >= 4 && found.every((row) => row.finished || ['success', 'error', 'crashed'].includes(row.status)) ? found : undefined;
	}, 90_000);
	expect(rows.map((row) => row.status)).toEqual(['success', 'success', 'success', 'success']);

	const transcript = emulator.transcript();
	for (const line of ['Lena Berg opens the chat', 'greeting: Hi Lena!', '[Get Started]', 'ice breakers: [When are you open?]', 'taps ice breaker [When are you open?]', 'taps menu [Visit our shop] → opens https://shop.example', 'taps menu [Talk to a human]']) {
		expect(transcript).toContain(line);
	}
});
