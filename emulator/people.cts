// The simulated people on the other side of the Page: they write, tap buttons of what the Page
// sent them, react, read, fill in forms in the in-app browser, and open the chat (the welcome
// screen, its Get Started button, ice breakers and menu). What they do goes into the
// transcript and, as Meta would, to the Page's webhook (edges/subscriptions.cts dispatch).
import { buttonsOf, encodeForm, formOf, type BrowserCall } from './browser.cjs';
import { nameParts } from './edges/profiles.cjs';
import { ControlError, withoutUndefined, type Graph } from './graph.cjs';
import { hasWritten } from './handover.cjs';
import { isObject } from './rules.cjs';
import { dispatchPersonEvent } from './routing.cjs';
import type {
	BrowserVisit,
	EmulatorPage,
	FormEncoding,
	FormFill,
	FormFillResult,
	FormSubmission,
	InboxEntry,
	IncomingEntry,
	MessageButton,
	PageLoad,
	PersonAction,
	PersonActionResult,
	PersonMessage,
	PersonPostback,
	PersonProfile,
	PersonReaction,
	PersonRead,
	PersonTap,
	TapResult,
	WebhookDelivery,
	IceBreakerTap,
	MenuItemTap,
	WelcomeAction,
	WelcomeLink,
	WelcomePostback,
	WelcomeScreen,
} from './types.cjs';
import { isHttpUrl, newIncomingMid } from './webhooks.cjs';
import { welcomeScreen } from './welcomeScreen.cjs';

const LOCALE = /^(default|[a-z]{2}_[A-Z]{2})$/;

export class People {
	/** Names people were given in person actions, for the transcript. */
	private readonly names = new Map<string, string>();

	constructor(private readonly graph: Graph) {}

	/** Profiles people were given in person actions (`profile`), by PSID. */
	private readonly profiles = new Map<string, PersonProfile>();

	/** Locales people were given on the welcome screen, by PSID. */
	private readonly locales = new Map<string, string>();

	nameOf(psid: string): string | undefined {
		return this.names.get(psid);
	}

	profileOf(psid: string): PersonProfile | undefined {
		return this.profiles.get(psid);
	}

	reset(): void {
		this.names.clear();
		this.profiles.clear();
		this.locales.clear();
	}

	openChat(input: WelcomeAction): WelcomeScreen {
		const { page, psid, screen } = this.screen(input);
		this.graph.store.addScreen({ pageId: page.id, psid, screen, at: Date.now() });
		return screen;
	}

	async tapGetStarted(input: WelcomeAction): Promise<WelcomePostback> {
		const { page, psid, screen } = this.screen(input);
		if (!screen.getStarted) {
			const why = this.graph.profiles.get(page.id, screen.platform).get_started === undefined ? 'get_started is not set' : `PSID ${psid} wrote to it already, and Get Started shows only to people who never did`;
			throw new ControlError(`${page.name} shows no Get Started button: ${why}`, 404);
		}
		return await this.welcomePostback(page, psid, 'get_started', 'Get Started', screen.getStarted.payload);
	}

	async tapIceBreaker(input: IceBreakerTap): Promise<WelcomePostback> {
		const { page, psid, screen } = this.screen(input);
		const found = screen.iceBreakers.find((item) => item.question === input.question);
		if (!found) throw notOnScreen(`ice breaker ${JSON.stringify(input.question)}`, screen.iceBreakers.map((item) => `[${item.question}]`), `${page.name}'s welcome screen`, screen);
		return await this.welcomePostback(page, psid, 'ice_breaker', found.question, found.payload);
	}

	async tapMenuItem(input: MenuItemTap): Promise<WelcomePostback | WelcomeLink> {
		const { page, psid, screen } = this.screen(input);
		const found = screen.menu.find((item) => item.title === input.title);
		if (!found) throw notOnScreen(`menu item titled ${JSON.stringify(input.title)}`, screen.menu.map((item) => `[${item.title}] (${item.type})`), `${page.name}'s menu`, screen);
		if (found.type === 'postback') return await this.welcomePostback(page, psid, 'menu', found.title, String(found.payload));
		// Messenger opens the link in its browser; no webhook (the emulator does not load it).
		const link = { title: found.title, url: String(found.url) };
		this.graph.store.addScreen({ pageId: page.id, psid, link, at: Date.now() });
		return { kind: 'web_url', ...link };
	}

	async message(input: PersonMessage): Promise<PersonActionResult> {
		const { page, psid } = this.person(input);
		const mid = newIncomingMid();
		const message: Record<string, unknown> = { mid };
		if (input.text !== undefined) message.text = String(input.text);
		if (input.quickReplyPayload !== undefined) message.quick_reply = { payload: String(input.quickReplyPayload) };
		if (input.replyToMid !== undefined) message.reply_to = { mid: String(input.replyToMid) };
		if (input.attachments !== undefined) {
			if (!Array.isArray(input.attachments) || !input.attachments.every(isObject)) throw new ControlError('attachments must be an array of objects');
			message.attachments = input.attachments;
		}
		if (message.text === undefined && message.attachments === undefined) throw new ControlError('A person message needs text or attachments');
		return { mid, delivery: await this.incomingEvent(page, psid, 'message', mid, { message }) };
	}

	async postback(input: PersonPostback): Promise<PersonActionResult> {
		const { page, psid } = this.person(input);
		if (input.payload === undefined || input.payload === '') throw new ControlError('A postback needs a payload');
		return await this.sendPostback(page, psid, String(input.payload), String(input.title ?? input.payload));
	}

	async taps(input: PersonTap): Promise<TapResult> {
		const { page, psid } = this.person(input);
		if (typeof input.title !== 'string' || input.title === '') throw new ControlError("title is required: the button's title, exactly as sent");
		const mid = input.mid === undefined || input.mid === '' ? undefined : String(input.mid);
		const { entry, button } = this.findButton(page, psid, input.title, mid);
		const messageId = String(entry.message_id);
		const { title } = button;
		if (button.type === 'postback') {
			if (button.payload === undefined || String(button.payload) === '') throw new ControlError(`[${title}] on ${messageId} has no payload`);
			const payload = String(button.payload);
			const result = await this.sendPostback(page, psid, payload, title, { tappedOn: messageId });
			return { kind: 'postback', title, messageId, payload, mid: result.mid!, delivery: result.delivery };
		}
		if (button.type === 'web_url') {
			const url = String(button.url ?? '');
			if (!isHttpUrl(url)) throw new ControlError(`[${title}] on ${messageId} has no http(s) url to open (url: ${JSON.stringify(button.url)})`);
			const load = await this.browse(page, psid, { kind: 'tap', title, messageId }, { method: 'GET', url });
			return { kind: 'web_url', title, messageId, ...load, method: 'GET' };
		}
		throw new ControlError(`[${title}] on ${messageId} is a ${String(button.type)} button: the emulator taps web_url and postback buttons only`);
	}

	async submitsForm(input: FormSubmission): Promise<PageLoad> {
		const { page, psid } = this.person(input);
		const url = String(input.url ?? '');
		if (!isHttpUrl(url)) throw new ControlError("url must be an http(s) URL (the form's action)");
		if (input.pageUrl !== undefined && !isHttpUrl(String(input.pageUrl))) throw new ControlError('pageUrl must be an http(s) URL');
		const fields = stringFields(input.fields, 'fields');
		return await this.submit(page, psid, url, fields, readEncoding(input.encoding) ?? 'urlencoded', input.pageUrl === undefined ? undefined : String(input.pageUrl));
	}

	async fillsForm(input: FormFill): Promise<FormFillResult> {
		const { page, psid } = this.person(input);
		const pageUrl = String(input.pageUrl ?? '');
		if (!isHttpUrl(pageUrl)) throw new ControlError("pageUrl must be an http(s) URL (the page the form is on)");
		if (input.html !== undefined && typeof input.html !== 'string') throw new ControlError('html must be a string (the page)');
		const values = stringFields(input.values ?? {}, 'values');
		const encoding = readEncoding(input.encoding);
		let html = input.html;
		if (html === undefined) {
			const load = await this.browse(page, psid, { kind: 'open' }, { method: 'GET', url: pageUrl });
			if (load.status === 0) throw new ControlError(`The page ${pageUrl} did not load: ${String(load.error)}`, 502);
			html = load.body;
		}
		const form = formOf(html, pageUrl);
		if (!form) throw new ControlError(`The page ${pageUrl} has no <form>`, 404);
		const unknown = Object.keys(values).filter((name) => !form.fields.includes(name));
		if (unknown.length > 0) {
			throw new ControlError(`The form has no field ${unknown.map((name) => JSON.stringify(name)).join(', ')}; its fields: ${form.fields.map((name) => JSON.stringify(name)).join(', ') || '(none)'}`);
		}
		const fields: Record<string, string> = {};
		for (const name of form.fields) {
			const value = values[name] ?? form.values[name];
			if (value !== undefined) fields[name] = value;
		}
		if (!isHttpUrl(form.action)) throw new ControlError(`The form's action is not an http(s) URL: ${JSON.stringify(form.action)}`);
		if (form.method === 'GET') {
			const target = new URL(form.action);
			target.search = new URLSearchParams(fields).toString();
			const load = await this.browse(page, psid, { kind: 'form', fields }, { method: 'GET', url: target.toString(), pageUrl });
			return { ...load, form, fields };
		}
		const load = await this.submit(page, psid, form.action, fields, encoding ?? (form.enctype === 'multipart/form-data' ? 'multipart' : 'urlencoded'), pageUrl);
		return { ...load, form, fields };
	}

	async reaction(input: PersonReaction): Promise<PersonActionResult> {
		const { page, psid } = this.person(input);
		if (input.mid === undefined || input.mid === '') throw new ControlError('A reaction needs the mid of the message reacted to');
		const action = input.action ?? 'react';
		if (action !== 'react' && action !== 'unreact') throw new ControlError("action must be 'react' or 'unreact'");
		const mid = String(input.mid);
		// The platform's order of keys; an unreact says only which message.
		const reaction = action === 'react' ? { reaction: String(input.reaction ?? 'love'), emoji: String(input.emoji ?? '❤'), action, mid } : { action, mid };
		return { delivery: await this.incomingEvent(page, psid, 'reaction', mid, { reaction }) };
	}

	async read(input: PersonRead): Promise<PersonActionResult> {
		const { page, psid } = this.person(input);
		if (input.watermark !== undefined && !Number.isFinite(Number(input.watermark))) throw new ControlError('watermark must be a number (ms)');
		const watermark = input.watermark !== undefined ? Number(input.watermark) : Date.now();
		return { delivery: await this.incomingEvent(page, psid, 'read', undefined, { read: { watermark } }) };
	}

	private async sendPostback(page: EmulatorPage, psid: string, payload: string, title: string, tapped: Pick<IncomingEntry, 'tappedOn' | 'surface'> = {}): Promise<PersonActionResult> {
		const mid = newIncomingMid();
		const postback = { title, payload, mid };
		return { mid, delivery: await this.incomingEvent(page, psid, 'postback', mid, { postback }, tapped) };
	}

	private async welcomePostback(page: EmulatorPage, psid: string, surface: IncomingEntry['surface'], title: string, payload: string): Promise<WelcomePostback> {
		const { mid, delivery } = await this.sendPostback(page, psid, payload, title, { surface });
		return { kind: 'postback', title, payload, mid: mid!, delivery };
	}

	/** The welcome screen as the person sees it now (their locale kept from earlier actions). */
	private screen(input: WelcomeAction): { page: EmulatorPage; psid: string; screen: WelcomeScreen } {
		const { page, psid } = this.person(input);
		if (input.locale !== undefined) {
			if (typeof input.locale !== 'string' || !LOCALE.test(input.locale)) throw new ControlError('locale must be "default" or a locale such as "en_US"');
			this.locales.set(psid, input.locale);
		}
		const platform = page.platform === 'instagram' ? 'instagram' : 'messenger';
		const { first, last } = nameParts(psid, { name: this.names.get(psid), profile: this.profiles.get(psid) });
		const viewer = { pageId: page.id, psid, locale: this.locales.get(psid) ?? 'default', firstName: first, lastName: last, neverWrote: !hasWritten(this.graph, page, psid) };
		return { page, psid, screen: welcomeScreen(this.graph.profiles.get(page.id, platform), platform, viewer) };
	}

	/** The newest accepted send to the person (or the one with message_id `mid`) with a button of exactly this title. */
	private findButton(page: EmulatorPage, psid: string, title: string, mid: string | undefined): { entry: InboxEntry; button: MessageButton } {
		const sends = this.graph.store.entries.filter((entry) => entry.pageId === page.id && entry.recipientKey === `id:${psid}` && entry.message_id !== undefined);
		const candidates = mid === undefined ? sends : sends.filter((entry) => entry.message_id === mid);
		if (mid !== undefined && candidates.length === 0) throw new ControlError(`No accepted send ${mid} from ${page.name} to PSID ${psid}`, 404);
		for (let index = candidates.length - 1; index >= 0; index -= 1) {
			const button = buttonsOf(candidates[index].message).find((candidate) => candidate.title === title);
			if (button) return { entry: candidates[index], button };
		}
		const there = candidates
			.slice()
			.reverse()
			.flatMap((entry) => buttonsOf(entry.message).map((button) => `[${button.title}] (${String(button.type)}, ${String(entry.message_id)})`));
		const where = mid === undefined ? `in ${page.name}'s messages to PSID ${psid}` : `on ${mid}`;
		throw new ControlError(`No button titled ${JSON.stringify(title)} ${where}; ${there.length > 0 ? `the buttons there: ${there.join(', ')}` : 'there are no buttons there'}`, 404);
	}

	/** A page load or form post by the person's browser, recorded (for the transcript) before it starts. */
	private async browse(page: EmulatorPage, psid: string, about: Pick<BrowserVisit, 'kind' | 'title' | 'messageId' | 'fields' | 'encoding'>, call: BrowserCall): Promise<PageLoad> {
		const visit = this.graph.store.addVisit({ pageId: page.id, psid, ...withoutUndefined(about), kind: about.kind, method: call.method, url: call.url, at: Date.now() });
		const load = await this.graph.browser.load(call);
		visit.status = load.status;
		if (load.contentType) visit.contentType = load.contentType;
		if (load.location !== undefined) visit.location = load.location;
		if (load.error !== undefined) visit.error = load.error;
		return load;
	}

	private async submit(page: EmulatorPage, psid: string, url: string, fields: Record<string, string>, encoding: FormEncoding, pageUrl: string | undefined): Promise<PageLoad> {
		const { body, contentType } = encodeForm(fields, encoding);
		return await this.browse(page, psid, { kind: 'form', fields, encoding }, { method: 'POST', url, body: { data: body, contentType }, ...(pageUrl !== undefined ? { pageUrl } : {}) });
	}

	private person(input: PersonAction): { page: EmulatorPage; psid: string } {
		if (!isObject(input) || input.psid === undefined || String(input.psid) === '') throw new ControlError('psid is required');
		const page = this.graph.pageFor(input.pageId);
		const psid = String(input.psid);
		if (input.name !== undefined && input.name !== '') this.names.set(psid, String(input.name));
		if (input.profile !== undefined) {
			if (!isObject(input.profile)) throw new ControlError('profile must be an object (firstName, lastName, profilePic, username, …)');
			this.profiles.set(psid, { ...this.profiles.get(psid), ...input.profile });
		}
		return { page, psid };
	}

	/** Puts what the person did into the transcript, then delivers it. */
	private async incomingEvent(
		page: EmulatorPage,
		psid: string,
		kind: IncomingEntry['kind'],
		mid: string | undefined,
		content: Record<string, unknown>,
		tapped: Pick<IncomingEntry, 'tappedOn' | 'surface'> = {},
	): Promise<WebhookDelivery | null> {
		const timestamp = Date.now();
		const event = { sender: { id: psid }, recipient: { id: page.id }, timestamp, ...content };
		this.graph.store.addIncoming({
			pageId: page.id,
			psid,
			kind,
			...(mid !== undefined ? { mid } : {}),
			event,
			receivedAt: timestamp,
			...withoutUndefined(tapped),
		});
		// The thread's owner hears it on `messaging`, the other connected apps on `standby`.
		return await dispatchPersonEvent(this.graph, page, psid, event);
	}
}

/** A tap on something the screen does not show: the test asked for what is not there. */
function notOnScreen(what: string, there: string[], where: string, screen: WelcomeScreen): ControlError {
	const shown = there.length > 0 ? `there: ${there.join(', ')}` : 'there are none';
	return new ControlError(`No ${what} on ${where} for PSID ${screen.psid} (locale ${screen.locale}); ${shown}`, 404);
}

/** A control input's fields: an object of strings (numbers and booleans are taken as their text). */
function stringFields(value: unknown, name: string): Record<string, string> {
	if (!isObject(value)) throw new ControlError(`${name} must be an object of field names to values`);
	const fields: Record<string, string> = {};
	for (const [key, entry] of Object.entries(value)) {
		if (typeof entry !== 'string' && typeof entry !== 'number' && typeof entry !== 'boolean') throw new ControlError(`${name}.${key} must be a string`);
		fields[key] = String(entry);
	}
	return fields;
}

function readEncoding(value: unknown): FormEncoding | undefined {
	if (value === undefined || value === null) return undefined;
	if (value !== 'urlencoded' && value !== 'multipart') throw new ControlError("encoding must be 'urlencoded' or 'multipart'");
	return value;
}
