// Taps that arrive together (issue 20, finding 6): a double tap in Messenger's in-app browser, the
// other button a moment later, two managers with the same link. Only the first tap of a question
// answers it: one "recorded" page, one confirmation, and workflow data (what n8n resumes with)
// from that tap only; the others get the "already answered" page and resume nothing.
import { sleep, type IWebhookFunctions } from 'n8n-workflow';

import { receiveAnswer } from '../../../nodes/MessengerSend/sendAndWait/answer';
import { alreadyAnsweredPage } from '../../../nodes/MessengerSend/sendAndWait/pages';
import { ANSWER_HOLD_MS, answerKey, claimAnswer, type AnswerClaim } from '../../../nodes/MessengerSend/sendAndWait/taps';

const NOW = Date.parse('2026-12-01T10:00:00.000Z');

describe('which tap answers a question (claimAnswer)', () => {
	test('the first claim wins; later ones get the standing claim, with the answer that counts', () => {
		const claims = new Map<string, AnswerClaim>();
		const key = answerKey('231', 'node-1', 'm_1');
		expect(claimAnswer(claims, key, 'Approve', NOW)).toBeUndefined();
		expect(claimAnswer(claims, key, 'Decline', NOW + 5)).toEqual({ answer: 'Approve', until: NOW + ANSWER_HOLD_MS });
		expect(claimAnswer(claims, key, 'Approve', NOW + 9)).toEqual({ answer: 'Approve', until: NOW + ANSWER_HOLD_MS });
	});

	test('another question (another execution, node, or the next question of a loop) is answered on its own', () => {
		const claims = new Map<string, AnswerClaim>();
		expect(claimAnswer(claims, answerKey('231', 'node-1', 'm_1'), 'Approve', NOW)).toBeUndefined();
		expect(claimAnswer(claims, answerKey('232', 'node-1', 'm_1'), 'Decline', NOW)).toBeUndefined();
		expect(claimAnswer(claims, answerKey('231', 'node-2', 'm_1'), 'Decline', NOW)).toBeUndefined();
		expect(claimAnswer(claims, answerKey('231', 'node-1', 'm_2'), 'Decline', NOW)).toBeUndefined();
		expect(claims.size).toBe(4);
	});

	test('a claim holds for ANSWER_HOLD_MS only: an answer n8n never resumed with does not leave the question unanswerable', () => {
		const claims = new Map<string, AnswerClaim>();
		const key = answerKey('231', 'node-1', 'm_1');
		claimAnswer(claims, key, 'Approve', NOW);
		expect(claimAnswer(claims, key, 'Decline', NOW + ANSWER_HOLD_MS - 1)).toEqual({ answer: 'Approve', until: NOW + ANSWER_HOLD_MS });
		expect(claimAnswer(claims, key, 'Decline', NOW + ANSWER_HOLD_MS)).toBeUndefined();
		expect(claims.get(key)).toEqual({ answer: 'Decline', until: NOW + 2 * ANSWER_HOLD_MS });
	});

	test('expired claims are dropped, so the record stays small', () => {
		const claims = new Map<string, AnswerClaim>();
		for (let execution = 0; execution < 100; execution++) claimAnswer(claims, answerKey(String(execution), 'n', 'm'), 'Approve', NOW);
		claimAnswer(claims, answerKey('new', 'n', 'm'), 'Approve', NOW + ANSWER_HOLD_MS);
		expect([...claims.keys()]).toEqual([answerKey('new', 'n', 'm')]);
	});

	test('the page of a late tap names the answer that counts (escaped), or none for a written answer', () => {
		expect(alreadyAnsweredPage('Approve <now>')).toContain('This question was already answered <strong>Approve &lt;now&gt;</strong>. Only that answer counts: nothing was changed.');
		expect(alreadyAnsweredPage('')).toContain('This question was already answered. Only that answer counts');
		expect(alreadyAnsweredPage('Approve')).not.toContain('was recorded');
	});
});

describe('the Send and Wait node’s webhook, three taps at once', () => {
	const ASKED = '6789012345678901';
	let executions = 0;

	/** One waiting execution: taps on it share its id; each tap has its own request and response. */
	function question(options: { responseType?: 'approval' | 'freeText'; confirmMs?: number } = {}) {
		const execution = `9${++executions}`;
		const confirmations: string[] = [];
		const tap = (query: Record<string, string>, method = 'GET', body: Record<string, string> = {}) => {
			const response = { status: 0, headers: {} as Record<string, string>, body: '' };
			const res = {
				status: (code: number) => ((response.status = code), res),
				type: () => res,
				send: (text: string) => (response.body = text),
				setHeader: (name: string, value: string) => (response.headers[name] = value),
			};
			const parameters: Record<string, unknown> = {
				responseType: options.responseType ?? 'approval',
				approveLabel: 'Approve',
				declineLabel: 'Decline',
				confirmation: { approved: 'Approved, thanks', declined: 'Declined, noted', answered: 'Thanks for your answer' },
			};
			const ctx = {
				evaluateExpression: () => ({ recipient_id: ASKED, message_id: `m_${execution}`, approved: null, answer: null, respondedAt: null, timedOut: true }),
				getQueryData: () => query,
				getBodyData: () => body,
				getNodeParameter: (name: string, fallback: unknown) => parameters[name] ?? fallback,
				getHeaderData: () => ({ 'user-agent': 'Mozilla/5.0 (iPhone) [FBAN/MessengerForiOS]' }),
				getRequestObject: () => ({ method, url: `/webhook-waiting/${execution}/node-1`, headers: {} }),
				getResponseObject: () => res,
				getNode: () => ({ name: 'Ask', id: 'node-1' }),
				getExecutionId: () => execution,
				getCredentials: async () => ({ accessToken: 'UNIT-TOKEN', apiVersion: 'v25.0', baseUrl: 'https://graph.example.com' }),
				helpers: {
					httpRequestWithAuthentication: async (_type: string, request: { body: { message: { text: string } } }) => {
						// The Graph API takes a while: the other taps arrive while the first is confirming.
						await sleep(options.confirmMs ?? 20);
						confirmations.push(request.body.message.text);
						return { message_id: 'm_confirmation' };
					},
				},
				logger: { warn: () => {} },
			} as unknown as IWebhookFunctions;
			return { ctx, response };
		};
		return { tap, confirmations };
	}

	test('Approve, Decline and Approve at once: one answer recorded and resumed, one confirmation (its own), two "already answered" pages', async () => {
		const { tap, confirmations } = question();
		const taps = [tap({ approved: 'true', signature: 's1' }), tap({ approved: 'false', signature: 's2' }), tap({ approved: 'true', signature: 's1' })];
		const results = await Promise.all(taps.map(async ({ ctx }) => await receiveAnswer(ctx)));

		const resuming = results.filter((result) => result.workflowData !== undefined);
		expect(resuming).toHaveLength(1);
		const winner = results.findIndex((result) => result.workflowData !== undefined);
		const approved = resuming[0].workflowData?.[0]?.[0]?.json.approved;
		expect(approved).toBe(winner !== 1);
		expect(confirmations).toEqual([approved ? 'Approved, thanks' : 'Declined, noted']);

		const pages = taps.map(({ response }) => response);
		expect(pages.filter((page) => page.body.includes('was recorded'))).toHaveLength(1);
		expect(pages[winner]).toMatchObject({ status: 200, headers: { 'x-messenger-send-answer': 'recorded' } });
		const late = pages.filter((_, index) => index !== winner);
		for (const page of late) {
			expect(page).toMatchObject({ status: 200, headers: { 'x-messenger-send-answer': 'answered-before' } });
			expect(page.body).toContain(`This question was already answered <strong>${approved ? 'Approve' : 'Decline'}</strong>`);
			expect(page.body).not.toContain('was recorded');
		}
		// Nothing that resumes, and nothing else to answer the request: the page was written.
		for (const [index, result] of results.entries()) if (index !== winner) expect(result).toEqual({ noWebhookResponse: true });
	});

	test('the first tap wins even when the Graph API answers it slowly', async () => {
		const { tap, confirmations } = question({ confirmMs: 300 });
		const first = tap({ approved: 'false', signature: 's2' });
		const pending = receiveAnswer(first.ctx);
		const second = tap({ approved: 'true', signature: 's1' });
		const late = await receiveAnswer(second.ctx);
		expect(late).toEqual({ noWebhookResponse: true });
		expect(second.response.body).toContain('already answered <strong>Decline</strong>');
		expect((await pending).workflowData?.[0]?.[0]?.json.approved).toBe(false);
		expect(confirmations).toEqual(['Declined, noted']);
	});

	test('a free-text form sent twice at once: the first answer counts, the second is told so without showing the first', async () => {
		const { tap, confirmations } = question({ responseType: 'freeText' });
		const sends = [tap({ signature: 's' }, 'POST', { answer: 'Blue, size M' }), tap({ signature: 's' }, 'POST', { answer: 'Red, size L' })];
		const results = await Promise.all(sends.map(async ({ ctx }) => await receiveAnswer(ctx)));
		expect(results[0].workflowData?.[0]?.[0]?.json).toMatchObject({ answer: 'Blue, size M', timedOut: false });
		expect(results[1]).toEqual({ noWebhookResponse: true });
		expect(sends[1].response.body).toContain('This question was already answered. Only that answer counts');
		expect(sends[1].response.body).not.toContain('Blue');
		expect(confirmations).toEqual(['Thanks for your answer']);
	});

	test('a tap on another waiting execution is not held up by this one', async () => {
		const one = question();
		const other = question();
		const [a, b] = await Promise.all([receiveAnswer(one.tap({ approved: 'true', signature: 's' }).ctx), receiveAnswer(other.tap({ approved: 'false', signature: 's' }).ctx)]);
		expect(a.workflowData?.[0]?.[0]?.json.approved).toBe(true);
		expect(b.workflowData?.[0]?.[0]?.json.approved).toBe(false);
	});
});
