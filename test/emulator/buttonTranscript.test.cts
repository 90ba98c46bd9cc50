// What the transcript shows of a person's taps, page loads and form submissions.
import { approvalButtons, buttonTemplate, closedUrl, control, sent, startSite, subscribed } from './buttonHelpers.cjs';
import { call, PSID, send, startEmulator, TOKEN } from './helpers.cjs';

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
