// Which failures are sent again, from the Send API error table (shared/messenger-send-api.md):
// only those that delivered nothing; an ambiguous one only when the user allows it.
import { dispose, retryDelayMs, shouldRetry } from '../../nodes/MessengerSend/transport/retryPolicy';
import { SlidingWindowLimiter } from '../../nodes/MessengerSend/transport/rateLimiter';
import type { GraphOutcome } from '../../nodes/shared/graph';
import { regainAccessMs } from '../../nodes/shared/graph';

const refused = (code: number, error_subcode?: number, statusCode = 400, extra = {}): GraphOutcome => ({
	kind: 'refused',
	statusCode,
	error: { code, error_subcode, message: 'x', ...extra },
});

test.each([
	['1200 temporary send failure', refused(1200, 2018024, 500), 'retry'],
	['1 unknown error', refused(1), 'retry'],
	['2 service unavailable', refused(2, undefined, 500), 'retry'],
	['4 app rate limit', refused(4), 'retry'],
	['17 user rate limit', refused(17), 'retry'],
	['32 page rate limit', refused(32), 'retry'],
	['341 application limit', refused(341), 'retry'],
	['613 calls exceeded', refused(613), 'retry'],
	['80006 Messenger rate limit', refused(80006), 'retry'],
	['80001 business use case limit', refused(80001), 'retry'],
	['613/2018338 policy warning', refused(613, 2018338), 'final'],
	['613/1893016 policy warning', refused(613, 1893016), 'final'],
	['1/99 unknown, not transient', refused(1, 99), 'final'],
	['10/2018278 outside the window', refused(10, 2018278), 'final'],
	['100 invalid parameter', refused(100), 'final'],
	['190 invalid token', refused(190), 'final'],
	['551 person unavailable', refused(551), 'final'],
	['10900 already replied', refused(10900), 'final'],
	['an unknown code marked is_transient', refused(424242, undefined, 400, { is_transient: true }), 'retry'],
	['an unknown code', refused(424242), 'final'],
	['1/1357046 may have been delivered', refused(1, 1357046), 'ambiguous'],
	['a null batch entry (did not run)', { kind: 'notRun' }, 'retry'],
	['connection refused (never left)', { kind: 'noAnswer', host: 'h', code: 'ECONNREFUSED', requestLeft: false }, 'retry'],
	['connection reset after sending', { kind: 'noAnswer', host: 'h', code: 'ECONNRESET', requestLeft: true }, 'ambiguous'],
	['timeout after sending', { kind: 'noAnswer', host: 'h', code: 'ECONNABORTED', requestLeft: true }, 'ambiguous'],
	['a gateway error page (502)', { kind: 'unreadable', statusCode: 502 }, 'retry'],
	['a cut-off 200 answer', { kind: 'unreadable', statusCode: 200 }, 'ambiguous'],
	['a success', { kind: 'sent', statusCode: 200, body: {} }, 'final'],
] as Array<[string, GraphOutcome, string]>)('%s → %s', (_name, outcome, expected) => {
	expect(dispose(outcome)).toBe(expected);
});

const settings = { maxRetries: 3, maxWaitMs: 10_000, retryWithoutAnswer: false };

test('retries stop at maxRetries; ambiguous ones only with Retry When No Answer', () => {
	expect(shouldRetry('retry', 0, settings)).toBe(true);
	expect(shouldRetry('retry', 2, settings)).toBe(true);
	expect(shouldRetry('retry', 3, settings)).toBe(false);
	expect(shouldRetry('ambiguous', 0, settings)).toBe(false);
	expect(shouldRetry('ambiguous', 0, { ...settings, retryWithoutAnswer: true })).toBe(true);
	expect(shouldRetry('final', 0, settings)).toBe(false);
});

test('backoff doubles with jitter between half and the full step, capped by Max Wait', () => {
	const outcome = refused(1200);
	expect(retryDelayMs(1, outcome, settings, () => 0)).toBe(250);
	expect(retryDelayMs(1, outcome, settings, () => 1)).toBe(500);
	expect(retryDelayMs(3, outcome, settings, () => 1)).toBe(2000);
	expect(retryDelayMs(10, outcome, settings, () => 1)).toBe(10_000);
});

test('the wait Messenger asks for in X-Business-Use-Case-Usage is honoured, up to Max Wait', () => {
	const header = JSON.stringify({ '1029384756': [{ type: 'messenger', call_count: 100, estimated_time_to_regain_access: 2 }] });
	expect(regainAccessMs({ 'x-business-use-case-usage': header })).toBe(120_000);
	expect(regainAccessMs({ 'x-business-use-case-usage': 'not json' })).toBeUndefined();
	const limited: GraphOutcome = { ...refused(613), regainAccessMs: 120_000 } as GraphOutcome;
	expect(retryDelayMs(1, limited, settings, () => 0)).toBe(10_000);
	expect(retryDelayMs(1, limited, { ...settings, maxWaitMs: 300_000 }, () => 0)).toBe(120_000);
});

function fakeClockLimiter(perSecond: number) {
	const clock = { now: 0 };
	const limiter = new SlidingWindowLimiter(
		perSecond,
		() => clock.now,
		async (ms) => {
			clock.now += ms;
		},
	);
	return { clock, limiter };
}

test('the limiter hands out the room left, so batches of 50 keep the full pace', async () => {
	const { clock, limiter } = fakeClockLimiter(290);
	const taken: number[] = [];
	for (let i = 0; i < 6; i++) taken.push(await limiter.take(50));
	expect(taken).toEqual([50, 50, 50, 50, 50, 40]);
	limiter.giveBack(40);
	expect(await limiter.take(50)).toBe(40);
	expect(clock.now).toBe(0);
});

test('a send counts from the middle of its round trip, where the platform most likely counted it', async () => {
	const { clock, limiter } = fakeClockLimiter(100);
	expect(await limiter.take(100)).toBe(100);
	clock.now = 50; // the answers arrive 50 ms later
	limiter.done(100, 0);
	// The window frees one second after the middle of the round trip (25 ms).
	expect(await limiter.take(10)).toBe(10);
	expect(clock.now).toBe(1025);
});

test('under load the sends per any one-second window never exceed the limit', async () => {
	const { clock, limiter } = fakeClockLimiter(300);
	const answeredAt: number[] = [];
	for (let round = 0; round < 40; round++) {
		const taken = await limiter.take(50);
		const sentAt = clock.now;
		clock.now += 50;
		limiter.done(taken, sentAt);
		// The platform counts each send on arrival, anywhere in the round trip: here at its start.
		for (let i = 0; i < taken; i++) answeredAt.push(sentAt);
	}
	for (const start of answeredAt) {
		expect(answeredAt.filter((time) => time >= start && time < start + 1000).length).toBeLessThanOrEqual(300);
	}
	expect(answeredAt.length).toBe(2000);
});
