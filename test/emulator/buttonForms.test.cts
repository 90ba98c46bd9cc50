// "A person fills in a form": the form on a page a button opened read (formOf), filled in and
// submitted urlencoded or multipart, as a browser does.
import { BROWSER_ACCEPT, encodeForm, formOf, MESSENGER_BROWSER_USER_AGENT } from '../../emulator/graphEmulator.cjs';
import { buttonTemplate, control, sent, startSite } from './buttonHelpers.cjs';
import { PSID, startEmulator } from './helpers.cjs';

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
