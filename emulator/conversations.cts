// The read side of the Conversations API: the threads and messages a Page could look up (to find
// out whether an uncertain send arrived, or as history for a reply). Pure functions over the
// threads of threadMessages.cts; edges/conversations.cts does the HTTP side.
import type { EmulatorPage } from './types.cjs';
import { type Thread, type ThreadMessage } from './threadMessages.cjs';

export { threadId, threadsOf, type Thread } from './threadMessages.cjs';

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
	/** A person's name (Graph names both sides of a message); undefined: none known. */
	personName?: (psid: string) => string | undefined;
	/** For `paging.next`: the emulator's address and the request's version. */
	baseUrl?: string;
	version?: string;
	/** Read through `GET {conversation-id}/messages` (always paged), not as a nested field. */
	messagesEdge?: boolean;
}

/** A page of messages: newest first, `paging` only when more messages follow (or a cursor was used). */
export interface MessagePage {
	data: Array<Record<string, unknown>>;
	paging?: { cursors: { before: string; after: string }; next?: string };
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
			const messages = renderMessages(thread, field.fields, field.limit, undefined, options);
			if (typeof messages === 'string') return messages;
			body.messages = messages;
		}
	}
	return body;
}

/**
 * One page of a thread's messages, newest first: `limit` (default 25, at most 100; Instagram: only
 * the newest 20 exist) starting after the message the `after` cursor names.
 */
export function renderMessages(
	thread: Thread,
	selection: FieldRequest[] | undefined,
	limit: number | undefined,
	after: string | undefined,
	options: RenderOptions,
): MessagePage | string {
	const { page } = options;
	const names: FieldRequest[] = selection && selection.length > 0 ? selection : DEFAULT_MESSAGE_FIELDS.map((name) => ({ name }));
	for (const sub of names) {
		if (!(MESSAGE_FIELDS as readonly string[]).includes(sub.name)) return `Tried accessing nonexisting field (${sub.name}) on node type (Message)`;
		if (sub.limit !== undefined || (sub.fields !== undefined && sub.name !== 'attachments')) return `The emulator does not support modifiers or field selections on ${sub.name}`;
		for (const field of sub.fields ?? []) {
			if (!(ATTACHMENT_FIELDS as readonly string[]).includes(field.name)) return `Tried accessing nonexisting field (${field.name}) on node type (MessageAttachment)`;
		}
	}
	const instagram = page.platform === 'instagram';
	const count = Math.min(limit ?? DEFAULT_MESSAGE_LIMIT, instagram ? INSTAGRAM_MESSAGE_WINDOW : MAX_MESSAGE_LIMIT);
	// Instagram: messages older than the newest 20 are out of reach whatever the limit or cursor.
	const visible = instagram ? thread.messages.slice(0, INSTAGRAM_MESSAGE_WINDOW) : thread.messages;
	let start = 0;
	if (after !== undefined) {
		const index = visible.findIndex((message) => cursorOf(thread, message) === after);
		if (index < 0) return `Invalid cursor '${after}' for this conversation`;
		start = index + 1;
	}
	const shown = visible.slice(start, start + count);
	const data = shown.map((message) => renderMessage(thread, message, names, options));
	const more = start + count < visible.length;
	// Graph pages every edge; the emulator leaves `paging` out where all of a thread of up to 25
	// messages could be read in one call (what the lookups have always been answered), and gives
	// cursors for longer threads and on the messages edge.
	const paged = after !== undefined || options.messagesEdge === true || visible.length > DEFAULT_MESSAGE_LIMIT;
	if (!paged || (!more && after === undefined)) return { data };
	if (shown.length === 0) return { data };
	const last = cursorOf(thread, shown[shown.length - 1]);
	const paging: NonNullable<MessagePage['paging']> = { cursors: { before: cursorOf(thread, shown[0]), after: last } };
	if (more) {
		const query = new URLSearchParams({ fields: names.map(fieldText).join(','), limit: String(count), after: last });
		paging.next = `${options.baseUrl ?? ''}/${options.version ?? 'v25.0'}/${thread.id}/messages?${query.toString()}`;
	}
	return { data, paging };
}

function renderMessage(thread: Thread, message: ThreadMessage, names: FieldRequest[], options: RenderOptions): Record<string, unknown> {
	const { page } = options;
	const person = { id: thread.psid, ...withName(options.personName?.(thread.psid)) };
	const rendered: Record<string, unknown> = { id: message.id };
	for (const { name } of names) {
		if (name === 'created_time') rendered.created_time = graphTime(message.receivedAt);
		if (name === 'from') rendered.from = message.from === 'page' ? { id: page.id, name: page.name } : person;
		if (name === 'to') rendered.to = { data: [message.from === 'page' ? { id: thread.psid } : { id: page.id }] };
		if (name === 'message') rendered.message = message.text;
	}
	const attachments = names.find((sub) => sub.name === 'attachments');
	if (attachments && message.attachments.length > 0) {
		const wanted = (attachments.fields ?? DEFAULT_ATTACHMENT_FIELDS.map((name) => ({ name }))).map(({ name }) => name);
		rendered.attachments = {
			data: message.attachments.map((attachment, index) => {
				const all: Record<string, unknown> = {
					id: `${message.id}_att${index}`,
					mime_type: attachment.mimeType,
					name: attachment.name,
					...(attachment.type === 'image' || attachment.type === 'sticker' ? { image_data: { url: attachment.url, preview_url: attachment.url } } : {}),
					...(attachment.type === 'video' ? { video_data: { url: attachment.url, preview_url: attachment.url } } : {}),
					...(attachment.type !== 'image' && attachment.type !== 'sticker' && attachment.type !== 'video' ? { file_url: attachment.url } : {}),
				};
				return Object.fromEntries(Object.entries(all).filter(([name]) => wanted.includes(name)));
			}),
		};
	}
	return rendered;
}

function withName(name: string | undefined): { name?: string } {
	return name === undefined ? {} : { name };
}

/** An opaque cursor naming one message of one thread (stable while newer messages arrive). */
function cursorOf(thread: Thread, message: ThreadMessage): string {
	return Buffer.from(`${thread.id}:${message.id}`, 'utf8').toString('base64url');
}

/** A field request written back as text (for `paging.next`). */
function fieldText(field: FieldRequest): string {
	const nested = field.fields !== undefined ? `{${field.fields.map(fieldText).join(',')}}` : '';
	return `${field.name}${field.limit !== undefined ? `.limit(${field.limit})` : ''}${nested}`;
}
