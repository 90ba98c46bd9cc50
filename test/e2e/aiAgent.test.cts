// Issue 11: the Messenger Send tool inside a real n8n AI Agent (the version's shared `n8n start`, the
// workflow started by a POST to its webhook). n8n's AI Agent with n8n's
// OpenAI Chat Model (its credential's Base URL pointed at a local fake model) offers the tool to
// the model, runs it with the arguments the model chose through $fromAI(), and passes Messenger's
// answer back to the model. Proved from both ends: what the emulator received and what the model saw.
import { randomUUID } from 'node:crypto';

import { GraphEmulator } from '../../emulator/graphEmulator.cjs';
import { OPERATIONS } from '../../nodes/MessengerSend/actions/index';
import { MessengerSend } from '../../nodes/MessengerSend/MessengerSend.node';
import { PACKAGE_NAME } from '../../scripts/n8n.cjs';
import { lastOutput } from './support/rest.cjs';
import { useSharedN8n } from './support/sharedN8n.cjs';
import { runOk, startedByWebhook } from './support/webhookRuns.cjs';
import { FakeOpenAi, messageText, type ChatCompletionRequest, type ModelTurn, type OfferedTool } from '../helpers/fakeOpenAi.cjs';

const PSID = '6789012345678901';
const CHOSEN_TEXT = 'Your order #1042 has shipped';
const FINAL_ANSWER = 'Done: I told the customer that order #1042 has shipped.';
const PROMPT = `Tell the customer ${PSID} that order 1042 shipped`;

const TOOL_NODE_NAME = 'Messenger Send';
const TOOL_NODE_TYPE = `${PACKAGE_NAME}.messengerSendTool`;
const WORKFLOW_ID = 'msgrE2eAiAgent01';

// Derived per run: nothing here is a real secret, and nothing secret-looking sits in the source.
const PAGE = { id: '1029384756', name: 'Demo Shop', token: `page-${randomUUID()}` };
const MODEL_KEY = `model-${randomUUID()}`;
const MESSENGER_CREDENTIAL = { id: 'msgrE2eAiCred001', name: 'Messenger Page (AI agent e2e)' };
const OPENAI_CREDENTIAL = { id: 'msgrE2eAiOpenAi1', name: 'OpenAI (local fake)' };

/** The offered tool whose parameters are the two $fromAI keys of the Messenger Send node. */
function messengerTool(request: ChatCompletionRequest): OfferedTool | undefined {
	return request.tools?.find((tool) => {
		const properties = Object.keys(tool.function.parameters?.properties ?? {});
		return properties.includes('psid') && properties.includes('text');
	});
}

// Turn 1 calls the tool the way a model would: by the name the agent offered. Turn 2 answers.
const fake = new FakeOpenAi([
	(request): ModelTurn => {
		const tool = messengerTool(request);
		if (!tool) return { text: 'No Messenger tool was offered.' };
		return { toolCalls: [{ name: tool.function.name, arguments: { psid: PSID, text: CHOSEN_TEXT } }] };
	},
	(): ModelTurn => ({ text: FINAL_ANSWER }),
]);
const emulator = new GraphEmulator({ pages: [PAGE] });

function agentWorkflow(): Record<string, unknown> {
	const nodes = [
		{ id: randomUUID(), name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: randomUUID(),
			name: 'AI Agent',
			type: '@n8n/n8n-nodes-langchain.agent',
			typeVersion: 3, // the newest AI Agent version all tested n8n versions have (1.123 has no 3.1)
			position: [220, 0],
			parameters: { promptType: 'define', text: PROMPT, options: {} },
		},
		{
			id: randomUUID(),
			name: 'OpenAI Chat Model',
			type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
			typeVersion: 1.3,
			position: [120, 220],
			// Chat Completions (what OpenAI-compatible servers offer), not the Responses API that 1.3 defaults to.
			parameters: { model: { __rl: true, mode: 'id', value: fake.modelId }, responsesApiEnabled: false, options: {} },
			credentials: { openAiApi: OPENAI_CREDENTIAL },
		},
		{
			id: randomUUID(),
			name: TOOL_NODE_NAME,
			type: TOOL_NODE_TYPE,
			typeVersion: 1,
			position: [320, 220],
			parameters: {
				operation: 'sendMessage',
				recipientType: 'id',
				psid: "={{ $fromAI('psid', 'the PSID of the person', 'string') }}",
				messagingType: 'RESPONSE',
				text: "={{ $fromAI('text', 'the message to send', 'string') }}",
			},
			credentials: { messengerPageApi: MESSENGER_CREDENTIAL },
		},
	];
	const connections = {
		Start: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
		'OpenAI Chat Model': { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
		[TOOL_NODE_NAME]: { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
	};
	return startedByWebhook({ id: WORKFLOW_ID, name: 'e2e: AI Agent sends with the Messenger Send tool', nodes, connections, settings: { executionOrder: 'v1' }, pinData: {} });
}

const shared = useSharedN8n({
	before: async () => {
		await Promise.all([emulator.start(), fake.start()]);
		return {
			credentials: [
				{ ...MESSENGER_CREDENTIAL, type: 'messengerPageApi', data: { accessToken: PAGE.token, apiVersion: 'v25.0', baseUrl: emulator.url } },
				{ ...OPENAI_CREDENTIAL, type: 'openAiApi', data: { apiKey: MODEL_KEY, url: fake.url } },
			],
			workflows: [agentWorkflow()],
		};
	},
	after: async () => {
		await Promise.all([emulator.stop(), fake.stop()]);
	},
});
beforeAll(() => shared().rest.activate(WORKFLOW_ID), 5 * 60_000);

test('the AI Agent calls the Messenger Send tool with the arguments the model chose, and hears back the message_id', async () => {
	const run = await runOk(shared().rest, WORKFLOW_ID);

	// Messenger got exactly the message the model wrote, to the person it chose.
	expect(emulator.inbox).toHaveLength(1);
	const [delivered] = emulator.inbox;
	expect(delivered).toMatchObject({ recipientKey: `id:${PSID}`, messaging_type: 'RESPONSE', message: { text: CHOSEN_TEXT } });
	expect(delivered.message_id).toEqual(expect.any(String));
	expect(emulator.requests).toHaveLength(1);
	expect(emulator.requests[0].headers.authorization).toBe(`Bearer ${PAGE.token}`);

	// Two model turns: the tool call, then the final answer; the credential's key reached the fake.
	const [first, second] = fake.chatRequests;
	expect(fake.chatRequests).toHaveLength(2);
	for (const request of fake.requests) expect(request.headers.authorization).toBe(`Bearer ${MODEL_KEY}`);
	expect(first.model).toBe(fake.modelId);
	expect(fake.chatRequests.map((request) => request.stream)).toEqual([false, false]);
	expect(messageText(first.messages.find((message) => message.role === 'user') ?? { role: 'user' })).toContain(PROMPT);

	// The tool the model saw: named after the node, with the two $fromAI keys as required strings.
	const tool = messengerTool(first);
	expect(tool).toBeDefined();
	expect(tool?.type).toBe('function');
	expect(tool?.function.name).toBe('Messenger_Send');
	// A node with resources is described to the model by the chosen operation's action (n8n's own rule
	// for tools, set automatically): what this tool does, not everything the node could do.
	expect(tool?.function.description).toBe(`${OPERATIONS.sendMessage.option.action} in ${new MessengerSend().description.displayName}`);
	expect(tool?.function.parameters).toMatchObject({
		type: 'object',
		properties: {
			psid: { type: 'string', description: 'the PSID of the person' },
			text: { type: 'string', description: 'the message to send' },
		},
	});
	expect([...(tool?.function.parameters?.required ?? [])].sort()).toEqual(['psid', 'text']);

	// The tool result the agent passed back answers the model's call and carries Messenger's message_id.
	const [callId] = fake.toolCallIds;
	const toolResult = second.messages.find((message) => message.role === 'tool');
	expect(toolResult?.tool_call_id).toBe(callId);
	expect(messageText(toolResult ?? { role: 'tool' })).toContain(String(delivered.message_id));
	const assistantTurn = second.messages.find((message) => message.role === 'assistant');
	expect(assistantTurn?.tool_calls?.[0]).toMatchObject({ id: callId, function: { name: 'Messenger_Send' } });
	expect(JSON.parse(assistantTurn?.tool_calls?.[0].function.arguments ?? '{}')).toMatchObject({ psid: PSID, text: CHOSEN_TEXT });

	// The agent's output is the model's final answer.
	expect(lastOutput(run, 'AI Agent').map((item) => item.json.output)).toEqual([FINAL_ANSWER]);
}, 120_000);
