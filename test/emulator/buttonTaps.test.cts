// "A person taps a button": web_url buttons opened by the in-app browser (headers, redirects,
// compressed pages, no answer, the emulator stopped meanwhile), postback buttons delivered to the
// subscribed webhook, and which button a title (and a message ID) finds. Forms on the opened page:
// buttonForms.test.cts; the transcript: buttonTranscript.test.cts.
import { createHmac } from 'node:crypto';
import { gzipSync } from 'node:zlib';

import { BROWSER_ACCEPT, DEFAULT_APP, MESSENGER_BROWSER_USER_AGENT } from '../../emulator/graphEmulator.cjs';
import { approvalButtons, buttonTemplate, closedUrl, control, sent, startSite, subscribed, type SiteAnswer } from './buttonHelpers.cjs';
import { call, PAGE, PSID, sleep, startEmulator } from './helpers.cjs';

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
