// Parameters without an expression are read from n8n once per run and reused for every item
// (request/parameters.ts, readOnce). Run by n8n's engine against the Graph API emulator: what
// users see stays per item (bodies, output items, errors), and how often n8n was asked.
import { ExecuteContext } from 'n8n-core';
import type { INodeParameters } from 'n8n-workflow';

import { server, send, useGraphServer } from '../helpers/fixtures';

useGraphServer();

/** One request per item, in item order, so each body can be compared as it left n8n. */
const oneByOne = { batching: false, maxConcurrency: 1 };

const quickReplies = {
	reply: [
		{ contentType: 'text', title: 'Small', payload: 'SIZE_S', imageUrl: 'https://example.com/s.png' },
		{ contentType: 'user_email' },
	],
};

const constant: INodeParameters = {
	operation: 'sendMessage',
	recipientType: 'id',
	psid: '42',
	messagingType: 'UPDATE',
	text: 'Pick a size',
	options: { quickReplies, metadata: 'campaign-7', notificationType: 'SILENT_PUSH' },
	delivery: oneByOne,
};

const constantBody = {
	recipient: { id: '42' },
	messaging_type: 'UPDATE',
	message: {
		text: 'Pick a size',
		quick_replies: [
			{ content_type: 'text', title: 'Small', payload: 'SIZE_S', image_url: 'https://example.com/s.png' },
			{ content_type: 'user_email' },
		],
		metadata: 'campaign-7',
	},
	notification_type: 'SILENT_PUSH',
};

const people = (count: number) => Array.from({ length: count }, (_, index) => ({ json: { psid: `${index + 1}`, tag: `t${index}`, x: `X${index}` } }));

/** The parameter names n8n was asked for during `run`, with how often. */
async function countReads<T>(run: () => Promise<T>): Promise<{ result: T; reads: Record<string, number> }> {
	// ExecuteContext.getNodeParameter calls the base class's _getNodeParameter, which does the work.
	let owner: object | null = ExecuteContext.prototype;
	while (owner && !Object.prototype.hasOwnProperty.call(owner, '_getNodeParameter')) owner = Object.getPrototypeOf(owner) as object | null;
	if (!owner) throw new Error("n8n-core's ExecuteContext has no _getNodeParameter any more: update this test");
	const spy = jest.spyOn(owner as { _getNodeParameter: (name: string) => unknown }, '_getNodeParameter');
	try {
		const result = await run();
		const reads: Record<string, number> = {};
		for (const [name] of spy.mock.calls) reads[name] = (reads[name] ?? 0) + 1;
		return { result, reads };
	} finally {
		spy.mockRestore();
	}
}

describe('Parameters read once per run', () => {
	test('constant parameters: N identical exact bodies, N output items with pairedItem, each parameter read once', async () => {
		const { result: run, reads } = await countReads(async () => await send(constant, { items: people(4) }));

		expect(run.error).toBeUndefined();
		expect(server.requests.map((request) => request.body)).toEqual([constantBody, constantBody, constantBody, constantBody]);
		expect(run.items).toEqual(
			[0, 1, 2, 3].map((item) => ({ json: { recipient_id: '42', message_id: `m_${item + 1}`, attempts: 1 }, pairedItem: { item } })),
		);
		for (const name of ['recipientType', 'psid', 'messagingType', 'contentType', 'text', 'options', 'options.metadata', 'options.notificationType', 'pageId', 'delivery.deduplicationKey']) {
			expect({ name, reads: reads[name] }).toEqual({ name, reads: 1 });
		}
	});

	test('mixed constant and expression parameters: per-item values where an expression is, expressions read per item', async () => {
		const { result: run, reads } = await countReads(
			async () =>
				await send(
					{ ...constant, psid: '={{ $json.psid }}', options: { quickReplies, metadata: '={{ $json.tag }}', notificationType: 'SILENT_PUSH' } },
					{ items: people(3) },
				),
		);

		expect(run.error).toBeUndefined();
		expect(server.requests.map((request) => request.body)).toEqual(
			[0, 1, 2].map((index) => ({
				...constantBody,
				recipient: { id: `${index + 1}` },
				message: { ...constantBody.message, metadata: `t${index}` },
			})),
		);
		expect(run.items).toEqual(
			[0, 1, 2].map((item) => ({ json: { recipient_id: `${item + 1}`, message_id: `m_${item + 1}`, attempts: 1 }, pairedItem: { item } })),
		);
		// `options` holds an expression, so it and its expression are read for each item; its constant fields once.
		expect(reads).toMatchObject({ psid: 3, options: 3, 'options.metadata': 3, 'options.notificationType': 1, text: 1, messagingType: 1 });
	});

	test.each([
		['text over the limit', { text: 'x'.repeat(2000) }, (item: number) => `Text in item ${item}: 2000 characters, more than the limit of 1999 (message text must be fewer than 2000 characters, counted as Unicode code points: an emoji is one, a flag or a family emoji several)`],
		[
			'a quick reply title too long',
			{ options: { quickReplies: { reply: [{ contentType: 'text', title: 'x'.repeat(21), payload: 'P' }] } } },
			(item: number) => `Quick Reply 1 Title in item ${item}: 21 characters, more than the limit of 20 (a quick reply title has at most 20 characters)`,
		],
	])('a constant invalid value (%s): an error item for every input item, each naming its own item; nothing sent', async (_, invalid, message) => {
		const run = await send({ ...constant, ...invalid }, { items: people(3), continueOnFail: true });

		expect(run.error).toBeUndefined();
		expect(server.requests).toHaveLength(0);
		expect(run.items).toEqual([0, 1, 2].map((item) => ({ json: { error: message(item), attempts: 0 }, pairedItem: { item } })));
	});

	test('a constant invalid value without Continue On Fail: the run stops at item 0, nothing sent', async () => {
		const run = await send({ ...constant, text: 'x'.repeat(2000) }, { items: people(3) });

		expect(server.requests).toHaveLength(0);
		expect(run.error?.message).toMatch(/^Text in item 0: 2000 characters/);
		expect(run.error?.context?.itemIndex).toBe(0);
	});

	test('an expression nested in a fixedCollection (a quick reply payload) is evaluated per item', async () => {
		const run = await send(
			{ ...constant, options: { quickReplies: { reply: [{ contentType: 'text', title: 'Small', payload: '={{ $json.x }}' }] } } },
			{ items: people(3) },
		);

		expect(run.error).toBeUndefined();
		expect(server.requests.map((request) => request.body)).toEqual(
			['X0', 'X1', 'X2'].map((payload) => ({
				recipient: { id: '42' },
				messaging_type: 'UPDATE',
				message: { text: 'Pick a size', quick_replies: [{ content_type: 'text', title: 'Small', payload }] },
			})),
		);
	});

	test('an expression deep in a template (a generic element button URL) is evaluated per item', async () => {
		const run = await send(
			{
				operation: 'sendMessage',
				recipientType: 'id',
				psid: '42',
				messagingType: 'RESPONSE',
				contentType: 'template',
				templateType: 'generic',
				imageAspectRatio: 'square',
				elements: {
					element: [{ title: 'Shirt', buttons: { button: [{ type: 'web_url', title: 'View', url: '=https://example.com/p/{{ $json.x }}' }] } }],
				},
				delivery: oneByOne,
			},
			{ items: people(2) },
		);

		expect(run.error).toBeUndefined();
		expect(server.requests.map((request) => request.body)).toEqual(
			['X0', 'X1'].map((x) => ({
				recipient: { id: '42' },
				messaging_type: 'RESPONSE',
				message: {
					attachment: {
						type: 'template',
						payload: {
							template_type: 'generic',
							image_aspect_ratio: 'square',
							elements: [{ title: 'Shirt', buttons: [{ type: 'web_url', title: 'View', url: `https://example.com/p/${x}` }] }],
						},
					},
				},
			})),
		);
	});
});
