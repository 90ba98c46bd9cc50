// Latency, rate caps and injected faults, as a client experiences them.
import { connect } from 'node:net';

import type { FaultConfig } from '../../emulator/graphEmulator.cjs';
import { batch, call, errorOf, messageOp, PAGE, PSID, send, sleep, startEmulator, textMessage } from './helpers.cjs';

async function elapsed(action: () => Promise<unknown>): Promise<number> {
	const start = performance.now();
	await action();
	return performance.now() - start;
}

/** True when the fetch failed at the connection level (no HTTP answer at all). */
async function connectionFails(action: () => Promise<unknown>): Promise<boolean> {
	try {
		await action();
		return false;
	} catch (error) {
		// undici's TypeError comes from Node's realm, not jest's, so compare by name.
		return (error as Error).name === 'TypeError' && (error as Error).message === 'fetch failed';
	}
}

describe('latency', () => {
	test('latencyMs delays every answer; jitter stays within its bound', async () => {
		const emulator = await startEmulator({ latencyMs: 150 });
		expect(await elapsed(() => send(emulator, textMessage('slow')))).toBeGreaterThanOrEqual(140);
		expect(await elapsed(() => call(emulator, '/v25.0/me'))).toBeGreaterThanOrEqual(140);

		// The upper bounds leave room for a loaded CI machine (a local round trip there has taken over
		// 1 s beside the end-to-end runs) and still tell a bound kept from one missed: a jitter read as
		// seconds would hold answers up to 100 s, a latency not reset 3 s.
		emulator.configure({ latencyMs: 0, jitterMs: 100 });
		for (let i = 0; i < 3; i += 1) expect(await elapsed(() => send(emulator, textMessage('jittery')))).toBeLessThan(2500);
		emulator.configure({ latencyMs: 3000, jitterMs: undefined });
		emulator.configure({ latencyMs: undefined });
		expect(await elapsed(() => send(emulator, textMessage('fast again')))).toBeLessThan(2500);
	});

	test('control endpoints answer without latency', async () => {
		// Far under the latency, with room for a loaded CI machine.
		const emulator = await startEmulator({ latencyMs: 5000 });
		expect(await elapsed(() => call(emulator, '/__emulator/stats'))).toBeLessThan(2500);
	});
});

describe('what the client does', () => {
	test('a request given up before its body arrived is counted as cut off, never handled; dateLagMs dates an answer before it leaves', async () => {
		const emulator = await startEmulator();
		const { port } = new URL(emulator.url);
		await new Promise<void>((resolve, reject) => {
			const socket = connect(Number(port), '127.0.0.1', () => {
				socket.write('POST /v25.0/me/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"recipient":');
				setTimeout(() => socket.destroy(), 100);
			});
			socket.on('close', () => resolve());
			socket.on('error', reject);
		});
		await expectEventually(() => emulator.stats().cutOff, 1);
		expect(emulator.stats()).toMatchObject({ requests: 0, accepted: 0, cutOff: 1 });

		emulator.configure({ dateLagMs: 2000 });
		const started = Date.now();
		const response = await fetch(`${emulator.url}/v25.0/me`, { headers: { authorization: 'Bearer x' } });
		const dated = Date.parse(String(response.headers.get('date')));
		expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
		expect(dated).toBeLessThanOrEqual(started + 1000);
	});
});

async function expectEventually<T>(read: () => T, expected: T): Promise<void> {
	const deadline = Date.now() + 5000;
	while (read() !== expected && Date.now() < deadline) await sleep(20);
	expect(read()).toBe(expected);
}

describe('rate caps', () => {
	test('beyond rateCapPerSecond: 613 with X-Business-Use-Case-Usage; access returns after a second', async () => {
		const emulator = await startEmulator({ rateCapPerSecond: 3 });
		const usage = (answer: { headers: Headers }) => JSON.parse(answer.headers.get('x-business-use-case-usage') ?? 'null')?.[PAGE.id]?.[0];

		const counts: number[] = [];
		for (let i = 0; i < 3; i += 1) {
			const answer = await send(emulator, textMessage(`burst ${i}`));
			expect(answer.status).toBe(200);
			counts.push(usage(answer).call_count);
		}
		expect(counts).toEqual([33, 67, 100]);

		const limited = await send(emulator, textMessage('one too many'));
		expect(errorOf(limited)).toEqual({ status: 400, code: 613 });
		expect(usage(limited)).toEqual({
			type: 'messenger',
			call_count: 100,
			total_cputime: expect.any(Number),
			total_time: expect.any(Number),
			estimated_time_to_regain_access: 0,
		});
		expect(usage(await call(emulator, '/v25.0/me'))).toMatchObject({ call_count: 100, estimated_time_to_regain_access: 0 });
		expect(emulator.inbox).toHaveLength(3);
		expect(emulator.stats().rejected).toEqual({ 613: 1 });

		await sleep(1100);
		expect((await send(emulator, textMessage('after the window'))).status).toBe(200);
	});

	test('batch operations count one by one', async () => {
		const emulator = await startEmulator({ rateCapPerSecond: 2 });
		const answer = await batch(emulator, [messageOp('a'), messageOp('b'), messageOp('c')]);
		expect(answer.body.map((entry: { code: number }) => entry.code)).toEqual([200, 200, 400]);
		expect(JSON.parse(answer.body[2].body).error.code).toBe(613);
		expect(answer.headers.get('x-business-use-case-usage')).not.toBeNull();
	});

	test('audio and video have their own cap; text is not affected', async () => {
		const emulator = await startEmulator({ mediaRateCapPerSecond: 2 });
		const video = { recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { attachment: { type: 'video', payload: { url: 'https://example.com/v.mp4' } } } };
		expect((await send(emulator, video)).status).toBe(200);
		expect((await send(emulator, { ...video, message: { attachment: { type: 'audio', payload: { url: 'https://example.com/a.mp3' } } } })).status).toBe(200);
		expect(errorOf(await send(emulator, video))).toEqual({ status: 400, code: 613 });
		expect((await send(emulator, textMessage('text still goes'))).status).toBe(200);
	});

	test('without a cap there is no usage header', async () => {
		const emulator = await startEmulator();
		expect((await send(emulator, textMessage('x'))).headers.get('x-business-use-case-usage')).toBeNull();
	});
});

describe('faults on a schedule', () => {
	const withFault = (faults: FaultConfig) => startEmulator({ faults });

	test('http5xx: HTTP 500, code 2, transient; nothing delivered', async () => {
		const emulator = await withFault({ http5xx: { schedule: [1] } });
		const answer = await send(emulator, textMessage('x'));
		expect(answer.status).toBe(500);
		expect(answer.body.error).toEqual({ message: 'Service temporarily unavailable', type: 'OAuthException', code: 2, is_transient: true, fbtrace_id: expect.any(String) });
		expect(emulator.inbox).toHaveLength(0);
		expect((await send(emulator, textMessage('retry'))).status).toBe(200);
		expect(emulator.stats()).toMatchObject({ accepted: 1, faults: { http5xx: 1 }, rejected: {} });
	});

	test('temporary1200: HTTP 500, 1200/2018024, transient; nothing delivered', async () => {
		const emulator = await withFault({ temporary1200: { schedule: [2] } });
		expect((await send(emulator, textMessage('first'))).status).toBe(200);
		const answer = await send(emulator, textMessage('second'));
		expect(errorOf(answer)).toEqual({ status: 500, code: 1200, subcode: 2018024 });
		expect(answer.body.error).toMatchObject({ message: 'Temporary send message failure. Please try again later', is_transient: true });
		expect(emulator.inbox.map((entry) => entry.message?.text)).toEqual(['first']);
	});

	test('dropBeforeDelivery: the connection closes without an answer; nothing delivered', async () => {
		const emulator = await withFault({ dropBeforeDelivery: { schedule: [1] } });
		expect(await connectionFails(() => send(emulator, textMessage('lost')))).toBe(true);
		expect(emulator.inbox).toHaveLength(0);
		expect(emulator.requests).toHaveLength(1);
	});

	test('dropAfterDelivery: the connection closes without an answer, but the message was delivered', async () => {
		const emulator = await withFault({ dropAfterDelivery: { schedule: [1] } });
		expect(await connectionFails(() => send(emulator, textMessage('ambiguous')))).toBe(true);
		expect(emulator.inbox).toEqual([expect.objectContaining({ message: { text: 'ambiguous' }, message_id: 'm_1' })]);
		expect(emulator.stats().faults).toEqual({ dropAfterDelivery: 1 });
	});

	test('timeout: delivered, then answered only after timeoutMs, so a client timeout fires first', async () => {
		const emulator = await startEmulator({ faults: { timeout: { schedule: [1, 2] } }, timeoutMs: 400 });
		await expect(send(emulator, textMessage('held'), { signal: AbortSignal.timeout(100) })).rejects.toThrow();
		expect(emulator.inbox).toHaveLength(1);

		let answer: Awaited<ReturnType<typeof send>> | undefined;
		const waited = await elapsed(async () => (answer = await send(emulator, textMessage('patient'))));
		expect(waited).toBeGreaterThanOrEqual(380);
		expect(answer?.body).toEqual({ recipient_id: PSID, message_id: 'm_2' });
	});

	test('malformedJson: delivered, then 200 with a truncated JSON body', async () => {
		const emulator = await withFault({ malformedJson: { schedule: [1] } });
		const answer = await send(emulator, textMessage('x'));
		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toBe('application/json');
		expect(answer.body).toBeUndefined();
		expect(() => JSON.parse(answer.text)).toThrow();
		expect(answer.text.startsWith('{"recipient_id"')).toBe(true);
		expect(emulator.inbox).toHaveLength(1);
	});

	test('nullBatchEntry: the operation does not run and its entry is null', async () => {
		const emulator = await withFault({ nullBatchEntry: { schedule: [2] } });
		const answer = await batch(emulator, [messageOp('a'), messageOp('b', { name: 'b' }), messageOp('c'), messageOp('after b', { depends_on: 'b' })]);
		expect(answer.body[1]).toBeNull();
		expect(answer.body.map((entry: { code: number } | null) => entry?.code ?? null)).toEqual([200, null, 200, 400]);
		expect(emulator.inbox.map((entry) => entry.message?.text)).toEqual(['a', 'c']);
	});

	test('nullBatchEntry has no effect outside a batch', async () => {
		const emulator = await withFault({ nullBatchEntry: { schedule: [1] } });
		expect((await send(emulator, textMessage('direct'))).status).toBe(200);
	});

	test('ordinals count direct sends and batch operations together, and restart on reset', async () => {
		const emulator = await withFault({ http5xx: { schedule: [3] } });
		expect((await send(emulator, textMessage('1'))).status).toBe(200);
		const answer = await batch(emulator, [messageOp('2'), messageOp('3'), messageOp('4')]);
		expect(answer.body.map((entry: { code: number }) => entry.code)).toEqual([200, 500, 200]);
		expect(JSON.parse(answer.body[1].body).error).toMatchObject({ code: 2, is_transient: true });

		emulator.reset();
		emulator.configure({ faults: { http5xx: { schedule: [3] } } });
		for (const expected of [200, 200, 500, 200]) expect((await send(emulator, textMessage('again'))).status).toBe(expected);
	});

	test('faults in a batch: drops close the connection, a timeout holds the whole answer', async () => {
		const dropping = await withFault({ dropAfterDelivery: { schedule: [2] } });
		expect(await connectionFails(() => batch(dropping, [messageOp('a'), messageOp('b'), messageOp('never runs')]))).toBe(true);
		expect(dropping.inbox.map((entry) => entry.message?.text)).toEqual(['a', 'b']);

		const holding = await startEmulator({ faults: { timeout: { schedule: [1] } }, timeoutMs: 300 });
		const waited = await elapsed(async () => expect((await batch(holding, [messageOp('a'), messageOp('b')])).body).toHaveLength(2));
		expect(waited).toBeGreaterThanOrEqual(280);
	});
});

describe('faults by probability', () => {
	async function pattern(seed: number, probability: number): Promise<number[]> {
		const emulator = await startEmulator({ seed, faults: { http5xx: { probability } } });
		const statuses: number[] = [];
		for (let i = 0; i < 20; i += 1) statuses.push((await send(emulator, textMessage(`#${i}`))).status);
		expect(emulator.stats().faults.http5xx ?? 0).toBe(statuses.filter((status) => status === 500).length);
		expect(emulator.inbox).toHaveLength(statuses.filter((status) => status === 200).length);
		return statuses;
	}

	test('probability 1 always fires; 0 never does', async () => {
		expect(new Set(await pattern(1, 1))).toEqual(new Set([500]));
		expect(new Set(await pattern(1, 0))).toEqual(new Set([200]));
	});

	test('the same seed gives the same faults; another seed another pattern', async () => {
		const first = await pattern(42, 0.5);
		const failures = first.filter((status) => status === 500).length;
		expect(failures).toBeGreaterThan(2);
		expect(failures).toBeLessThan(18);
		expect(await pattern(42, 0.5)).toEqual(first);
		const others = await Promise.all([43, 44, 45].map(async (seed) => (await pattern(seed, 0.5)).join()));
		expect(others.some((other) => other !== first.join())).toBe(true);
	});

	test('every fault type can fire by probability', async () => {
		const names: Array<keyof FaultConfig> = ['http5xx', 'temporary1200', 'dropBeforeDelivery', 'dropAfterDelivery', 'timeout', 'malformedJson'];
		for (const name of names) {
			const emulator = await startEmulator({ faults: { [name]: { probability: 1 } }, timeoutMs: 50 });
			await send(emulator, textMessage('x')).catch(() => undefined);
			expect(emulator.stats().faults).toEqual({ [name]: 1 });
		}
		const emulator = await startEmulator({ faults: { nullBatchEntry: { probability: 1 } } });
		expect((await batch(emulator, [messageOp('x')])).body).toEqual([null]);
	});
});
