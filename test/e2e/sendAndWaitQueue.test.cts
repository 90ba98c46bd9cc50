// Send and Wait for Response on n8n's distributed engine (queue mode): Redis and PostgreSQL 15
// (scripts/queue-services.sh), one n8n main in EXECUTIONS_MODE=queue and two `n8n worker`s (the
// version N8N_TEST_VERSION picks: 2.8.4, 2.40.7 or 1.123.81), this package installed as users install
// it, against the Graph API emulator. Published workflows: Webhook → Messenger Send (Send and Wait:
// approval, link buttons) → NoOp; the same with postback buttons; and a Messenger Trigger (manual
// subscription) that hands the postback taps back to n8n.
// Checked: five people asked at once, each execution run by a worker until it waits; each person taps
// (three Approve, two Decline) at once: the main answers every webhook-waiting request (the page the
// person sees), every execution resumes exactly once, on a worker, with the right `approved`, and each
// person gets the right confirmation; a second tap resumes nothing. A postback tap goes through the
// Messenger Trigger on the main and resumes its execution once; the trigger's workflow starts nothing.
import { sleep } from 'n8n-workflow';

import { GraphEmulator, type InboxEntry } from '../../emulator/graphEmulator.cjs';
import { useSharedCluster, type ClusterSuite } from './support/cluster.cjs';
import { lastOutput, N8nRest, poll, registeredWebhookMethods, type StoredRun } from './support/rest.cjs';
import { AFTER, askWorkflow, buttonsOf, pageTriggerWorkflow, subscribeByHand } from './sendAndWaitFlows.cjs';

const APP = { id: '5566778899', secret: 'WAIT-QUEUE-APP-SECRET', name: 'Wait Queue App' };
const PAGE = { id: '3049586172', name: 'Wait Queue Shop', token: 'WAIT-QUEUE-PAGE-TOKEN', appId: APP.id, appSecret: APP.secret };
const CREDENTIAL = { id: 'msgrWaitQueueCr1', name: 'Messenger Page (send and wait queue e2e)' };
const VERIFY_TOKEN = 'wait-queue-verify-token';
const TRIGGER_HOOK = 'send-and-wait-queue-trigger';
const PEOPLE = 5;
/** Who approves (the others decline). */
const approves = (person: number) => person % 2 === 0;

const emulator = new GraphEmulator({ apps: [APP], pages: [PAGE] });
let cluster: ClusterSuite['cluster'];
let rest: N8nRest;

const SUITE = 'send and wait queue e2e';

const WORKFLOWS = {
	approval: askWorkflow('msgrWaitQueueApr', SUITE, 'queue-ask-approval', {
		message: 'Approve the refund of 25 € for order #1042?',
		responseType: 'approval',
		approvalType: 'double',
		approveLabel: 'Approve',
		declineLabel: 'Decline',
		buttonStyle: 'link',
		confirmation: { approved: 'Thanks, the refund is approved', declined: 'OK, the refund is declined' },
	}, CREDENTIAL),
	postback: askWorkflow('msgrWaitQueuePbk', SUITE, 'queue-ask-postback', {
		message: 'Approve the refund of 40 € for order #2077?',
		responseType: 'approval',
		buttonStyle: 'postback',
		confirmation: { approved: 'Refund approved' },
	}, CREDENTIAL),
	trigger: pageTriggerWorkflow('msgrWaitQueueTrg', SUITE, TRIGGER_HOOK, VERIFY_TOKEN, CREDENTIAL),
};
const idOf = (workflow: Record<string, unknown>) => String(workflow.id);

const psid = (person: number) => `66${String(person).padStart(14, '0')}`;
const sentTo = (recipient: string): InboxEntry[] => emulator.inbox.filter((entry) => entry.recipient.id === recipient);
/** The execution a question belongs to: its buttons carry /webhook-waiting/<execution id>/. */
const executionOfQuestion = (entry: InboxEntry) => {
	const button = buttonsOf(entry)[0] ?? {};
	return /\/webhook-waiting\/(\d+)\//.exec(button.url ?? button.payload ?? '')?.[1];
};

const count = (text: string | undefined, needle: string) => (text ?? '').split(needle).length - 1;
/** How often the workers (together) started, and finished, execution `id`: once per job. */
const workerStarts = (id: string) => cluster.workers.reduce((sum, worker) => sum + count(worker.log, `Worker started execution ${id} `), 0);
const workerFinishes = (id: string) => cluster.workers.reduce((sum, worker) => sum + count(worker.log, `Worker finished execution ${id} `), 0);
const enqueued = (id: string) => count(cluster.main?.log, `Enqueued execution ${id} `);

async function finished(id: string, timeoutMs = 60_000) {
	return await poll(`execution ${id} finished`, async () => {
		const execution = await rest.execution(id);
		return ['waiting', 'running', 'new', 'queued'].includes(execution.status) ? undefined : execution;
	}, timeoutMs);
}

/** Waits until the executions wait (status `waiting`); says what they were otherwise. */
async function waiting(ids: string[], timeoutMs = 60_000): Promise<void> {
	let statuses: string[] = [];
	try {
		await poll(`executions ${ids.join(', ')} waiting`, async () => {
			statuses = await Promise.all(ids.map(async (id) => (await rest.execution(id)).status));
			return statuses.every((status) => status === 'waiting') ? true : undefined;
		}, timeoutMs);
	} catch (error) {
		const rows = await cluster.sql(`SELECT id, status, finished, "waitTill" FROM execution_entity WHERE id IN (${ids.map(Number).join(',')}) ORDER BY id`);
		throw new Error(`${(error as Error).message}; REST statuses ${statuses.join(', ')}; database ${JSON.stringify(rows)}\nworker 1:\n${cluster.workers[0]?.log.slice(-3000)}\nmain:\n${cluster.main?.log.slice(-3000)}`);
	}
}

/** How often a node ran in an execution. */
const runsOf = (run: StoredRun, node: string) => (run.resultData.runData[node] ?? []).length;

const timings: Record<string, number> = {};

const suite = useSharedCluster({
	before: async () => {
		await emulator.start();
		return {
			credentials: [{ ...CREDENTIAL, type: 'messengerPageApi', data: { accessToken: PAGE.token, appId: APP.id, appSecret: APP.secret, apiVersion: 'v25.0', baseUrl: emulator.url } }],
			workflows: Object.values(WORKFLOWS),
		};
	},
	publish: [
		{ id: idOf(WORKFLOWS.approval), webhook: { path: 'queue-ask-approval', method: 'POST' } },
		{ id: idOf(WORKFLOWS.postback), webhook: { path: 'queue-ask-postback', method: 'POST' } },
		{ id: idOf(WORKFLOWS.trigger), webhook: { path: `${TRIGGER_HOOK}/webhook`, method: 'POST' } },
	],
	after: async () => {
		await emulator.stop();
		process.stderr.write(`send and wait queue e2e timings (ms): ${JSON.stringify(timings)}\n`);
	},
});

beforeAll(async () => {
	({ cluster, rest } = suite());
	await subscribeByHand(emulator.url, APP, PAGE, `${cluster.baseUrl}/webhook/${TRIGGER_HOOK}/webhook`, VERIFY_TOKEN);
}, 60_000);

test('5 people asked at once, each taps Approve or Decline at once: every execution resumes exactly once on a worker with the right answer', async () => {
	let started = Date.now();
	const asked = await Promise.all(Array.from({ length: PEOPLE }, async (_, person) => await rest.webhook('queue-ask-approval', { psid: psid(person) })));
	for (const answer of asked) expect(answer.status).toBe(200);

	// Each person's question, and the execution waiting for it.
	const questions = await poll(
		'five questions sent',
		() => {
			const found = Array.from({ length: PEOPLE }, (_, person) => sentTo(psid(person))[0]);
			return found.every(Boolean) ? found : undefined;
		},
		60_000,
	);
	const ids = questions.map((question) => String(executionOfQuestion(question)));
	expect(new Set(ids).size).toBe(PEOPLE);
	await waiting(ids);
	timings.fiveWaiting = Date.now() - started;

	const base = cluster.baseUrl;
	questions.forEach((question, person) => {
		expect(question.message).toEqual({
			attachment: {
				type: 'template',
				payload: {
					template_type: 'button',
					text: 'Approve the refund of 25 € for order #1042?',
					buttons: [
						{ type: 'web_url', title: 'Approve', url: expect.stringMatching(new RegExp(`^${base}/webhook-waiting/${ids[person]}/[^?]+\\?approved=true&signature=`)) },
						{ type: 'web_url', title: 'Decline', url: expect.stringMatching(new RegExp(`^${base}/webhook-waiting/${ids[person]}/[^?]+\\?approved=false&signature=`)) },
					],
				},
			},
		});
	});
	// Up to the wait: enqueued by the main, run by one worker, the main ran nothing itself.
	for (const id of ids) {
		expect(enqueued(id)).toBe(1);
		await poll(`worker finished the first part of ${id}`, () => (workerFinishes(id) >= 1 ? true : undefined), 15_000);
		expect(workerStarts(id)).toBe(1);
	}

	started = Date.now();
	const taps = await Promise.all(
		ids.map(async (_, person) => await emulator.personTaps({ psid: psid(person), title: approves(person) ? 'Approve' : 'Decline', name: `Person ${person}` })),
	);
	timings.tapsAnswered = Date.now() - started;
	// The main (the only process serving HTTP) answered every tap with the page the person sees.
	taps.forEach((tap, person) => {
		expect(tap).toMatchObject({ kind: 'web_url', method: 'GET', status: 200, contentType: expect.stringContaining('text/html') });
		if (tap.kind !== 'web_url') return;
		expect(tap.url.startsWith(`${base}/webhook-waiting/${ids[person]}/`)).toBe(true);
		expect(tap.body).toContain(`Your answer <strong>${approves(person) ? 'Approve' : 'Decline'}</strong> was recorded`);
	});

	const done = await Promise.all(ids.map(async (id) => await finished(id)));
	timings.fiveResumed = Date.now() - started;
	done.forEach((execution, person) => {
		expect(execution.status).toBe('success');
		expect(runsOf(execution.run, AFTER)).toBe(1);
		expect(lastOutput(execution.run, AFTER).map((item) => item.json)).toEqual([
			{
				approved: approves(person),
				answer: null,
				respondedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
				timedOut: false,
				recipient_id: psid(person),
				message_id: questions[person].message_id,
			},
		]);
	});
	// The resume: enqueued by the main once more, run by a worker once more; the main ran no job.
	for (const id of ids) {
		expect(enqueued(id)).toBe(2);
		await poll(`worker finished the resumed ${id}`, () => (workerFinishes(id) >= 2 ? true : undefined), 15_000);
		expect(workerStarts(id)).toBe(2);
	}
	expect(cluster.main?.log).not.toMatch(/Worker started execution/);
	// Each person: the question, then exactly one confirmation (sent when the main took the answer).
	for (let person = 0; person < PEOPLE; person++) {
		expect(sentTo(psid(person)).map((entry) => entry.message?.text)).toEqual([
			undefined,
			approves(person) ? 'Thanks, the refund is approved' : 'OK, the refund is declined',
		]);
	}

	// A second tap (the other button): nothing resumes again, nothing is sent.
	const again = await emulator.personTaps({ psid: psid(0), title: 'Decline' });
	expect(again.kind === 'web_url' && again.status).toBeLessThan(500);
	await sleep(3000);
	expect(enqueued(ids[0])).toBe(2);
	expect(workerStarts(ids[0])).toBe(2);
	expect(lastOutput((await rest.execution(ids[0])).run, AFTER)[0].json.approved).toBe(true);
	expect(sentTo(psid(0))).toHaveLength(2);
	process.stderr.write(`send and wait queue e2e: workers ran ${cluster.workers.map((worker) => `${worker.name}: ${count(worker.log, 'Worker started execution')}`).join(', ')} jobs\n`);
}, 180_000);

test('three taps at once (Approve, Decline, Approve) on the main: one page says recorded, two already answered; one confirmation, of the answer the worker resumed with, once', async () => {
	const person = '6690000000000002';
	expect((await rest.webhook('queue-ask-approval', { psid: person })).status).toBe(200);
	const question = await poll('the question', () => sentTo(person)[0], 60_000);
	const id = String(executionOfQuestion(question));
	await waiting([id]);
	const mainLogBefore = cluster.main?.log.length ?? 0;

	const taps = await Promise.all(['Approve', 'Decline', 'Approve'].map(async (title) => await emulator.personTaps({ psid: person, title })));
	const pages = taps.map((tap) => (tap.kind === 'web_url' ? tap : { status: 0, body: `not a page: ${JSON.stringify(tap)}` }));
	for (const page of pages) expect(page.status).toBe(200);
	const recorded = pages.filter((page) => page.body.includes('was recorded'));
	const late = pages.filter((page) => page.body.includes('Already answered'));
	expect([recorded.length, late.length]).toEqual([1, 2]);

	const done = await finished(id);
	expect(done.status).toBe('success');
	expect(runsOf(done.run, AFTER)).toBe(1);
	const output = lastOutput(done.run, AFTER).map((item) => item.json);
	expect(output).toEqual([
		{ approved: expect.any(Boolean), answer: null, respondedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), timedOut: false, recipient_id: person, message_id: question.message_id },
	]);
	const label = output[0].approved ? 'Approve' : 'Decline';
	expect(recorded[0].body).toContain(`Your answer <strong>${label}</strong> was recorded`);
	for (const page of late) expect(page.body).toContain(`This question was already answered <strong>${label}</strong>`);
	const texts = await poll('the confirmation', () => {
		const sent = sentTo(person).slice(1).map((entry) => entry.message?.text);
		return sent.length > 0 ? sent : undefined;
	});
	expect(texts).toEqual([output[0].approved ? 'Thanks, the refund is approved' : 'OK, the refund is declined']);
	// Resumed once: enqueued once more by the main, run once more by a worker; the main never had
	// to turn a second resume away.
	await poll(`worker finished the resumed ${id}`, () => (workerFinishes(id) >= 2 ? true : undefined), 15_000);
	expect(enqueued(id)).toBe(2);
	expect(workerStarts(id)).toBe(2);
	expect((cluster.main?.log ?? '').slice(mainLogBefore)).not.toContain('already being resumed');
}, 120_000);

test('in the chat: a postback tap goes to the Messenger Trigger on the main, which resumes the execution once on a worker; the trigger starts nothing', async () => {
	const person = '6690000000000001';
	const started = Date.now();
	expect((await rest.webhook('queue-ask-postback', { psid: person })).status).toBe(200);
	const question = await poll('the question', () => sentTo(person)[0], 60_000);
	const id = String(executionOfQuestion(question));
	await waiting([id]);
	expect(buttonsOf(question).map((button) => [button.type, button.title, button.payload?.startsWith(`n8n-resume:${cluster.baseUrl}/webhook-waiting/${id}/`)])).toEqual([
		['postback', 'Approve', true],
		['postback', 'Decline', true],
	]);

	const tap = await emulator.personTaps({ psid: person, title: 'Approve' });
	expect(tap).toMatchObject({ kind: 'postback', delivery: { url: `${cluster.baseUrl}/webhook/${TRIGGER_HOOK}/webhook`, status: 200, responseBody: 'EVENT_RECEIVED' } });
	const done = await finished(id);
	timings.postbackResumed = Date.now() - started;
	expect(done.status).toBe('success');
	expect(lastOutput(done.run, AFTER).map((item) => item.json)).toEqual([
		{ approved: true, answer: null, respondedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), timedOut: false, recipient_id: person, message_id: question.message_id },
	]);
	expect(sentTo(person).map((entry) => entry.message?.text)).toEqual([undefined, 'Refund approved']);
	expect(enqueued(id)).toBe(2);
	await poll(`worker finished the resumed ${id}`, () => (workerFinishes(id) >= 2 ? true : undefined), 15_000);
	expect(workerStarts(id)).toBe(2);

	// Tapping again (Decline, then the same Approve delivery redelivered): nothing resumes twice, and
	// the trigger's own workflow never ran (the taps were answers, not events for it).
	await emulator.personTaps({ psid: person, title: 'Decline' });
	await emulator.redeliver(tap.kind === 'postback' ? tap.delivery?.id : undefined);
	await sleep(3000);
	expect(enqueued(id)).toBe(2);
	expect(lastOutput((await rest.execution(id)).run, AFTER)[0].json.approved).toBe(true);
	expect(sentTo(person)).toHaveLength(2);
	const triggerRuns = await rest.executions(idOf(WORKFLOWS.trigger));
	expect(triggerRuns).toEqual([]);
	expect(await registeredWebhookMethods(cluster.baseUrl, `${TRIGGER_HOOK}/webhook`)).toEqual(expect.arrayContaining(['GET', 'POST']));
}, 120_000);
