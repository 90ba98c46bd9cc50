// The Messenger Trigger and Conversation Routing, with n8n's hook and webhook contexts mocked (as
// webhook.test.ts, and n8n's own WhatsAppTrigger.node.test.ts, do): handover items, standby items
// only when chosen, fromHuman on echoes, what a new trigger chooses and subscribes by default, and
// an older workflow's saved Events that keep what they had. The node's parameters are resolved as
// n8n resolves them (NodeHelpers.getNodeParameters: the saved ones, the defaults of the node's version).
import { createHmac } from 'crypto';
import { NodeHelpers, type IDataObject, type IHookFunctions, type IHttpRequestOptions, type INodeParameters, type IWebhookFunctions } from 'n8n-workflow';

import { MessengerTrigger } from '../../../nodes/MessengerTrigger/MessengerTrigger.node';
import { PAGE_INBOX_APP_ID } from '../../../nodes/shared/handover';

const APP_SECRET = 'dummy-trigger-app-secret';
const APP_ID = '4455667788';
const PAGE = '1029384756';
const PSID = '6789012345678901';
const OWN_URL = 'https://n8n.example.com/webhook/5e1c2d3f-hook/webhook';
const credentials = { accessToken: 'dummy-token', appSecret: APP_SECRET, appId: APP_ID, baseUrl: 'https://graph.example.com', apiVersion: 'v25.0' };

const trigger = new MessengerTrigger();

/** The node as n8n hands it to the trigger: the saved parameters with the defaults of its version. */
function nodeOf(typeVersion: number, saved: INodeParameters, id: string) {
	const parameters = NodeHelpers.getNodeParameters(trigger.description.properties, saved, true, false, { typeVersion }, trigger.description) as INodeParameters;
	return { id, name: 'Messenger Trigger', typeVersion, parameters, webhookId: `hook-${id}` };
}

let triggers = 0;

/** A published trigger of this version with these saved parameters: each call is one Meta POST, answered with the items it starts the workflow with. */
function publishedTrigger(typeVersion: number, saved: INodeParameters = {}): (body: unknown) => Promise<IDataObject[]> {
	const node = nodeOf(typeVersion, saved, `trigger-${++triggers}`);
	const staticData: IDataObject = {};
	return async (body) => await post(body, node, staticData);
}

/** One Meta POST to a fresh trigger of this version with these saved parameters. */
async function deliver(body: unknown, typeVersion: number, saved: INodeParameters = {}): Promise<IDataObject[]> {
	return await publishedTrigger(typeVersion, saved)(body);
}

async function post(body: unknown, node: ReturnType<typeof nodeOf>, staticData: IDataObject): Promise<IDataObject[]> {
	const raw = Buffer.from(JSON.stringify(body));
	const sent: unknown[] = [];
	const response = { status: () => response, type: () => response, send: (answer: unknown) => sent.push(answer) };
	const ctx = {
		getWebhookName: () => 'default',
		getCredentials: async () => credentials,
		getRequestObject: () => ({ method: 'POST', headers: { 'x-hub-signature-256': `sha256=${createHmac('sha256', APP_SECRET).update(raw).digest('hex')}` }, rawBody: raw }),
		getResponseObject: () => response,
		getNodeParameter: (name: string, fallback: unknown) => node.parameters[name] ?? fallback,
		getNodeWebhookUrl: () => OWN_URL,
		getWorkflowStaticData: () => staticData,
		getWorkflow: () => ({ id: 'wf-who' }),
		getNode: () => node,
		logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
		helpers: { httpRequest: async () => ({ statusCode: 200, body: '' }) },
	} as unknown as IWebhookFunctions;
	const result = await trigger.webhook.call(ctx);
	expect(sent).toEqual(['EVENT_RECEIVED']);
	return (result.workflowData?.[0] ?? []).map((item) => item.json);
}

const page = (fields: IDataObject) => ({ object: 'page', entry: [{ id: PAGE, time: 1764580000999, ...fields }] });
const person = (timestamp: number, extra: IDataObject) => ({ sender: { id: PSID }, recipient: { id: PAGE }, timestamp, ...extra });
const handBack = person(1764580000000, { pass_thread_control: { previous_owner_app_id: PAGE_INBOX_APP_ID, new_owner_app_id: APP_ID, metadata: 'back to the bot' } });
const toInbox = person(1764580000001, { take_thread_control: { previous_owner_app_id: APP_ID, new_owner_app_id: PAGE_INBOX_APP_ID, metadata: '' } });
const meanwhile = person(1764580000002, { message: { mid: 'm_meanwhile', text: 'Is anyone there?' } });
const humanReply = { sender: { id: PAGE }, recipient: { id: PSID }, timestamp: 1764580000003, message: { mid: 'm_human', is_echo: true, app_id: Number(PAGE_INBOX_APP_ID), text: 'Hi, Anna here' } };
const botReply = { sender: { id: PAGE }, recipient: { id: PSID }, timestamp: 1764580000004, message: { mid: 'm_bot', is_echo: true, app_id: Number(APP_ID), text: 'You said: hi' } };
const message = person(1764580000005, { message: { mid: 'm_hello', text: 'Hello' } });

describe('a new trigger (version 1.1, Events at their default)', () => {
	test('a hand-back from the Page Inbox starts the workflow with a handover item to greet the person again', async () => {
		const items = await deliver(page({ messaging: [handBack] }), 1.1);
		expect(items).toEqual([
			expect.objectContaining({
				type: 'handover',
				action: 'pass',
				pageId: PAGE,
				senderId: PSID,
				newOwnerAppId: APP_ID,
				previousOwnerAppId: PAGE_INBOX_APP_ID,
				requestedOwnerAppId: null,
				metadata: 'back to the bot',
				toPageInbox: false,
				fromPageInbox: true,
				toThisApp: true,
			}),
		]);
	});

	test('while the Page Inbox owns the thread, what the person writes (standby) does not start it; a take by the Page Inbox does, marked toPageInbox', async () => {
		expect(await deliver(page({ standby: [meanwhile] }), 1.1)).toEqual([]);
		expect(await deliver(page({ messaging: [toInbox], standby: [meanwhile] }), 1.1)).toEqual([
			expect.objectContaining({ type: 'handover', action: 'take', toPageInbox: true, toThisApp: false, metadata: '' }),
		]);
	});

	test('messages start it as before, once each: a handover delivered again (its fields in another order) is not emitted again', async () => {
		const deliverTo = publishedTrigger(1.1);
		expect((await deliverTo(page({ messaging: [message, handBack] }))).map((item) => item.type)).toEqual(['message', 'handover']);
		const reordered = { pass_thread_control: { metadata: 'back to the bot', new_owner_app_id: Number(APP_ID), previous_owner_app_id: Number(PAGE_INBOX_APP_ID) }, timestamp: handBack.timestamp, recipient: { id: PAGE }, sender: { id: PSID } };
		expect(await deliverTo(page({ messaging: [reordered, message] }))).toEqual([]);
		// Another hand-back of the same person later is another event.
		expect(await deliverTo(page({ messaging: [{ ...handBack, timestamp: handBack.timestamp + 60_000 }] }))).toEqual([expect.objectContaining({ type: 'handover' })]);
	});
});

describe('Standby, only when chosen', () => {
	test('chosen: each copy is a standby item, read as the message it copies', async () => {
		const items = await deliver(page({ standby: [meanwhile] }), 1.1, { events: ['message', 'handover', 'standby'] });
		expect(items).toEqual([expect.objectContaining({ type: 'standby', standbyType: 'message', senderId: PSID, mid: 'm_meanwhile', text: 'Is anyone there?' })]);
	});

	test('not chosen (Other is, on a new trigger): nothing', async () => {
		expect(await deliver(page({ standby: [meanwhile] }), 1.1, { events: ['message', 'other'] })).toEqual([]);
	});
});

describe('echoes: a human’s reply from the Page Inbox', () => {
	test('fromHuman true for the Page Inbox’s app ID, false for an app’s', async () => {
		const items = await deliver(page({ messaging: [humanReply, botReply] }), 1.1, { events: ['echo'] });
		expect(items).toEqual([
			expect.objectContaining({ type: 'echo', appId: PAGE_INBOX_APP_ID, fromHuman: true, text: 'Hi, Anna here' }),
			expect.objectContaining({ type: 'echo', appId: APP_ID, fromHuman: false }),
		]);
	});
});

describe('an older workflow (version 1)', () => {
	test('saved with the default Events: still messages, quick replies and postbacks only; no handover, no standby', async () => {
		expect(await deliver(page({ messaging: [handBack, message], standby: [meanwhile] }), 1)).toEqual([expect.objectContaining({ type: 'message', mid: 'm_hello' })]);
	});

	test('an explicit Events list gets what it chose and nothing new; with Other, standby copies come as Other items as they did', async () => {
		const items = await deliver(page({ messaging: [handBack, humanReply, message], standby: [meanwhile] }), 1, { events: ['echo', 'other'] });
		expect(items.map((item) => item.type)).toEqual(['echo', 'other']);
		expect(items[1]).toMatchObject({ senderId: null, text: null, event: { standby: meanwhile } });
	});

	test('with Handover chosen, handover items carry the new fields', async () => {
		expect(await deliver(page({ messaging: [handBack] }), 1, { events: ['handover'] })).toEqual([expect.objectContaining({ type: 'handover', action: 'pass', toThisApp: true })]);
	});
});

/**
 * What publishing and unpublishing a trigger (n8n's hook context) do to Meta's side, which starts
 * with nothing subscribed and keeps what the Graph calls set: the fields subscribed, and the calls
 * that put it back.
 */
async function subscribe(typeVersion: number, saved: INodeParameters) {
	const node = nodeOf(typeVersion, saved, `hook-${++triggers}`);
	const calls: Array<{ method: string; path: string; qs: IDataObject }> = [];
	const staticData: IDataObject = {};
	const meta: { app: { callback_url: string; fields: string[] } | null; page: string[] | null } = { app: null, page: null };
	const answer = async (options: IHttpRequestOptions) => {
		const path = String(options.url).replace('https://graph.example.com/v25.0/', '');
		const qs = (options.qs ?? {}) as IDataObject;
		calls.push({ method: String(options.method), path, qs });
		const app = path.endsWith('/subscriptions');
		let body: IDataObject = { success: true };
		if (options.method === 'GET' && app) body = { data: meta.app ? [{ object: 'page', active: true, callback_url: meta.app.callback_url, fields: meta.app.fields.map((name) => ({ name })) }] : [] };
		else if (options.method === 'GET') body = { data: meta.page ? [{ id: APP_ID, subscribed_fields: meta.page }] : [] };
		else if (app) meta.app = options.method === 'POST' ? { callback_url: String(qs.callback_url), fields: String(qs.fields).split(',') } : null;
		else meta.page = options.method === 'POST' ? String(qs.subscribed_fields).split(',') : null;
		return { statusCode: 200, body, headers: {} };
	};
	const ctx = {
		getCredentials: async () => credentials,
		getNodeParameter: (name: string, fallback: unknown) => node.parameters[name] ?? fallback,
		getNodeWebhookUrl: () => OWN_URL,
		getWorkflowStaticData: () => staticData,
		getWorkflow: () => ({ id: 'wf-who' }),
		getNode: () => node,
		helpers: { httpRequest: answer, httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => await answer(options) },
	} as unknown as IHookFunctions;
	await trigger.webhookMethods.default.create.call(ctx);
	const subscribed = calls.filter((call) => call.method === 'POST').map((call) => [call.path, call.qs.fields ?? call.qs.subscribed_fields]);
	calls.length = 0;
	await trigger.webhookMethods.default.delete.call(ctx);
	return { subscribed, restored: calls.filter((call) => call.method !== 'GET').map((call) => [call.method, call.path]), after: meta };
}

describe('the automatic subscription', () => {
	test('a new trigger subscribes the app and the Page to messaging_handovers (not standby); unpublishing removes both as found', async () => {
		expect(await subscribe(1.1, {})).toEqual({
			subscribed: [
				[`${APP_ID}/subscriptions`, 'messages,messaging_handovers,messaging_postbacks'],
				['me/subscribed_apps', 'messages,messaging_handovers,messaging_postbacks'],
			],
			restored: [
				['DELETE', `${APP_ID}/subscriptions`],
				['DELETE', 'me/subscribed_apps'],
			],
			after: { app: null, page: null },
		});
	});

	test('standby only when Standby is chosen; a version 1 trigger at its defaults asks for what it did', async () => {
		expect((await subscribe(1.1, { events: ['message', 'handover', 'standby'] })).subscribed).toEqual([
			[`${APP_ID}/subscriptions`, 'messages,messaging_handovers,standby'],
			['me/subscribed_apps', 'messages,messaging_handovers,standby'],
		]);
		expect((await subscribe(1, {})).subscribed).toEqual([
			[`${APP_ID}/subscriptions`, 'messages,messaging_postbacks'],
			['me/subscribed_apps', 'messages,messaging_postbacks'],
		]);
	});
});
