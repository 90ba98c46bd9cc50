// What the Page's conversations would show: the accepted sends, what the people sent the Page
// (kept apart, so that it never counts as a send), and a readable transcript of both for demos
// and for eyeballing a test run.
import type { BrowserVisit, HandoverEntry, InboxEntry, IncomingEntry, PageInboxReply, ScreenView } from './types.cjs';
import { renderScreenView } from './welcomeScreen.cjs';

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One line of the transcript's source: a send of the Page's, something the person did, a page
 * their browser loaded, a change of the thread's owner, a human's reply from the Page Inbox, or
 * the person opening the chat (or a link of its menu).
 */
export type TimelineItem =
	| { sent: InboxEntry }
	| { received: IncomingEntry }
	| { visited: BrowserVisit }
	| { handover: HandoverEntry }
	| { human: PageInboxReply }
	| { screen: ScreenView };

/** The names the transcript uses. */
export interface Names {
	page: (pageId: string) => string;
	person?: (psid: string) => string;
	app?: (appId: string) => string;
}

export class Inbox {
	/** Kept as one array for the emulator's whole life, so references handed out stay live. */
	readonly entries: InboxEntry[] = [];

	/** What the people sent or did (webhook events of their own), also kept for the emulator's life. */
	readonly incoming: IncomingEntry[] = [];

	/** What the person's browser did (web_url taps, page loads, form submissions), also kept for the emulator's life. */
	readonly visits: BrowserVisit[] = [];

	/** Thread control calls that changed or asked for a thread's owner, in order. */
	readonly handovers: HandoverEntry[] = [];

	/** What the Page's people answered by hand from the Page Inbox (never Graph sends). */
	readonly pageInboxReplies: PageInboxReply[] = [];

	/** The person opening the chat with the Page, or a web_url item of its menu. */
	readonly screens: ScreenView[] = [];

	/** Both directions in arrival order: the transcript interleaves them. */
	private readonly timeline: TimelineItem[] = [];

	add(entry: Omit<InboxEntry, 'seq'>): InboxEntry {
		const added: InboxEntry = { seq: this.entries.length + 1, ...entry };
		this.entries.push(added);
		this.timeline.push({ sent: added });
		return added;
	}

	addIncoming(entry: Omit<IncomingEntry, 'seq'>): IncomingEntry {
		const added: IncomingEntry = { seq: this.incoming.length + 1, ...entry };
		this.incoming.push(added);
		this.timeline.push({ received: added });
		return added;
	}

	/** Recorded when the request starts (so it shows before what it caused); its answer is filled in later. */
	addVisit(visit: Omit<BrowserVisit, 'seq'>): BrowserVisit {
		const added: BrowserVisit = { seq: this.visits.length + 1, ...visit };
		this.visits.push(added);
		this.timeline.push({ visited: added });
		return added;
	}

	addHandover(entry: Omit<HandoverEntry, 'seq'>): HandoverEntry {
		const added: HandoverEntry = { seq: this.handovers.length + 1, ...entry };
		this.handovers.push(added);
		this.timeline.push({ handover: added });
		return added;
	}

	addPageInboxReply(entry: Omit<PageInboxReply, 'seq'>): PageInboxReply {
		const added: PageInboxReply = { seq: this.pageInboxReplies.length + 1, ...entry };
		this.pageInboxReplies.push(added);
		this.timeline.push({ human: added });
		return added;
	}

	addScreen(view: Omit<ScreenView, 'seq'>): ScreenView {
		const added: ScreenView = { seq: this.screens.length + 1, ...view };
		this.screens.push(added);
		this.timeline.push({ screen: added });
		return added;
	}

	/** Everything that happened on a Page, in arrival order (the conversations' messages come from here). */
	ofPage(pageId: string): TimelineItem[] {
		return this.timeline.filter((item) => keyOf(item).pageId === pageId);
	}

	clear(): void {
		this.handovers.length = 0;
		this.pageInboxReplies.length = 0;
		this.entries.length = 0;
		this.incoming.length = 0;
		this.visits.length = 0;
		this.screens.length = 0;
		this.timeline.length = 0;
	}

	conversation(recipientKey: string): InboxEntry[] {
		return this.entries.filter((entry) => entry.recipientKey === recipientKey);
	}

	/**
	 * One block per Page and recipient, in order of first contact (from either side). `personName`
	 * names the person on their own lines (default: "PSID …").
	 */
	transcript(names: Names): string {
		if (this.timeline.length === 0) return '(no messages)\n';
		const personName = names.person ?? ((psid: string) => `PSID ${psid}`);
		const appName = names.app ?? ((appId: string) => `app ${appId}`);
		const blocks = new Map<string, TimelineItem[]>();
		for (const item of this.timeline) {
			const { pageId, recipientKey } = keyOf(item);
			const key = `${pageId}\n${recipientKey}`;
			const block = blocks.get(key) ?? [];
			block.push(item);
			blocks.set(key, block);
		}
		const rendered = [...blocks.entries()].map(([key, items]) => {
			const separator = key.indexOf('\n');
			const pageId = key.slice(0, separator);
			const recipientKey = key.slice(separator + 1);
			const header = `${names.page(pageId)} ↔ ${recipientLabel(recipientKey)}`;
			const lines = items.flatMap((item) => {
				if ('sent' in item) return renderEntry(item.sent, personName);
				if ('received' in item) return renderIncoming(item.received, names.page(pageId), personName(item.received.psid));
				if ('visited' in item) return renderVisit(item.visited, personName(item.visited.psid));
				if ('handover' in item) return [renderHandover(item.handover, appName)];
				if ('screen' in item) return renderScreenView(item.screen, personName(item.screen.psid));
				return renderHumanReply(item.human);
			});
			return [header, ...lines].join('\n');
		});
		return `${rendered.join('\n\n')}\n`;
	}
}

/** Whose block an item belongs to: its Page and `id:<psid>` (a send: its recipient key). */
function keyOf(item: TimelineItem): { pageId: string; recipientKey: string } {
	if ('sent' in item) return { pageId: item.sent.pageId, recipientKey: item.sent.recipientKey };
	const other =
		'received' in item ? item.received : 'visited' in item ? item.visited : 'handover' in item ? item.handover : 'screen' in item ? item.screen : item.human;
	return { pageId: other.pageId, recipientKey: `id:${other.psid}` };
}

/** `— thread passed to Page Inbox by Demo App (metadata "…")`: who holds the thread from here on. */
function renderHandover(entry: HandoverEntry, appName: (appId: string) => string): string {
	const metadata = entry.metadata !== undefined && entry.metadata !== '' ? ` (metadata ${JSON.stringify(entry.metadata)})` : '';
	const by = appName(entry.byAppId);
	switch (entry.action) {
		case 'pass':
			return `  — thread passed to ${appName(entry.newOwnerAppId)} by ${by}${metadata}`;
		case 'take':
			return `  — thread taken back by ${by} from ${appName(entry.previousOwnerAppId)}${metadata}`;
		case 'request':
			return `  — ${by} asks ${appName(entry.previousOwnerAppId)} for the thread${metadata}`;
		default:
			return `  — thread released by ${by}: back to ${appName(entry.newOwnerAppId)}${metadata}`;
	}
}

/** A human's reply from the Page Inbox, set apart from the bot's `Page:` lines. */
function renderHumanReply(reply: PageInboxReply): string[] {
	const [first, ...rest] = reply.text.split('\n');
	return [`  Page Inbox (human): ${first}  ${reply.mid}`, ...rest.map((line) => INDENT + line)];
}

export function recipientLabel(recipientKey: string): string {
	const separator = recipientKey.indexOf(':');
	const field = recipientKey.slice(0, separator);
	const value = recipientKey.slice(separator + 1);
	switch (field) {
		case 'id':
			return `PSID ${value}`;
		case 'user_ref':
			return `user_ref ${value}`;
		case 'comment_id':
			return `comment ${value} (private reply)`;
		case 'post_id':
			return `post ${value} (private reply)`;
		case 'phone_number':
			return `phone ${value}`;
		default:
			return recipientKey;
	}
}

const INDENT = '        ';

/** The Page's send: `Page: …`, or `Sam (persona) → Ana: …` when a persona of the Page's sent it. */
function renderEntry(entry: InboxEntry, personName: (psid: string) => string): string[] {
	if (entry.sender_action) return [`  · ${renderAction(entry)}`];
	const to = entry.recipient.id !== undefined ? personName(entry.recipient.id) : recipientLabel(entry.recipientKey);
	const sender = entry.personaName !== undefined ? `${entry.personaName} (persona) → ${to}` : 'Page';
	const message = entry.message ?? {};
	const [first, ...rest] = renderContent(entry, message);
	const tagged = entry.tag ? `🏷 ${entry.tag} — ${first}` : first;
	const lines = [`  ${sender}: ${tagged}  [${entry.messaging_type ?? '?'}] ${entry.message_id ?? ''}`.trimEnd()];
	lines.push(...rest.map((line) => INDENT + line));

	if (Array.isArray(message.quick_replies)) {
		lines.push(`${INDENT}quick replies: ${message.quick_replies.map(renderQuickReply).join(' ')}`);
	}
	if (entry.reply_to !== undefined) {
		const mid = isObject(entry.reply_to) ? entry.reply_to.mid : entry.reply_to;
		lines.push(`${INDENT}↪ replying to ${String(mid)}`);
	}
	if (entry.notification_type && entry.notification_type !== 'REGULAR') lines.push(`${INDENT}🔕 ${entry.notification_type}`);
	if (entry.persona_id && entry.personaName === undefined) lines.push(`${INDENT}as persona ${entry.persona_id}`);
	if (typeof message.metadata === 'string') lines.push(`${INDENT}metadata: ${message.metadata}`);
	return lines;
}

/** Where a tapped postback button was: a message's, the welcome screen's, the menu's. */
const SURFACES = { message: '', get_started: '', ice_breaker: 'ice breaker ', menu: 'menu ' };

/** The person's side: `Ana → Demo Shop: hello  m_…`, and their reactions and reads as `·` lines. */
function renderIncoming(entry: IncomingEntry, page: string, person: string): string[] {
	const { event } = entry;
	if (isObject(event.message)) {
		const message = event.message;
		const attachments = Array.isArray(message.attachments) ? message.attachments.map(renderIncomingAttachment) : [];
		const text = typeof message.text === 'string' ? message.text.split('\n') : [];
		const [first = '(empty message)', ...rest] = [...text, ...attachments];
		const lines = [`  ${person} → ${page}: ${first}  ${String(message.mid)}`, ...rest.map((line) => INDENT + line)];
		if (isObject(message.quick_reply)) lines.push(`${INDENT}quick reply payload: ${String(message.quick_reply.payload)}`);
		if (isObject(message.reply_to)) lines.push(`${INDENT}↪ replying to ${String(message.reply_to.mid)}`);
		return lines;
	}
	if (isObject(event.postback)) {
		const { title, payload, mid } = event.postback;
		if (entry.tappedOn !== undefined || entry.surface !== undefined) return [`  ${person} taps ${SURFACES[entry.surface ?? 'message']}[${String(title)}] ▶ postback ${String(payload)}  ${String(mid)}`];
		return [`  ${person} → ${page}: ▶ [${String(title)}] postback ${String(payload)}  ${String(mid)}`];
	}
	if (isObject(event.reaction)) {
		const { action, emoji, reaction, mid } = event.reaction;
		if (action === 'unreact') return [`  · ${person} removed reaction from ${String(mid)}`];
		return [`  · ${person} reacted ${String(emoji ?? reaction)} to ${String(mid)}`];
	}
	if (isObject(event.read)) return [`  · read by ${person} ✓`];
	return [`  · ${person}: ${entry.kind}`];
}

/**
 * The person's browser: `Ana taps [Approve] → GET http://… 200`, `Ana opens → GET …`,
 * `Ana submits a form → POST … 200` with its fields on the next line. A redirect shows where it
 * points (`302 → http://…`), no answer `✗ why`, a request still under way `…`.
 */
function renderVisit(visit: BrowserVisit, person: string): string[] {
	const action = visit.kind === 'tap' ? `taps [${String(visit.title)}]` : visit.kind === 'open' ? 'opens' : 'submits a form';
	const outcome =
		visit.status === undefined
			? '…'
			: visit.status === 0
				? `✗ ${String(visit.error)}`
				: `${visit.status}${visit.location !== undefined ? ` → ${visit.location}` : ''}`;
	const lines = [`  ${person} ${action} → ${visit.method} ${visit.url} ${outcome}`];
	if (visit.fields !== undefined) {
		const fields = Object.entries(visit.fields).map(([name, value]) => `${name}=${JSON.stringify(value)}`);
		lines.push(`${INDENT}${visit.encoding === 'multipart' ? 'multipart ' : ''}fields: ${fields.length > 0 ? fields.join(', ') : '(none)'}`);
	}
	return lines;
}

function renderIncomingAttachment(attachment: unknown): string {
	if (!isObject(attachment)) return '📎 (attachment)';
	const payload = isObject(attachment.payload) ? attachment.payload : {};
	return payload.url !== undefined ? `📎 ${String(attachment.type)} ${String(payload.url)}` : `📎 ${String(attachment.type)}`;
}

function renderAction(entry: InboxEntry): string {
	const payload = isObject(entry.payload) ? entry.payload : {};
	const persona = entry.personaName !== undefined ? ` as ${entry.personaName} (persona)` : entry.persona_id ? ` (as persona ${entry.persona_id})` : '';
	switch (entry.sender_action) {
		case 'typing_on':
			return `typing…${persona}`;
		case 'typing_off':
			return `stopped typing${persona}`;
		case 'mark_seen':
			return 'seen ✓';
		case 'react':
			return `reacted ${String(payload.reaction)} to ${String(payload.message_id)}`;
		case 'unreact':
			return `removed reaction from ${String(payload.message_id)}`;
		default:
			return String(entry.sender_action);
	}
}

function renderQuickReply(reply: unknown): string {
	if (!isObject(reply)) return '[?]';
	if (reply.content_type === 'user_phone_number') return '[📞 phone number]';
	if (reply.content_type === 'user_email') return '[✉ email]';
	return `[${String(reply.title)}]`;
}

/** The message body as lines; the first goes after "Page:". */
function renderContent(entry: InboxEntry, message: Record<string, unknown>): string[] {
	if (typeof message.text === 'string') return message.text.split('\n');
	if (Array.isArray(message.attachments)) {
		return message.attachments.map((attachment) => renderAttachment(entry, attachment));
	}
	return [renderAttachment(entry, message.attachment)];
}

function renderAttachment(entry: InboxEntry, attachment: unknown): string {
	if (!isObject(attachment)) return '📎 (attachment)';
	const type = String(attachment.type);
	const payload = isObject(attachment.payload) ? attachment.payload : {};
	if (type === 'like_heart') return '❤️ heart sticker';
	if (type === 'MEDIA_SHARE') return `📷 shared post ${String(payload.id)}`;
	if (type === 'template') return renderTemplate(payload);
	const saved = entry.attachment_id ? `, saved as ${entry.attachment_id}` : '';
	if (entry.file) {
		const { fileName, mimeType, size } = entry.file;
		return `📎 ${type} ${fileName} (${mimeType}, ${formatSize(size)}, uploaded${saved})`;
	}
	if (payload.url !== undefined) return `📎 ${type} ${String(payload.url)}${saved ? ` (${saved.slice(2)})` : ''}`;
	return `📎 ${type} (saved attachment ${String(payload.attachment_id)})`;
}

function renderTemplate(payload: Record<string, unknown>): string {
	const type = String(payload.template_type);
	const titles = (items: unknown) =>
		Array.isArray(items) ? items.map((item) => `[${isObject(item) ? String(item.title ?? item.media_type ?? '?') : '?'}]`).join(' ') : '';
	switch (type) {
		case 'generic':
			return `🧩 generic template: ${titles(payload.elements)}`;
		case 'button':
			return `🧩 button template: ${String(payload.text)} ${titles(payload.buttons)}`;
		case 'receipt':
			return `🧩 receipt template: order ${String(payload.order_number)}`;
		case 'customer_feedback': {
			const screens = Array.isArray(payload.feedback_screens) ? payload.feedback_screens : [];
			const questions = isObject(screens[0]) && Array.isArray(screens[0].questions) ? screens[0].questions : [];
			const question = isObject(questions[0]) ? questions[0] : {};
			return `🧩 customer feedback: ${String(payload.title)} [${String(payload.button_title)}] (${String(question.type ?? '?').toUpperCase()})`;
		}
		default:
			return `🧩 ${type} template`;
	}
}

export function formatSize(bytes: number): string {
	if (bytes < 1024) return `${bytes} B`;
	if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
	return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
