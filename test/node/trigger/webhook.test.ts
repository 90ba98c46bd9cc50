// The Messenger Trigger's webhook() with n8n's webhook context mocked (as n8n's own
// WhatsAppTrigger.node.test.ts does): its answer to a delivery, the raw body it verifies, and what it
// does with a postback that names a Send and Wait resume link.
import { createHmac } from 'crypto';
import type { IDataObject, IHttpRequestOptions, IWebhookFunctions } from 'n8n-workflow';

import { MessengerTrigger } from '../../../nodes/MessengerTrigger/MessengerTrigger.node';

const APP_SECRET = 'dummy-trigger-app-secret';
const PAGE = '1029384756';
const ASKED = '6789012345678901';
const OTHER = '6789012345670000';
const OWN_URL = 'https://n8n.example.com/webhook/0f1e2d3c-hook/webhook';
const RESUME = 'https://n8n.example.com/webhook-waiting/231/9f1c0000-aaaa-4bbb-8ccc-000000000001?approved=true&signature=abc123';

const sign = (raw: Buffer) => `sha256=${createHmac('sha256', APP_SECRET).update(raw).digest('hex')}`;

interface Answer {
	statusCode: number;
	headers?: IDataObject;
	body?: string;
}

interface Harness {
	ctx: IWebhookFunctions;
	fetched: IHttpRequestOptions[];
	logged: string[];
	responded: Array<{ status: number; body: unknown }>;
}

/** A webhook context for one POST of Meta's; `answer` is n8n's answer to a handed-back tap. */
function harness(raw: Buffer, options: { rawBody?: 'given' | 'readable' | 'none'; answer?: Answer | Error; events?: string[] } = {}): Harness {
	const fetched: IHttpRequestOptions[] = [];
	const logged: string[] = [];
	const responded: Array<{ status: number; body: unknown }> = [];
	const request: Record<string, unknown> = { method: 'POST', headers: { 'x-hub-signature-256': sign(raw) } };
	const mode = options.rawBody ?? 'given';
	if (mode === 'given') request.rawBody = raw;
	if (mode === 'readable') {
		request.readRawBody = async () => {
			request.rawBody = raw;
		};
	}
	let status = 200;
	const response = {
		status: (code: number) => ((status = code), response),
		type: () => response,
		send: (body: unknown) => responded.push({ status, body }),
	};
	const staticData: IDataObject = {};
	const log = (message: string) => logged.push(message);
	const ctx = {
		getWebhookName: () => 'default',
		getCredentials: async () => ({ accessToken: 'dummy-token', appSecret: APP_SECRET }),
		getRequestObject: () => request,
		getResponseObject: () => response,
		getNodeParameter: (name: string, fallback: unknown) => (name === 'events' ? (options.events ?? ['message', 'quick_reply', 'postback']) : fallback),
		getNodeWebhookUrl: () => OWN_URL,
		getWorkflowStaticData: () => staticData,
		getWorkflow: () => ({ id: 'wf-1' }),
		getNode: () => ({ id: 'trigger-1', name: 'Messenger Trigger' }),
		logger: { debug: log, info: log, warn: log, error: log },
		helpers: {
			httpRequest: async (requestOptions: IHttpRequestOptions) => {
				fetched.push(requestOptions);
				if (options.answer instanceof Error) throw options.answer;
				return { body: '', headers: {}, ...(options.answer ?? { statusCode: 200 }) };
			},
		},
	} as unknown as IWebhookFunctions;
	return { ctx, fetched, logged, responded };
}

let mids = 0;
const postback = (payload: string, sender = ASKED) => ({
	sender: { id: sender },
	recipient: { id: PAGE },
	timestamp: 1764580000000,
	postback: { mid: `m_tap_${++mids}`, title: 'Approve', payload },
});
const delivery = (...events: object[]) => Buffer.from(JSON.stringify({ object: 'page', entry: [{ id: PAGE, time: 1764580000009, messaging: events }] }));
const trigger = new MessengerTrigger();
const run = async (h: Harness) => await trigger.webhook.call(h.ctx);
const emitted = (result: Awaited<ReturnType<typeof run>>) => (result.workflowData?.[0] ?? []).map((item) => item.json);
const RECORDED = { 'x-messenger-send-answer': 'recorded' };

describe('the answer to a delivery', () => {
	const message = (mid: string) => delivery({ sender: { id: ASKED }, recipient: { id: PAGE }, timestamp: 1764580000000, message: { mid, text: 'Hi' } });

	test('new events: the trigger answers 200 EVENT_RECEIVED itself and hands n8n the items, so n8n saves the keys before it prepares the execution', async () => {
		const h = harness(message('m_answer_1'));
		const result = await run(h);

		expect(h.responded).toEqual([{ status: 200, body: 'EVENT_RECEIVED' }]);
		// noWebhookResponse: n8n answers nothing more and saves the static data right away (n8n 2.40
		// would otherwise answer, and save, only after building the execution, which clears its "changed" mark).
		expect(result).toEqual({ noWebhookResponse: true, workflowData: [[expect.objectContaining({ json: expect.objectContaining({ mid: 'm_answer_1' }) })]] });
		expect((h.ctx.getWorkflowStaticData('node').seenEvents as string[]).length).toBe(1);
	});

	test('the same delivery again: the same answer, nothing to start', async () => {
		await run(harness(message('m_answer_2')));
		const again = harness(message('m_answer_2'));
		const result = await run(again);

		expect(again.responded).toEqual([{ status: 200, body: 'EVENT_RECEIVED' }]);
		expect(result).toEqual({ noWebhookResponse: true });
	});

	test('two deliveries of the same event at the same moment (each with static data loaded before the other saved): one of them emits it', async () => {
		const [first, second] = [harness(message('m_answer_3')), harness(message('m_answer_3'))];
		const results = await Promise.all([run(first), run(second)]);

		expect(results.map((result) => emitted(result).length).sort()).toEqual([0, 1]);
		expect([...first.responded, ...second.responded]).toEqual([
			{ status: 200, body: 'EVENT_RECEIVED' },
			{ status: 200, body: 'EVENT_RECEIVED' },
		]);
	});
});

describe('the raw body the signature is checked over', () => {
	test('n8n has not read it yet: the trigger asks for it (readRawBody) instead of blaming the App Secret', async () => {
		const raw = delivery({ sender: { id: ASKED }, recipient: { id: PAGE }, timestamp: 1764580000000, message: { mid: 'm_1', text: 'Hello' } });
		const h = harness(raw, { rawBody: 'readable' });
		const result = await run(h);

		expect(h.responded).toEqual([{ status: 200, body: 'EVENT_RECEIVED' }]);
		expect(emitted(result)).toEqual([expect.objectContaining({ type: 'message', text: 'Hello', senderId: ASKED })]);
	});

	test('no raw body at all: refused, and the log says the body was missing, not that the App Secret is wrong', async () => {
		const h = harness(delivery(), { rawBody: 'none' });
		await run(h);

		expect(h.responded).toEqual([{ status: 403, body: 'Invalid signature' }]);
		expect(h.logged.join('\n')).toContain('n8n did not hand over the raw bytes of the request');
		expect(h.logged.join('\n')).not.toContain('App Secret');
	});
});

describe('a postback naming a resume link', () => {
	test('n8n’s waiting-webhook path of an execution, its resume answer: handed back without redirects, with who tapped, and swallowed', async () => {
		const h = harness(delivery(postback(`n8n-resume:${RESUME}`)), { answer: { statusCode: 200, headers: RECORDED } });
		const result = await run(h);

		expect(h.fetched).toEqual([
			expect.objectContaining({ method: 'GET', url: RESUME, disableFollowRedirect: true, headers: expect.objectContaining({ 'x-messenger-tapped-by': ASKED }) }),
		]);
		expect(emitted(result)).toEqual([]);
	});

	test('a tap on a question answered before: n8n’s "No action required" page; nothing resumed, not passed on either', async () => {
		const h = harness(delivery(postback(`n8n-resume:${RESUME}`)), { answer: { statusCode: 200, body: '<html><head><title>No action required</title></head></html>' } });
		const result = await run(h);

		expect(h.fetched).toHaveLength(1);
		expect(emitted(result)).toEqual([]);
		expect(h.logged.join('\n')).toContain('answered before');
	});

	test.each([
		['n8n’s REST API', 'https://n8n.example.com/rest/workflows?signature=abc'],
		['another workflow’s GET webhook', 'https://n8n.example.com/webhook/other-hook?approved=true&signature=abc'],
		['a form of another kind', 'https://n8n.example.com/form-waiting/231?signature=abc'],
		['a waiting path with a non-numeric execution', 'https://n8n.example.com/webhook-waiting/../rest/x/9f1c?approved=true&signature=abc'],
		['extra parameters', `${RESUME}&redirect=https://evil.example.com`],
		['another host', RESUME.replace('n8n.example.com', 'evil.example.com')],
	])('%s is not fetched: an ordinary postback', async (_name, url) => {
		const h = harness(delivery(postback(`n8n-resume:${url}`)));
		const result = await run(h);

		expect(h.fetched).toEqual([]);
		expect(emitted(result)).toEqual([expect.objectContaining({ type: 'postback', postbackPayload: `n8n-resume:${url}` })]);
	});

	test.each([
		['a 2xx that is not n8n’s resume answer', { statusCode: 200 }],
		['a redirect', { statusCode: 302, headers: { location: 'https://n8n.example.com/rest/login' } }],
		['the person who tapped is not the person asked', { statusCode: 403, headers: { 'x-messenger-send-answer': 'not-asked' } }],
		['a refused signature', { statusCode: 401 }],
	])('%s: nothing resumed, the tap is an ordinary postback, and the log says why', async (_name, answer) => {
		const h = harness(delivery(postback(`n8n-resume:${RESUME}`, OTHER)), { answer });
		const result = await run(h);

		expect(emitted(result)).toEqual([expect.objectContaining({ type: 'postback', senderId: OTHER })]);
		expect(h.logged.join('\n')).toContain(`HTTP ${answer.statusCode}`);
	});
});
