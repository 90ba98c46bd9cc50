// "A person taps a button": web_url buttons opened by the in-app browser, postback buttons
// delivered to the subscribed webhook, forms on the opened page submitted, and what the
// transcript shows of it.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

import { BROWSER_ACCEPT, DEFAULT_APP, encodeForm, formOf, MESSENGER_BROWSER_USER_AGENT, type GraphEmulator } from '../../emulator/graphEmulator.cjs';
import { call, PAGE, PSID, send, sleep, startEmulator, startReceiver, subscribeApp, subscribePage, TOKEN } from './helpers.cjs';

// ---- A small web site standing in for n8n's waiting webhooks -------------------------------

interface SiteRequest {
	method: string;
	url: string;
	headers: IncomingHttpHeaders;
	raw: Buffer;
}

interface SiteAnswer {
	status?: number;
	headers?: Record<string, string>;
	body?: string | Buffer;
	/** Held this long before answering. */
	delayMs?: number;
}

interface Site {
	origin: string;
	requests: SiteRequest[];
	/** Default: 200 text/html with a short page naming the path. */
	answer?: (request: SiteRequest) => SiteAnswer | Promise<SiteAnswer>;
	server: Server;
}

const sites: Site[] = [];

afterEach(async () => {
	await Promise.all(
		sites.splice(0).map(
			async (site) =>
				await new Promise<void>((resolve) => {
					site.server.close(() => resolve());
					site.server.closeAllConnections();
				}),
		),
	);
});

async function startSite(answer?: Site['answer']): Promise<Site> {
	const site: Site = { origin: '', requests: [], answer, server: undefined as unknown as Server };
	site.server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', async () => {
			const request: SiteRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks) };
			site.requests.push(request);
			const given = (await site.answer?.(request)) ?? {};
			const { status = 200, headers = { 'content-type': 'text/html; charset=utf-8' }, body = `<html><body>${request.method} ${request.url}</body></html>`, delayMs = 0 } = given;
			setTimeout(() => {
				if (res.destroyed) return;
				res.writeHead(status, headers);
				res.end(body);
			}, delayMs);
		});
	});
	sites.push(site);
	await new Promise<void>((resolve) => site.server.listen(0, '127.0.0.1', resolve));
	site.origin = `http://127.0.0.1:${(site.server.address() as AddressInfo).port}`;
	return site;
}

/** A URL where nothing listens. */
async function closedUrl(): Promise<string> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return `http://127.0.0.1:${port}/gone`;
}

// ---- Sends ---------------------------------------------------------------------------------

type Button = Record<string, string>;

function buttonTemplate(text: string, buttons: Button[], extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		recipient: { id: PSID },
		messaging_type: 'RESPONSE',
		message: { attachment: { type: 'template', payload: { template_type: 'button', text, buttons } }, ...extra },
	};
}

/** What n8n's "Send and Wait for Response" (approval) sends: two signed resume URLs. */
function approvalButtons(origin: string, executionId = '123'): Button[] {
	const resume = `${origin}/webhook-waiting/${executionId}/node-1`;
	return [
		{ type: 'web_url', url: `${resume}?approved=true&signature=sig-approve-${executionId}`, title: 'Approve' },
		{ type: 'web_url', url: `${resume}?approved=false&signature=sig-decline-${executionId}`, title: 'Decline' },
	];
}

async function sent(emulator: GraphEmulator, body: Record<string, unknown>): Promise<string> {
	const answer = await send(emulator, body);
	expect(answer.status).toBe(200);
	return answer.body.message_id as string;
}

async function subscribed(fields = 'messages,messaging_postbacks') {
	const emulator = await startEmulator();
	const receiver = await startReceiver();
	expect((await subscribeApp(emulator, receiver.url, fields)).body).toEqual({ success: true });
	expect((await subscribePage(emulator, fields)).body).toEqual({ success: true });
	return { emulator, receiver };
}

/** POST /__emulator/… as a test over HTTP would (no token). */
async function control(emulator: GraphEmulator, path: string, body: Record<string, unknown>) {
	return await call(emulator, `/__emulator/${path}`, body, { token: null });
}

// ---- web_url ---------------------------------------------------------------------------------

describe('tapping a web_url button', () => {
	test("the in-app browser GETs the button's URL with a mobile browser's headers and no cookies; the whole page comes back", async () => {
		const emulator = await startEmulator();
		const page = `<!DOCTYPE html><html><body><h1>Got it, thanks</h1>${'<p>padding</p>'.repeat(10_000)}</body></html>`;
		const site = await startSite(() => ({ headers: { 'content-type': 'text/html; charset=utf-8', 'set-cookie': 'n8n-session=abc; Path=/' }, body: page }));
		const [approve, decline] = approvalButtons(site.origin);
		const mid = await sent(emulator, buttonTemplate('Confirm your booking for 10:00?', [approve, decline]));

		const tap = await emulator.personTaps({ psid: PSID, title: 'Approve' });
		expect(tap).toEqual({
			kind: 'web_url',
			title: 'Approve',
			messageId: mid,
			method: 'GET',
			url: approve.url,
			status: 200,
			contentType: 'text/html; charset=utf-8',
			body: page,
			headers: expect.objectContaining({ 'content-type': 'text/html; charset=utf-8', 'set-cookie': 'n8n-session=abc; Path=/' }),
		});
		expect(page.length).toBeGreaterThan(100_000);

		expect(site.requests).toHaveLength(1);
		const [request] = site.requests;
		expect(request.method).toBe('GET');
		expect(request.url).toBe('/webhook-waiting/123/node-1?approved=true&signature=sig-approve-123');
		expect(request.headers['user-agent']).toBe(MESSENGER_BROWSER_USER_AGENT);
		expect(request.headers['user-agent']).toMatch(/^Mozilla\/5\.0 \(iPhone; .* Mobile\/\w+ \[FBAN\/MessengerForiOS;/);
		// Not a crawler's user agent: n8n's send-and-wait webhook ignores bots (link previews).
		expect(request.headers['user-agent']).not.toMatch(/bot|crawl|spider|facebookexternal|preview/i);
		expect(request.headers.accept).toBe(BROWSER_ACCEPT);
		expect(request.headers.accept).toMatch(/^text\/html,/);
		expect(request.headers).toMatchObject({ 'accept-language': 'en-US,en;q=0.9', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', host: site.origin.slice(7) });
		expect(request.headers.cookie).toBeUndefined();
		expect(request.headers.referer).toBeUndefined();

		// The other button, over the control endpoint: still no cookie from the first answer.
		const answer = await control(emulator, 'person/tap', { psid: PSID, title: 'Decline' });
		expect(answer.status).toBe(200);
		expect(answer.body).toMatchObject({ kind: 'web_url', title: 'Decline', messageId: mid, url: decline.url, status: 200, body: page });
		expect(site.requests[1].url).toBe('/webhook-waiting/123/node-1?approved=false&signature=sig-decline-123');
		expect(site.requests[1].headers.cookie).toBeUndefined();

		// A tap is no send and no webhook event.
		expect(emulator.stats().accepted).toBe(1);
		expect(emulator.incoming).toEqual([]);
		expect(emulator.visits.map(({ seq, kind, title, messageId, method, url, status }) => ({ seq, kind, title, messageId, method, url, status }))).toEqual([
			{ seq: 1, kind: 'tap', title: 'Approve', messageId: mid, method: 'GET', url: approve.url, status: 200 },
			{ seq: 2, kind: 'tap', title: 'Decline', messageId: mid, method: 'GET', url: decline.url, status: 200 },
		]);
		expect((await call(emulator, '/__emulator/visits', undefined, { token: null })).body).toEqual(JSON.parse(JSON.stringify(emulator.visits)));
	});

	test('redirects are reported, not followed; compressed pages are decompressed; no answer is status 0 with the reason', async () => {
		const emulator = await startEmulator({ browserTimeoutMs: 300 });
		const site = await startSite((request): SiteAnswer => {
			if (request.url === '/moved') return { status: 302, headers: { location: '/elsewhere?x=1', 'content-type': 'text/html' }, body: '<a href="/elsewhere?x=1">moved</a>' };
			if (request.url === '/gzip') {
				expect(request.headers['accept-encoding']).toBe('gzip, deflate, br');
				return { headers: { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' }, body: gzipSync(Buffer.from('<p>Café ✓</p>')) };
			}
			if (request.url === '/slow') return { delayMs: 2000 };
			return {};
		});
		const refused = await closedUrl();
		await sent(
			emulator,
			buttonTemplate('Links', [
				{ type: 'web_url', url: `${site.origin}/moved`, title: 'Moved' },
				{ type: 'web_url', url: `${site.origin}/gzip`, title: 'Zipped' },
				{ type: 'web_url', url: refused, title: 'Gone' },
			]),
		);
		await sent(emulator, buttonTemplate('More', [{ type: 'web_url', url: `${site.origin}/slow`, title: 'Slow' }]));

		const moved = await emulator.personTaps({ psid: PSID, title: 'Moved' });
		expect(moved).toMatchObject({ kind: 'web_url', status: 302, location: `${site.origin}/elsewhere?x=1`, body: '<a href="/elsewhere?x=1">moved</a>' });
		expect(site.requests.map((request) => request.url)).toEqual(['/moved']);

		expect(await emulator.personTaps({ psid: PSID, title: 'Zipped' })).toMatchObject({ status: 200, body: '<p>Café ✓</p>', contentType: 'text/html; charset=utf-8' });

		const gone = await emulator.personTaps({ psid: PSID, title: 'Gone' });
		expect(gone).toMatchObject({ kind: 'web_url', url: refused, status: 0, contentType: '', body: '', headers: {} });
		expect(gone.kind === 'web_url' && gone.error).toMatch(/ECONNREFUSED/);

		const slow = emulator.personTaps({ psid: PSID, title: 'Slow' });
		await sleep(50);
		// Recorded when it starts: the transcript shows it under way.
		expect(emulator.transcript()).toContain(`  PSID ${PSID} taps [Slow] → GET ${site.origin}/slow …\n`);
		expect(await slow).toMatchObject({ status: 0, error: 'No answer within 300 ms' });
		expect(emulator.visits.map((visit) => visit.status)).toEqual([302, 200, 0, 0]);
	});
});

describe('stopping', () => {
	test('stop() ends a page load in flight: it resolves with status 0', async () => {
		const emulator = await startEmulator();
		const site = await startSite(() => ({ delayMs: 5000 }));
		await sent(emulator, buttonTemplate('Wait', [{ type: 'web_url', url: `${site.origin}/slow`, title: 'Slow' }]));
		const tap = emulator.personTaps({ psid: PSID, title: 'Slow' });
		await sleep(50);
		await emulator.stop();
		expect(await tap).toMatchObject({ kind: 'web_url', status: 0, error: 'The emulator was stopped' });
	});
});

// ---- postback --------------------------------------------------------------------------------

describe('tapping a postback button', () => {
	test('the subscribed callback gets the signed postback with the button\'s payload and title, as personPostback sends it', async () => {
		const { emulator, receiver } = await subscribed();
		const mid = await sent(
			emulator,
			buttonTemplate('Shall we call you back?', [
				{ type: 'postback', title: 'Call me', payload: 'CALL_ME' },
				{ type: 'postback', title: 'No thanks', payload: 'NO_THANKS' },
			]),
		);
		const tap = await emulator.personTaps({ psid: PSID, title: 'Call me', name: 'Ana' });
		expect(tap).toEqual({ kind: 'postback', title: 'Call me', messageId: mid, payload: 'CALL_ME', mid: expect.stringMatching(/^m_/), delivery: expect.objectContaining({ status: 200 }) });
		if (tap.kind !== 'postback') throw new Error('not a postback');

		const [post] = receiver.posts();
		expect(post.headers['x-hub-signature-256']).toBe(`sha256=${createHmac('sha256', DEFAULT_APP.secret).update(post.raw).digest('hex')}`);
		const body = JSON.parse(post.raw.toString('utf8'));
		expect(body.object).toBe('page');
		expect(body.entry[0].id).toBe(PAGE.id);
		const [event] = body.entry[0].messaging;
		expect(event).toEqual({ sender: { id: PSID }, recipient: { id: PAGE.id }, timestamp: expect.any(Number), postback: { title: 'Call me', payload: 'CALL_ME', mid: tap.mid } });
		expect(tap.delivery?.raw).toBe(post.raw.toString('utf8'));
		expect(tap.delivery?.fields).toEqual(['messaging_postbacks']);

		// The same event shape as personPostback's; the incoming entry says which message it came from.
		const pressed = await emulator.personPostback({ psid: PSID, payload: 'NO_THANKS', title: 'No thanks' });
		const second = JSON.parse(receiver.posts()[1].raw.toString('utf8')).entry[0].messaging[0];
		expect(Object.keys(second)).toEqual(Object.keys(event));
		expect(Object.keys(second.postback)).toEqual(Object.keys(event.postback));
		expect(emulator.incoming.map(({ kind, mid: eventMid, tappedOn }) => ({ kind, mid: eventMid, tappedOn }))).toEqual([
			{ kind: 'postback', mid: tap.mid, tappedOn: mid },
			{ kind: 'postback', mid: pressed.mid, tappedOn: undefined },
		]);
		expect(emulator.visits).toEqual([]);

		// Over HTTP.
		const answer = await control(emulator, 'person/tap', { psid: PSID, title: 'No thanks' });
		expect(answer.status).toBe(200);
		expect(answer.body).toMatchObject({ kind: 'postback', title: 'No thanks', messageId: mid, payload: 'NO_THANKS', delivery: { status: 200 } });
		expect(JSON.parse(receiver.posts()[2].raw.toString('utf8')).entry[0].messaging[0].postback).toEqual({ title: 'No thanks', payload: 'NO_THANKS', mid: answer.body.mid });
	});

	test('nobody subscribed to messaging_postbacks: delivery null', async () => {
		const { emulator, receiver } = await subscribed('messages');
		await sent(emulator, buttonTemplate('Ready?', [{ type: 'postback', title: 'Yes', payload: 'YES' }]));
		expect(await emulator.personTaps({ psid: PSID, title: 'Yes' })).toMatchObject({ kind: 'postback', payload: 'YES', delivery: null });
		expect(receiver.posts()).toEqual([]);
	});
});

// ---- Which button ----------------------------------------------------------------------------

describe('finding the button', () => {
	test('the buttons of a generic template\'s elements can be tapped too', async () => {
		const emulator = await startEmulator();
		const site = await startSite();
		await sent(emulator, {
			recipient: { id: PSID },
			messaging_type: 'RESPONSE',
			message: {
				attachment: {
					type: 'template',
					payload: {
						template_type: 'generic',
						elements: [
							{ title: 'Blue shirt', buttons: [{ type: 'web_url', url: `${site.origin}/blue`, title: 'View blue' }] },
							{ title: 'Red shirt', default_action: { type: 'web_url', url: `${site.origin}/red-default` }, buttons: [{ type: 'web_url', url: `${site.origin}/red`, title: 'View red' }] },
						],
					},
				},
			},
		});
		expect(await emulator.personTaps({ psid: PSID, title: 'View red' })).toMatchObject({ status: 200, url: `${site.origin}/red` });
		expect(site.requests.map((request) => request.url)).toEqual(['/red']);
	});

	test('an unknown title is a 404 listing the buttons there are (newest first); quick replies are not buttons', async () => {
		const emulator = await startEmulator();
		await expect(emulator.personTaps({ psid: PSID, title: 'Approve' })).rejects.toThrow(
			`No button titled "Approve" in Demo Shop's messages to PSID ${PSID}; there are no buttons there`,
		);
		await sent(emulator, buttonTemplate('Ready?', [{ type: 'postback', title: 'Yes', payload: 'YES' }], { quick_replies: [{ content_type: 'text', title: 'Maybe', payload: 'MAYBE' }] }));
		await sent(emulator, buttonTemplate('Booking?', approvalButtons('http://127.0.0.1:1')));
		await sent(emulator, { recipient: { id: '42' }, messaging_type: 'RESPONSE', message: { attachment: { type: 'template', payload: { template_type: 'button', text: 'x', buttons: [{ type: 'postback', title: 'Maybe', payload: 'M' }] } } } });

		const expected = `No button titled "Maybe" in Demo Shop's messages to PSID ${PSID}; the buttons there: [Approve] (web_url, m_2), [Decline] (web_url, m_2), [Yes] (postback, m_1)`;
		await expect(emulator.personTaps({ psid: PSID, title: 'Maybe' })).rejects.toThrow(expected);
		await expect(emulator.personTaps({ psid: PSID, title: 'maybe' })).rejects.toMatchObject({ status: 404 });
		const answer = await control(emulator, 'person/tap', { psid: PSID, title: 'Maybe' });
		expect(answer.status).toBe(404);
		expect(answer.body).toEqual({ error: { message: expected } });

		// Titles are matched exactly.
		await expect(emulator.personTaps({ psid: PSID, title: 'approve' })).rejects.toThrow(/No button titled "approve"/);
		// Bad input: 400.
		expect((await control(emulator, 'person/tap', { psid: PSID })).status).toBe(400);
		expect((await control(emulator, 'person/tap', { title: 'Yes' })).body).toEqual({ error: { message: 'psid is required' } });
		expect(emulator.visits).toEqual([]);
	});

	test('a button of another type cannot be tapped here (400)', async () => {
		const emulator = await startEmulator();
		await sent(emulator, buttonTemplate('Questions?', [{ type: 'phone_number', title: 'Call us', payload: '+15105551234' }]));
		const answer = await control(emulator, 'person/tap', { psid: PSID, title: 'Call us' });
		expect(answer.status).toBe(400);
		expect(answer.body.error.message).toBe('[Call us] on m_1 is a phone_number button: the emulator taps web_url and postback buttons only');
	});

	test('mid selects an older message; without it the newest with that title is tapped', async () => {
		const emulator = await startEmulator();
		const site = await startSite();
		const first = await sent(emulator, buttonTemplate('Booking 1?', approvalButtons(site.origin, '100')));
		await sent(emulator, buttonTemplate('Other', [{ type: 'postback', title: 'Other', payload: 'OTHER' }]));
		const second = await sent(emulator, buttonTemplate('Booking 2?', approvalButtons(site.origin, '200')));
		await sent(emulator, { recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { text: 'newest, no buttons' } });

		expect(await emulator.personTaps({ psid: PSID, title: 'Approve' })).toMatchObject({ messageId: second, url: expect.stringContaining('/webhook-waiting/200/') });
		expect(await emulator.personTaps({ psid: PSID, title: 'Approve', mid: first })).toMatchObject({ messageId: first, url: expect.stringContaining('/webhook-waiting/100/') });
		expect((await control(emulator, 'person/tap', { psid: PSID, title: 'Decline', mid: first })).body).toMatchObject({ messageId: first, url: expect.stringContaining('approved=false&signature=sig-decline-100') });
		expect(site.requests.map((request) => request.url.split('?')[0])).toEqual(['/webhook-waiting/200/node-1', '/webhook-waiting/100/node-1', '/webhook-waiting/100/node-1']);

		await expect(emulator.personTaps({ psid: PSID, title: 'Approve', mid: 'm_2' })).rejects.toThrow('No button titled "Approve" on m_2; the buttons there: [Other] (postback, m_2)');
		await expect(emulator.personTaps({ psid: PSID, title: 'Approve', mid: 'm_99' })).rejects.toThrow(`No accepted send m_99 from Demo Shop to PSID ${PSID}`);
		expect((await control(emulator, 'person/tap', { psid: PSID, title: 'Approve', mid: 'm_99' })).status).toBe(404);
		// Another person's messages are not theirs to tap.
		await expect(emulator.personTaps({ psid: '42', title: 'Approve' })).rejects.toThrow(/there are no buttons there/);
	});
});

// ---- Forms -----------------------------------------------------------------------------------

/** Like n8n's form page: action '#', POST, fields in a card, a script that mentions other forms. */
function formPage(): string {
	return `<!DOCTYPE html>
<html><head><script>const tpl = '<form action="/not-this-one" method="get"><input name="evil"></form>';</script></head>
<body>
<!-- <form action="/commented-out"></form> -->
<form class='card' action='#' method='POST' name='n8n-form' id='n8n-form' novalidate>
	<h1>Your booking</h1>
	<textarea class='form-input' id='field-0' name='field-0' placeholder="Say &quot;hi&quot;">
Prefilled &amp; kept</textarea>
	<input type="hidden" id="field-1" name="field-1" value="a&amp;b=&#39;c&#x27;" />
	<input class='form-input' type='email' id='field-2' name='field-2' value="" placeholder="you@example.com" />
	<select id='field-3' name='field-3'><option value='s'>Small</option><option value='m' selected>Medium</option></select>
	<input type='checkbox' name='news' value='yes'>
	<input type='checkbox' name='terms' checked>
	<input type='text' name='disabled-one' value='x' disabled>
	<input type='file' name='upload'>
	<button id='submit-btn' type='submit' name='go'>Submit</button>
	<input type='submit' name='submit' value='Send'>
</form>
<form action="/second"><input name="later"></form>
</body></html>`;
}

describe('forms', () => {
	test('formOf reads the first form: action resolved against the page URL, method, enctype, field names and prefilled values', () => {
		const pageUrl = 'http://127.0.0.1:5790/webhook-waiting/123/node-1?signature=abc#top';
		expect(formOf(formPage(), pageUrl)).toEqual({
			action: 'http://127.0.0.1:5790/webhook-waiting/123/node-1?signature=abc',
			method: 'POST',
			enctype: 'application/x-www-form-urlencoded',
			fields: ['field-0', 'field-1', 'field-2', 'field-3', 'news', 'terms'],
			values: { 'field-0': 'Prefilled & kept', 'field-1': "a&b='c'", 'field-2': '', 'field-3': 'm', terms: 'on' },
		});
		expect(formOf('<FORM ACTION="done?x=1" ENCTYPE="multipart/form-data"><INPUT NAME=q VALUE=hello></FORM>', 'https://example.com/a/b')).toEqual({
			action: 'https://example.com/a/done?x=1',
			method: 'GET',
			enctype: 'multipart/form-data',
			fields: ['q'],
			values: { q: 'hello' },
		});
		// Without a page URL the action stays as written; a page without a form gives null.
		expect(formOf('<form action="/x" method="post"><input name="a"></form>')?.action).toBe('/x');
		expect(formOf('<html><body><p>No action required</p></body></html>', 'http://x.test/')).toBeNull();
		// Attribute values may contain ">" inside quotes; a select without a selected option takes its first.
		expect(formOf(`<form action='/a?b>c'><input name="n" value="1 > 0"><select name=s><option>One</option><option>Two</option></select></form>`, 'http://x.test/')).toMatchObject({
			action: 'http://x.test/a?b%3Ec',
			values: { n: '1 > 0', s: 'One' },
		});
	});

	test('personSubmitsForm POSTs the fields urlencoded (or multipart) to the URL, no redirects followed', async () => {
		const emulator = await startEmulator();
		const site = await startSite((request) =>
			request.url.startsWith('/redirect') ? { status: 303, headers: { location: '/thanks' } } : { body: '<h1>Got it, thanks</h1>' },
		);
		const url = `${site.origin}/webhook-waiting/123/node-1?signature=abc`;
		const done = await emulator.personSubmitsForm({ psid: PSID, url, fields: { 'field-0': 'Looks good & fine', rating: '5' } });
		expect(done).toEqual({ method: 'POST', url, status: 200, contentType: 'text/html; charset=utf-8', body: '<h1>Got it, thanks</h1>', headers: expect.any(Object) });
		const [posted] = site.requests;
		expect(posted.method).toBe('POST');
		expect(posted.url).toBe('/webhook-waiting/123/node-1?signature=abc');
		expect(posted.headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(posted.raw.toString('utf8')).toBe('field-0=Looks+good+%26+fine&rating=5');
		expect(Object.fromEntries(new URLSearchParams(posted.raw.toString('utf8')))).toEqual({ 'field-0': 'Looks good & fine', rating: '5' });
		expect(posted.headers).toMatchObject({ 'user-agent': MESSENGER_BROWSER_USER_AGENT, accept: BROWSER_ACCEPT, origin: site.origin, 'sec-fetch-site': 'same-origin' });
		expect(posted.headers.cookie).toBeUndefined();

		// multipart, as n8n's form page posts it from its script, with the page as Referer.
		const multipart = await control(emulator, 'person/form', { psid: PSID, url, fields: { 'field-0': 'line 1\nline 2' }, encoding: 'multipart', pageUrl: url });
		expect(multipart.status).toBe(200);
		expect(multipart.body).toMatchObject({ method: 'POST', status: 200, body: '<h1>Got it, thanks</h1>' });
		const second = site.requests[1];
		expect(second.headers['content-type']).toMatch(/^multipart\/form-data; boundary=----WebKitFormBoundary\w{16}$/);
		expect(second.headers.referer).toBe(url);
		const parsed = await new Request('http://x/', { method: 'POST', headers: { 'content-type': String(second.headers['content-type']) }, body: second.raw as unknown as BodyInit }).formData();
		expect([...parsed.entries()]).toEqual([['field-0', 'line 1\r\nline 2']]);

		const redirected = await emulator.personSubmitsForm({ psid: PSID, url: `${site.origin}/redirect`, fields: {} });
		expect(redirected).toMatchObject({ status: 303, location: `${site.origin}/thanks` });
		expect(site.requests).toHaveLength(3);

		expect((await control(emulator, 'person/form', { psid: PSID, url: 'ftp://x', fields: {} })).status).toBe(400);
		expect((await control(emulator, 'person/form', { psid: PSID, url, fields: { a: { b: 1 } } })).body).toEqual({ error: { message: 'fields.a must be a string' } });
		expect((await control(emulator, 'person/form', { psid: PSID, url, fields: {}, encoding: 'json' })).status).toBe(400);
	});

	test('encodeForm: urlencoded as a browser writes it; multipart parts with escaped names', () => {
		expect(encodeForm({ a: 'x y', 'b&c': 'é' })).toEqual({ body: Buffer.from('a=x+y&b%26c=%C3%A9'), contentType: 'application/x-www-form-urlencoded' });
		const { body, contentType } = encodeForm({ 'say "hi"': 'v' }, 'multipart');
		const boundary = contentType.split('boundary=')[1];
		expect(body.toString()).toBe(`--${boundary}\r\nContent-Disposition: form-data; name="say %22hi%22"\r\n\r\nv\r\n--${boundary}--\r\n`);
	});

	test('personFillsForm: the page a tap opened, filled in and submitted as its form says; or loaded first', async () => {
		const emulator = await startEmulator();
		const site = await startSite((request) => (request.method === 'GET' ? { body: formPage() } : { body: '<h1>Thanks</h1>' }));
		const pageUrl = `${site.origin}/webhook-waiting/123/node-1?signature=abc`;
		await sent(emulator, buttonTemplate('How was your stay?', [{ type: 'web_url', url: pageUrl, title: 'Tell us' }]));
		const tap = await emulator.personTaps({ psid: PSID, title: 'Tell us' });
		if (tap.kind !== 'web_url') throw new Error('not a web_url tap');

		const filled = await emulator.personFillsForm({ psid: PSID, pageUrl: tap.url, html: tap.body, values: { 'field-0': 'Lovely', news: 'yes' } });
		const submitted = { 'field-0': 'Lovely', 'field-1': "a&b='c'", 'field-2': '', 'field-3': 'm', news: 'yes', terms: 'on' };
		expect(filled).toMatchObject({ method: 'POST', url: pageUrl, status: 200, body: '<h1>Thanks</h1>', fields: submitted, form: { action: pageUrl, fields: Object.keys(submitted) } });
		const post = site.requests[1];
		expect(post).toMatchObject({ method: 'POST', url: '/webhook-waiting/123/node-1?signature=abc' });
		expect(post.headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(Object.fromEntries(new URLSearchParams(post.raw.toString('utf8')))).toEqual(submitted);
		expect(post.headers.referer).toBe(pageUrl);

		// Without html the browser loads the page first; encoding overrides the form's enctype.
		const loaded = await control(emulator, 'person/fill-form', { psid: PSID, pageUrl, values: { 'field-0': 'Again' }, encoding: 'multipart' });
		expect(loaded.status).toBe(200);
		expect(loaded.body).toMatchObject({ status: 200, fields: { 'field-0': 'Again', terms: 'on' } });
		expect(site.requests.map((request) => request.method)).toEqual(['GET', 'POST', 'GET', 'POST']);
		expect(site.requests[3].headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(emulator.visits.map((visit) => visit.kind)).toEqual(['tap', 'form', 'open', 'form']);

		// A GET form goes out as a query.
		const getForm = '<form action="/search"><input name="q" value="shirts"><input name="page" value="1"></form>';
		expect(await emulator.personFillsForm({ psid: PSID, pageUrl, html: getForm, values: { q: 'blue shirts' } })).toMatchObject({ method: 'GET', url: `${site.origin}/search?q=blue+shirts&page=1`, status: 200 });

		// A field the form does not have; a page without a form.
		const unknown = await control(emulator, 'person/fill-form', { psid: PSID, pageUrl, html: tap.body, values: { comment: 'x' } });
		expect(unknown.status).toBe(400);
		expect(unknown.body.error.message).toBe('The form has no field "comment"; its fields: "field-0", "field-1", "field-2", "field-3", "news", "terms"');
		await expect(emulator.personFillsForm({ psid: PSID, pageUrl, html: '<p>No action required</p>' })).rejects.toMatchObject({ status: 404, message: `The page ${pageUrl} has no <form>` });
	});
});

// ---- Transcript ------------------------------------------------------------------------------

describe('the transcript', () => {
	test('taps, page loads and form submissions appear in order, between the Page\'s messages', async () => {
		const { emulator, receiver } = await subscribed();
		// The waiting webhook resumes the workflow, which replies before the page is answered.
		const site = await startSite(async (request) => {
			if (request.url.includes('approved=true')) {
				await send(emulator, { recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { text: 'Booked for 10:00 ✓' } });
				return { body: '<h1>Got it, thanks</h1>' };
			}
			if (request.url.startsWith('/old')) return { status: 301, headers: { location: '/new' } };
			return { body: '<h1>Thanks</h1>' };
		});
		const [approve] = approvalButtons(site.origin);
		await emulator.personMessage({ psid: PSID, text: 'Can I book 10:00?', name: 'Ana' });
		await sent(emulator, buttonTemplate('Confirm your booking for 10:00?', approvalButtons(site.origin)));
		await emulator.personTaps({ psid: PSID, title: 'Approve' });
		await sent(emulator, buttonTemplate('Anything else?', [{ type: 'postback', title: 'Call me', payload: 'CALL_ME' }, { type: 'web_url', url: `${site.origin}/old`, title: 'Old link' }]));
		const callMe = await emulator.personTaps({ psid: PSID, title: 'Call me' });
		await emulator.personTaps({ psid: PSID, title: 'Old link' });
		await emulator.personSubmitsForm({ psid: PSID, url: `${site.origin}/form`, fields: { 'field-0': 'Window seat, "please"' } });
		await emulator.personSubmitsForm({ psid: PSID, url: `${site.origin}/form`, fields: {}, encoding: 'multipart' });
		const refused = await closedUrl();
		await emulator.personSubmitsForm({ psid: PSID, url: refused, fields: { a: '1' } });
		const [hello] = emulator.incoming;
		if (callMe.kind !== 'postback') throw new Error('not a postback');
		const error = emulator.visits[emulator.visits.length - 1].error;

		expect(emulator.transcript()).toBe(
			[
				`Demo Shop ↔ PSID ${PSID}`,
				`  Ana → Demo Shop: Can I book 10:00?  ${String(hello.mid)}`,
				'  Page: 🧩 button template: Confirm your booking for 10:00? [Approve] [Decline]  [RESPONSE] m_1',
				`  Ana taps [Approve] → GET ${approve.url} 200`,
				'  Page: Booked for 10:00 ✓  [RESPONSE] m_2',
				'  Page: 🧩 button template: Anything else? [Call me] [Old link]  [RESPONSE] m_3',
				`  Ana taps [Call me] ▶ postback CALL_ME  ${callMe.mid}`,
				`  Ana taps [Old link] → GET ${site.origin}/old 301 → ${site.origin}/new`,
				`  Ana submits a form → POST ${site.origin}/form 200`,
				'        fields: field-0="Window seat, \\"please\\""',
				`  Ana submits a form → POST ${site.origin}/form 200`,
				'        multipart fields: (none)',
				`  Ana submits a form → POST ${refused} ✗ ${String(error)}`,
				'        fields: a="1"',
				'',
			].join('\n'),
		);
		expect(error).toMatch(/ECONNREFUSED/);
		expect(receiver.posts()).toHaveLength(2); // the message and the postback

		// reset() forgets the visits with the rest of the conversation.
		emulator.reset();
		expect(emulator.visits).toEqual([]);
		expect(emulator.transcript()).toBe('(no messages)\n');
	});

	test('a template sent with the Page token over Graph, tapped over the control endpoint without one', async () => {
		const emulator = await startEmulator();
		const site = await startSite();
		const answer = await call(emulator, '/v25.0/me/messages', buttonTemplate('Go?', [{ type: 'web_url', url: `${site.origin}/go`, title: 'Go' }]), { token: TOKEN });
		expect(answer.body).toMatchObject({ recipient_id: PSID, message_id: 'm_1' });
		expect((await control(emulator, 'person/tap', { psid: PSID, title: 'Go', name: 'Bo' })).body).toMatchObject({ status: 200 });
		expect(emulator.transcript()).toBe(`Demo Shop ↔ PSID ${PSID}\n  Page: 🧩 button template: Go? [Go]  [RESPONSE] m_1\n  Bo taps [Go] → GET ${site.origin}/go 200\n`);
	});
});
