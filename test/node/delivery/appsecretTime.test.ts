// The time-stamped appsecret_proof, run by n8n's engine against the emulator, which requires a
// proof and refuses one whose appsecret_time is more than 5 minutes off its clock.
import { createHmac } from 'node:crypto';

import { GraphEmulator, type ReceivedRequest } from '../../../emulator/graphEmulator.cjs';
import { broadcaster } from '../../helpers/broadcast';
import { APP_SECRET, credentialsFor, TOKEN } from '../../helpers/fixtures';
import { runNode, type NodeRun } from '../../helpers/runNode';

const PAGE = { id: '1029384756', name: 'Proof Shop', token: TOKEN, appSecret: APP_SECRET, requireAppSecretProof: true };
const emulator = new GraphEmulator({ pages: [PAGE] });

beforeAll(async () => await emulator.start());
beforeEach(() => emulator.reset());
afterEach(() => jest.restoreAllMocks());
afterAll(async () => await emulator.stop());

const { broadcast } = broadcaster(emulator, { appSecret: APP_SECRET, proofMode: 'timeStamped' });

/** Computed here, independently of the credential's code. */
function expectTimedProof(params: Record<string, unknown>, where: string) {
	const time = String(params.appsecret_time);
	expect({ where, time }).toEqual({ where, time: expect.stringMatching(/^\d+$/) });
	const expected = createHmac('sha256', APP_SECRET).update(`${TOKEN}|${time}`).digest('hex');
	expect({ where, proof: params.appsecret_proof }).toEqual({ where, proof: expected });
}

/** The top-level query and every batch operation carry appsecret_time and a matching proof. */
function expectTimedProofsOn(request: ReceivedRequest, index: number) {
	expectTimedProof(request.query, `request ${index}`);
	if (typeof request.body.batch !== 'string') return;
	const operations = JSON.parse(request.body.batch) as Array<{ body: string }>;
	operations.forEach((op, n) => expectTimedProof(Object.fromEntries(new URLSearchParams(op.body)), `request ${index} operation ${n}`));
}

function expectNoSecretSent(run: NodeRun) {
	for (const request of emulator.requests) {
		expect(request.url).not.toContain(TOKEN);
		expect(request.raw.toString()).not.toContain(TOKEN);
		expect(`${request.url}${request.raw.toString()}`).not.toContain(APP_SECRET);
		expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
	}
	const recorded = JSON.stringify(run.run.data);
	expect(recorded).not.toContain(TOKEN);
	expect(recorded).not.toContain(APP_SECRET);
}

test.each([true, false])('every request carries appsecret_time and a correct time-stamped proof, and is accepted (batching %s)', async (batching) => {
	const run = await broadcast(20, 2, { batching });

	expect(run.error).toBeUndefined();
	expect(run.items.filter((item) => item.json.error !== undefined)).toEqual([]);
	expect(emulator.inbox).toHaveLength(40);
	if (batching) expect(emulator.requests.some((request) => typeof request.body.batch === 'string')).toBe(true);
	emulator.requests.forEach(expectTimedProofsOn);
	expectNoSecretSent(run);
});

test('Plain sends no appsecret_time, in the query or in batch operations', async () => {
	const run = await broadcast(5, 1, { batching: true }, { proofMode: 'plain' });

	expect(emulator.inbox).toHaveLength(5);
	const [request] = emulator.requests;
	expect(request.query.appsecret_time).toBeUndefined();
	expect(String(request.body.batch)).not.toContain('appsecret_time');
	expectNoSecretSent(run);
});

test('each batch gets a proof made when it is sent: a later batch survives a 10-minute clock jump', async () => {
	// The clock jumps 10 minutes once the first batch (50 sends, the most a batch takes) is
	// delivered; the emulator reads the same clock. A proof made once per run would be stale for
	// the second batch.
	const realNow = Date.now.bind(Date);
	jest.spyOn(Date, 'now').mockImplementation(() => realNow() + (emulator.inbox.length >= 50 ? 600_000 : 0));

	const run = await broadcast(60, 1, { batching: true, maxConcurrency: 1 });

	expect(run.items.filter((item) => item.json.error !== undefined)).toEqual([]);
	expect(emulator.inbox).toHaveLength(60);
	expect(emulator.requests).toHaveLength(2);
	emulator.requests.forEach(expectTimedProofsOn);
	const times = emulator.requests.map((request) => Number(request.query.appsecret_time));
	expect(times[1] - times[0]).toBeGreaterThanOrEqual(600);
});

test('a proof the platform refuses (wrong App Secret) is explained, naming the secret and the clock', async () => {
	const run = await runNode({
		parameters: { operation: 'sendMessage', recipientType: 'id', psid: '42', messagingType: 'RESPONSE', text: 'hi', delivery: { batching: false } },
		continueOnFail: true,
		credentials: credentialsFor(emulator.url, { appSecret: 'NOT-THE-APP-SECRET', proofMode: 'timeStamped' }),
	});
	expect(run.items[0].json).toMatchObject({ error: 'The app secret proof was refused (item 0)', code: 100, attempts: 1 });
	expect(run.items[0].json.description).toContain('the n8n server’s clock must be right to within 5 minutes');
	expect(JSON.stringify(run.items)).not.toContain('NOT-THE-APP-SECRET');
	expect(emulator.inbox).toHaveLength(0);
});
