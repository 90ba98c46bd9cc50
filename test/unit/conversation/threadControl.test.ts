// The thread control actions as pure chains of Graph calls: what is asked, and what each answer
// leads to (changed: false when the thread already is where the action puts it).
import type { IDataObject } from 'n8n-workflow';

import type { GraphOutcome } from '../../../nodes/shared/graph';
import { PAGE_INBOX_APP_ID } from '../../../nodes/shared/handover';
import type { RunContext, Step } from '../../../nodes/MessengerSend/actions/graphAction';
import { alreadyDone, controlCall, ownerCall, planControl } from '../../../nodes/MessengerSend/actions/conversation/threadControl';

const run: RunContext = { pageId: 'me', platform: 'messenger', appId: '111' };
const owner = (appId: string): GraphOutcome => ({ kind: 'sent', statusCode: 200, body: { data: [{ thread_owner: { app_id: appId } }] } });
const ok: GraphOutcome = { kind: 'sent', statusCode: 200, body: { success: true } };
const refused: GraphOutcome = { kind: 'refused', statusCode: 400, error: { code: 10, message: 'no', type: 'OAuthException' } };

/** Walks a chain with the answers given in order; returns the calls made and the end. */
function walk(step: Step, answers: GraphOutcome[]): { calls: string[]; end: Step } {
	const calls: string[] = [];
	let current = step;
	while ('call' in current) {
		const { call } = current;
		calls.push(`${call.method} ${call.path}${call.qs ? ` ${JSON.stringify(call.qs)}` : ''}${call.body ? ` ${JSON.stringify(call.body)}` : ''}`);
		const answer = answers.shift();
		if (!answer) throw new Error(`no answer left for ${calls.at(-1)}`);
		current = current.next(answer);
	}
	return { calls, end: current };
}
const outputOf = (end: Step) => ('output' in end ? end.output : undefined) as IDataObject | undefined;

test('the calls: thread_owner with the recipient, the control edge with recipient, target and metadata', () => {
	expect(ownerCall(' ', '42')).toEqual({ method: 'GET', path: 'me/thread_owner', qs: { recipient: '42' } });
	expect(controlCall('pass', '1029384756', { psid: '42', targetAppId: PAGE_INBOX_APP_ID, metadata: 'vip' })).toEqual({
		method: 'POST',
		path: '1029384756/pass_thread_control',
		body: { recipient: { id: '42' }, target_app_id: PAGE_INBOX_APP_ID, metadata: 'vip' },
	});
	expect(controlCall('take', 'me', { psid: '42' })).toEqual({ method: 'POST', path: 'me/take_thread_control', body: { recipient: { id: '42' } } });
});

describe('alreadyDone', () => {
	test.each([
		['pass', '9', '9', undefined, true],
		['pass', '111', '9', undefined, false],
		['take', '111', undefined, '111', true],
		['take', '9', undefined, '111', false],
		['request', '111', undefined, '111', true],
		['release', '9', undefined, '111', true],
		['release', '111', undefined, '111', false],
		['take', '111', undefined, undefined, undefined],
		['pass', undefined, '9', '111', undefined],
	] as const)('%s with owner %s (target %s, this app %s): %s', (action, ownerId, target, appId, expected) => {
		expect(alreadyDone(action, ownerId, { psid: '1', targetAppId: target }, appId)).toBe(expected);
	});
});

describe('pass to the Page Inbox', () => {
	const input = { psid: '42', targetAppId: PAGE_INBOX_APP_ID };

	test('owned by this app: passed, changed true, the previous owner said', () => {
		const { calls, end } = walk(planControl('pass', input, run), [owner('111'), ok]);
		expect(calls).toEqual([
			'GET me/thread_owner {"recipient":"42"}',
			`POST me/pass_thread_control {"recipient":{"id":"42"},"target_app_id":"${PAGE_INBOX_APP_ID}"}`,
		]);
		expect(outputOf(end)).toEqual({
			success: true,
			changed: true,
			recipientId: '42',
			threadOwner: { appId: PAGE_INBOX_APP_ID },
			ownedByPageInbox: true,
			previousOwner: { appId: '111' },
			targetAppId: PAGE_INBOX_APP_ID,
		});
	});

	test('already with the Page Inbox: nothing sent, changed false', () => {
		const { calls, end } = walk(planControl('pass', input, run), [owner(PAGE_INBOX_APP_ID)]);
		expect(calls).toHaveLength(1);
		expect(outputOf(end)).toMatchObject({ success: true, changed: false, threadOwner: { appId: PAGE_INBOX_APP_ID } });
	});

	test('refused, and meanwhile the Page Inbox owns it (another execution passed it): changed false, no error', () => {
		const { calls, end } = walk(planControl('pass', input, run), [owner('111'), refused, owner(PAGE_INBOX_APP_ID)]);
		expect(calls).toHaveLength(3);
		expect(outputOf(end)).toMatchObject({ success: true, changed: false });
	});

	test('refused, owned by another app: the refusal, with who owns it now', () => {
		const { end } = walk(planControl('pass', input, run), [owner('222'), refused, owner('222')]);
		expect(end).toEqual({ failure: { call: controlCall('pass', 'me', input), outcome: refused, note: 'The thread is owned now by app 222.' } });
	});

	test('the owner cannot be read: the pass is sent all the same', () => {
		const { calls, end } = walk(planControl('pass', input, run), [refused, ok]);
		expect(calls).toHaveLength(2);
		expect(outputOf(end)).toMatchObject({ changed: true });
		expect(outputOf(end)).not.toHaveProperty('previousOwner');
	});
});

describe('take, request and release compare with this app', () => {
	test('take from the Page Inbox: taken, the owner read after', () => {
		const { calls, end } = walk(planControl('take', { psid: '42', metadata: 'back' }, run), [owner(PAGE_INBOX_APP_ID), ok, owner('111')]);
		expect(calls[1]).toBe('POST me/take_thread_control {"recipient":{"id":"42"},"metadata":"back"}');
		expect(outputOf(end)).toEqual({ success: true, changed: true, recipientId: '42', threadOwner: { appId: '111' }, ownedByPageInbox: false, previousOwner: { appId: PAGE_INBOX_APP_ID } });
	});

	test('take when this app owns it: changed false, nothing sent', () => {
		expect(walk(planControl('take', { psid: '42' }, run), [owner('111')]).calls).toHaveLength(1);
	});

	test('release when another app owns it: changed false; when this app owns it: released', () => {
		expect(outputOf(walk(planControl('release', { psid: '42' }, run), [owner(PAGE_INBOX_APP_ID)]).end)).toMatchObject({ changed: false });
		const released = walk(planControl('release', { psid: '42' }, run), [owner('111'), ok, owner('999')]);
		expect(released.calls[1]).toBe('POST me/release_thread_control {"recipient":{"id":"42"}}');
		expect(outputOf(released.end)).toMatchObject({ changed: true, threadOwner: { appId: '999' }, previousOwner: { appId: '111' } });
		// Graph answers success when nothing moved (the default app releasing its idle thread): the owners tell.
		expect(outputOf(walk(planControl('release', { psid: '42' }, run), [owner('111'), ok, owner('111')]).end)).toMatchObject({ changed: false });
	});

	test('request: the owner stays, requested true', () => {
		const { end } = walk(planControl('request', { psid: '42' }, run), [owner(PAGE_INBOX_APP_ID), ok]);
		expect(outputOf(end)).toMatchObject({ changed: true, requested: true, threadOwner: { appId: PAGE_INBOX_APP_ID } });
	});

	test('without this app’s ID: the call is sent, a refusal stays an error', () => {
		const { end } = walk(planControl('take', { psid: '42' }, { ...run, appId: undefined }), [owner('111'), refused, owner('111')]);
		expect('failure' in end).toBe(true);
	});
});
