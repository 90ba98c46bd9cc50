// Send and Wait for Response, the pure parts: the question's request, the wait limit, what the
// node outputs, the pages the person sees, and which postback payloads resume an execution.
import { WAIT_INDEFINITELY, type IWebhookFunctions } from 'n8n-workflow';

import { build } from '../../../nodes/MessengerSend/sendAndWait/operation';
import { receiveAnswer } from '../../../nodes/MessengerSend/sendAndWait/answer';
import { answeredOutcome, waitingOutcome, waitUntil } from '../../../nodes/MessengerSend/sendAndWait/wait';
import { answeredPage, formPage } from '../../../nodes/MessengerSend/sendAndWait/pages';
import { isLinkPreview, tapAllowed } from '../../../nodes/MessengerSend/sendAndWait/taps';
import { handBackVerdict, resumePayload, resumeUrlOf } from '../../../nodes/shared/resumeLink';

const RESUME = 'https://n8n.example.com/webhook-waiting/231/9f1c?approved=true&signature=abc123';
const NOW = Date.parse('2026-12-01T10:00:00.000Z');

describe('the question', () => {
	const input = (buttons: Array<{ title: string; style: 'link' | 'postback' }>, text = 'Confirm your booking for 10:00?') => ({
		recipient: { type: 'id' as const, value: ' 6789012345678901 ' },
		messagingType: 'RESPONSE',
		text,
		buttons: buttons.map((button, index) => ({ ...button, resumeUrl: `${RESUME}&n=${index}` })),
	});

	test('is a button template: link buttons open the signed URL, postback buttons carry it for the trigger', () => {
		expect(build(input([{ title: 'Approve', style: 'link' }, { title: 'Decline', style: 'postback' }]), 0, ['Approve Label', 'Decline Label']).body).toEqual({
			recipient: { id: '6789012345678901' },
			messaging_type: 'RESPONSE',
			message: {
				attachment: {
					type: 'template',
					payload: {
						template_type: 'button',
						text: 'Confirm your booking for 10:00?',
						buttons: [
							{ type: 'web_url', title: 'Approve', url: `${RESUME}&n=0` },
							{ type: 'postback', title: 'Decline', payload: `n8n-resume:${RESUME}&n=1` },
						],
					},
				},
			},
		});
	});

	test('refuses a label or a message over Messenger’s limits, naming the field and the item', () => {
		expect(() => build(input([{ title: 'Approve the refund now', style: 'link' }]), 3, ['Approve Label'])).toThrow('Approve Label in item 3: 22 characters, more than the limit of 20 (a button title has at most 20 characters)');
		expect(() => build(input([{ title: 'OK', style: 'link' }], 'x'.repeat(641)), 0, ['Approve Label'])).toThrow('Message in item 0: 641 characters, more than the limit of 640');
	});
});

describe('the wait limit', () => {
	test('none waits indefinitely; an interval counts from now; a date is that date', () => {
		expect(waitUntil({ type: 'none' }, 0, NOW)).toBe(WAIT_INDEFINITELY);
		expect(waitUntil({ type: 'afterTimeInterval', amount: 2, unit: 'hours' }, 0, NOW).toISOString()).toBe('2026-12-01T12:00:00.000Z');
		expect(waitUntil({ type: 'afterTimeInterval', amount: 0.5, unit: 'minutes' }, 0, NOW).toISOString()).toBe('2026-12-01T10:00:30.000Z');
		expect(waitUntil({ type: 'atSpecifiedTime', dateTime: '2026-12-02T09:00:00.000Z' }, 0, NOW).toISOString()).toBe('2026-12-02T09:00:00.000Z');
	});

	test('a date that has passed, no date, or no amount is refused before anything is sent', () => {
		expect(() => waitUntil({ type: 'atSpecifiedTime', dateTime: '2026-11-30T09:00:00.000Z' }, 1, NOW)).toThrow('Max Date and Time in item 1 is 2026-11-30T09:00:00.000Z, which has passed');
		expect(() => waitUntil({ type: 'atSpecifiedTime', dateTime: '' }, 0, NOW)).toThrow('not a date and time');
		expect(() => waitUntil({ type: 'afterTimeInterval', amount: 0, unit: 'days' }, 0, NOW)).toThrow('Limit Wait Time Amount in item 0 is 0: it must be more than 0');
	});
});

test('the output says the answer, or that the time ran out, with the question’s ids either way', () => {
	const sent = { recipient_id: '6789012345678901', message_id: 'm_42', attempts: 1 };
	expect(waitingOutcome(sent)).toEqual({ approved: null, answer: null, respondedAt: null, timedOut: true, recipient_id: '6789012345678901', message_id: 'm_42' });
	const waiting = { ...waitingOutcome(sent) };
	expect(answeredOutcome(waiting, { approved: false }, new Date(NOW))).toEqual({
		approved: false,
		answer: null,
		respondedAt: '2026-12-01T10:00:00.000Z',
		timedOut: false,
		recipient_id: '6789012345678901',
		message_id: 'm_42',
	});
	expect(answeredOutcome(waiting, { text: 'Blue, size M' }, new Date(NOW))).toMatchObject({ approved: null, answer: 'Blue, size M', timedOut: false });
});

test('the pages escape what they show; the form posts back to its own signed URL', () => {
	expect(answeredPage('<b>Yes</b>')).toContain('Your answer <strong>&lt;b&gt;Yes&lt;/b&gt;</strong> was recorded');
	const form = formPage('Your order', 'Colour & size?', '/webhook-waiting/231/9f1c?form=answer&signature=abc', 'Please write an answer');
	expect(form).toContain('<form method="post" action="/webhook-waiting/231/9f1c?form=answer&amp;signature=abc">');
	expect(form).toContain('<textarea id="answer" name="answer" required>');
	expect(form).toContain('<p>Colour &amp; size?</p>');
	expect(form).toContain('<p class="problem">Please write an answer</p>');
});

describe('a postback that resumes an execution', () => {
	test('names a signed resume URL of this n8n', () => {
		expect(resumeUrlOf(resumePayload(RESUME), 'https://n8n.example.com/webhook/hook-1/webhook')).toBe(RESUME);
	});

	test('n8n behind a path (/n8n/webhook/…): the resume link under the same path', () => {
		const own = 'https://example.com/n8n/webhook/hook-1/webhook';
		const link = 'https://example.com/n8n/webhook-waiting/231/9f1c?approved=false&signature=abc123';
		expect(resumeUrlOf(resumePayload(link), own)).toBe(link);
		expect(resumeUrlOf(resumePayload(link.replace('/n8n/', '/')), own)).toBeUndefined();
		// The editor's test URL is n8n's too.
		expect(resumeUrlOf(resumePayload(RESUME), 'https://n8n.example.com/webhook-test/hook-1/webhook')).toBe(RESUME);
	});

	test('only n8n’s waiting-webhook path of an execution, with exactly a resume link’s parameters, written as n8n writes it', () => {
		const own = 'https://n8n.example.com/webhook/hook-1/webhook';
		for (const link of [
			'https://n8n.example.com/rest/workflows?signature=abc123',
			'https://n8n.example.com/webhook/other-hook?approved=true&signature=abc123',
			'https://n8n.example.com/webhook-waiting/231?approved=true&signature=abc123',
			'https://n8n.example.com/webhook-waiting/abc/9f1c?approved=true&signature=abc123',
			'https://n8n.example.com/webhook-waiting/231/9f1c/more?approved=true&signature=abc123',
			'https://n8n.example.com/webhook-waiting/231/../../rest/x?approved=true&signature=abc123',
			'https://n8n.example.com/webhook-waiting/231/9f1c?approved=maybe&signature=abc123',
			'https://n8n.example.com/webhook-waiting/231/9f1c?approved=true&signature=',
			`${RESUME}&next=https://evil.example.com`,
			`${RESUME}#fragment`,
			RESUME.replace('https://', 'https://user:pass@'),
		]) {
			expect([link, resumeUrlOf(resumePayload(link), own)]).toEqual([link, undefined]);
		}
	});

	test('anything else is an ordinary postback: another host, no signature, another prefix, not a URL', () => {
		const own = 'https://n8n.example.com/webhook/hook-1/webhook';
		expect(resumeUrlOf(resumePayload(RESUME.replace('n8n.example.com', 'evil.example.com')), own)).toBeUndefined();
		expect(resumeUrlOf(resumePayload('https://n8n.example.com/webhook-waiting/231/9f1c?approved=true'), own)).toBeUndefined();
		expect(resumeUrlOf(RESUME, own)).toBeUndefined();
		expect(resumeUrlOf('n8n-resume:not a url', own)).toBeUndefined();
		expect(resumeUrlOf('GET_STARTED', own)).toBeUndefined();
		expect(resumeUrlOf(undefined, own)).toBeUndefined();
	});
});

const agent = (userAgent: string) => ({ 'user-agent': userAgent });

describe('link-preview fetchers and prefetches are told apart from a person’s tap', () => {
	test.each([
		['facebookexternalhit', 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)'],
		['Facebot', 'Facebot'],
		['Slackbot', 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)'],
		['WhatsApp', 'WhatsApp/2.23.20.0'],
		['TelegramBot', 'TelegramBot (like TwitterBot)'],
		['Discordbot', 'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)'],
		['Twitterbot', 'Twitterbot/1.0'],
		['LinkedInBot', 'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)'],
		['bingbot', 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'],
		['Applebot', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)'],
		['Googlebot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
		['Skype', 'Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5'],
		['Microsoft Teams', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 MicrosoftPreview/2.0'],
		['Mastodon', 'http.rb/5.1.1 (Mastodon/4.2.0; +https://mastodon.social/)'],
		['Pinterest', 'Pinterestbot/1.0 (+http://www.pinterest.com/bot.html)'],
		['redditbot', 'Mozilla/5.0 (compatible; redditbot/1.0; +http://www.reddit.com/feedback)'],
		['Embedly', 'Mozilla/5.0 (compatible; Embedly/0.2; +http://support.embed.ly/)'],
		['iMessage', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0'],
		['Viber', 'Viber/20.0'],
		['Snapchat', 'Mozilla/5.0 (compatible; Snapchat/1.0)'],
	])('%s', (_name, userAgent) => {
		expect(isLinkPreview(agent(userAgent))).toBe(true);
	});

	test.each([
		['Sec-Purpose: prefetch', { 'sec-purpose': 'prefetch' }],
		['Sec-Purpose: prefetch;prerender', { 'sec-purpose': 'prefetch;prerender' }],
		['X-Purpose: preview', { 'x-purpose': 'preview' }],
		['X-Purpose: prefetch', { 'x-purpose': 'prefetch' }],
		['Purpose: prefetch', { purpose: 'prefetch' }],
		['X-Moz: prefetch', { 'x-moz': 'prefetch' }],
	])('a browser prefetch (%s) from a person’s browser is not a tap either', (_name, headers) => {
		expect(isLinkPreview({ ...agent(MESSENGER_BROWSER), ...headers })).toBe(true);
	});

	const MESSENGER_BROWSER = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/MessengerForiOS;FBAV/480.0]';

	test('a person’s browser, the trigger’s hand-back and no headers are taps', () => {
		expect(isLinkPreview(agent(MESSENGER_BROWSER))).toBe(false);
		expect(isLinkPreview(agent('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36 [FB_IAB/Orca-Android;FBAV/440.0]'))).toBe(false);
		expect(isLinkPreview(agent('n8n-nodes-messenger-send Messenger Trigger'))).toBe(false);
		expect(isLinkPreview({ ...agent(MESSENGER_BROWSER), 'sec-purpose': '' })).toBe(false);
		expect(isLinkPreview({})).toBe(false);
	});
});

describe('who may answer, and what counts as answered', () => {
	test('a tap handed back by the trigger answers only for the person asked; a browser tap names nobody', () => {
		expect(tapAllowed('6789012345678901', '6789012345678901')).toBe(true);
		expect(tapAllowed('6789012345678901', ['6789012345678901'])).toBe(true);
		expect(tapAllowed('6789012345678901', undefined)).toBe(true);
		expect(tapAllowed('6789012345678901', '6789012345670000')).toBe(false);
		expect(tapAllowed(null, '6789012345678901')).toBe(false);
	});

	const NO_ACTION = "<html lang='en'><head><title>No action required</title></head><body><h1>No action required</h1></body></html>";
	test.each([
		[200, { 'x-messenger-send-answer': 'recorded' }, '', { outcome: 'resumed' }],
		[200, { 'content-type': 'text/html' }, NO_ACTION, { outcome: 'answeredBefore' }],
		[200, { 'x-messenger-send-answer': 'answered-before' }, '<h1>Already answered</h1>', { outcome: 'answeredBefore' }],
		[200, {}, '<html>a login page</html>', { outcome: 'refused', why: "HTTP 200, but not the Send and Wait node's answer to a tap" }],
		[302, { location: '/rest/login' }, '', { outcome: 'refused', why: 'HTTP 302: a redirect, not followed' }],
		[403, { 'x-messenger-send-answer': 'not-asked' }, '', { outcome: 'refused', why: 'HTTP 403: the person who tapped is not the person the question was sent to' }],
		[401, {}, '{"error":"Invalid token"}', { outcome: 'refused', why: 'HTTP 401: n8n refused the resume link' }],
		[500, { 'x-messenger-send-answer': 'recorded' }, '', { outcome: 'refused', why: 'HTTP 500: n8n refused the resume link' }],
	])('n8n answers %i %j: %j', (status, headers, body, verdict) => {
		expect(handBackVerdict(status, headers, body)).toEqual(verdict);
	});
});

describe('the Send and Wait node’s answer to a tap', () => {
	const ASKED = '6789012345678901';
	let execution = 0;
	function tap(headers: Record<string, string>) {
		const response = { status: 0, headers: {} as Record<string, string>, body: '' };
		const res = {
			status: (code: number) => ((response.status = code), res),
			type: () => res,
			send: (body: string) => (response.body = body),
			setHeader: (name: string, value: string) => (response.headers[name] = value),
		};
		const ctx = {
			evaluateExpression: () => ({ recipient_id: ASKED, message_id: 'm_1', approved: null, answer: null, respondedAt: null, timedOut: true }),
			getQueryData: () => ({ approved: 'true', signature: 'abc' }),
			getNodeParameter: (name: string, fallback: unknown) => (name === 'approveLabel' ? 'Approve' : fallback),
			getHeaderData: () => headers,
			getRequestObject: () => ({ method: 'GET', url: '/webhook-waiting/1/n', headers }),
			getResponseObject: () => res,
			getNode: () => ({ name: 'Ask', id: 'n' }),
			getExecutionId: () => String(++execution),
			logger: { warn: () => {} },
		} as unknown as IWebhookFunctions;
		return { ctx, response };
	}
	const TRIGGER = 'n8n-nodes-messenger-send Messenger Trigger';

	test('the person asked: recorded, said so in a header the trigger reads', async () => {
		const { ctx, response } = tap({ 'user-agent': TRIGGER, 'x-messenger-tapped-by': ASKED });
		const result = await receiveAnswer(ctx);
		expect(result.workflowData?.[0]?.[0]?.json).toMatchObject({ approved: true, timedOut: false, recipient_id: ASKED });
		expect([response.status, response.headers]).toEqual([200, { 'x-messenger-send-answer': 'recorded' }]);
	});

	test('someone else tapped (a forwarded question): nothing recorded, 403, the execution keeps waiting', async () => {
		const { ctx, response } = tap({ 'user-agent': TRIGGER, 'x-messenger-tapped-by': '6789012345670000' });
		const result = await receiveAnswer(ctx);
		expect(result).toEqual({ noWebhookResponse: true });
		expect([response.status, response.headers]).toEqual([403, { 'x-messenger-send-answer': 'not-asked' }]);
		expect(response.body).toContain('This question was sent to someone else: nothing was recorded.');
	});
});

