// The inbox, the transcript, the control endpoints, respondWith, configure and reset.
import { call, errorOf, OTHER_PAGE, PAGE, PSID, send, startEmulator, textMessage, TOKEN } from './helpers.cjs';

async function conversationScenario(emulator: Awaited<ReturnType<typeof startEmulator>>): Promise<void> {
	await send(emulator, { recipient: { id: PSID }, sender_action: 'typing_on' });
	await send(emulator, {
		recipient: { id: PSID },
		messaging_type: 'RESPONSE',
		message: {
			text: 'Hi Ann! Your order #1042 has shipped 📦',
			quick_replies: [
				{ content_type: 'text', title: 'Track parcel', payload: 'TRACK' },
				{ content_type: 'text', title: 'Talk to a human', payload: 'HUMAN' },
			],
		},
	});
	await send(emulator, { recipient: { user_ref: 'ref-77' }, messaging_type: 'UPDATE', message: { text: 'Thanks for subscribing' } });
	await send(emulator, { recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { attachment: { type: 'image', payload: { url: 'https://example.com/parcel.jpg' } } } });
	const form = new FormData();
	form.set('recipient', JSON.stringify({ id: PSID }));
	form.set('messaging_type', 'RESPONSE');
	form.set('notification_type', 'SILENT_PUSH');
	form.set('message', JSON.stringify({ attachment: { type: 'file', payload: {} } }));
	form.set('filedata', new Blob([Buffer.alloc(18 * 1024)], { type: 'application/pdf' }), 'invoice-1042.pdf');
	await call(emulator, '/v25.0/me/messages', form);
	await send(emulator, { recipient: { id: PSID }, sender_action: 'react', payload: { message_id: 'm_1', reaction: '👍' } });
	await send(emulator, { recipient: { id: PSID }, sender_action: 'mark_seen' });
	await send(emulator, { recipient: { id: PSID }, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message: { text: 'Following up on your question' } });
	await send(emulator, textMessage('rejected, so not shown', { id: PSID, user_ref: 'both' }));
}

const TRANSCRIPT = `Demo Shop ↔ PSID ${PSID}
  · typing…
  Page: Hi Ann! Your order #1042 has shipped 📦  [RESPONSE] m_1
        quick replies: [Track parcel] [Talk to a human]
  Page: 📎 image https://example.com/parcel.jpg  [RESPONSE] m_3
  Page: 📎 file invoice-1042.pdf (application/pdf, 18 KB, uploaded)  [RESPONSE] m_4
        🔕 SILENT_PUSH
  · reacted 👍 to m_1
  · seen ✓
  Page: 🏷 HUMAN_AGENT — Following up on your question  [MESSAGE_TAG] m_5

Demo Shop ↔ user_ref ref-77
  Page: Thanks for subscribing  [UPDATE] m_2
`;

describe('inbox and transcript', () => {
	test('the transcript shows one block per recipient, in order of first contact', async () => {
		const emulator = await startEmulator();
		await conversationScenario(emulator);
		expect(emulator.transcript()).toBe(TRANSCRIPT);
		expect(emulator.conversation(`id:${PSID}`).map((entry) => entry.seq)).toEqual([1, 2, 4, 5, 6, 7, 8]);
		expect(emulator.conversation('user_ref:ref-77')).toHaveLength(1);
		expect(emulator.stats()).toEqual({ requests: 9, accepted: 8, rejected: { 100: 1 }, faults: {}, notRun: 0, cutOff: 0 });
	});

	test('an empty inbox says so; pages get their own blocks', async () => {
		const emulator = await startEmulator({ pages: [PAGE, OTHER_PAGE] });
		expect(emulator.transcript()).toBe('(no messages)\n');
		await send(emulator, textMessage('from demo'));
		await send(emulator, textMessage('from other'), { token: OTHER_PAGE.token });
		expect(emulator.transcript()).toContain(`Other Shop ↔ PSID ${PSID}\n  Page: from other`);
	});

	test('templates, saved attachments, personas and replies render readably', async () => {
		const emulator = await startEmulator();
		const base = { recipient: { id: PSID }, messaging_type: 'RESPONSE' };
		const saved = await send(emulator, { ...base, message: { attachment: { type: 'image', payload: { url: 'https://example.com/logo.png', is_reusable: true } } } });
		await send(emulator, { ...base, message: { attachment: { type: 'image', payload: { attachment_id: saved.body.attachment_id } } } });
		await send(emulator, {
			...base,
			message: { attachment: { type: 'template', payload: { template_type: 'button', text: 'Need help?', buttons: [{ type: 'postback', title: 'Yes', payload: 'Y' }] } } },
		});
		await send(emulator, { ...base, persona_id: '99', reply_to: { mid: 'm_1' }, message: { text: 'Line one\nLine two', metadata: 'ticket-5' } });
		expect(emulator.transcript()).toBe(
			[
				`Demo Shop ↔ PSID ${PSID}`,
				`  Page: 📎 image https://example.com/logo.png (saved as ${saved.body.attachment_id as string})  [RESPONSE] m_1`,
				`  Page: 📎 image (saved attachment ${saved.body.attachment_id as string})  [RESPONSE] m_2`,
				'  Page: 🧩 button template: Need help? [Yes]  [RESPONSE] m_3',
				'  Page: Line one  [RESPONSE] m_4',
				'        Line two',
				'        ↪ replying to m_1',
				'        as persona 99',
				'        metadata: ticket-5',
				'',
			].join('\n'),
		);
	});
});

describe('control endpoints', () => {
	test('inbox, transcript, stats and requests (without raw bytes) need no token', async () => {
		const emulator = await startEmulator();
		await conversationScenario(emulator);
		const inbox = await call(emulator, '/__emulator/inbox', undefined, { token: null });
		expect(inbox.body).toEqual(JSON.parse(JSON.stringify(emulator.inbox)));
		const transcript = await fetch(`${emulator.url}/__emulator/transcript`);
		expect(transcript.headers.get('content-type')).toBe('text/plain; charset=utf-8');
		expect(await transcript.text()).toBe(TRANSCRIPT);
		expect((await call(emulator, '/__emulator/stats', undefined, { token: null })).body).toEqual(emulator.stats());

		const requests = (await call(emulator, '/__emulator/requests', undefined, { token: null })).body;
		expect(requests).toHaveLength(9);
		expect(requests[0]).toMatchObject({ method: 'POST', path: '/v25.0/me/messages', body: { sender_action: 'typing_on' } });
		expect(requests[0].raw).toBeUndefined();
		expect(requests[4].files).toEqual({ filedata: { fileName: 'invoice-1042.pdf', mimeType: 'application/pdf', size: 18 * 1024 } });
		// Reading the control endpoints is not logged as Graph traffic.
		expect(emulator.requests).toHaveLength(9);
	});

	test('POST /__emulator/config changes options at run time; POST /__emulator/reset clears everything', async () => {
		const emulator = await startEmulator();
		await send(emulator, textMessage('before'));
		const configured = await call(emulator, '/__emulator/config', { faults: { http5xx: { schedule: [2] } }, outsideWindow: ['42'] }, { token: null });
		expect(configured.body).toEqual({ ok: true });
		expect((await send(emulator, textMessage('second op'))).status).toBe(500);
		expect(errorOf(await send(emulator, textMessage('late', { id: '42' })))).toEqual({ status: 400, code: 10, subcode: 2018278 });

		expect((await call(emulator, '/__emulator/reset', {}, { token: null })).body).toEqual({ ok: true });
		expect(emulator.requests).toHaveLength(0);
		expect(emulator.inbox).toHaveLength(0);
		expect(emulator.stats()).toEqual({ requests: 0, accepted: 0, rejected: {}, faults: {}, notRun: 0, cutOff: 0 });
		expect((await send(emulator, textMessage('after reset'))).body.message_id).toBe('m_1');

		// Reset keeps the options (the fault schedule restarts); null unsets an option over HTTP.
		expect((await send(emulator, textMessage('second op again'))).status).toBe(500);
		await call(emulator, '/__emulator/config', { outsideWindow: null, faults: null }, { token: null });
		expect((await send(emulator, textMessage('window open', { id: '42' }))).status).toBe(200);
	});

	test('bad control requests get 400 or 404', async () => {
		const emulator = await startEmulator();
		const notJson = await fetch(`${emulator.url}/__emulator/config`, { method: 'POST', body: '[1,2' });
		expect(notJson.status).toBe(400);
		expect((await call(emulator, '/__emulator/nothing-here', undefined, { token: null })).status).toBe(404);
	});
});

describe('respondWith, configure and reset', () => {
	test('respondWith overrides the answer; undefined falls back to normal emulation', async () => {
		const emulator = await startEmulator();
		emulator.respondWith = (request, index) =>
			index === 0 ? { status: 200, body: { custom: request.path }, headers: { 'x-test': 'yes' } } : index === 1 ? 'drop' : undefined;
		const custom = await send(emulator, textMessage('overridden'));
		expect(custom.body).toEqual({ custom: '/v25.0/me/messages' });
		expect(custom.headers.get('x-test')).toBe('yes');
		await expect(send(emulator, textMessage('dropped'))).rejects.toThrow();
		expect((await send(emulator, textMessage('normal'))).body).toEqual({ recipient_id: PSID, message_id: 'm_1' });
		expect(emulator.inbox.map((entry) => entry.message?.text)).toEqual(['normal']);
		expect(emulator.requests).toHaveLength(3);

		emulator.reset();
		expect(emulator.respondWith).toBeUndefined();
	});

	test('reset forgets issued attachment IDs and private replies', async () => {
		const emulator = await startEmulator();
		const saved = await send(emulator, { recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { attachment: { type: 'file', payload: { url: 'https://example.com/a.pdf', is_reusable: true } } } });
		await send(emulator, textMessage('reply', { comment_id: '1_2' }));
		emulator.reset();
		const reuse = await send(emulator, { recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { attachment: { type: 'file', payload: { attachment_id: saved.body.attachment_id } } } });
		expect(errorOf(reuse)).toEqual({ status: 400, code: 100, subcode: 2018074 });
		expect((await send(emulator, textMessage('reply again', { comment_id: '1_2' }))).status).toBe(200);
	});

	test('the default page is Demo Shop with DEMO-PAGE-TOKEN', async () => {
		const { GraphEmulator } = await import('../../emulator/graphEmulator.cjs');
		const emulator = new GraphEmulator();
		const url = await emulator.start();
		try {
			expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			expect(emulator.url).toBe(url);
			const me = await fetch(`${url}/v25.0/me`, { headers: { authorization: 'Bearer DEMO-PAGE-TOKEN' } });
			expect(await me.json()).toEqual({ id: '1029384756', name: 'Demo Shop' });
			const wrong = await fetch(`${url}/v25.0/me`, { headers: { authorization: `Bearer ${TOKEN}` } });
			expect(wrong.status).toBe(400);
		} finally {
			await emulator.stop();
		}
	});

	test('stop() ends held answers at once', async () => {
		const emulator = await startEmulator({ faults: { timeout: { schedule: [1] } } });
		const pending = send(emulator, textMessage('held for two minutes')).then(
			() => 'answered',
			() => 'closed',
		);
		while (emulator.inbox.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
		const start = performance.now();
		await emulator.stop();
		expect(await pending).toBe('closed');
		// Far under the two minutes, with room for a loaded CI machine.
		expect(performance.now() - start).toBeLessThan(5000);
	});
});
