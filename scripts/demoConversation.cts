// `npm run demo`, part 2 (scripts/demo.cts runs it after part 1): a conversation both ways with the
// published auto-reply example — a person opens the chat and sees the welcome screen part 1's Page
// setup example made, taps Get Started, an ice breaker and the menu's "Talk to a human", which passes
// the thread to the Page Inbox, and a human there hands it back — each step checked.
import { DEFAULT_APP, GraphEmulator, PAGE_INBOX_APP_ID, type InboxEntry, type WebhookDelivery } from '../emulator/graphEmulator.cjs';
import { echoEvent, webhookBody } from '../emulator/webhooks.cjs';
import { N8nRest, poll, type ExecutionSummary } from '../test/e2e/support/rest.cjs';
import type { N8n } from './n8n.cjs';
import { N8N_VERSION } from './n8nInstall.cjs';

export const APP = DEFAULT_APP;
// The Page belongs to the emulator's app: its webhooks get the Page's events, and the proofs the
// nodes send with the app secret are checked.
export const PAGE = { id: '1029384756', name: 'Demo Shop', token: 'DEMO-PAGE-TOKEN', appId: APP.id, appSecret: APP.secret };
const PERSON = { psid: '6789012345678905', name: 'Lena' };
export const API = 'v25.0';

export const AUTO_REPLY_FILE = 'messenger-auto-reply.json';

export const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const QUICK_REPLIES = ['Opening hours', 'Talk to a human'];
/** What examples/page-setup.json puts on the welcome screen and in the menu (part 1 ran it). */
const GREETING = `Hi ${PERSON.name}! Welcome to Demo Shop. Ask us anything, or tap a question below.`;
const ICE_BREAKERS = ['When are you open?', 'Can I talk to a person?', 'What can you help me with?'];
const MENU = ['Opening hours', 'Talk to a human', 'Visit our shop'];
const ICE_BREAKER = { question: 'When are you open?', payload: 'HOURS' };
const MENU_ITEM = { title: 'Talk to a human', payload: 'HUMAN' };
const HOURS = 'We are open Monday to Friday from 9:00 to 18:00, and on Saturday from 10:00 to 14:00.';
/** What the example's trigger (1.1, Handover chosen) subscribes. */
const FIELDS = 'messages,messaging_handovers,messaging_postbacks';
const HUMAN = { name: 'Sam', answer: 'Hi Lena, Sam here from Demo Shop: yes, we deliver in town, the next day.' };

/** One step of the conversation: who does what, and what the bot must answer (nothing: `text` absent). */
interface Turn {
	/** Default: the person. */
	who?: string;
	says: string;
	act: () => Promise<{ delivery: WebhookDelivery | null }>;
	/** The bot's reply; absent: the bot must not answer. */
	text?: string;
	quickReplies?: string[];
	/** Why nothing is delivered to n8n (the step expects no delivery). */
	notDelivered?: string;
	/** Waits for, prints and checks what else the step does (after the reply, if any). */
	then?: () => Promise<void>;
}

export interface WorkflowJson {
	id: string;
	name: string;
	nodes: Array<{ name: string; type: string; webhookId?: string }>;
}

export const problems: string[] = [];

function check(ok: boolean, what: string): boolean {
	if (!ok) {
		problems.push(what);
		console.log(`    ✘ ${what}`);
	}
	return ok;
}

/** A Graph GET as a user would make it against Meta (here the emulator). */
async function graphGet(graphUrl: string, path: string, token: string): Promise<any> {
	const response = await fetch(`${graphUrl}/${API}/${path}`, { headers: { authorization: `Bearer ${token}` } });
	return await response.json();
}

/** What the emulator holds of the webhook setup, read through Graph: the app's subscriptions and the Page's subscribed apps. */
async function metaSide(graphUrl: string): Promise<{ subscriptions: any[]; subscribedApps: any[] }> {
	const subscriptions = await graphGet(graphUrl, `${APP.id}/subscriptions`, `${APP.id}|${APP.secret}`);
	const subscribedApps = await graphGet(graphUrl, 'me/subscribed_apps', PAGE.token);
	return { subscriptions: subscriptions.data ?? [], subscribedApps: subscribedApps.data ?? [] };
}

function printMetaSide(side: { subscriptions: any[]; subscribedApps: any[] }): void {
	console.log(`    GET /${API}/${APP.id}/subscriptions (app token):`);
	if (side.subscriptions.length === 0) console.log('      (none)');
	for (const subscription of side.subscriptions) {
		const fields = (subscription.fields ?? []).map((field: { name: string }) => field.name).join(', ');
		console.log(`      ${subscription.object} → ${subscription.callback_url}\n        fields: ${fields}`);
	}
	console.log(`    GET /${API}/me/subscribed_apps (Page token):`);
	if (side.subscribedApps.length === 0) console.log('      (none)');
	for (const app of side.subscribedApps) console.log(`      ${app.name} (${app.id}): ${(app.subscribed_fields ?? []).join(', ')}`);
}

function describeDelivery(delivery: WebhookDelivery | null): string {
	if (!delivery) return 'not delivered (nobody subscribed)';
	return `delivery ${delivery.id} [${delivery.fields.join(', ')}] → HTTP ${delivery.status} ${JSON.stringify(delivery.responseBody)}`;
}

function describeReply(entry: InboxEntry): string {
	const message = entry.message ?? {};
	const replies = Array.isArray(message.quick_replies) ? (message.quick_replies as Array<{ title?: string }>).map((reply) => `[${reply.title}]`).join(' ') : '';
	return `"${String(message.text)}"${replies ? `  ${replies}` : ''}`;
}

function quickReplyTitles(entry: InboxEntry | undefined): string[] {
	const replies = entry?.message?.quick_replies;
	return Array.isArray(replies) ? (replies as Array<{ title?: string }>).map((reply) => String(reply.title)) : [];
}

const sentTo = (emulator: GraphEmulator, psid: string) => emulator.inbox.filter((entry) => entry.recipient.id === psid);

/** The executions once none is running any more. */
async function settledExecutions(rest: N8nRest, workflowId: string, atLeast: number): Promise<ExecutionSummary[]> {
	return await poll(
		`${atLeast} finished executions`,
		async () => {
			const executions = await rest.executions(workflowId);
			const ended = (execution: ExecutionSummary) => execution.finished || ['success', 'error', 'crashed', 'canceled'].includes(execution.status);
			return executions.length >= atLeast && executions.every(ended) ? executions : undefined;
		},
		20_000,
		250,
	);
}

/** Part 2: the conversation both ways with the published auto-reply workflow. */
export async function conversation(emulator: GraphEmulator, graphUrl: string, n8n: N8n, workflow: WorkflowJson): Promise<void> {
	const trigger = workflow.nodes.find((node) => node.type.endsWith('.messengerTrigger'));
	if (!trigger?.webhookId) throw new Error(`examples/${AUTO_REPLY_FILE} has no Messenger Trigger with a webhookId`);

	let step = Date.now();
	const baseUrl = await n8n.start();
	const rest = new N8nRest(baseUrl);
	// n8n mounts its REST controllers one by one after /healthz answers: signIn() waits for the owner
	// setup route, but the login route can come later (seen on 2.40.7: "Cannot POST /rest/login").
	await poll('the login route', async () => ((await fetch(`${baseUrl}/rest/login`)).status === 404 ? undefined : true), 60_000, 250);
	await rest.setUpOwner();
	await rest.signIn();
	console.log(`\n── Part 2: a conversation both ways ──\n\nn8n ${N8N_VERSION} started on ${baseUrl} (${seconds(step)}), owner signed in`);

	step = Date.now();
	await rest.activate(workflow.id);
	const callbackUrl = `${baseUrl}/webhook/${trigger.webhookId}/webhook`;
	// n8n 2.40 answers the publish request before the trigger has made its Graph calls: wait for them.
	const active = await poll(
		"the trigger's subscription on Meta's side",
		async () => {
			const side = await metaSide(graphUrl);
			return side.subscriptions.length > 0 && side.subscribedApps.length > 0 ? side : undefined;
		},
		20_000,
		100,
	).catch(() => metaSide(graphUrl));
	console.log(`Published "${workflow.name}": the trigger subscribed the app and the Page (automatic subscription) within ${seconds(step)}.`);
	console.log(`\nMeta's side (the emulator) after publishing:`);
	printMetaSide(active);
	const subscription = active.subscriptions.find((entry) => entry.object === 'page');
	check(subscription?.callback_url === callbackUrl, `the app's page subscription points at ${callbackUrl}`);
	const fields = (subscription?.fields ?? []).map((field: { name: string }) => field.name).sort().join(',');
	check(fields === FIELDS, `the app subscribed ${FIELDS} (got ${fields || 'none'})`);
	check(
		active.subscribedApps.some((app) => app.id === APP.id && [...app.subscribed_fields].sort().join(',') === FIELDS),
		`the Page subscribed the app to ${FIELDS}`,
	);

	const handoverDeliveries = () => emulator.deliveries.filter((delivery) => delivery.fields.includes('messaging_handovers'));
	/** Waits for the next handover delivery to the bot (the `count`th) and prints it. */
	const handoverDelivered = async (count: number, what: string) => {
		try {
			const delivery = await poll('the handover delivery', () => handoverDeliveries()[count - 1], 15_000, 50);
			console.log(`    ${what}: ${describeDelivery(delivery)}`);
			check(delivery.status === 200, 'the trigger accepted the handover event (HTTP 200)');
		} catch (error) {
			check(false, `${what} (${(error as Error).message})`);
		}
	};
	const turns: Turn[] = [
		{
			says: 'taps Get Started on the welcome screen (the Page setup example set its payload GET_STARTED)',
			act: () => emulator.tapGetStarted({ psid: PERSON.psid }),
			text: 'Hi, and welcome! What can we do for you?',
			quickReplies: QUICK_REPLIES,
		},
		{
			says: `taps the ice breaker "${ICE_BREAKER.question}" (payload ${ICE_BREAKER.payload})`,
			act: () => emulator.tapIceBreaker({ psid: PERSON.psid, question: ICE_BREAKER.question }),
			text: HOURS,
			quickReplies: [],
		},
		{
			says: 'writes "do you deliver?"',
			act: () => emulator.personMessage({ psid: PERSON.psid, text: 'do you deliver?' }),
			text: 'Sorry, I did not get that',
			quickReplies: QUICK_REPLIES,
		},
		{
			says: `taps "${MENU_ITEM.title}" in the persistent menu (payload ${MENU_ITEM.payload})`,
			act: async () => {
				const tap = await emulator.tapMenuItem({ psid: PERSON.psid, title: MENU_ITEM.title });
				if (tap.kind !== 'postback') throw new Error(`"${MENU_ITEM.title}" in the menu is a link, not a postback`);
				return tap;
			},
			text: 'A person will answer you soon',
			quickReplies: [],
			then: async () => {
				const passed = await poll('the thread with the Page Inbox', () => (emulator.ownedByPageInbox(PERSON.psid) ? true : undefined), 15_000, 50).catch(() => false);
				const owner = emulator.threadOwner(PERSON.psid);
				console.log(`    then the workflow passes the thread to the Page Inbox: its owner is now ${owner === PAGE_INBOX_APP_ID ? `the Page Inbox (${owner})` : owner}`);
				check(passed === true, 'the workflow passed the thread to the Page Inbox');
				await handoverDelivered(1, 'Meta tells the bot of its own pass (a Handover item, not to this app: the workflow answers nothing)');
			},
		},
		{
			says: 'writes "do you deliver tomorrow?"',
			act: () => emulator.personMessage({ psid: PERSON.psid, text: 'do you deliver tomorrow?' }),
			notDelivered: 'the Page Inbox owns the thread, so Meta sends it to the bot only on standby, which the trigger leaves off: the bot stays quiet',
		},
		{
			who: `${HUMAN.name}, in the Page Inbox,`,
			says: `answers "${HUMAN.answer}"`,
			act: () => emulator.pageInboxReply({ psid: PERSON.psid, text: HUMAN.answer }),
			notDelivered: "a human's reply reaches the bot only as an echo, which the trigger leaves off",
		},
		{
			who: HUMAN.name,
			says: 'hands the conversation back to the bot (pass_thread_control from the Page Inbox)',
			act: () => emulator.pageInboxPass({ psid: PERSON.psid, metadata: 'Answered, back to the bot' }),
			text: 'Welcome back! What else can we do for you?',
			quickReplies: QUICK_REPLIES,
			then: async () => {
				const owner = emulator.threadOwner(PERSON.psid);
				console.log(`    the thread's owner is the bot's app again (${owner})`);
				check(owner === APP.id, `the thread is the bot's app's again (owner ${owner})`);
			},
		},
		{
			says: 'taps the quick reply "Opening hours" (payload HOURS)',
			act: () => emulator.personMessage({ psid: PERSON.psid, text: 'Opening hours', quickReplyPayload: 'HOURS' }),
			text: HOURS,
			quickReplies: [],
		},
	];
	// One execution per delivered event: the turns that reach n8n, and the bot's own pass.
	const expectedExecutions = turns.filter((turn) => !turn.notDelivered).length + 1;
	console.log(`\n${PERSON.name} (PSID ${PERSON.psid}) opens the chat with ${PAGE.name} and sees the welcome screen the Page setup example set:`);
	const screen = emulator.openChat({ psid: PERSON.psid, name: PERSON.name });
	console.log(`    greeting: ${screen.greeting ?? '(none)'}`);
	console.log(`    ${screen.getStarted ? `[Get Started] (payload ${screen.getStarted.payload})` : '(no Get Started button)'}`);
	console.log(`    ice breakers: ${screen.iceBreakers.map((item) => `[${item.question}]`).join(' ')}`);
	console.log(`    menu beside the composer: ${screen.menu.map((item) => `[${item.title}]`).join(' ')}`);
	check(screen.greeting === GREETING, `the greeting is "${GREETING}"`);
	check(screen.getStarted?.payload === 'GET_STARTED', 'the Get Started button sends GET_STARTED');
	check(screen.iceBreakers.map((item) => item.question).join('|') === ICE_BREAKERS.join('|'), `the ice breakers are ${ICE_BREAKERS.join(' / ')}`);
	check(screen.menu.map((item) => item.title).join('|') === MENU.join('|'), `the menu is ${MENU.join(' / ')}`);
	console.log(`\n${PERSON.name} talks to ${PAGE.name}:`);
	const deliveries: Array<WebhookDelivery | null> = [];
	for (const turn of turns) {
		const before = sentTo(emulator, PERSON.psid).length;
		step = Date.now();
		console.log(`\n  ${turn.who ?? PERSON.name} ${turn.says}`);
		const { delivery } = await turn.act();
		deliveries.push(delivery);
		if (turn.notDelivered) {
			console.log(`    not delivered: ${turn.notDelivered}`);
			check(delivery === null, `nothing was delivered to n8n (${turn.says})`);
		} else {
			console.log(`    ${describeDelivery(delivery)}`);
			check(delivery?.status === 200, 'the trigger accepted the signed delivery (HTTP 200)');
		}
		if (turn.text !== undefined) {
			let reply: InboxEntry | undefined;
			try {
				reply = await poll('the reply in the emulator inbox', () => sentTo(emulator, PERSON.psid)[before], 15_000, 50);
			} catch (error) {
				check(false, `a reply arrived (${(error as Error).message})`);
				continue;
			}
			const quickReplies = turn.quickReplies ?? [];
			console.log(`    reply after ${seconds(step)}: ${describeReply(reply)}`);
			check(reply.message?.text === turn.text, `the reply is "${turn.text}"`);
			check(quickReplyTitles(reply).join('|') === quickReplies.join('|'), `the reply offers ${quickReplies.length ? quickReplies.join(' / ') : 'no quick replies'}`);
			check(reply.messaging_type === 'RESPONSE', 'the reply is sent as messaging_type RESPONSE');
		}
		await turn.then?.();
	}

	const executions = await settledExecutions(rest, workflow.id, expectedExecutions);
	console.log(`\nn8n executions of the workflow: ${executions.length} (${executions.map((execution) => `${execution.mode} ${execution.status}`).join(', ')})`);
	check(
		executions.length === expectedExecutions && executions.every((execution) => execution.status === 'success'),
		`${expectedExecutions} successful executions, one per delivered event (the bot's own pass included)`,
	);
	const handovers = emulator.handovers.filter((entry) => entry.psid === PERSON.psid).map((entry) => `${entry.action} ${entry.byAppId} → ${entry.newOwnerAppId}`);
	const expectedHandovers = [`pass ${APP.id} → ${PAGE_INBOX_APP_ID}`, `pass ${PAGE_INBOX_APP_ID} → ${APP.id}`];
	check(handovers.join('|') === expectedHandovers.join('|'), `the thread went to the Page Inbox and back, once each (${handovers.join(', ') || 'no handover'})`);

	console.log('\nThe transcript, as the emulator saw it both ways:\n');
	const block = emulator
		.transcript()
		.split('\n\n')
		.find((text) => text.split('\n')[0].includes(PERSON.psid));
	console.log(block?.trimEnd() ?? '(no conversation)');

	// Echoes: Meta sends the app an echo of each of its sends only for the message_echoes field,
	// which this trigger did not subscribe (its Events leave Echo out).
	const replies = sentTo(emulator, PERSON.psid);
	const echoDeliveries = emulator.deliveries.filter((delivery) => delivery.fields.includes('message_echoes'));
	console.log(`\nEchoes of the ${replies.length} replies: the trigger did not subscribe message_echoes, so Meta sent ${echoDeliveries.length} of them.`);
	check(echoDeliveries.length === 0, 'no echo was delivered to the unsubscribed trigger');
	// Where another workflow of the same app subscribes echoes, they reach this URL too: sent here as Meta would.
	const echoes = replies.map((entry) =>
		echoEvent({ pageId: PAGE.id, psid: PERSON.psid, timestamp: entry.receivedAt, mid: String(entry.message_id), appId: APP.id, message: entry.message ?? {} }),
	);
	const echoed = await emulator.sendWebhook({ body: webhookBody('page', [{ id: PAGE.id, time: Date.now(), messaging: echoes }]) });
	console.log(`  the ${echoes.length} echoes signed and posted anyway, in one delivery: HTTP ${echoed.status} ${JSON.stringify(echoed.responseBody)}`);
	check(echoed.status === 200, 'the trigger accepted the echoes (HTTP 200)');

	// A redelivery: Meta sends an event again when it did not see a 200 in time; same bytes, same signature.
	const iceBreakerDelivery = deliveries[1];
	if (check(!!iceBreakerDelivery, 'the ice breaker was delivered') && iceBreakerDelivery) {
		const again = await emulator.redeliver(iceBreakerDelivery.id);
		console.log(`  the ice breaker's event redelivered (${again.id}, same bytes as ${iceBreakerDelivery.id}): HTTP ${again.status} ${JSON.stringify(again.responseBody)}`);
		check(again.status === 200, 'the trigger accepted the redelivery (HTTP 200)');
	}
	await sleep(1500);
	const after = await settledExecutions(rest, workflow.id, expectedExecutions);
	const repliesAfter = sentTo(emulator, PERSON.psid).length;
	console.log(`  executions now: ${after.length}; replies now: ${repliesAfter}`);
	check(after.length === expectedExecutions, `the echoes and the redelivery started nothing (${after.length} executions, expected ${expectedExecutions})`);
	check(repliesAfter === replies.length, `nothing more was sent (${repliesAfter} replies, expected ${replies.length})`);

	step = Date.now();
	await rest.deactivate(workflow.id);
	const inactive = await poll(
		"the subscriptions' removal on Meta's side",
		async () => {
			const side = await metaSide(graphUrl);
			return side.subscriptions.length === 0 && side.subscribedApps.length === 0 ? side : undefined;
		},
		20_000,
		100,
	).catch(() => metaSide(graphUrl));
	console.log(`\nUnpublished the workflow: the trigger removed what it had subscribed within ${seconds(step)}. Meta's side now:`);
	printMetaSide(inactive);
	check(inactive.subscriptions.length === 0, "the app's subscription is gone");
	check(inactive.subscribedApps.length === 0, "the Page's subscribed app is gone");
	const late = await emulator.personMessage({ psid: PERSON.psid, text: 'hello?' });
	console.log(`  ${PERSON.name} writes "hello?": ${describeDelivery(late.delivery)}`);
	check(late.delivery === null, 'nothing is delivered once unpublished');
}

