import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import type { Platform } from '../shared/platform';
import { HANDOVER_KEYS, handoverFields, handoverIdentity, isHumanEcho } from './threadControl';

/** The kinds of event a webhook delivery carries, as the trigger names them. */
export const EVENT_TYPES = [
	'message',
	'quick_reply',
	'postback',
	'reaction',
	'read',
	'delivery',
	'echo',
	'referral',
	'optin',
	'handover',
	'standby',
	'other',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];


/** The webhook field (App Dashboard, `subscribed_fields`) each kind of event comes through. */
const FIELD_OF: Record<Platform, Record<Exclude<EventType, 'other'>, string>> = {
	messenger: {
		message: 'messages',
		quick_reply: 'messages',
		postback: 'messaging_postbacks',
		reaction: 'message_reactions',
		read: 'message_reads',
		delivery: 'message_deliveries',
		echo: 'message_echoes',
		referral: 'messaging_referrals',
		optin: 'messaging_optins',
		handover: 'messaging_handovers',
		standby: 'standby',
	},
	instagram: {
		message: 'messages',
		quick_reply: 'messages',
		postback: 'messaging_postbacks',
		reaction: 'message_reactions',
		read: 'messaging_seen',
		delivery: 'messages',
		echo: 'message_echoes',
		referral: 'messaging_referral',
		optin: 'messaging_optins',
		handover: 'messaging_handovers',
		standby: 'standby',
	},
};

/** The webhook fields to subscribe so that the chosen kinds of event arrive (no duplicates, in a stable order). */
export function fieldsFor(types: readonly EventType[], platform: Platform): string[] {
	const fields = types.filter((type): type is Exclude<EventType, 'other'> => type !== 'other').map((type) => FIELD_OF[platform][type]);
	return [...new Set(fields)].sort();
}

/** The `object` of a delivery for this platform. */
export function objectOf(platform: Platform): 'page' | 'instagram' {
	return platform === 'instagram' ? 'instagram' : 'page';
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
	return typeof value === 'string' ? value : null;
}

/**
 * What kind of event a `messaging` element is, by its keys (the echo flag first: an echo is a
 * `message` too). A `standby` element has the same shapes; its kind is `standby`, and this is its
 * standbyType.
 */
export function eventTypeOf(event: IDataObject): EventType {
	const message = event.message;
	if (isObject(message)) {
		if (message.is_echo === true) return 'echo';
		return isObject(message.quick_reply) ? 'quick_reply' : 'message';
	}
	if (isObject(event.postback)) return 'postback';
	if (isObject(event.reaction)) return 'reaction';
	if (isObject(event.read)) return 'read';
	if (isObject(event.delivery)) return 'delivery';
	if (isObject(event.referral)) return 'referral';
	if (isObject(event.optin)) return 'optin';
	if (HANDOVER_KEYS.some((key) => key in event)) return 'handover';
	return 'other';
}

/** One event of a delivery, with the entry it came in. */
export interface ReceivedEvent {
	type: EventType;
	/** The Page (or Instagram account) the entry is for. */
	entryId: string;
	event: IDataObject;
}

export type PostReading = { events: ReceivedEvent[] } | { problem: string };

/**
 * The events of one webhook request, in the order Meta listed them. An entry's `messaging`
 * elements are events of their kind, its `standby` elements (copies of what a person sends while
 * another app owns the thread) `standby` events as received; anything else an entry holds
 * (`changes`) is one `other` event each, so that nothing in a delivery goes unseen.
 */
export function readWebhookPost(raw: string, expectedObject: 'page' | 'instagram'): PostReading {
	let body: unknown;
	try {
		body = JSON.parse(raw);
	} catch {
		return { problem: 'The body is not JSON: a Messenger webhook delivery is a JSON object' };
	}
	if (!isObject(body)) return { problem: 'The body is not a JSON object: a Messenger webhook delivery is {"object": ..., "entry": [...]}' };
	if (body.object !== expectedObject) {
		return {
			problem: `This trigger receives deliveries for object "${expectedObject}", not ${JSON.stringify(body.object ?? null)}: check which app subscription points at this URL`,
		};
	}
	if (!Array.isArray(body.entry)) return { problem: 'The delivery has no "entry" list' };
	const events: ReceivedEvent[] = [];
	for (const entry of body.entry) {
		if (!isObject(entry)) continue;
		const entryId = String(entry.id ?? '');
		for (const [key, value] of Object.entries(entry)) {
			if (key === 'id' || key === 'time') continue;
			const list = Array.isArray(value) ? value : [value];
			for (const element of list) {
				if (!isObject(element)) continue;
				if (key === 'messaging') events.push({ type: eventTypeOf(element), entryId, event: element });
				else if (key === 'standby') events.push({ type: 'standby', entryId, event: element });
				else events.push({ type: 'other', entryId, event: { [key]: element } });
			}
		}
	}
	return { events };
}

/**
 * An event as a trigger with these kinds chosen emits it, or undefined when it is of none of them.
 * Triggers made before version 1.1 got standby copies as `other` events (`{ standby: {...} }`, as
 * received): where such a trigger has Other but not Standby chosen, they still do, with the keys
 * they had.
 */
export function asChosen(received: ReceivedEvent, chosen: ReadonlySet<EventType>, standbyAsOther: boolean): ReceivedEvent | undefined {
	if (chosen.has(received.type)) return received;
	if (received.type === 'standby' && standbyAsOther && chosen.has('other')) return { type: 'other', entryId: received.entryId, event: { standby: received.event } };
	return undefined;
}

/** The message ID an event of this kind has of its own (messages, echoes, postbacks), if any. */
function ownIdOf(kind: EventType, event: IDataObject): string | undefined {
	const holder = kind === 'postback' ? event.postback : event.message;
	const mid = isObject(holder) ? holder.mid : undefined;
	return typeof mid === 'string' && mid ? mid : undefined;
}

/**
 * A key that is the same each time Meta delivers this event again: the message ID where the
 * event has its own (messages, echoes, postbacks, and their standby copies), what makes a handover
 * that handover (threadControl.ts handoverIdentity), else a digest of the event as received. A
 * reaction names the message it reacts to, so it is keyed by its content, not by that ID. The kind
 * is part of the key: a standby copy is never taken for the message it copies.
 */
export function eventKey(received: ReceivedEvent): string {
	const { type, entryId, event } = received;
	const id =
		type === 'handover'
			? handoverIdentity(event)
			: (ownIdOf(type === 'standby' ? eventTypeOf(event) : type, event) ?? createHash('sha256').update(JSON.stringify(event)).digest('base64url'));
	// 72 bits: no collision among the remembered keys in practice, and short, because n8n copies
	// the workflow's static data (where the keys are kept) into every execution it stores.
	return createHash('sha256').update(`${entryId}|${type}|${id}`).digest('base64url').slice(0, 12);
}

/** What the output items need beyond the event: the app's own ID (the credential's App ID), to tell a hand-back to this app. */
export interface ItemContext {
	appId?: string;
}

/**
 * The output item of one event: the same fields for every kind (null when the kind has none), and
 * the event as received. A standby copy is read as the event it copies (its kind in standbyType),
 * so a workflow reads its text, payloads and attachments where it reads them on other items.
 */
export function toItem(received: ReceivedEvent, platform: Platform, context: ItemContext = {}): IDataObject {
	const { type, entryId, event } = received;
	const kind = type === 'standby' ? eventTypeOf(event) : type;
	const message = isObject(event.message) ? event.message : undefined;
	const postback = isObject(event.postback) ? event.postback : undefined;
	const sender = isObject(event.sender) ? event.sender : {};
	const recipient = isObject(event.recipient) ? event.recipient : {};
	const quickReply = message && isObject(message.quick_reply) ? message.quick_reply : undefined;
	const replyTo = message && isObject(message.reply_to) ? message.reply_to : undefined;
	const item: IDataObject = {
		type,
		...(type === 'standby' ? { standbyType: kind } : {}),
		platform,
		pageId: entryId,
		senderId: text(sender.id),
		recipientId: text(recipient.id),
		timestamp: typeof event.timestamp === 'number' ? event.timestamp : null,
		mid: text(message?.mid) ?? text(postback?.mid) ?? null,
		text: text(message?.text),
		quickReplyPayload: text(quickReply?.payload),
		postbackPayload: text(postback?.payload),
		attachments: Array.isArray(message?.attachments) ? (message.attachments as IDataObject[]) : [],
		replyTo: text(replyTo?.mid),
	};
	if (kind === 'echo') {
		item.appId = message?.app_id === undefined || message.app_id === null ? null : String(message.app_id);
		item.metadata = text(message?.metadata);
		item.fromHuman = isHumanEcho(item.appId as string | null);
	}
	if (kind === 'postback') item.postbackTitle = text(postback?.title);
	if (kind === 'reaction') item.reaction = event.reaction as IDataObject;
	if ((kind === 'read' || kind === 'delivery') && isObject(event[kind])) {
		const receipt = event[kind] as IDataObject;
		item.watermark = typeof receipt.watermark === 'number' ? receipt.watermark : null;
		if (kind === 'delivery') item.mids = Array.isArray(receipt.mids) ? receipt.mids : [];
	}
	if (kind === 'referral') item.referral = event.referral as IDataObject;
	if (kind === 'optin') item.optin = event.optin as IDataObject;
	if (kind === 'handover') Object.assign(item, handoverFields(event, context.appId));
	if (sender.user_ref !== undefined) item.userRef = text(sender.user_ref);
	item.event = event;
	return item;
}
