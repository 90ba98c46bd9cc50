// Issue 22, item 5: examples/ai-support-agent.json as published in a real n8n (the version's shared
// `n8n start`), a person talking to it through the emulator, the model a local fake that decides
// from what the agent sends it (the tools offered, the tool results so far). The story, as the
// emulator's transcript prints it: a question answered by the agent (with the person's name from
// Get Person); "a human, please" → told so, thread passed to the Page Inbox; the person writes again →
// the workflow does not run (the message reaches the bot only on standby); a human answers from the
// Page Inbox and hands the thread back → the workflow greets the person again; the next question is
// the agent's again.
import { randomUUID } from 'node:crypto';

import { GraphEmulator } from '../../emulator/graphEmulator.cjs';
import { PAGE_INBOX_APP_ID } from '../../nodes/shared/handover';
import { readExample } from '../../scripts/n8n.cjs';
import { FakeOpenAi, messageText, type ChatCompletionRequest, type ModelTurn } from '../helpers/fakeOpenAi.cjs';
import { poll, type ExecutionSummary } from './support/rest.cjs';
import { useSharedN8n } from './support/sharedN8n.cjs';

const APP = { id: '5566778899', secret: `app-secret-${randomUUID()}`, name: 'Shop Assistant' };
const PAGE = { id: '2039485761', name: 'Demo Shop', token: `page-${randomUUID()}`, appId: APP.id, appSecret: APP.secret };
const PSID = '6811122233344455';
const MODEL_KEY = `model-${randomUUID()}`;
const MESSENGER = { id: 'msgrAiSupCred001', name: 'Messenger Page (AI support e2e)' };
const OPENAI = { id: 'msgrAiSupOpenAi1', name: 'OpenAI (local fake, AI support e2e)' };

const HOURS = 'We are open Monday to Friday from 9:00 to 18:00.';
const PASSING = 'I am passing you to our team: a person will answer you here soon.';
const SHIPPING = 'Yes, we ship to Austria: it takes 3 to 5 working days.';
const HUMAN_ANSWER = 'Hi Ann, this is Sam from the shop. Your parcel left today.';
const WELCOME_BACK = "You are back with the shop's assistant. Ask me anything, or ask for a person at any time.";

/** The example, with the suite's own credentials (its fixed demo IDs are shared with other suites on n8n 1.x's CLI import). */
function exampleWorkflow(): Record<string, unknown> & { id: string; nodes: Array<Record<string, any>> } {
	const workflow = readExample('ai-support-agent.json') as Record<string, unknown> & { id: string; nodes: Array<Record<string, any>> };
	for (const node of workflow.nodes) {
		if (node.credentials?.messengerPageApi) node.credentials.messengerPageApi = MESSENGER;
		if (node.credentials?.openAiApi) node.credentials.openAiApi = OPENAI;
	}
	return workflow;
}
const WORKFLOW = exampleWorkflow();
const MODEL_ID = String(WORKFLOW.nodes.find((node) => node.name === 'Chat model')?.parameters.model.value);

/** The model: reads the customer's question and the tool results the agent sent back so far. */
function supportModel(request: ChatCompletionRequest): ModelTurn {
	const question = messageText([...request.messages].reverse().find((message) => message.role === 'user') ?? { role: 'user' });
	const called = request.messages.flatMap((message) => message.tool_calls?.map((call) => call.function.name) ?? []);
	const results = request.messages.filter((message) => message.role === 'tool').map((message) => messageText(message));
	const offered = new Set(request.tools?.map((tool) => tool.function.name));
	for (const tool of ['Reply', 'Get_Person', 'Get_Conversation', 'Pass_to_Page_Inbox']) {
		if (!offered.has(tool)) return { text: `The tool ${tool} was not offered: ${[...offered].join(', ')}` };
	}
	if (/human|person/i.test(question)) {
		if (!called.includes('Reply')) return { toolCalls: [{ name: 'Reply', arguments: { text: PASSING } }] };
		if (!called.includes('Pass_to_Page_Inbox')) return { toolCalls: [{ name: 'Pass_to_Page_Inbox', arguments: { reason: 'The customer asked for a person' } }] };
		return { text: 'Passed to the Page Inbox.' };
	}
	if (!called.includes('Get_Person')) return { toolCalls: [{ name: 'Get_Person', arguments: {} }] };
	if (!called.includes('Get_Conversation')) return { toolCalls: [{ name: 'Get_Conversation', arguments: {} }] };
	if (!called.includes('Reply')) {
		const firstName = /"firstName":\s*"([^"]+)"/.exec(results.join('\n'))?.[1] ?? 'there';
		return { toolCalls: [{ name: 'Reply', arguments: { text: `Hi ${firstName}! ${/austria/i.test(question) ? SHIPPING : HOURS}` } }] };
	}
	return { text: 'Answered.' };
}

const fake = new FakeOpenAi(Array.from({ length: 60 }, () => supportModel), MODEL_ID);
const emulator = new GraphEmulator({ apps: [APP], pages: [PAGE] });

const shared = useSharedN8n({
	before: async () => {
		await Promise.all([emulator.start(), fake.start()]);
		return {
			credentials: [
				{ ...MESSENGER, type: 'messengerPageApi', data: { accessToken: PAGE.token, appId: APP.id, appSecret: APP.secret, apiVersion: 'v25.0', baseUrl: emulator.url } },
				{ ...OPENAI, type: 'openAiApi', data: { apiKey: MODEL_KEY, url: fake.url } },
			],
			workflows: [WORKFLOW],
		};
	},
	after: async () => {
		await Promise.all([emulator.stop(), fake.stop()]);
	},
});

const pageTexts = () => emulator.inbox.filter((entry) => entry.recipientKey === `id:${PSID}`).map((entry) => (entry.message?.text as string | undefined) ?? entry.sender_action);
const ended = (row: ExecutionSummary) => row.finished || ['success', 'error', 'crashed', 'canceled'].includes(row.status);

/** Waits until the workflow has `count` ended executions, all successful, and `ready` holds (what the test then asserts). */
async function settled(count: number, ready: () => boolean): Promise<ExecutionSummary[]> {
	const rest = shared().rest;
	return await poll(
		`${count} ended executions of ${WORKFLOW.id}`,
		async () => {
			const rows = await rest.executions(WORKFLOW.id);
			if (rows.length < count || !rows.every(ended) || !ready()) return undefined;
			const failed = rows.filter((row) => row.status !== 'success');
			if (failed.length > 0) throw new Error(await rest.describeExecutions(WORKFLOW.id));
			return rows;
		},
		90_000,
	).catch(async (error: Error) => {
		throw new Error(`${error.message}; executions: ${await rest.describeExecutions(WORKFLOW.id)}; sent: ${JSON.stringify(pageTexts())}`);
	});
}

beforeAll(async () => {
	await shared().rest.activate(WORKFLOW.id);
	// Published: n8n listens, and the trigger subscribed the app and the Page to messages and handovers.
	await poll(
		'the trigger subscribed to messages and handovers',
		() => {
			const state = emulator.webhookState();
			const page = state.subscribedApps.find((entry) => entry.appId === APP.id && entry.pageId === PAGE.id);
			return page?.fields.includes('messages') && page.fields.includes('messaging_handovers') ? true : undefined;
		},
		90_000,
	);
}, 5 * 60_000);

afterAll(async () => {
	process.stderr.write(`AI support agent e2e: transcript\n${emulator.transcript()}\n`);
}, 60_000);

test('a question is answered by the agent, with the person’s name and typing shown first', async () => {
	await emulator.personMessage({ psid: PSID, text: 'When are you open?', name: 'Ann Lee' });
	await settled(1, () => pageTexts().length >= 2);
	expect(pageTexts()).toEqual(['typing_on', `Hi Ann! ${HOURS}`]);
	// The model had the three tools and the system message; it heard back the person and the history.
	const last = fake.chatRequests[fake.chatRequests.length - 1];
	expect(messageText(last.messages.find((message) => message.role === 'system') ?? { role: 'system' })).toContain('Pass to Page Inbox');
	expect(last.messages.filter((message) => message.role === 'tool').map((message) => messageText(message)).join('\n')).toContain('When are you open?');
});

test('asking for a human: told so, then the thread goes to the Page Inbox; what the person writes next starts nothing', async () => {
	await emulator.personMessage({ psid: PSID, text: 'Can I talk to a human, please?' });
	await poll('the thread passed to the Page Inbox', () => (emulator.ownedByPageInbox(PSID) ? true : undefined), 90_000);
	// The bot's own pass comes back as a handover item too: an execution that sends nothing.
	await settled(3, () => pageTexts().length >= 4);
	expect(pageTexts().slice(2)).toEqual(['typing_on', PASSING]);
	expect(emulator.handovers.map(({ action, previousOwnerAppId, newOwnerAppId, metadata }) => ({ action, previousOwnerAppId, newOwnerAppId, metadata }))).toEqual([
		{ action: 'pass', previousOwnerAppId: APP.id, newOwnerAppId: PAGE_INBOX_APP_ID, metadata: 'The customer asked for a person' },
	]);

	const before = (await shared().rest.executions(WORKFLOW.id)).length;
	const written = await emulator.personMessage({ psid: PSID, text: 'Hello? Is anyone there?' });
	// The Page Inbox owns the thread: the bot's app would get it only on standby, a field the trigger
	// subscribes only when its Standby kind is chosen (off here). Nothing reaches n8n, nothing runs.
	expect(written.delivery).toBeNull();
	await emulator.settleWebhooks();
	await new Promise((resolve) => setTimeout(resolve, 3000));
	expect(await shared().rest.executions(WORKFLOW.id)).toHaveLength(before);
	expect(pageTexts()).toHaveLength(4);
});

test('a human answers from the Page Inbox and hands back: the workflow welcomes the person back, and the agent answers again', async () => {
	await emulator.pageInboxReply({ psid: PSID, text: HUMAN_ANSWER });
	await emulator.pageInboxPass({ psid: PSID, metadata: 'Solved, back to the assistant' });
	expect(emulator.threadOwner(PSID)).toBe(APP.id);
	await settled(4, () => pageTexts().includes(WELCOME_BACK));
	expect(pageTexts().slice(4)).toEqual([WELCOME_BACK]);

	await emulator.personMessage({ psid: PSID, text: 'Thanks! Do you ship to Austria?' });
	await settled(5, () => pageTexts().length >= 7);
	expect(pageTexts().slice(5)).toEqual(['typing_on', `Hi Ann! ${SHIPPING}`]);

	const transcript = emulator.transcript();
	for (const line of ['When are you open?', PASSING, 'thread passed to Page Inbox', 'Hello? Is anyone there?', HUMAN_ANSWER, WELCOME_BACK, SHIPPING]) {
		expect(transcript).toContain(line);
	}
});
