// The pure parts of "exactly once": the Retry On Fail ledger (bounded, released), the batch
// size after lost batches, which lost answers are safe to repeat, and how a lost send is
// recognised in the person's conversation.
import { GraphClock, offsetOf } from '../../nodes/MessengerSend/transport/graphClock';
import { contentOf, findSentMessage, lookupWindowStart, RecentDeliveries, whyNotLookedUp, type SentContent, type ThreadAttachment, type ThreadMessage } from '../../nodes/MessengerSend/transport/lookup';
import { BatchSizer, disposeSend, wasLost } from '../../nodes/MessengerSend/transport/retryPolicy';
import { SlidingWindowLimiter } from '../../nodes/MessengerSend/transport/rateLimiter';
import { RunLedger, triesOf } from '../../nodes/MessengerSend/transport/runLedger';
import type { GraphOutcome } from '../../nodes/shared/graph';
import type { GraphSend } from '../../nodes/MessengerSend/transport/graphApi';

describe('RunLedger', () => {
	test('remembers per run and item, only for the same request, until released', () => {
		const ledger = new RunLedger<string>();
		expect(ledger.startTry('run')).toBe(1);
		ledger.remember('run', 0, { fingerprint: 'a', result: 'm_1' });
		expect(ledger.startTry('run')).toBe(2);
		expect(ledger.earlier('run', 0, 'a')).toEqual({ fingerprint: 'a', result: 'm_1' });
		expect(ledger.earlier('run', 0, 'changed')).toBeUndefined();
		expect(ledger.earlier('run', 1, 'a')).toBeUndefined();
		expect(ledger.earlier('other run', 0, 'a')).toBeUndefined();
		ledger.release('run');
		expect(ledger.size).toBe(0);
		expect(ledger.startTry('run')).toBe(1);
	});

	test('bounded: the least recently tried run goes first', () => {
		const ledger = new RunLedger<string>(3);
		for (const key of ['a', 'b', 'c']) ledger.startTry(key);
		ledger.startTry('a');
		ledger.startTry('d');
		expect(ledger.size).toBe(3);
		expect(ledger.startTry('b')).toBe(1);
		expect(ledger.startTry('a')).toBe(3);
	});

	test('an entry older than the maximum age is dropped (a run whose last try never came)', () => {
		let time = 0;
		const ledger = new RunLedger<string>(10, 1000, () => time);
		ledger.startTry('old');
		ledger.remember('old', 0, { fingerprint: 'a', result: 'm_1' });
		time = 1500;
		ledger.startTry('new');
		expect(ledger.size).toBe(1);
		expect(ledger.earlier('old', 0, 'a')).toBeUndefined();
	});

	test.each([
		[{}, 1],
		[{ retryOnFail: false, maxTries: 4 }, 1],
		[{ retryOnFail: true }, 3],
		[{ retryOnFail: true, maxTries: 1 }, 2],
		[{ retryOnFail: true, maxTries: 9 }, 5],
	])('n8n runs a node with %j at most %i times', (node, tries) => expect(triesOf(node)).toBe(tries));
});

describe('BatchSizer', () => {
	test('halves after each lost batch down to single sends, doubles back after answered ones', () => {
		const sizer = new BatchSizer(50);
		const sizes = [sizer.size];
		for (let i = 0; i < 7; i++) {
			sizer.lost();
			sizes.push(sizer.size);
		}
		for (let i = 0; i < 7; i++) {
			sizer.answered();
			sizes.push(sizer.size);
		}
		expect(sizes).toEqual([50, 25, 12, 6, 3, 1, 1, 1, 2, 4, 8, 16, 32, 50, 50]);
	});
});

describe('lost answers', () => {
	const text: GraphSend = { pageId: 'me', request: { body: { recipient: { id: '1' }, message: { text: 'hi' } } } };
	const typing: GraphSend = { pageId: 'me', request: { body: { recipient: { id: '1' }, sender_action: 'typing_on' } } };
	const upload: GraphSend = { pageId: 'me', request: { body: { message: {} }, edge: 'message_attachments' } };
	const dropped: GraphOutcome = { kind: 'noAnswer', host: 'graph', code: 'ECONNRESET', requestLeft: true };
	const refusedConnection: GraphOutcome = { kind: 'noAnswer', host: 'graph', code: 'ECONNREFUSED', requestLeft: false };

	test('a message whose answer was lost is in doubt; a sender action or an upload is repeated harmlessly', () => {
		expect(disposeSend(text, dropped)).toBe('ambiguous');
		expect(disposeSend(typing, dropped)).toBe('retry');
		expect(disposeSend(upload, dropped)).toBe('retry');
		expect(disposeSend(text, { kind: 'refused', statusCode: 400, error: { code: 10, error_subcode: 2018278 } })).toBe('final');
	});

	test('only answers that never came (or came cut off) count as a lost batch', () => {
		expect(wasLost(dropped)).toBe(true);
		expect(wasLost({ kind: 'unreadable', statusCode: 200 })).toBe(true);
		expect(wasLost(refusedConnection)).toBe(false);
		expect(wasLost({ kind: 'unreadable', statusCode: 502 })).toBe(false);
		expect(wasLost({ kind: 'notRun' })).toBe(false);
	});

	test.each([
		[{ id: '1', user_ref: undefined }, undefined],
		[{ user_ref: 'ref' }, 'a message to a user_ref has no conversation to check'],
		[{ comment_id: 'c' }, 'a private reply has no conversation to check until the person answers'],
		[{ post_id: 'p' }, 'a private reply has no conversation to check until the person answers'],
	])('recipient %j: %s', (recipient, reason) => {
		expect(whyNotLookedUp({ pageId: 'me', request: { body: { recipient, message: { text: 'x' } } } })).toBe(reason);
	});
});

describe('findSentMessage: delivered only when the message found can only be this send', () => {
	// The request left at 09:14:13.600 by n8n's clock; Graph's clock the same: its window opens at 09:14:13.
	const earliestMs = Date.parse('2026-12-01T09:14:13Z');
	const page = { id: 'page' };
	const to = { data: [{ id: 'psid' }] };
	const none = () => false;
	const expected = { recipientId: 'psid', content: { kind: 'text', text: 'Your order has shipped' } as SentContent, earliestMs, known: none, unaccounted: 1, limit: 25, instagram: false };
	const message = (id: string, time: string, text: string, from = page, attachments?: ThreadAttachment[]): ThreadMessage => ({
		id,
		created_time: time,
		from,
		to,
		message: text,
		...(attachments ? { attachments: { data: attachments } } : {}),
	});
	const knownAs = (...ids: string[]) => (thread: ThreadMessage) => ids.includes(String(thread.id));

	test('the one message to the person with the same text since the request left (Graph has whole seconds)', () => {
		const thread = [
			message('m_3', '2026-12-01T09:14:13+0000', 'Your order has shipped'),
			message('m_2', '2026-12-01T09:14:13+0000', 'Thanks!', { id: 'psid' }),
			message('m_1', '2026-12-01T09:14:12+0000', 'Your order has shipped'),
		];
		expect(findSentMessage(thread, expected)).toEqual({ kind: 'found', messageId: 'm_3', recipientId: 'psid' });
	});

	test('two messages with the same text and one send: it cannot be told which, if any, is this one', () => {
		const thread = [message('m_4', '2026-12-01T09:14:15+0000', 'Your order has shipped'), message('m_3', '2026-12-01T09:14:13+0000', 'Your order has shipped')];
		expect(findSentMessage(thread, expected)).toEqual({
			kind: 'impossible',
			reason:
				'2 messages that could be this send reached the person since the request left (2 with the same text), more than the 1 send of this run they could be: another execution or tool may have sent the same',
		});
		// Two sends of the run with that text (a lost chain): the oldest is the first one's.
		expect(findSentMessage(thread, { ...expected, unaccounted: 2 })).toEqual({ kind: 'found', messageId: 'm_3', recipientId: 'psid' });
		// One of them another execution's delivery (known to this node): the other is this send.
		expect(findSentMessage(thread, { ...expected, known: knownAs('m_3') })).toEqual({ kind: 'found', messageId: 'm_4', recipientId: 'psid' });
	});

	test('not there: another text, the person’s own message, one from before the request left, one accounted for', () => {
		const thread = [
			message('m_9', '2026-12-01T09:14:20+0000', 'Something else'),
			message('m_8', '2026-12-01T09:14:20+0000', 'Your order has shipped', { id: 'psid' }),
			message('m_7', '2026-12-01T09:14:20+0000', 'Your order has shipped'),
			message('m_2', '2026-12-01T09:14:12+0000', 'Your order has shipped'),
		];
		expect(findSentMessage(thread, { ...expected, known: knownAs('m_7') })).toEqual({ kind: 'notFound' });
	});

	test('an attachment is never matched by "no text": a message without text is not this image', () => {
		const image = { ...expected, content: { kind: 'media', type: 'image', url: 'https://example.com/b.png' } as SentContent };
		// A text, another type of file: not it.
		expect(findSentMessage([message('m_1', '2026-12-01T09:14:14+0000', 'hello')], image)).toEqual({ kind: 'notFound' });
		expect(findSentMessage([message('m_1', '2026-12-01T09:14:14+0000', '', page, [{ id: 'a1', mime_type: 'video/mp4', video_data: { url: 'https://cdn/x' } }])], image)).toEqual({ kind: 'notFound' });
		// The thread shows the URL sent: it.
		expect(findSentMessage([message('m_2', '2026-12-01T09:14:14+0000', '', page, [{ id: 'a2', mime_type: 'image/png', image_data: { url: 'https://example.com/b.png' } }])], image)).toEqual({
			kind: 'found',
			messageId: 'm_2',
			recipientId: 'psid',
		});
		// An image shown as Messenger's copy (or not shown at all): may be it, may not.
		for (const attachments of [[{ id: 'a3', mime_type: 'image/jpeg', image_data: { url: 'https://scontent.example/123.jpg' } }], undefined]) {
			expect(findSentMessage([message('m_3', '2026-12-01T09:14:14+0000', '', page, attachments)], image)).toEqual({
				kind: 'impossible',
				reason:
					'a message with an image reached the person since the request left, and the conversation does not show enough of it (Messenger lists its own copy of a file, and nothing of a template) to tell whether one is this send',
			});
		}
	});

	test('a template (Send and Wait’s question) is matched by its text where the thread shows one, never by "no text" alone', () => {
		const question = { ...expected, content: { kind: 'template', text: 'Approve the refund?' } as SentContent };
		expect(findSentMessage([message('m_1', '2026-12-01T09:14:14+0000', 'Approve the refund?')], question)).toEqual({ kind: 'found', messageId: 'm_1', recipientId: 'psid' });
		expect(findSentMessage([message('m_1', '2026-12-01T09:14:14+0000', 'Something else')], question)).toEqual({ kind: 'notFound' });
		expect(findSentMessage([message('m_1', '2026-12-01T09:14:14+0000', '')], question).kind).toBe('impossible');
	});

	test('a full page of newer messages cannot tell; on Instagram that is its 20-message window', () => {
		const newer = Array.from({ length: 20 }, (_, i) => message(`m_${i}`, '2026-12-01T09:20:00+0000', 'other'));
		expect(findSentMessage(newer, { ...expected, limit: 20, instagram: true })).toEqual({
			kind: 'impossible',
			reason: 'Instagram shows only the 20 most recent messages of a thread, and all of them are newer than this send',
		});
		expect(findSentMessage(newer.slice(0, 19), { ...expected, limit: 20, instagram: true })).toEqual({ kind: 'notFound' });
	});
});

describe('lookupWindowStart: the second the request left, on Graph’s clock measured from its Date header', () => {
	const sentAt = Date.parse('2026-12-01T09:14:13.600Z');

	test('same clocks: the Date header is behind by under a second, so the window opens at most a second early', () => {
		// The lookup's answer was stamped 09:14:15 and received at 09:14:15.300.
		expect(new Date(lookupWindowStart(sentAt, offsetOf(Date.parse('2026-12-01T09:14:15Z'), sentAt, Date.parse('2026-12-01T09:14:15.300Z')))).toISOString()).toBe('2026-12-01T09:14:13.000Z');
		expect(new Date(lookupWindowStart(sentAt, offsetOf(Date.parse('2026-12-01T09:14:15Z'), sentAt, Date.parse('2026-12-01T09:14:15.900Z')))).toISOString()).toBe('2026-12-01T09:14:12.000Z');
	});

	test('Graph’s clock 5 s ahead or behind: the window moves with it', () => {
		expect(new Date(lookupWindowStart(sentAt, offsetOf(Date.parse('2026-12-01T09:14:20Z'), sentAt, Date.parse('2026-12-01T09:14:15.100Z')))).toISOString()).toBe('2026-12-01T09:14:18.000Z');
		expect(new Date(lookupWindowStart(sentAt, offsetOf(Date.parse('2026-12-01T09:14:10Z'), sentAt, Date.parse('2026-12-01T09:14:15.100Z')))).toISOString()).toBe('2026-12-01T09:14:08.000Z');
	});

	test('no Date header: 10 s before the request left', () => {
		expect(lookupWindowStart(sentAt, undefined)).toBe(sentAt - 10_000);
	});
});

describe('GraphClock: Graph’s clock minus n8n’s, the tightest range its recent answers give', () => {
	const at = (iso: string) => Date.parse(iso);
	const date = (iso: string) => new Date(iso).toUTCString();

	test('one answer: dated after the request left and before n8n read it', () => {
		const clock = new GraphClock();
		// Left 09:14:15.200, dated 09:14:15 (whole seconds), read 09:14:18.500 (a busy n8n).
		expect(clock.observe(date('2026-12-01T09:14:15Z'), at('2026-12-01T09:14:15.200Z'), at('2026-12-01T09:14:18.500Z'))).toEqual({ low: -3500, high: 800 });
		expect(clock.offset()).toEqual({ low: -3500, high: 800 });
	});

	test('a quick answer pins the clocks however slow a later one is', () => {
		const clock = new GraphClock();
		clock.observe(date('2026-12-01T09:14:15Z'), at('2026-12-01T09:14:15.200Z'), at('2026-12-01T09:14:15.300Z'));
		clock.observe(date('2026-12-01T09:14:20Z'), at('2026-12-01T09:14:20.100Z'), at('2026-12-01T09:14:24.000Z'));
		expect(clock.offset()).toEqual({ low: -300, high: 800 });
	});

	test('an answer the range cannot hold (a clock was set): only the newest counts', () => {
		const clock = new GraphClock();
		clock.observe(date('2026-12-01T09:14:15Z'), at('2026-12-01T09:14:15.200Z'), at('2026-12-01T09:14:15.300Z'));
		// n8n's clock set 30 s ahead.
		clock.observe(date('2026-12-01T09:14:20Z'), at('2026-12-01T09:14:50.100Z'), at('2026-12-01T09:14:50.200Z'));
		expect(clock.offset()).toEqual({ low: -30_200, high: -29_100 });
	});

	test('answers older than 10 minutes, or without a Date header, do not count', () => {
		const clock = new GraphClock();
		expect(clock.observe(undefined, 0, 1)).toBeUndefined();
		expect(clock.observe('not a date', 0, 1)).toBeUndefined();
		expect(clock.offset()).toBeUndefined();
		clock.observe(date('2026-12-01T09:14:15Z'), at('2026-12-01T09:14:15.200Z'), at('2026-12-01T09:14:15.300Z'));
		clock.observe(date('2026-12-01T09:25:15Z'), at('2026-12-01T09:25:15.100Z'), at('2026-12-01T09:25:17.000Z'));
		expect(clock.offset()).toEqual({ low: -2000, high: 900 });
	});
});

describe('RecentDeliveries: a message of this node is known over the whole measured range of the clocks', () => {
	const message = { id: 'm_1', created_time: '2026-12-01T09:14:15+0000' };
	const sent = { left: Date.parse('2026-12-01T09:14:15.400Z'), answered: Date.parse('2026-12-01T09:14:15.600Z') };

	test('known when the lookup’s answer was read 3 s after Graph dated it (the CI failure: taken for another send)', () => {
		const recent = new RecentDeliveries();
		recent.add('m_1', 'p0', sent.left, sent.answered);
		// The lookup left at 09:14:17.000, was dated 09:14:17, read at 09:14:20.400.
		const slow = offsetOf(Date.parse('2026-12-01T09:14:17Z'), Date.parse('2026-12-01T09:14:17.000Z'), Date.parse('2026-12-01T09:14:20.400Z'));
		expect(recent.delivered(message, 'p0', slow)).toBe(true);
		expect(recent.delivered(message, 'p0', { low: -300, high: 800 })).toBe(true);
		expect(recent.delivered(message, 'p0', undefined)).toBe(true);
	});

	test('not known for another person, or when the same ID (a test server after a reset) was made well apart', () => {
		const recent = new RecentDeliveries();
		recent.add('m_1', 'p0', sent.left, sent.answered);
		expect(recent.delivered(message, 'p1', { low: -300, high: 800 })).toBe(false);
		recent.add('m_1', 'p0', sent.left + 60_000, sent.answered + 60_000);
		expect(recent.delivered(message, 'p0', { low: -300, high: 800 })).toBe(false);
	});
});

describe('contentOf: what a send shows in the thread', () => {
	const send = (message: object) => ({ pageId: 'me', request: { body: { recipient: { id: 'p' }, message } } });
	test.each([
		[{ text: 'hi' }, { kind: 'text', text: 'hi' }],
		[{ attachment: { type: 'image', payload: { url: 'https://x/a.png', is_reusable: true } } }, { kind: 'media', type: 'image', url: 'https://x/a.png' }],
		[{ attachment: { type: 'file', payload: { attachment_id: '123' } } }, { kind: 'media', type: 'file', attachmentId: '123' }],
		[{ attachment: { type: 'template', payload: { template_type: 'button', text: 'Approve?', buttons: [] } } }, { kind: 'template', text: 'Approve?' }],
		[{ attachment: { type: 'template', payload: { template_type: 'generic', elements: [{ title: 'Shoes' }] } } }, { kind: 'template', text: 'Shoes' }],
		[{ attachment: { type: 'template', payload: { template_type: 'receipt' } } }, { kind: 'template' }],
	])('%j', (message, content) => {
		expect(contentOf(send(message))).toEqual(content);
	});
});

describe('the pace after rate-limit refusals', () => {
	test('drops to what the platform accepted in the last second, at most once a second, then climbs back', () => {
		let time = 0;
		const limiter = new SlidingWindowLimiter(2000, () => time);
		limiter.speedUp(100);
		expect(limiter.pace).toBe(2000);
		time = 500;
		limiter.slowDown();
		expect(limiter.pace).toBe(100);
		time = 900;
		limiter.slowDown();
		expect(limiter.pace).toBe(100);
		limiter.speedUp(50);
		expect(limiter.pace).toBe(105);
		time = 3000;
		// Nothing accepted in the last second: half.
		limiter.slowDown();
		expect(limiter.pace).toBe(52.5);
		for (let i = 0; i < 100; i++) limiter.speedUp(1000);
		expect(limiter.pace).toBe(2000);
	});
});
