// The read side of the Conversations API: the threads and messages a Page could look up to
// find out whether an uncertain send arrived (/work/shared/messenger-send-api.md, "Finding out
// whether a message arrived"). Pure functions over the inbox; the emulator does the HTTP side.
import { createHash } from 'node:crypto';

import type { EmulatorPage, InboxEntry } from './types.cjs';

/** Messages per thread when no limit is given, and at most (Messenger). */
export const DEFAULT_MESSAGE_LIMIT = 25;
export const MAX_MESSAGE_LIMIT = 100;
/** Instagram: only the newest 20 messages of a thread can be read. */
export const INSTAGRAM_MESSAGE_WINDOW = 20;

export const CONVERSATION_FIELDS = ['id', 'updated_time', 'messages'] as const;
export const MESSAGE_FIELDS = ['id', 'created_time', 'from', 'to', 'message', 'attachments'] as const;
/** A message's attachment (Graph's MessageAttachment), as far as the emulator shows one. */
export const ATTACHMENT_FIELDS = ['id', 'mime_type', 'name', 'image_data', 'video_data', 'file_url'] as const;
const DEFAULT_ATTACHMENT_FIELDS = ['id', 'mime_type', 'name'];
const DEFAULT_CONVERSATION_FIELDS = ['id', 'updated_time'];
const DEFAULT_MESSAGE_FIELDS = ['id', 'created_time'];

/** One entry of a `fields` expression, e.g. `messages.limit(5){id,message}`. */
export interface FieldRequest {
	name: string;
	limit?: number;
	/** The `{…}` selection; undefined when none was given. */
	fields?: FieldRequest[];
}

export interface Thread {
	id: string;
	psid: string;
	/** Accepted messages (no sender actions), newest first. */
	messages: InboxEntry[];
}

/** A conversation ID that stays the same for one Page and one person (also across resets). */
export function threadId(pageId: string, psid: string): string {
	const digest = createHash('sha256').update(`${pageId}|${psid}`).digest('hex');
	return `t_${BigInt(`0x${digest.slice(0, 15)}`).toString()}`;
}

/**
 * The Page's threads, most recently updated first. A thread exists once the Page sent the
 * person (recipient `id`) at least one accepted message; private replies (comment_id, post_id)
 * and user_ref or phone_number sends have none, and sender actions do not start one.
 */
export function threadsOf(inbox: readonly InboxEntry[], pageId: string): Thread[] {
	const byPsid = new Map<string, InboxEntry[]>();
	for (const entry of inbox) {
		if (entry.pageId !== pageId || entry.sender_action !== undefined || entry.message === undefined) continue;
		if (!entry.recipientKey.startsWith('id:')) continue;
		const psid = entry.recipientKey.slice(3);
		const messages = byPsid.get(psid) ?? [];
		messages.push(entry);
		byPsid.set(psid, messages);
	}
	const threads = [...byPsid.entries()].map(([psid, messages]) => ({
		id: threadId(pageId, psid),
		psid,
		messages: messages.slice().sort((a, b) => b.seq - a.seq),
	}));
	return threads.sort((a, b) => b.messages[0].seq - a.messages[0].seq);
}

/** Graph's timestamp format: seconds precision and `+0000`, e.g. `2026-12-01T09:14:13+0000`. */
export function graphTime(ms: number): string {
	return `${new Date(ms).toISOString().slice(0, 19)}+0000`;
}

/** Splits on commas that are not inside `{…}` or `(…)`. */
function splitTopLevel(text: string): string[] | null {
	const parts: string[] = [];
	let depth = 0;
	let start = 0;
	for (let i = 0; i < text.length; i += 1) {
		const char = text[i];
		if (char === '{' || char === '(') depth += 1;
		else if (char === '}' || char === ')') {
			depth -= 1;
			if (depth < 0) return null;
		} else if (char === ',' && depth === 0) {
			parts.push(text.slice(start, i));
			start = i + 1;
		}
	}
	if (depth !== 0) return null;
	parts.push(text.slice(start));
	return parts.map((part) => part.trim());
}

/** Parses a Graph `fields` expression; a string is the reason it could not be parsed. */
export function parseFields(text: string): FieldRequest[] | string {
	const parts = splitTopLevel(text);
	if (!parts || parts.some((part) => part === '')) return `Syntax error in the fields parameter: '${text}'`;
	const requests: FieldRequest[] = [];
	for (const part of parts) {
		const match = part.match(/^([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z_]+\([^(){}]*\))*)\s*(?:\{(.*)\})?$/s);
		if (!match) return `Syntax error in the fields parameter near '${part}'`;
		const [, name, modifiers, selection] = match;
		const request: FieldRequest = { name };
		for (const modifier of modifiers.matchAll(/\.([A-Za-z_]+)\(([^()]*)\)/g)) {
			const [, modifierName, argument] = modifier;
			if (modifierName !== 'limit') return `The fields modifier '${modifierName}' is not supported (only limit)`;
			const limit = parseLimit(argument);
			if (typeof limit === 'string') return limit;
			request.limit = limit;
		}
		if (selection !== undefined) {
			const nested = selection.trim() === '' ? [] : parseFields(selection);
			if (typeof nested === 'string') return nested;
			request.fields = nested;
		}
		requests.push(request);
	}
	return requests;
}

export function parseLimit(value: string): number | string {
	const text = value.trim();
	if (!/^\d+$/.test(text) || Number(text) < 1) return `The limit must be a positive whole number, not '${value}'`;
	return Number(text);
}

export interface RenderOptions {
	page: EmulatorPage;
	/** The fields asked for on the thread; undefined: the defaults (`id`, `updated_time`). */
	fields?: FieldRequest[];
}

/** A thread as Graph answers it, or the reason (a `(#100)` message) it cannot be. */
export function renderThread(thread: Thread, options: RenderOptions): Record<string, unknown> | string {
	const fields: FieldRequest[] = options.fields ?? DEFAULT_CONVERSATION_FIELDS.map((name) => ({ name }));
	const body: Record<string, unknown> = { id: thread.id };
	for (const field of fields) {
		if (!(CONVERSATION_FIELDS as readonly string[]).includes(field.name)) {
			return `Tried accessing nonexisting field (${field.name}) on node type (Conversation)`;
		}
		if (field.name !== 'messages' && (field.limit !== undefined || field.fields !== undefined)) {
			return `The field ${field.name} takes no modifiers or field selection`;
		}
		if (field.name === 'updated_time') body.updated_time = graphTime(thread.messages[0].receivedAt);
		if (field.name === 'messages') {
			const messages = renderMessages(thread, field, options.page);
			if (typeof messages === 'string') return messages;
			body.messages = messages;
		}
	}
	return body;
}

function renderMessages(thread: Thread, field: FieldRequest, page: EmulatorPage): { data: Array<Record<string, unknown>> } | string {
	const names: FieldRequest[] = field.fields && field.fields.length > 0 ? field.fields : DEFAULT_MESSAGE_FIELDS.map((name) => ({ name }));
	for (const sub of names) {
		if (!(MESSAGE_FIELDS as readonly string[]).includes(sub.name)) return `Tried accessing nonexisting field (${sub.name}) on node type (Message)`;
		if (sub.limit !== undefined || (sub.fields !== undefined && sub.name !== 'attachments')) return `The emulator does not support modifiers or field selections on ${sub.name}`;
		for (const field of sub.fields ?? []) {
			if (!(ATTACHMENT_FIELDS as readonly string[]).includes(field.name)) return `Tried accessing nonexisting field (${field.name}) on node type (MessageAttachment)`;
		}
	}
	const instagram = page.platform === 'instagram';
	const max = instagram ? INSTAGRAM_MESSAGE_WINDOW : MAX_MESSAGE_LIMIT;
	const count = Math.min(field.limit ?? DEFAULT_MESSAGE_LIMIT, max);
	// Instagram: messages older than the newest 20 are out of reach whatever the limit.
	const visible = instagram ? thread.messages.slice(0, INSTAGRAM_MESSAGE_WINDOW) : thread.messages;
	const data = visible.slice(0, count).map((entry) => {
		const message: Record<string, unknown> = { id: entry.message_id };
		for (const { name } of names) {
			if (name === 'created_time') message.created_time = graphTime(entry.receivedAt);
			if (name === 'from') message.from = { id: page.id, name: page.name };
			if (name === 'to') message.to = { data: [{ id: thread.psid }] };
			if (name === 'message') message.message = typeof entry.message?.text === 'string' ? entry.message.text : '';
		}
		const attachments = names.find((sub) => sub.name === 'attachments');
		if (attachments) {
			const shown = attachmentsOf(entry, (attachments.fields ?? DEFAULT_ATTACHMENT_FIELDS.map((name) => ({ name }))).map(({ name }) => name));
			if (shown.length > 0) message.attachments = { data: shown };
		}
		return message;
	});
	return { data };
}

const MIME_OF: Record<string, string> = { image: 'image/jpeg', video: 'video/mp4', audio: 'audio/mpeg', file: 'application/octet-stream' };

/**
 * The attachments of a Page's message as a thread lists them. Like Graph, the thread shows the
 * platform's own copy of a file (a CDN URL, an ID of the message's attachment), never the URL or
 * the reusable attachment_id the send used; templates show nothing here.
 */
function attachmentsOf(entry: InboxEntry, fields: string[]): Array<Record<string, unknown>> {
	const message = entry.message ?? {};
	const sent = [message.attachment, ...(Array.isArray(message.attachments) ? message.attachments : [])].filter(
		(attachment): attachment is { type?: string } => typeof attachment === 'object' && attachment !== null,
	);
	return sent
		.filter((attachment) => attachment.type !== undefined && attachment.type in MIME_OF)
		.map((attachment, index) => {
			const type = String(attachment.type);
			const copy = `https://scontent.emulator.invalid/${createHash('sha256').update(`${entry.message_id}|${index}`).digest('hex').slice(0, 16)}`;
			const mimeType = entry.file?.mimeType ?? MIME_OF[type];
			const all: Record<string, unknown> = {
				id: `${entry.message_id}_att${index}`,
				mime_type: mimeType,
				name: entry.file?.fileName ?? `${type}-${index}`,
				...(type === 'image' ? { image_data: { url: copy, preview_url: copy } } : {}),
				...(type === 'video' ? { video_data: { url: copy, preview_url: copy } } : {}),
				...(type === 'audio' || type === 'file' ? { file_url: copy } : {}),
			};
			return Object.fromEntries(Object.entries(all).filter(([name]) => fields.includes(name)));
		});
}
