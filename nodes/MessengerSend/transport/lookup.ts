import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { callAll, type CallSettings } from './graphCalls';
import { edgePath, type GraphSend } from './graphApi';
import { graphClock, type ClockOffset } from './graphClock';

/** What the person's thread says about a send whose answer was lost. */
export type LookupResult =
	| { kind: 'found'; messageId: string; recipientId: string }
	| { kind: 'notFound' }
	/** The thread could not tell: the send may or may not have arrived. */
	| { kind: 'impossible'; reason: string };

/** An attachment of a thread's message, as the Conversations API lists it. */
export interface ThreadAttachment {
	id?: string;
	mime_type?: string;
	name?: string;
	image_data?: { url?: string };
	video_data?: { url?: string };
	file_url?: string;
}

/** A message of a thread as the Conversations API lists it. */
export interface ThreadMessage {
	id?: string;
	created_time?: string;
	from?: { id?: string };
	to?: { data?: Array<{ id?: string }> };
	message?: string;
	attachments?: { data?: ThreadAttachment[] };
}

/** What a send put in the thread, as far as the thread can show it. */
export type SentContent =
	| { kind: 'text'; text: string }
	/** A file: its type, and the URL or reusable attachment ID it was sent from, if any. */
	| { kind: 'media'; type: string; url?: string; attachmentId?: string }
	/** A template (Send and Wait's question included): its text or first title, if it has one. */
	| { kind: 'template'; text?: string };

export interface ExpectedMessage {
	/** The PSID (or IGSID) the send went to. */
	recipientId: string;
	content: SentContent;
	/** The earliest `created_time` the send can have, on Graph's clock (ms; see lookupWindowStart). */
	earliestMs: number;
	/** Messages accounted for: this run's, and what this node delivered in other executions. */
	known: (message: ThreadMessage) => boolean;
	/**
	 * How many sends of this run with the same content to this person are unaccounted for, this
	 * one included (e.g. a lost chain's links): that many messages found can all be the run's own.
	 */
	unaccounted: number;
	/** How many messages the lookup asked for: a full page that is all newer says nothing. */
	limit: number;
	instagram: boolean;
}

/** Graph writes `2026-12-01T09:14:13+0000`; Date.parse wants a colon in the offset. */
export function timeOf(message: ThreadMessage): number {
	const text = String(message.created_time ?? '').replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
	return Date.parse(text);
}

/**
 * Without a Date header on Graph's answer the clocks cannot be compared: the window then opens
 * this much before the request left (n8n servers and Graph keep NTP time; 10 s was the old,
 * fixed allowance).
 */
export const UNMEASURED_CLOCK_ALLOWANCE_MS = 10_000;

/**
 * The earliest `created_time` (Graph's clock, whole seconds) a message sent by a request that
 * left at `sentAtMs` (n8n's clock) can have: Graph's clock is at least `offset.low` ahead of
 * n8n's (graphClock), and `created_time` is cut to whole seconds, hence the second it falls in.
 */
export function lookupWindowStart(sentAtMs: number, offset: ClockOffset | undefined): number {
	if (!offset) return sentAtMs - UNMEASURED_CLOCK_ALLOWANCE_MS;
	return Math.floor((sentAtMs + offset.low) / 1000) * 1000;
}

/** The kind of file an attachment of the thread is, from what it shows. */
export function mediaTypeOf(attachment: ThreadAttachment): string {
	const mime = String(attachment.mime_type ?? '').toLowerCase();
	if (attachment.image_data || mime.startsWith('image/')) return 'image';
	if (attachment.video_data || mime.startsWith('video/')) return 'video';
	if (mime.startsWith('audio/')) return 'audio';
	return 'file';
}

/**
 * Whether a thread's message is the send: `match` (it shows exactly what was sent), `maybe` (it
 * could be, but the thread does not show enough of it to tell) or `other`. Graph shows its own
 * copy of a file (a CDN URL), so a file whose URL differs is a `maybe`, never an `other`.
 */
export function compareContent(message: ThreadMessage, content: SentContent): 'match' | 'maybe' | 'other' {
	const text = typeof message.message === 'string' ? message.message : '';
	const attachments = message.attachments?.data ?? [];
	if (content.kind === 'text') return text === content.text ? 'match' : 'other';
	if (content.kind === 'template') {
		if (text) return content.text !== undefined && text === content.text ? 'match' : 'other';
		return attachments.length === 0 ? 'maybe' : 'other';
	}
	if (text) return 'other';
	if (attachments.length === 0) return 'maybe';
	const sameType = attachments.filter((attachment) => mediaTypeOf(attachment) === content.type);
	if (sameType.length === 0) return 'other';
	const shows = (attachment: ThreadAttachment) =>
		(content.url !== undefined && [attachment.image_data?.url, attachment.video_data?.url, attachment.file_url].includes(content.url)) ||
		(content.attachmentId !== undefined && attachment.id === content.attachmentId);
	return sameType.some(shows) ? 'match' : 'maybe';
}

const MEDIA_PHRASE: Record<string, string> = { image: 'an image', video: 'a video', audio: 'an audio clip', file: 'a file' };

/** How a send's content is named in a reason. */
function contentPhrase(content: SentContent): string {
	if (content.kind === 'text') return 'the same text';
	if (content.kind === 'media') return MEDIA_PHRASE[content.type] ?? 'a file';
	return content.text === undefined ? 'no text (a template shows none there)' : 'the template’s text, or none';
}

/**
 * Finds the message a lost answer was for, reporting it delivered only when the message found
 * can only be this send: sent to this person since the request left, showing exactly what was
 * sent, not a message the run or this node's other executions account for, and no more such
 * messages (or messages that could be it) than the run's own unaccounted sends of that content.
 * Then the oldest is this send's, as a person's sends go out one at a time. No message that
 * could be it: not there. Anything else: it may have arrived, and the reason says why.
 */
export function findSentMessage(messages: ThreadMessage[], expected: ExpectedMessage): LookupResult {
	const { earliestMs } = expected;
	// Graph lists newest first, and created_time has whole seconds: among equal times, the later in the list is older.
	const age = new Map(messages.map((message, position) => [message, position]));
	const inWindow = messages
		.filter((message) => typeof message.id === 'string' && !expected.known(message))
		.filter((message) => message.from?.id !== expected.recipientId)
		.filter((message) => !message.to?.data || message.to.data.some((to) => to.id === expected.recipientId))
		.filter((message) => timeOf(message) >= earliestMs);
	const classes = inWindow.map((message) => compareContent(message, expected.content));
	const matches = inWindow.filter((_, index) => classes[index] === 'match').sort((a, b) => timeOf(a) - timeOf(b) || age.get(b)! - age.get(a)!);
	const maybes = inWindow.filter((_, index) => classes[index] === 'maybe').length;
	const candidates = matches.length + maybes;
	if (matches.length > 0 && candidates <= Math.max(1, expected.unaccounted)) {
		return { kind: 'found', messageId: matches[0].id!, recipientId: expected.recipientId };
	}
	if (candidates > 0) {
		const ours = Math.max(1, expected.unaccounted);
		return {
			kind: 'impossible',
			reason:
				matches.length === 0
					? `${maybes === 1 ? 'a message' : `${maybes} messages`} with ${contentPhrase(expected.content)} reached the person since the request left, and the conversation does not show enough of ${maybes === 1 ? 'it' : 'them'} (Messenger lists its own copy of a file, and nothing of a template) to tell whether one is this send`
					: `${candidates} messages that could be this send reached the person since the request left (${matches.length} with ${contentPhrase(expected.content)}), more than the ${ours} send${ours === 1 ? '' : 's'} of this run they could be: another execution or tool may have sent the same`,
		};
	}
	const oldest = Math.min(...messages.map(timeOf).filter(Number.isFinite));
	if (messages.length >= expected.limit && oldest >= earliestMs) {
		return {
			kind: 'impossible',
			reason: expected.instagram
				? 'Instagram shows only the 20 most recent messages of a thread, and all of them are newer than this send'
				: `the ${messages.length} most recent messages of the thread are all newer than this send`,
		};
	}
	return { kind: 'notFound' };
}

/** Why a send cannot be looked up at all, before asking Graph; undefined when it can. */
export function whyNotLookedUp(send: GraphSend): string | undefined {
	const recipient = (send.request.body.recipient ?? {}) as IDataObject;
	if (recipient.comment_id !== undefined || recipient.post_id !== undefined) {
		return 'a private reply has no conversation to check until the person answers';
	}
	if (recipient.user_ref !== undefined) return 'a message to a user_ref has no conversation to check';
	if (typeof recipient.id !== 'string' || !recipient.id) return 'the recipient has no PSID to look up';
	return undefined;
}

const PERMISSION_CODES = [10, 200, 230];

/** What a send puts in the thread, as far as the thread can show it. */
export function contentOf(send: GraphSend): SentContent {
	const message = (send.request.body.message ?? {}) as IDataObject;
	if (typeof message.text === 'string') return { kind: 'text', text: message.text };
	const attachment = (message.attachment ?? (Array.isArray(message.attachments) ? message.attachments[0] : undefined) ?? {}) as IDataObject;
	const payload = (attachment.payload ?? {}) as IDataObject;
	if (attachment.type === 'template') {
		const elements = Array.isArray(payload.elements) ? (payload.elements as IDataObject[]) : [];
		const text = typeof payload.text === 'string' ? payload.text : typeof elements[0]?.title === 'string' ? String(elements[0].title) : undefined;
		return { kind: 'template', ...(text !== undefined ? { text } : {}) };
	}
	return {
		kind: 'media',
		type: String(attachment.type ?? 'file'),
		...(typeof payload.url === 'string' ? { url: payload.url } : {}),
		...(typeof payload.attachment_id === 'string' ? { attachmentId: payload.attachment_id } : {}),
	};
}

/** The fields of a thread's messages the lookup reads. */
const MESSAGE_FIELDS = 'id,created_time,from,to,message,attachments{id,mime_type,name,image_data,video_data,file_url}';

export interface LookupContext {
	/** Message IDs this run accounts for. */
	knownIds: ReadonlySet<string>;
	/** What this node delivered lately in this process, in any execution. */
	recent: RecentDeliveries;
	/** This run's unaccounted sends of the same content to the same person, this one included. */
	unaccounted: number;
	instagram: boolean;
}

/**
 * Asks the Conversations API for the person's thread and its recent messages, in one call, and
 * looks for the send there. A read like the node's other Graph calls (graphCalls): a lost answer
 * or a temporary error is asked again within the run's retries, since reading twice sends nothing.
 */
export async function lookUpSend(
	ctx: IExecuteFunctions,
	credentials: ICredentialDataDecryptedObject,
	settings: CallSettings,
	send: GraphSend,
	sentAtMs: number,
	options: LookupContext,
): Promise<LookupResult> {
	const notPossible = whyNotLookedUp(send);
	if (notPossible) return { kind: 'impossible', reason: notPossible };
	const recipientId = String((send.request.body.recipient as IDataObject).id);
	const limit = options.instagram ? 20 : 25;
	const page = edgePath(send).split('/')[0];
	const [{ outcome, attempts }] = await callAll(
		ctx,
		credentials,
		[{ method: 'GET', path: `${page}/conversations`, qs: { platform: options.instagram ? 'instagram' : 'messenger', user_id: recipientId, fields: `messages.limit(${limit}){${MESSAGE_FIELDS}}` } }],
		{ ...settings, batching: false },
	);
	const asked = attempts > 1 ? `, asked ${attempts} times` : '';
	if (outcome.kind === 'noAnswer') return { kind: 'impossible', reason: `the lookup in the conversation got no answer either${asked}` };
	if (outcome.kind === 'refused' && PERMISSION_CODES.includes(outcome.error.code ?? 0)) {
		return {
			kind: 'impossible',
			reason: `the access token may not read conversations (Graph error ${outcome.error.code}: it needs pages_messaging, pages_read_engagement and pages_manage_metadata${options.instagram ? ', or instagram_basic and instagram_manage_messages' : ''})`,
		};
	}
	const threads = outcome.kind === 'sent' ? (outcome.body as { data?: Array<{ messages?: { data?: ThreadMessage[] } }> }).data : undefined;
	if (!Array.isArray(threads)) {
		const status = outcome.kind === 'notRun' ? '' : `HTTP ${outcome.statusCode}`;
		const code = outcome.kind === 'refused' && outcome.error.code !== undefined ? `, Graph error ${outcome.error.code}` : '';
		return { kind: 'impossible', reason: `the lookup in the conversation failed (${status}${code}${asked})` };
	}
	// Measured from this answer's Date header and the quicker answers before it (graphClock).
	const offset = graphClock.offset();
	const known = (message: ThreadMessage) => options.knownIds.has(String(message.id)) || options.recent.delivered(message, recipientId, offset);
	// No thread with a person who wrote to the Page means nothing of ours arrived either.
	const messages = threads[0]?.messages?.data ?? [];
	return findSentMessage(messages, {
		recipientId,
		content: contentOf(send),
		earliestMs: lookupWindowStart(sentAtMs, offset),
		known,
		unaccounted: options.unaccounted,
		limit,
		instagram: options.instagram,
	});
}

/**
 * Messages this node delivered recently in this n8n process, whatever the execution: a lookup
 * for another execution must never take one of them for its own. Bounded (oldest forgotten
 * first); in queue mode each worker knows its own (the time window covers the rest). Graph's
 * message IDs are unique; a test server's may repeat after a reset, so a message counts as one of
 * these only if it also went to the same person while its request was under way, as far as the
 * clocks can tell: over the whole measured range of Graph's clock (a slow answer widens it, and
 * must never make the node's own message look like another's), give or take 2 s.
 */
export class RecentDeliveries {
	private readonly byId = new Map<string, { recipientId: string; leftMs: number; answeredMs: number }>();

	constructor(private readonly max = 20_000) {}

	add(messageId: string, recipientId: string, leftMs: number, answeredMs: number): void {
		this.byId.delete(messageId);
		this.byId.set(messageId, { recipientId, leftMs, answeredMs });
		while (this.byId.size > this.max) this.byId.delete(this.byId.keys().next().value as string);
	}

	/** Whether the thread's message is one of these; `offset`: Graph's clock minus n8n's (graphClock). */
	delivered(message: ThreadMessage, recipientId: string, offset: ClockOffset | undefined): boolean {
		const entry = this.byId.get(String(message.id));
		if (!entry || entry.recipientId !== recipientId) return false;
		const created = timeOf(message);
		const { low, high } = offset ?? { low: -UNMEASURED_CLOCK_ALLOWANCE_MS, high: UNMEASURED_CLOCK_ALLOWANCE_MS };
		// On n8n's clock the message was made between these two (created_time drops the milliseconds).
		const earliest = created - high;
		const latest = created + 1000 - low;
		return latest >= entry.leftMs - 2_000 && earliest <= entry.answeredMs + 2_000;
	}

	clear(): void {
		this.byId.clear();
	}
}
