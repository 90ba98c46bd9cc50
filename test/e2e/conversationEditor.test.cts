// The Conversation, Page Profile, Person and Persona resources of Messenger Send, and Messenger
// Trigger 1.1's handover events, in the real n8n editor (2.8.4 or 2.40.7 by N8N_TEST_VERSION, the
// package loaded as users install it) in Chromium through playwright-core, all on one page load:
// - the nodes panel ("+", search "Messenger", Messenger Send) lists every action by name, grouped
//   by resource ("Conversation Actions" … "Persona Actions"); picking "Pass a conversation to the
//   page inbox" adds a node with that resource and operation;
// - the Resource selector offers all five resources; Conversation offers exactly its seven
//   operations and each shows exactly its fields (PSID; Metadata for the control actions; Target
//   App ID for Pass to Another App; Limit for Get Conversation); Person → Get Person (PSID);
// - Page Profile → Set shows the fields of exactly the chosen properties (JSON input: only the
//   JSON); Page Profile's and Persona's operations; the Persona ID picker lists the Page's
//   personas, created in the suite's emulator, by name;
// - a node saved before resources existed (no `resource`) opens as Message → Send Message with its
//   fields as before, and its Operation list is the old one;
// - a trigger 1.1 saved as new has Handover among its Events, the list offers Handover and Standby,
//   and a trigger added from the nodes panel is a 1.1 with the same default.
// Screenshots: docs/screenshots/editor-*.png on n8n 2.8.4, a temporary folder on 2.40.7 (see
// screenshotFolder); no assertion depends on them.
import path from 'node:path';

import { triggerProperties } from '../../nodes/MessengerTrigger/description';
import { readExample, ROOT } from '../../scripts/n8n.cjs';
import { CREDENTIAL } from './editorWorkflow.cjs';
import { EditorSession, useEditorSession } from './editorSession.cjs';
import { NodesPanel } from './editorNodesPanel.cjs';
import { collectionFields, collectionValue, createPersonas, rlcInput, PERSONAS, WELCOME_PARAMETERS } from './profileEditor.cjs';
import { messengerSendNode } from './workflows.cjs';

jest.setTimeout(120_000);

const WORKFLOW_ID = 'msgrConvEditor01';
const TRIGGER = 'Messenger Trigger';
/** A Messenger Send node as workflows saved before the Resource selector hold it: no `resource`. */
const REPLY = 'Reply';
/** A Pass to Page Inbox node, as the editor saves one. */
const HAND_OVER = 'Hand over to a person';
/** A Page Profile → Set node with four properties filled in. */
const WELCOME = 'Set up the welcome screen';
/** A Sender Action node whose Persona ID is a list still to pick from. */
const TYPING = 'Typing as a persona';

const workflow = {
	id: WORKFLOW_ID,
	name: 'Messenger: hand over to a person',
	settings: { executionOrder: 'v1' },
	pinData: {},
	nodes: [
		{
			// A new trigger 1.1 as the editor saves it: no parameter set, so every default applies.
			id: 'c3a1e5d7-2b4f-4a6c-8e9d-0f1a2b3c4d51',
			name: TRIGGER,
			type: 'n8n-nodes-messenger-send.messengerTrigger',
			typeVersion: 1.1,
			position: [0, 0],
			webhookId: '7c2d9e4f-1a3b-4c5d-8e6f-3b4c5d6e7f81',
			parameters: {},
			credentials: { messengerPageApi: CREDENTIAL },
		},
		{
			id: 'd4b2f6e8-3c5a-4b7d-9f0e-1a2b3c4d5e62',
			position: [260, 0],
			...messengerSendNode(REPLY, { operation: 'sendMessage', recipientType: 'id', psid: '={{ $json.senderId }}', messagingType: 'RESPONSE', text: "={{ 'You said: ' + $json.text }}" }, CREDENTIAL),
		},
		{
			id: 'e5c3a7f9-4d6b-4c8e-8a1f-2b3c4d5e6f73',
			position: [520, 0],
			...messengerSendNode(HAND_OVER, { resource: 'conversation', operation: 'passToPageInbox', psid: '={{ $json.senderId }}', metadata: 'Customer asked for a human' }, CREDENTIAL),
		},
		{
			id: 'f6d4b8a0-5e7c-4d9f-9b2a-3c4d5e6f7a84',
			// Not connected, nor WELCOME: the trigger's panel shows one node after it, as before.
			position: [260, 240],
			...messengerSendNode(TYPING, { operation: 'senderAction', recipientType: 'id', psid: '={{ $json.senderId }}', senderAction: 'typing_on' }, CREDENTIAL),
		},
		{
			id: 'a7e5c9b1-6f8d-4e0a-8c3b-4d5e6f7a8b95',
			position: [520, 240],
			...messengerSendNode(WELCOME, WELCOME_PARAMETERS, CREDENTIAL),
		},
	],
	connections: {
		[TRIGGER]: { main: [[{ node: REPLY, type: 'main', index: 0 }]] },
		[REPLY]: { main: [[{ node: HAND_OVER, type: 'main', index: 0 }]] },
	},
};

const session = new EditorSession({ workflow, screenshots: path.join(ROOT, 'docs', 'screenshots') });

/** What the open panel lists under the credential (labels; notices as "Notice: <text>"), once it is `expected`. */
const panelItemsOf = async (expected: string[]) => await session.until(expected, async () => await session.panelItems());

/** The parameters the open panel shows (names, in order), once they are `expected`. */
const parametersOf = async (expected: string[]) => await session.until(expected, async () => await session.visibleParameters());

async function expectPanel(labels: string[], names: string[]): Promise<void> {
	expect(await panelItemsOf(labels)).toEqual(labels);
	expect(await parametersOf(names)).toEqual(names);
}

/** Screenshots are for the README: a failure to write one is reported, never a test failure. */
const screenshot = async (name: string) => await session.screenshotForReadme('conversation editor', name);

const panel = new NodesPanel(session);
const creator = () => panel.creator;

// ---- the trigger ----

/** Trigger 1.1's Events field (the one shown from STANDBY_KIND_SINCE on). */
const EVENTS_11 = triggerProperties.find((property) => property.name === 'events' && (property.default as string[]).includes('handover'));
const EVENT_NAMES_11 = (EVENTS_11?.options ?? []).map((option) => option.name);

async function eventChips(): Promise<string[]> {
	return (await session.parameter('events').locator('.el-select__tags-text').allInnerTexts()).map((text) => text.trim());
}

const eventChipsOf = async (expected: string[]) => await session.until(expected, eventChips);

/** Opens the Events list by its arrow (the middle of the field is a chip's remove button). */
async function openEvents(): Promise<string[]> {
	await session.parameter('events').locator('.el-select__caret').click();
	await session.openPopper.waitFor();
	return await session.openPopper.locator('[role="option"] .option-headline').allInnerTexts();
}

async function openTrigger(name: string): Promise<void> {
	if (await session.ndv.isVisible()) await session.closeNode();
	await session.canvasNode(name).dblclick();
	await session.ndv.locator('[data-test-id="node-title-container"]', { hasText: name }).waitFor();
	await session.parameter('events').waitFor();
}

useEditorSession(session, async () => await createPersonas(session.emulator));

afterEach(async () => {
	await panel.close().catch(() => undefined);
});

const OLD_OPERATIONS = ['Send and Wait for Response', 'Send Attachment', 'Send Message', 'Sender Action', 'Tagged Update', 'Upload Attachment'];
const CONVERSATION_OPERATIONS = ['Get Conversation', 'Get Thread Owner', 'Pass to Another App', 'Pass to Page Inbox', 'Release', 'Request Control', 'Take Back'];

describe('Messenger Send', () => {
	test('a node saved before resources existed opens as Message → Send Message, its fields and operations as before', async () => {
		await session.openNode(REPLY);
		expect(await session.selectedOption('resource')).toBe('Message');
		expect(await session.selectedOption('operation')).toBe('Send Message');
		expect(await session.selectedOption('recipientType')).toBe('PSID');
		await expectPanel(
			['Resource', 'Operation', 'Page ID', 'Recipient Type', 'PSID', 'Messaging Type', 'Content', 'Text', 'Options', 'Delivery Options'],
			['resource', 'operation', 'pageId', 'recipientType', 'psid', 'messagingType', 'contentType', 'text'],
		);
		// An expression: the field shows it in n8n's expression editor.
		expect(await session.until(true, async () => (await session.parameter('psid').innerText()).includes('$json.senderId'))).toBe(true);
		expect(await session.openDropdown('operation')).toEqual(OLD_OPERATIONS);
		await session.closeDropdown();
	});

	test('the nodes panel lists every action by name, grouped by resource; picking Pass to Page Inbox adds that node', async () => {
		await panel.search('Messenger');
		const names = await panel.itemsIncluding(['Messenger Send']);
		expect(names).toContain('Messenger Send');
		await creator().locator('[data-test-id="node-creator-item-name"]', { hasText: /^Messenger Send$/ }).first().click();
		const actions = [
			'Conversation Actions',
			'Get the messages of a conversation',
			'Get the owner of a conversation',
			'Pass a conversation to another app',
			'Pass a conversation to the page inbox',
			'Release a conversation',
			'Request control of a conversation',
			'Take back a conversation',
			'Message Actions',
			'Send a message and wait for response',
			'Send an attachment',
			'Send a text message',
			'Send a sender action',
			'Send a tagged update',
			'Upload an attachment',
			'Page Profile Actions',
			'Delete from the Page’s profile',
			'Get the Page’s profile',
			'Set the Page’s profile',
			'Person Actions',
			'Get a person’s profile',
			'Persona Actions',
			'Create a persona',
			'Delete a persona',
			'Get many personas',
		];
		expect(await panel.actionListOf(actions)).toEqual(actions);
		await screenshot('editor-conversation-actions');

		const before = (await session.canvasNodeNames()).length;
		await creator().locator('[data-test-id="item-iterator-item"]', { hasText: /^Pass a conversation to the page inbox$/ }).click();
		await session.ndv.waitFor();
		await session.parameter('operation').waitFor();
		expect(await session.selectedOption('resource')).toBe('Conversation');
		expect(await session.selectedOption('operation')).toBe('Pass to Page Inbox');
		await expectPanel(['Resource', 'Operation', 'PSID', 'Metadata', 'Page ID'], ['resource', 'operation', 'psid', 'metadata', 'pageId']);
		await session.closeNode();
		expect(await session.until(before + 1, async () => (await session.canvasNodeNames()).length)).toBe(before + 1);
	});
});

describe('Resource Conversation and Person', () => {
	/** Each Conversation operation: the labels and parameter names its panel shows, top to bottom. */
	const PANELS: Array<[operation: string, labels: string[], names: string[]]> = [
		['Get Conversation', ['Resource', 'Operation', 'PSID', 'Limit', 'Page ID'], ['resource', 'operation', 'psid', 'limit', 'pageId']],
		['Get Thread Owner', ['Resource', 'Operation', 'PSID', 'Page ID'], ['resource', 'operation', 'psid', 'pageId']],
		['Pass to Another App', ['Resource', 'Operation', 'PSID', 'Target App ID', 'Metadata', 'Page ID'], ['resource', 'operation', 'psid', 'targetAppId', 'metadata', 'pageId']],
		['Pass to Page Inbox', ['Resource', 'Operation', 'PSID', 'Metadata', 'Page ID'], ['resource', 'operation', 'psid', 'metadata', 'pageId']],
		['Release', ['Resource', 'Operation', 'PSID', 'Metadata', 'Page ID'], ['resource', 'operation', 'psid', 'metadata', 'pageId']],
		['Request Control', ['Resource', 'Operation', 'PSID', 'Metadata', 'Page ID'], ['resource', 'operation', 'psid', 'metadata', 'pageId']],
		['Take Back', ['Resource', 'Operation', 'PSID', 'Metadata', 'Page ID'], ['resource', 'operation', 'psid', 'metadata', 'pageId']],
	];

	test('the Resource selector offers Conversation, Message, Page Profile, Person and Persona; a saved Pass to Page Inbox node shows PSID and Metadata', async () => {
		await session.openNode(HAND_OVER);
		expect(await session.selectedOption('resource')).toBe('Conversation');
		expect(await session.selectedOption('operation')).toBe('Pass to Page Inbox');
		await expectPanel(PANELS[3][1], PANELS[3][2]);
		await expect(session.parameter('metadata').locator('input, textarea').first().inputValue()).resolves.toBe('Customer asked for a human');
		await session.page.mouse.move(1300, 700);
		await screenshot('editor-pass-to-page-inbox');

		expect(await session.openDropdown('resource')).toEqual(['Conversation', 'Message', 'Page Profile', 'Person', 'Persona']);
		await screenshot('editor-resource-selector');
		await session.closeDropdown();
	});

	test('Conversation offers exactly its seven operations, and each shows exactly its fields', async () => {
		await session.openNode(HAND_OVER);
		expect(await session.openDropdown('operation')).toEqual(CONVERSATION_OPERATIONS);
		await session.closeDropdown();
		expect(PANELS.map(([operation]) => operation)).toEqual(CONVERSATION_OPERATIONS);
		for (const [operation, labels, names] of PANELS) {
			await session.choose('operation', operation);
			expect(await session.until(operation, async () => await session.selectedOption('operation'))).toBe(operation);
			await expectPanel(labels, names);
			if (operation === 'Get Conversation') {
				await expect(session.parameter('limit').locator('input').first().inputValue()).resolves.toBe('50');
				await session.page.mouse.move(1300, 700);
				await screenshot('editor-get-conversation');
			}
		}
	});

	test('Person offers Get Person with the PSID; Message brings back Send Message and its fields', async () => {
		await session.openNode(HAND_OVER);
		await session.choose('resource', 'Person');
		expect(await session.until('Get Person', async () => await session.selectedOption('operation'))).toBe('Get Person');
		await expectPanel(['Resource', 'Operation', 'PSID', 'Page ID'], ['resource', 'operation', 'psid', 'pageId']);
		expect(await session.openDropdown('operation')).toEqual(['Get Person']);
		await session.closeDropdown();

		await session.choose('resource', 'Message');
		expect(await session.until('Send Message', async () => await session.selectedOption('operation'))).toBe('Send Message');
		expect(await session.openDropdown('operation')).toEqual(OLD_OPERATIONS);
		await session.closeDropdown();
		expect(await parametersOf(['resource', 'operation', 'pageId', 'recipientType', 'psid', 'messagingType', 'contentType', 'text'])).toEqual([
			'resource',
			'operation',
			'pageId',
			'recipientType',
			'psid',
			'messagingType',
			'contentType',
			'text',
		]);
	});
});


describe('Resource Page Profile and Persona', () => {
	test('Set shows exactly the fields of the chosen properties, filled in; JSON input shows only the JSON', async () => {
		await session.openNode(WELCOME);
		expect(await session.selectedOption('resource')).toBe('Page Profile');
		expect(await session.selectedOption('operation')).toBe('Set');
		expect(await session.selectedOption('inputMode')).toBe('Using Fields Below');
		const chips = async () => (await session.parameter('profileProperties').locator('.el-select__tags-text').allInnerTexts()).map((text) => text.trim());
		expect(await session.until(['Get Started', 'Greeting', 'Ice Breakers', 'Persistent Menu'], chips)).toEqual(['Get Started', 'Greeting', 'Ice Breakers', 'Persistent Menu']);
		await expectPanel(
			['Resource', 'Operation', 'Properties', 'Input', 'Get Started Payload', 'Greeting', 'Ice Breakers', 'Menu Items', 'Disable Typing', 'Page ID'],
			['resource', 'operation', 'profileProperties', 'inputMode', 'getStartedPayload', 'composerInputDisabled', 'pageId'],
		);
		await expect(session.parameter('getStartedPayload').locator('input').first().inputValue()).resolves.toBe('GET_STARTED');
		expect(await collectionFields(session, 'greetings', ['locale', 'text'])).toEqual(['locale', 'text']);
		await expect(collectionValue(session, 'greetings', 'text')).resolves.toBe('Hi {{user_first_name}}! How can we help?');
		expect(await collectionFields(session, 'iceBreakers', ['locale', 'question', 'payload'])).toEqual(['locale', 'question', 'payload']);
		await expect(collectionValue(session, 'iceBreakers', 'question')).resolves.toBe('Where is my order?');
		// A postback item: Payload, no URL; a web_url item: URL and Webview Height, no Payload.
		const menu = ['locale', 'payload', 'title', 'type', 'locale', 'title', 'type', 'url', 'webviewHeightRatio'];
		expect(await collectionFields(session, 'menuItems', menu)).toEqual(menu);
		await expect(collectionValue(session, 'menuItems', 'title', 1)).resolves.toBe('Shop');
		await expect(collectionValue(session, 'menuItems', 'url')).resolves.toBe('https://shop.example');
		await session.scrollTo('profileProperties');
		await session.page.mouse.move(1300, 700);
		await screenshot('editor-page-profile-set');

		await session.choose('inputMode', 'Using JSON');
		await expectPanel(['Resource', 'Operation', 'Input', 'Profile (JSON)', 'Page ID'], ['resource', 'operation', 'inputMode', 'profileJson', 'pageId']);
	});

	test('Page Profile offers Delete, Get and Set; Persona offers Create, Delete and Get Many', async () => {
		await session.openNode(WELCOME);
		expect(await session.openDropdown('operation')).toEqual(['Delete', 'Get', 'Set']);
		await session.closeDropdown();

		await session.openNode(HAND_OVER);
		await session.choose('resource', 'Persona');
		expect(await session.until('Get Many', async () => await session.selectedOption('operation'))).toBe('Get Many');
		expect(await session.openDropdown('operation')).toEqual(['Create', 'Delete', 'Get Many']);
		await session.closeDropdown();
		await session.choose('operation', 'Create');
		await expectPanel(['Resource', 'Operation', 'Name', 'Profile Picture URL', 'Page ID'], ['resource', 'operation', 'personaName', 'profilePictureUrl', 'pageId']);
	});

	test('the Persona ID picker lists the Page\'s personas by name (From list)', async () => {
		await session.openNode(TYPING);
		const persona = session.parameter('personaId');
		await expect(persona.locator('[data-test-id="rlc-mode-selector"] input').inputValue()).resolves.toBe('From list');
		await rlcInput(persona).click();
		// The list is a popover, rendered apart from the field.
		const items = session.page.locator('[data-test-id="rlc-item"]').filter({ visible: true });
		const names = async () => (await items.allInnerTexts()).map((text) => text.trim());
		expect(await session.until(PERSONAS, names, 20_000)).toEqual(PERSONAS);
		await items.filter({ hasText: PERSONAS[0] }).hover();
		await screenshot('editor-persona-picker');
		await items.filter({ hasText: PERSONAS[0] }).click();
		await expect(rlcInput(persona).inputValue()).resolves.toBe(PERSONAS[0]);
	});
});

describe('Messenger Trigger 1.1', () => {
	const DEFAULT_CHIPS = ['Message', 'Quick Reply', 'Postback', 'Handover'];

	test('a new trigger listens to Handover too; the Events list offers Handover and Standby', async () => {
		await openTrigger(TRIGGER);
		expect(await eventChipsOf(DEFAULT_CHIPS)).toEqual(DEFAULT_CHIPS);
		const offered = await openEvents();
		expect(offered).toEqual(EVENT_NAMES_11);
		expect(offered).toEqual(expect.arrayContaining(['Handover', 'Standby (Context Only)']));
		await session.openPopper.locator('[role="option"]', { hasText: 'Handover' }).hover();
		await screenshot('editor-trigger-events-handover');
		await session.closeDropdown();
	});

	test('the nodes panel lists the trigger\'s events, On handover and On standby among them; On handover adds a trigger 1.1', async () => {
		const before = await session.canvasNodeNames();
		await panel.search('Messenger');
		await panel.itemsIncluding(['Messenger Send']);
		// The panel lists a trigger by its name without "Trigger", and its Events options as "On <event>".
		await creator().locator('[data-test-id="node-creator-item-name"]', { hasText: /^Messenger\s*$/ }).first().click();
		const triggers = [
			'On delivery',
			'On echo the page s own messages',
			'On handover',
			'On message',
			'On opt in',
			'On other',
			'On postback',
			'On quick reply',
			'On reaction',
			'On read',
			'On referral',
			'On standby context only',
		];
		expect(await panel.actionListOf(triggers)).toEqual(triggers);
		await creator().locator('[data-test-id="item-iterator-item"]', { hasText: /^On handover$/ }).click();
		await session.ndv.waitFor();
		await session.parameter('events').waitFor();
		expect(await eventChipsOf(['Handover'])).toEqual(['Handover']);
		await session.ndv.locator('[data-test-id="tab-settings"]').click();
		const versionLine = async () => (await session.ndv.innerText()).split('\n').find((line) => /node version/i.test(line))?.trim();
		expect(await session.until('Messenger Trigger node version 1.1 (Latest)', versionLine)).toBe('Messenger Trigger node version 1.1 (Latest)');
		await session.closeNode();
		const added = (await session.canvasNodeNames()).filter((name) => !before.includes(name));
		expect(added).toEqual(['Messenger Trigger1']);
	});
});

test('the AI support agent example opens on the canvas with every node in place (screenshot)', async () => {
	// Its own ID: test/e2e/aiSupportAgent.test.cts imports the example, under the example's ID, into the same n8n.
	const example = { ...(readExample('ai-support-agent.json') as { id: string; nodes: Array<Record<string, any>> }), id: 'msgrConvEdAiAgnt' };
	const openAi = { id: 'msgrConvEdOpenAi', name: 'OpenAI (editor e2e)' };
	for (const node of example.nodes) {
		if (node.credentials?.messengerPageApi) node.credentials.messengerPageApi = CREDENTIAL;
		if (node.credentials?.openAiApi) node.credentials.openAiApi = openAi;
	}
	await session.shared.import([{ ...openAi, type: 'openAiApi', data: { apiKey: 'not-a-real-key' } }], [example]);
	await session.openWorkflow(example);
	const expected = example.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote').map((node) => String(node.name)).sort();
	const names = async () => (await session.canvasNodeNames()).filter((name) => expected.includes(name)).sort();
	expect(await session.until(expected, names, 30_000)).toEqual(expected);
	await screenshot('editor-ai-support-agent');
});
