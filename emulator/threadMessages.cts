// What a conversation holds: the Page's accepted messages, what the person wrote, and the replies
// the Page's people typed in the Page Inbox, in the order they happened. Pure over the store's
// timeline; conversations.cts renders them as Graph does.
import { createHash } from 'node:crypto';

import type { Inbox, TimelineItem } from './inbox.cjs';

/** One message of a thread, whoever wrote it. */
export interface ThreadMessage {
	/** The mid: a send's message_id, the person's mid, the Page Inbox reply's mid. */
	id: string;
	receivedAt: number;
	/** 'page': the Page (an app's send or a human's Page Inbox reply); 'person': the person. */
	from: 'page' | 'person';
	text: string;
	attachments: ThreadAttachment[];
}

/** A file of a message: its type, and what the platform's copy is (name, MIME type, URL). */
export interface ThreadAttachment {
	type: string;
	mimeType: string;
	name: string;
	url: string;
}

export interface Thread {
	id: string;
	psid: string;
	/** Newest first. */
	messages: ThreadMessage[];
}

/** A conversation ID that stays the same for one Page and one person (also across resets). */
export function threadId(pageId: string, psid: string): string {
	const digest = createHash('sha256').update(`${pageId}|${psid}`).digest('hex');
	return `t_${BigInt(`0x${digest.slice(0, 15)}`).toString()}`;
}

const MIME_OF: Record<string, string> = { image: 'image/jpeg', video: 'video/mp4', audio: 'audio/mpeg', file: 'application/octet-stream' };

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The Page's threads, most recently updated first. A thread exists once the Page sent the
 * person (recipient `id`) an accepted message, the person wrote, or a human replied; private
 * replies (comment_id, post_id), user_ref or phone_number sends and sender actions start none.
 * `wanted` picks the threads to build by the person's PSID (a lookup asks for one of hundreds).
 * One pass over the timeline: the fault suite looks up hundreds of sends among 15 000 messages.
 */
export function threadsOf(store: Inbox, pageId: string, wanted: (psid: string) => boolean = () => true): Thread[] {
	const byPsid = new Map<string, { messages: ThreadMessage[]; newest: number }>();
	const picked = new Map<string, boolean>();
	store.ofPage(pageId).forEach((item, position) => {
		const psid = psidOf(item);
		if (psid === undefined) return;
		let pick = picked.get(psid);
		if (pick === undefined) picked.set(psid, (pick = wanted(psid)));
		if (!pick) return;
		const found = messageOf(item);
		if (!found) return;
		const thread = byPsid.get(psid) ?? { messages: [], newest: position };
		thread.messages.push(found.message);
		// The timeline is in arrival order: the last message seen is the thread's newest.
		thread.newest = position;
		byPsid.set(psid, thread);
	});
	return [...byPsid.entries()]
		.sort(([, a], [, b]) => b.newest - a.newest)
		.map(([psid, { messages }]) => ({ id: threadId(pageId, psid), psid, messages: messages.slice().reverse() }));
}

/** The PSID of the thread an item may belong to (messageOf says whether it does). */
function psidOf(item: TimelineItem): string | undefined {
	if ('sent' in item) return item.sent.recipientKey.startsWith('id:') ? item.sent.recipientKey.slice(3) : undefined;
	if ('received' in item) return item.received.psid;
	if ('human' in item) return item.human.psid;
	return undefined;
}

function messageOf(item: TimelineItem): { psid: string; message: ThreadMessage } | undefined {
	if ('sent' in item) {
		const entry = item.sent;
		if (entry.sender_action !== undefined || entry.message === undefined || !entry.recipientKey.startsWith('id:')) return undefined;
		const message = entry.message;
		const sent = [message.attachment, ...(Array.isArray(message.attachments) ? message.attachments : [])].filter(isObject);
		const id = String(entry.message_id);
		// Like Graph, the thread shows the platform's own copy of a file (a CDN URL), never the URL or
		// the reusable attachment_id the send used; templates show nothing here.
		const attachments = sent
			.filter((attachment) => String(attachment.type) in MIME_OF)
			.map((attachment, index) => {
				const type = String(attachment.type);
				return { type, mimeType: entry.file?.mimeType ?? MIME_OF[type], name: entry.file?.fileName ?? `${type}-${index}`, url: copyUrl(id, index) };
			});
		return {
			psid: entry.recipientKey.slice(3),
			message: { id, receivedAt: entry.receivedAt, from: 'page', text: typeof message.text === 'string' ? message.text : '', attachments },
		};
	}
	if ('received' in item) {
		const { received } = item;
		const message = received.event.message;
		if (received.kind !== 'message' || !isObject(message)) return undefined;
		const id = String(received.mid);
		// The person's files are on the platform's CDN already: the webhook's URL is the copy.
		const attachments = (Array.isArray(message.attachments) ? message.attachments : []).filter(isObject).map((attachment, index) => {
			const type = String(attachment.type);
			const payload = isObject(attachment.payload) ? attachment.payload : {};
			const url = typeof payload.url === 'string' ? payload.url : copyUrl(id, index);
			return { type, mimeType: MIME_OF[type] ?? 'application/octet-stream', name: `${type}-${index}`, url };
		});
		return {
			psid: received.psid,
			message: { id, receivedAt: received.receivedAt, from: 'person', text: typeof message.text === 'string' ? message.text : '', attachments },
		};
	}
	if ('human' in item) {
		const { human } = item;
		return { psid: human.psid, message: { id: human.mid, receivedAt: human.receivedAt, from: 'page', text: human.text, attachments: [] } };
	}
	return undefined;
}

function copyUrl(mid: string, index: number): string {
	return `https://scontent.emulator.invalid/${createHash('sha256').update(`${mid}|${index}`).digest('hex').slice(0, 16)}`;
}
