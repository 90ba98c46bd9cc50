// What users see when something goes wrong: validation before sending, Graph errors with a
// plain explanation and their ids, Continue On Fail, and no token anywhere.
import { APP_SECRET, credentials, everythingRecorded, server, send, TOKEN, useGraphServer } from '../helpers/fixtures';
import { graphError } from '../helpers/graphReplies';
import { textMessage as message } from '../helpers/parameters';

useGraphServer();

describe('Graph errors become NodeApiError with an explanation and the Graph ids', () => {
	test('10/2018278 outside the 24-hour window: says what happened and the fix', async () => {
		server.respondWith = () => graphError(10, 2018278, '(#10) This message is sent outside of allowed window.');
		const run = await send(message());

		expect(run.error?.name).toBe('NodeApiError');
		expect(run.error?.message).toBe('The person is outside the 24-hour messaging window (item 0)');
		expect(run.error?.description).toBe(
			'Use the Tagged Update operation with the HUMAN_AGENT tag (within 7 days of their last message), or wait until the person writes to the Page again. ' +
				'Graph API said: (#10) This message is sent outside of allowed window. (code 10, subcode 2018278, fbtrace_id AbCdEf123) ' +
				'Sent in this run: 0 delivered, 1 failed (of 1). Turn on Continue On Fail (Settings → On Error) to get an output item for each.',
		);
	});

	// One row per entry of the Send API error table (shared/messenger-send-api.md).
	test.each([
		[1200, 2018024, 'temporary problem'],
		[1, undefined, 'unknown error'],
		[2, undefined, 'temporarily unavailable'],
		[4, undefined, 'rate limit'],
		[613, undefined, 'rate limit'],
		[80006, undefined, 'rate limit'],
		[613, 2018338, 'policy warning'],
		[10, 2534022, 'outside the 24-hour'],
		[10, 2018108, 'can’t receive messages'],
		[100, 2018001, 'No matching user'],
		[100, 2018014, 'message and a sender action'],
		[100, 2018018, 'both text and an attachment'],
		[100, 2018034, 'empty'],
		[100, 2018074, 'attachment ID cannot be used'],
		[100, 2018008, 'could not use the attachment'],
		[100, 2018047, 'does not match'],
		[100, 2018109, 'too large'],
		[100, 2018294, 'timed out'],
		[100, undefined, 'refused a parameter'],
		[190, undefined, 'invalid or expired'],
		[200, undefined, 'lacks a permission'],
		[230, undefined, 'lacks a permission'],
		[551, undefined, 'not available'],
		[200, 1545041, 'not available'],
		[10900, undefined, 'already sent'],
		[10903, undefined, 'not allowed'],
		[2018300, undefined, 'Another app controls'],
		[1, 1357046, 'may have been delivered'],
	])('code %s / subcode %s is explained (%s)', async (code, subcode, words) => {
		server.respondWith = () => graphError(code, subcode);
		// Retries are the sender's business (test/node/delivery/sender.test.ts); here: the explanation.
		const run = await send({ ...message(), delivery: { maxRetries: 0 } });

		expect(run.error?.message).toContain(words);
		expect(run.error?.message).toMatch(/\(item 0\)$/);
		expect(run.error?.description).toContain(`code ${code}`);
	});

	test('a retired tag answered with error 100 is explained as retired', async () => {
		server.respondWith = () => graphError(100, undefined, '(#100) Tag is not supported');
		const run = await send({
			operation: 'taggedUpdate',
			recipientType: 'id',
			psid: '42',
			tag: 'POST_PURCHASE_UPDATE',
			contentType: 'text',
			text: 'Your parcel left the warehouse',
		});

		expect(server.requests[0].body.tag).toBe('POST_PURCHASE_UPDATE');
		expect(run.error?.message).toBe('This message tag was retired by Meta on 2026-04-27 (item 0)');
		expect(run.error?.description).toContain('utility templates');
	});

	test('a Page ID that is not the token’s Page: the Page ID field is named, and what "me" means', async () => {
		const run = await send({ ...message(), pageId: '555000111' });

		expect(server.requests[0].path).toBe('/v25.0/555000111/messages');
		expect(run.error?.message).toBe('The Page ID is not the Page of this access token (item 0)');
		expect(run.error?.description).toMatch(
			/^Check the Page ID field: "me" is the Page the access token belongs to, or enter that Page’s own ID\. .*Graph API said: Unsupported post request\. Object with ID '555000111' does not exist.*\(code 100, subcode 33, /,
		);
	});

	test('Graph refusing a long text is explained as the text limit, not "a parameter"', async () => {
		server.respondWith = () => graphError(100, undefined, '(#100) Length of param message[text] must be less than or equal to 2000');
		const run = await send(message());

		expect(run.error?.message).toBe('The text is too long for Messenger (item 0)');
		expect(run.error?.description).toContain('Messenger takes fewer than 2000 characters (Instagram: 1000 bytes of UTF-8). Shorten the Text, or send it as several messages.');
	});

	test('the text limit counts code points, as the emulator (and Meta’s "UTF-8, 2000 characters") does: 1999 emoji go out', async () => {
		const run = await send({ ...message(), text: '😀'.repeat(1999) });

		expect(run.error).toBeUndefined();
		expect(server.inbox).toHaveLength(1);
		const flags = await send({ ...message(), text: '🇫🇷'.repeat(1000) });
		expect(flags.error?.message).toBe(
			'Text in item 0: 2000 characters, more than the limit of 1999 (message text must be fewer than 2000 characters, counted as Unicode code points: an emoji is one, a flag or a family emoji several)',
		);
	});

	test('an unknown code keeps Graph’s own message', async () => {
		server.respondWith = () => graphError(9999, undefined, 'Something new');
		const run = await send(message());

		expect(run.error?.message).toBe('Messenger refused item 0: Something new');
	});

	test('a gateway error page (HTTP 502, not JSON) is retried; the send succeeds on the third attempt', async () => {
		server.respondWith = (_request, index) => (index < 2 ? { status: 502, body: '<html>Bad Gateway</html>' } : undefined);
		const run = await send(message());

		expect(run.error).toBeUndefined();
		expect(server.requests).toHaveLength(3);
		expect(server.inbox).toHaveLength(1);
		expect(run.items).toEqual([{ json: { recipient_id: '42', message_id: 'm_1', attempts: 3 }, pairedItem: { item: 0 } }]);
	});

	test('a 2xx answer that is not JSON is not retried: the message may have been delivered', async () => {
		server.respondWith = () => ({ status: 200, body: '{"recipient_id":"42","mess' });
		const run = await send({ ...message(), delivery: { maxRetries: 2, maxWaitSeconds: 1 } });

		// The send once, then the look in the conversation, which gets the same cut-off answer here
		// and, being a read, is asked again within the retries.
		expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			'POST /v25.0/me/messages',
			'GET /v25.0/me/conversations',
			'GET /v25.0/me/conversations',
			'GET /v25.0/me/conversations',
		]);
		expect(run.error?.message).toBe('Messenger answered HTTP 200 with a body that is not a Graph answer (item 0)');
		expect(run.error?.description).toContain('may have been delivered');
		expect(run.error?.description).toContain('It could not be checked in the conversation: the lookup in the conversation failed (HTTP 200, asked 3 times).');
	});

	test('a dropped connection says the message may or may not have gone out', async () => {
		server.respondWith = () => 'drop';
		const run = await send(message());

		expect(run.error?.message).toMatch(/^No answer from the Graph API at 127\.0\.0\.1:\d+ \(item 0\)$/);
		expect(run.error?.description).toContain('may or may not have reached Messenger');
	});
});

describe('Continue On Fail', () => {
	test('a refused item becomes an error item with code, subcode and fbtrace_id; the others go on', async () => {
		server.respondWith = (request, index) =>
			(request.body.recipient as { id: string }).id === 'blocked'
				? graphError(551, undefined, 'This person isn’t available right now.')
				: { status: 200, body: { recipient_id: (request.body.recipient as { id: string }).id, message_id: `m_${index}` } };
		const run = await send(
			{ ...message('Hi'), psid: '={{ $json.psid }}', delivery: { batching: false } },
			{ items: [{ json: { psid: 'a' } }, { json: { psid: 'blocked' } }, { json: { psid: 'c' } }], continueOnFail: true },
		);

		expect(run.error).toBeUndefined();
		expect(server.requests).toHaveLength(3);
		expect(run.items).toEqual([
			{ json: { recipient_id: 'a', message_id: 'm_0', attempts: 1 }, pairedItem: { item: 0 } },
			{
				json: {
					error: 'This person is not available on Messenger (item 1)',
					description:
						'They may have blocked the Page or deactivated their account. Remove them from your list. Graph API said: This person isn’t available right now. (code 551, fbtrace_id AbCdEf123)',
					code: 551,
					fbtrace_id: 'AbCdEf123',
					type: 'OAuthException',
					httpCode: '400',
					attempts: 1,
				},
				pairedItem: { item: 1 },
			},
			{ json: { recipient_id: 'c', message_id: 'm_2', attempts: 1 }, pairedItem: { item: 2 } },
		]);
	});

	test('in a Graph batch too: the refused send becomes an error item, the others are delivered', async () => {
		server.configure({ outsideWindow: ['b'] });
		try {
			const run = await send(
				{ ...message('Hi'), psid: '={{ $json.psid }}' },
				{ items: [{ json: { psid: 'a' } }, { json: { psid: 'b' } }, { json: { psid: 'c' } }], continueOnFail: true },
			);

			expect(server.requests.map((r) => r.path)).toEqual(['/v25.0/']);
			expect(server.inbox.map((entry) => entry.recipientKey)).toEqual(['id:a', 'id:c']);
			expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(run.items[0].json).toEqual({ recipient_id: 'a', message_id: 'm_1', attempts: 1 });
			expect(run.items[1].json).toMatchObject({
				error: 'The person is outside the 24-hour messaging window (item 1)',
				code: 10,
				error_subcode: 2018278,
				attempts: 1,
			});
			expect(run.items[2].json).toEqual({ recipient_id: 'c', message_id: 'm_2', attempts: 1 });
		} finally {
			server.configure({ outsideWindow: undefined });
		}
	});

	test('an invalid item becomes an error item and is not sent; valid items are', async () => {
		const run = await send(
			{ ...message(), text: '={{ $json.text }}' },
			{ items: [{ json: { text: 'ok' } }, { json: { text: 'x'.repeat(2000) } }, { json: { text: 'fine' } }], continueOnFail: true },
		);

		expect(server.sendOperations().map((operation) => (operation.message as { text: string }).text)).toEqual(['ok', 'fine']);
		expect(run.items).toEqual([
			{ json: { recipient_id: '42', message_id: 'm_1', attempts: 1 }, pairedItem: { item: 0 } },
			{ json: { error: 'Text in item 1: 2000 characters, more than the limit of 1999 (message text must be fewer than 2000 characters, counted as Unicode code points: an emoji is one, a flag or a family emoji several)', attempts: 0 }, pairedItem: { item: 1 } },
			{ json: { recipient_id: '42', message_id: 'm_2', attempts: 1 }, pairedItem: { item: 2 } },
		]);
	});

	test('without it, one invalid item stops the run before anything is sent', async () => {
		const run = await send(
			{ ...message(), text: '={{ $json.text }}' },
			{ items: [{ json: { text: 'ok' } }, { json: { text: '' } }] },
		);

		expect(server.requests).toHaveLength(0);
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toBe('Text in item 1 is empty: enter a value');
		expect(run.error?.context?.itemIndex).toBe(1);
	});
});

describe('Validation through the node', () => {
	test.each([
		['an empty PSID', { psid: '  ' }, 'PSID in item 0 is empty: enter a value'],
		['14 quick replies', { options: { quickReplies: { reply: Array.from({ length: 14 }, (_, i) => ({ contentType: 'text', title: `Q${i}`, payload: `P${i}` })) } } }, 'Quick Replies in item 0: 14 quick replies, more than the limit of 13 (a message carries at most 13 quick replies)'],
		['a 21-character quick reply title', { options: { quickReplies: { reply: [{ contentType: 'text', title: 'x'.repeat(21), payload: 'P' }] } } }, 'Quick Reply 1 Title in item 0: 21 characters, more than the limit of 20 (a quick reply title has at most 20 characters)'],
		['a 1001-character payload', { options: { quickReplies: { reply: [{ contentType: 'text', title: 'T', payload: 'p'.repeat(1001) }] } } }, 'Quick Reply 1 Payload in item 0: 1001 characters, more than the limit of 1000 (a quick reply payload has at most 1000 characters)'],
		['1000 characters of metadata', { options: { metadata: 'm'.repeat(1000) } }, 'Metadata in item 0: 1000 characters, more than the limit of 999 (metadata must be fewer than 1000 characters)'],
		['a PSID expression that yields an object', { psid: '={{ { id: 1 } }}' }, 'PSID in item 0 must be text, but the expression gave an object'],
		['a quick reply title that yields a list', { options: { quickReplies: { reply: [{ contentType: 'text', title: '={{ [1, 2] }}', payload: 'P' }] } } }, 'Quick Reply 1 Title in item 0 must be text, but the expression gave a list'],
	])('%s is refused before sending', async (_name, parameters, error) => {
		const run = await send({ ...message(), ...parameters });

		expect(server.requests).toHaveLength(0);
		expect(run.error?.message).toBe(error);
	});

	test('a PSID that reached n8n as a number above 2^53 is refused: it was rounded, maybe to another person', async () => {
		// 12345678901234567890 in the JSON becomes 12345678901234567000 in JavaScript: another ID.
		const run = await send({ ...message(), psid: '={{ $json.psid }}' }, { items: [{ json: { psid: 7 } }, { json: JSON.parse('{ "psid": 12345678901234567890 }') }], continueOnFail: true });

		expect(server.requests.map((request) => request.body.recipient)).toEqual([{ id: '7' }]);
		expect(run.items[1].json).toEqual({
			error:
				'PSID in item 1 is the number 12345678901234567000, above 2^53 (9007199254740991), where numbers lose digits: it may have been rounded to another ID. Pass IDs as text (a string in the JSON, a field of type String), never as numbers',
			attempts: 0,
		});
	});

	test('a number from an expression is sent as text', async () => {
		const run = await send({ ...message(), psid: '={{ 6789012345 }}' });

		expect(run.error).toBeUndefined();
		expect(server.requests[0].body.recipient).toEqual({ id: '6789012345' });
	});

	test('an attachment URL that is not http(s) is refused', async () => {
		const run = await send({
			operation: 'sendAttachment',
			recipientType: 'id',
			psid: '42',
			messagingType: 'RESPONSE',
			attachmentType: 'image',
			attachmentSource: 'url',
			attachmentUrl: 'ftp://example.com/a.jpg',
		});

		expect(server.requests).toHaveLength(0);
		expect(run.error?.message).toBe('Attachment URL in item 0 is not an http(s) URL: "ftp://example.com/a.jpg"');
	});

	test('1999 characters (emoji counted once) are accepted', async () => {
		const text = '👍'.repeat(1999);
		const run = await send(message(text));

		expect(run.error).toBeUndefined();
		expect((server.requests[0].body.message as { text: string }).text).toBe(text);
	});
});

test('an operation this version does not know (a workflow from a newer version) is refused by name, nothing sent', async () => {
	const run = await send({ operation: 'sendCarousel', recipientType: 'id', psid: '42' });

	expect(server.requests).toHaveLength(0);
	expect(run.error?.message).toBe('The operation "sendCarousel" is not known to this version of the node');
	expect(run.error?.description).toBe('Choose an operation again in the node, or update the n8n-nodes-messenger-send package.');
});

describe('The access token and app secret never leave the Authorization header', () => {
	const withSecret = () => credentials({ appSecret: APP_SECRET });

	test('not in the URL, in a success run', async () => {
		const run = await send(message(), { credentials: withSecret() });

		expect(server.requests[0].url).not.toContain(TOKEN);
		expect(server.requests[0].url).not.toContain(APP_SECRET);
		expect(everythingRecorded(run)).not.toContain(TOKEN);
		expect(everythingRecorded(run)).not.toContain(APP_SECRET);
	});

	test('not in the error, even when Graph echoes it', async () => {
		server.respondWith = (request) => graphError(190, 460, `Error validating access token: ${request.headers.authorization} ${APP_SECRET}`);
		for (const continueOnFail of [false, true]) {
			const run = await send(message(), { credentials: withSecret(), continueOnFail });
			const recorded = everythingRecorded(run);

			expect(recorded).toContain('[redacted]');
			expect(recorded).not.toContain(TOKEN);
			expect(recorded).not.toContain(APP_SECRET);
		}
	});

	test('not in the error of a dropped connection', async () => {
		server.respondWith = () => 'drop';
		const run = await send(message(), { credentials: withSecret(), continueOnFail: true });

		expect(String(run.items[0].json.error)).toContain('No answer from the Graph API');
		expect(everythingRecorded(run)).not.toContain(TOKEN);
	});
});
