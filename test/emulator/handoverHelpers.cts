// What the Conversation Routing tests (threadControl, pageInbox, routing) share: a Page with its
// default app (the bot), the Page Inbox and a second connected app (a support tool) with its own
// Page token, each app with a callback URL of its own, and a person who wrote first.
import { DEFAULT_APP, PAGE_INBOX_APP_ID, type EmulatorApp, type GraphEmulator } from '../../emulator/graphEmulator.cjs';
import { call, PAGE, parsed, PSID, startEmulator, startReceiver, subscribeApp, subscribePage, VERIFY_TOKEN, type Answer, type Receiver } from './helpers.cjs';

export const SUPPORT_APP: EmulatorApp = { id: '7788990011', secret: 'TEST-SUPPORT-SECRET', name: 'Support Desk' };
export const SUPPORT_TOKEN = 'TEST-SUPPORT-PAGE-TOKEN';
export const BOT = DEFAULT_APP.id;
export const INBOX = PAGE_INBOX_APP_ID;
export const HANDOVER_FIELDS = 'messages,messaging_postbacks,message_echoes,messaging_handovers,standby';

export interface Routing {
	emulator: GraphEmulator;
	bot: Receiver;
	support: Receiver;
}

/** The bot (default app) and the support app, both subscribed to `fields`; the person has written once. */
export async function routing(fields = HANDOVER_FIELDS, supportFields = fields): Promise<Routing> {
	const emulator = await startEmulator({
		apps: [DEFAULT_APP, SUPPORT_APP],
		pages: [{ ...PAGE, secondaryReceivers: [SUPPORT_APP.id], appTokens: [{ appId: SUPPORT_APP.id, token: SUPPORT_TOKEN }] }],
	});
	const bot = await startReceiver();
	const support = await startReceiver();
	expect((await subscribeApp(emulator, bot.url, fields)).body).toEqual({ success: true });
	expect((await subscribePage(emulator, fields)).body).toEqual({ success: true });
	const form = new URLSearchParams({ object: 'page', callback_url: support.url, verify_token: VERIFY_TOKEN, fields: supportFields });
	expect((await call(emulator, `/v25.0/${SUPPORT_APP.id}/subscriptions`, form, { token: `${SUPPORT_APP.id}|${SUPPORT_APP.secret}` })).body).toEqual({ success: true });
	expect((await subscribePage(emulator, supportFields, SUPPORT_TOKEN)).body).toEqual({ success: true });
	await emulator.personMessage({ psid: PSID, text: 'hello', name: 'Ana' });
	await emulator.settleWebhooks();
	bot.requests.length = 0;
	support.requests.length = 0;
	return { emulator, bot, support };
}

/** `POST /v25.0/me/<edge>` with a JSON body (the bot's token unless given). */
export async function control(emulator: GraphEmulator, edge: string, body: Record<string, unknown>, token?: string): Promise<Answer> {
	return await call(emulator, `/v25.0/me/${edge}`, body, token === undefined ? {} : { token });
}

export async function ownerOf(emulator: GraphEmulator, psid = PSID, token?: string): Promise<Answer> {
	return await call(emulator, `/v25.0/me/thread_owner?recipient=${psid}`, undefined, token === undefined ? {} : { token });
}

/** The events a receiver got, as `[channel, event]` (one event per delivery). */
export function eventsOf(receiver: Receiver): Array<[string, Record<string, any>]> {
	return receiver.posts().map((request) => {
		const entry = parsed(request).entry[0];
		return entry.standby ? ['standby', entry.standby[0]] : ['messaging', entry.messaging[0]];
	});
}

/** What a handover event looks like (the timestamp aside). */
export function handover(kind: string, content: Record<string, string>, psid = PSID) {
	return { sender: { id: psid }, recipient: { id: PAGE.id }, timestamp: expect.any(Number), [kind]: content };
}
