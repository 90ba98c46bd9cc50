// Send and Wait for Response in a real n8n (`n8n start`, workflows published through the REST
// API): the execution waits until the person answers in the emulator's chat — a link button
// opened as Messenger's browser opens it, the free-text form, a postback tap handed back by the
// Messenger Trigger — or until the time runs out. Tampered and reused links resume nothing.
import { GraphEmulator, type InboxEntry } from '../../emulator/graphEmulator.cjs';
import { hasEnded, lastOutput, N8nRest, poll, registeredWebhookMethods, type ExecutionSummary } from './support/rest.cjs';
import { useSharedN8n } from './support/sharedN8n.cjs';
import { AFTER, askWorkflow, buttonsOf, pageTriggerWorkflow, subscribeByHand } from './sendAndWaitFlows.cjs';

const APP = { id: '4455667788', secret: 'E2E-WAIT-APP-SECRET', name: 'Wait App' };
const PAGE = { id: '1029384756', name: 'Demo Shop', token: 'E2E-WAIT-PAGE-TOKEN', appId: APP.id, appSecret: APP.secret };
const CREDENTIAL = { id: 'msgrWaitCred0001', name: 'Messenger (send and wait)' };
const VERIFY_TOKEN = 'e2e-wait-verify-token';
const TRIGGER_HOOK = 'send-and-wait-trigger';

const emulator = new GraphEmulator({ apps: [APP], pages: [PAGE] });

const SUITE = 'send and wait e2e';

const WORKFLOWS = {
	approval: askWorkflow('msgrWaitApproval', SUITE, 'ask-approval', {
		message: 'Confirm your booking for 10:00?',
		responseType: 'approval',
		approveLabel: 'Confirm',
		declineLabel: 'Cancel',
		confirmation: { approved: 'Thanks, your booking is confirmed', declined: 'OK, we have cancelled it' },
	}, CREDENTIAL),
	freeText: askWorkflow('msgrWaitFreeText', SUITE, 'ask-free-text', {
		message: 'Which colour and size would you like?',
		responseType: 'freeText',
		formButtonLabel: 'Answer',
		formTitle: 'Your order',
		confirmation: { answered: 'Thanks, we got your answer' },
	}, CREDENTIAL),
	timeout: askWorkflow('msgrWaitTimeout1', SUITE, 'ask-timeout', {
		message: 'Still interested?',
		responseType: 'approval',
		approvalType: 'single',
		approveLabel: 'Yes',
		limitWaitTime: true,
		limitType: 'afterTimeInterval',
		resumeAmount: 0.05,
		resumeUnit: 'minutes',
	}, CREDENTIAL),
	postback: askWorkflow('msgrWaitPostback', SUITE, 'ask-postback', {
		message: 'Approve the refund of 25 €?',
		responseType: 'approval',
		buttonStyle: 'postback',
		confirmation: { approved: 'Refund approved' },
	}, CREDENTIAL),
	trigger: pageTriggerWorkflow('msgrWaitTrigger1', SUITE, TRIGGER_HOOK, VERIFY_TOKEN, CREDENTIAL),
};
const idOf = (workflow: Record<string, unknown>) => String(workflow.id);

let rest: N8nRest;

async function ask(path: string, psid: string): Promise<ExecutionSummary> {
	const answer = await rest.webhook(path, { psid });
	expect(answer.status).toBe(200);
	return await poll(`a waiting execution for ${psid}`, async () => {
		const rows = await rest.executions(workflowOf(path));
		return rows.find((row) => row.status === 'waiting');
	});
}

function workflowOf(path: string): string {
	const found = Object.values(WORKFLOWS).find((workflow) => JSON.stringify(workflow).includes(`"path":"${path}"`));
	return idOf(found as Record<string, unknown>);
}

async function finished(id: string, timeoutMs = 60_000) {
	return await poll(`execution ${id} finished`, async () => {
		const execution = await rest.execution(id);
		return execution.status === 'waiting' || execution.status === 'running' || execution.status === 'new' ? undefined : execution;
	}, timeoutMs);
}

const sentTo = (psid: string): InboxEntry[] => emulator.inbox.filter((entry) => entry.recipient.id === psid);

const shared = useSharedN8n({
	before: async () => {
		await emulator.start();
		return {
			credentials: [
				{ ...CREDENTIAL, type: 'messengerPageApi', data: { accessToken: PAGE.token, appId: APP.id, appSecret: APP.secret, apiVersion: 'v25.0', baseUrl: emulator.url } },
			],
			workflows: Object.values(WORKFLOWS),
		};
	},
	after: async () => {
		await emulator.stop();
	},
});

let base = '';

/** The question whose time runs out, asked first: n8n's wait tracker looks once a minute, so it ends while the other tests run. */
let timingOut: Promise<ExecutionSummary>;
const TIMEOUT_PSID = '6800000000000004';

beforeAll(async () => {
	rest = shared().rest;
	base = shared().url;
	for (const workflow of Object.values(WORKFLOWS)) await rest.activate(idOf(workflow));
	await poll('the trigger listening', async () => ((await registeredWebhookMethods(base, `${TRIGGER_HOOK}/webhook`)).includes('POST') ? true : undefined));
	await subscribeByHand(emulator.url, APP, PAGE, `${base}/webhook/${TRIGGER_HOOK}/webhook`, VERIFY_TOKEN);
	timingOut = ask('ask-timeout', TIMEOUT_PSID);
	// Asked (and waiting) before any other test starts; its end is awaited by the last test.
	await timingOut;
}, 5 * 60_000);

test('approval: the execution waits, the person taps Confirm, it resumes with approved: true and the confirmation is sent', async () => {
	const psid = '6800000000000001';
	const waiting = await ask('ask-approval', psid);
	const [question] = sentTo(psid);
	expect(question.message).toEqual({
		attachment: {
			type: 'template',
			payload: {
				template_type: 'button',
				text: 'Confirm your booking for 10:00?',
				buttons: [
					{ type: 'web_url', title: 'Confirm', url: expect.stringMatching(new RegExp(`^${base}/webhook-waiting/${waiting.id}/[^?]+\\?approved=true&signature=`)) },
					{ type: 'web_url', title: 'Cancel', url: expect.stringMatching(new RegExp(`^${base}/webhook-waiting/${waiting.id}/[^?]+\\?approved=false&signature=`)) },
				],
			},
		},
	});

	// A tampered link (the Cancel link with its parameter changed) resumes nothing.
	const tampered = buttonsOf(question)[1].url.replace('approved=false', 'approved=true');
	const refused = await fetch(tampered);
	expect(refused.status).toBe(401);
	expect((await rest.execution(waiting.id)).status).toBe('waiting');

	const tap = await emulator.personTaps({ psid, title: 'Confirm' });
	expect(tap).toMatchObject({ kind: 'web_url', status: 200 });
	expect(tap.kind === 'web_url' && tap.body).toContain('Your answer <strong>Confirm</strong> was recorded');
	const done = await finished(waiting.id);
	expect(done.status).toBe('success');
	const [answer] = lastOutput(done.run, AFTER);
	expect(answer.json).toEqual({
		approved: true,
		answer: null,
		respondedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
		timedOut: false,
		recipient_id: psid,
		message_id: question.message_id,
	});
	expect(sentTo(psid).map((entry) => entry.message?.text)).toEqual([undefined, 'Thanks, your booking is confirmed']);

	// The same link again, and the other one: nothing resumes twice.
	const again = await emulator.personTaps({ psid, title: 'Cancel' });
	expect(again.kind === 'web_url' && again.status).toBeLessThan(500);
	await new Promise((resolve) => setTimeout(resolve, 1000));
	expect(lastOutput((await rest.execution(waiting.id)).run, AFTER)[0].json.approved).toBe(true);
	expect(sentTo(psid)).toHaveLength(2);
});

test('approval: Cancel resumes with approved: false and its own confirmation', async () => {
	const psid = '6800000000000002';
	const waiting = await ask('ask-approval', psid);
	await emulator.personTaps({ psid, title: 'Cancel' });
	const done = await finished(waiting.id);
	expect(lastOutput(done.run, AFTER)[0].json).toMatchObject({ approved: false, timedOut: false, recipient_id: psid });
	expect(sentTo(psid).map((entry) => entry.message?.text)).toEqual([undefined, 'OK, we have cancelled it']);
});

test('three taps at once (Confirm, Cancel, Confirm): one page says recorded, two say already answered; one confirmation, of the answer n8n resumed with, once', async () => {
	const psid = '6800000000000007';
	const waiting = await ask('ask-approval', psid);
	const logBefore = shared().log.length;
	// A double tap in Messenger's in-app browser and the other button, fired together.
	const taps = await Promise.all(['Confirm', 'Cancel', 'Confirm'].map(async (title) => await emulator.personTaps({ psid, title })));
	const pages = taps.map((tap) => (tap.kind === 'web_url' ? tap : { status: 0, body: `not a page: ${JSON.stringify(tap)}` }));
	for (const page of pages) expect(page.status).toBe(200);
	const recorded = pages.filter((page) => page.body.includes('was recorded'));
	const late = pages.filter((page) => page.body.includes('Already answered'));
	expect([recorded.length, late.length]).toEqual([1, 2]);

	const done = await finished(waiting.id);
	expect(done.status).toBe('success');
	expect(done.run.resultData.runData[AFTER]).toHaveLength(1);
	const output = lastOutput(done.run, AFTER);
	expect(output).toHaveLength(1);
	const approved = output[0].json.approved;
	expect(output[0].json).toMatchObject({ approved: expect.any(Boolean), timedOut: false, recipient_id: psid });
	const label = approved ? 'Confirm' : 'Cancel';
	expect(recorded[0].body).toContain(`Your answer <strong>${label}</strong> was recorded`);
	for (const page of late) expect(page.body).toContain(`This question was already answered <strong>${label}</strong>`);
	// The winner's confirmation went out before its page; the late taps send nothing.
	const texts = await poll('the confirmation', () => {
		const sent = sentTo(psid).slice(1).map((entry) => entry.message?.text);
		return sent.length > 0 ? sent : undefined;
	});
	expect(texts).toEqual([approved ? 'Thanks, your booking is confirmed' : 'OK, we have cancelled it']);
	// Only one tap asked n8n to resume: n8n never had to turn one away.
	expect(shared().log.slice(logBefore)).not.toContain('already being resumed');
});

test('free text: the button opens n8n’s form page; the written answer resumes the execution', async () => {
	const psid = '6800000000000003';
	const waiting = await ask('ask-free-text', psid);
	const [question] = sentTo(psid);
	expect(buttonsOf(question)).toEqual([{ type: 'web_url', title: 'Answer', url: expect.stringContaining(`/webhook-waiting/${waiting.id}/`) }]);
	const opened = await emulator.personTaps({ psid, title: 'Answer' });
	expect(opened).toMatchObject({ kind: 'web_url', status: 200 });
	const html = opened.kind === 'web_url' ? opened.body : '';
	expect(html).toContain('<h1>Your order</h1>');
	expect(html).toContain('Which colour and size would you like?');
	// Opening the form answers nothing.
	expect((await rest.execution(waiting.id)).status).toBe('waiting');

	const submitted = await emulator.personFillsForm({ psid, pageUrl: buttonsOf(question)[0].url, html, values: { answer: 'Blue, size M' } });
	expect(submitted.status).toBe(200);
	const done = await finished(waiting.id);
	expect(lastOutput(done.run, AFTER)[0].json).toMatchObject({ approved: null, answer: 'Blue, size M', timedOut: false, recipient_id: psid });
	expect(sentTo(psid).map((entry) => entry.message?.text)).toEqual([undefined, 'Thanks, we got your answer']);
});

test('in the chat: a postback tap goes to the Messenger Trigger, which resumes the execution once and starts nothing of its own', async () => {
	const psid = '6800000000000005';
	const waiting = await ask('ask-postback', psid);
	const [question] = sentTo(psid);
	expect(buttonsOf(question).map((button) => [button.type, button.title, button.payload?.startsWith(`n8n-resume:${base}/webhook-waiting/${waiting.id}/`)])).toEqual([
		['postback', 'Approve', true],
		['postback', 'Decline', true],
	]);
	const tap = await emulator.personTaps({ psid, title: 'Approve' });
	expect(tap).toMatchObject({ kind: 'postback', delivery: { status: 200 } });
	const done = await finished(waiting.id);
	expect(lastOutput(done.run, AFTER)[0].json).toMatchObject({ approved: true, timedOut: false, recipient_id: psid });
	expect(sentTo(psid).map((entry) => entry.message?.text)).toEqual([undefined, 'Refund approved']);

	// Tapping again, and a payload that only looks like a resume link.
	await emulator.personTaps({ psid, title: 'Decline' });
	await emulator.personPostback({ psid, payload: `n8n-resume:${base}/webhook-waiting/${waiting.id}/forged?approved=true&signature=forged`, title: 'Approve' });
	// Finished, not only started: its output is read next.
	const triggerRuns = await poll('the trigger’s one execution (the forged payload), finished', async () => {
		const rows = await rest.executions(idOf(WORKFLOWS.trigger));
		return rows.length >= 1 && rows.every((row) => hasEnded(row.status)) ? rows : undefined;
	});
	await new Promise((resolve) => setTimeout(resolve, 1500));
	expect(await rest.executions(idOf(WORKFLOWS.trigger))).toHaveLength(1);
	const [forged] = lastOutput((await rest.execution(triggerRuns[0].id)).run, 'Messenger Trigger');
	expect(forged.json).toMatchObject({ type: 'postback', senderId: psid, postbackPayload: expect.stringContaining('signature=forged') });
	expect(lastOutput((await rest.execution(waiting.id)).run, AFTER)[0].json.approved).toBe(true);
	expect(sentTo(psid)).toHaveLength(2);
});

test('a tap n8n does not answer within 5 s is not passed on as a postback too (it may have resumed), and n8n’s log says so', async () => {
	const psid = '6800000000000006';
	const waiting = await ask('ask-postback', psid);
	const before = (await rest.executions(idOf(WORKFLOWS.trigger))).length;
	// n8n answers the tap after the confirmation is sent: a Graph API that takes 8 s to accept it
	// makes n8n answer the trigger's hand-back after the trigger's 5 s.
	emulator.configure({ latencyMs: 8000 });
	try {
		const tap = await emulator.personTaps({ psid, title: 'Approve' });
		expect(tap).toMatchObject({ kind: 'postback', delivery: { status: 200 } });
		await poll('the hand-back given up', async () => (shared().log.includes('could not be handed to n8n at its own webhook URL') ? true : undefined), 40_000);
	} finally {
		emulator.configure({ latencyMs: 0 });
	}
	// It did resume: the one answer counts, and the trigger's workflow started nothing for the tap.
	const done = await finished(waiting.id);
	expect(lastOutput(done.run, AFTER)[0].json).toMatchObject({ approved: true, timedOut: false, recipient_id: psid });
	expect(sentTo(psid).map((entry) => entry.message?.text)).toEqual([undefined, 'Refund approved']);
	await new Promise((resolve) => setTimeout(resolve, 1500));
	expect(await rest.executions(idOf(WORKFLOWS.trigger))).toHaveLength(before);
	expect(shared().log).not.toContain(PAGE.token);
}, 90_000);

// n8n's wait tracker looks for executions to resume once a minute: a 3-second limit ends within
// ~65 s of the question (asked before the first test).
test('limit wait time: nobody answers, the workflow goes on with timedOut: true', async () => {
	const psid = TIMEOUT_PSID;
	const waiting = await timingOut;
	const done = await finished(waiting.id, 150_000);
	expect(done.status).toBe('success');
	expect(lastOutput(done.run, AFTER)[0].json).toEqual({
		approved: null,
		answer: null,
		respondedAt: null,
		timedOut: true,
		recipient_id: psid,
		message_id: sentTo(psid)[0].message_id,
	});
}, 180_000);
