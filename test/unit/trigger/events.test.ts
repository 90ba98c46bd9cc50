// The Messenger Trigger's reading of a webhook delivery: one item per event, the kind of each,
// the fields an item always has, and the key that finds a redelivered event again.
import type { IDataObject } from 'n8n-workflow';

import { eventKey, fieldsFor, readWebhookPost, toItem, type ReceivedEvent } from '../../../nodes/MessengerTrigger/events';

const PAGE = '1029384756';
const person = (extra: IDataObject): IDataObject => ({ sender: { id: '6789012345678901' }, recipient: { id: PAGE }, timestamp: 1764580000000, ...extra });

const EVENTS: Record<string, IDataObject> = {
	message: person({ message: { mid: 'm_1', text: 'Hello', reply_to: { mid: 'm_0' } } }),
	quick_reply: person({ message: { mid: 'm_2', text: 'Yes', quick_reply: { payload: 'CONFIRM' } } }),
	postback: person({ postback: { mid: 'm_3', title: 'Get started', payload: 'GET_STARTED' } }),
	reaction: person({ reaction: { mid: 'm_1', action: 'react', reaction: 'love', emoji: '❤' } }),
	read: person({ read: { watermark: 1764580000001 } }),
	delivery: person({ delivery: { mids: ['m_9'], watermark: 1764580000002 } }),
	echo: { sender: { id: PAGE }, recipient: { id: '6789012345678901' }, timestamp: 1764580000003, message: { mid: 'm_4', is_echo: true, app_id: 4455667788, metadata: 'order-17', text: 'Thanks' } },
	referral: person({ referral: { ref: 'spring', source: 'SHORTLINK', type: 'OPEN_THREAD' } }),
	optin: person({ optin: { type: 'notification_messages', payload: 'deals' } }),
	handover: person({ pass_thread_control: { new_owner_app_id: '1', metadata: 'to a human' } }),
	other: person({ brand_new_kind: { x: 1 } }),
};

function delivery(events: unknown[], object = 'page', extra: Record<string, unknown> = {}): string {
	return JSON.stringify({ object, entry: [{ id: PAGE, time: 1764580000009, messaging: events, ...extra }] });
}

function only(raw: string): ReceivedEvent[] {
	const reading = readWebhookPost(raw, 'page');
	if ('problem' in reading) throw new Error(reading.problem);
	return reading.events;
}

test('each kind of event is recognised by its keys (an echo before a message, a quick reply before a message)', () => {
	const events = only(delivery(Object.values(EVENTS)));
	expect(events.map((event) => event.type)).toEqual(Object.keys(EVENTS));
	expect(events.every((event) => event.entryId === PAGE)).toBe(true);
});

test('several entries and several events per entry give one event each, in the order Meta listed them', () => {
	const raw = JSON.stringify({
		object: 'page',
		entry: [
			{ id: PAGE, time: 1, messaging: [EVENTS.message, EVENTS.postback] },
			{ id: '555', time: 2, messaging: [EVENTS.read] },
		],
	});
	expect(only(raw).map((event) => [event.entryId, event.type])).toEqual([
		[PAGE, 'message'],
		[PAGE, 'postback'],
		['555', 'read'],
	]);
});

test('standby entries are standby events (the element as received), changes entries "other" events: nothing in a delivery is dropped unseen', () => {
	const events = only(delivery([EVENTS.message], 'page', { standby: [EVENTS.message], changes: [{ field: 'feed', value: {} }] }));
	expect(events.map((event) => event.type)).toEqual(['message', 'standby', 'other']);
	expect(events[1].event).toEqual(EVENTS.message);
	expect(events[2].event).toEqual({ changes: { field: 'feed', value: {} } });
});

test('a delivery that is not for this trigger gets a problem that says what was expected', () => {
	expect(readWebhookPost('{oops', 'page')).toEqual({ problem: 'The body is not JSON: a Messenger webhook delivery is a JSON object' });
	expect(readWebhookPost('[1]', 'page')).toEqual({ problem: expect.stringContaining('not a JSON object') });
	expect(readWebhookPost(delivery([EVENTS.message], 'whatsapp_business_account'), 'page')).toEqual({
		problem: 'This trigger receives deliveries for object "page", not "whatsapp_business_account": check which app subscription points at this URL',
	});
	expect(readWebhookPost(delivery([EVENTS.message], 'page'), 'instagram')).toEqual({ problem: expect.stringContaining('object "instagram", not "page"') });
	expect(readWebhookPost('{"object":"page"}', 'page')).toEqual({ problem: 'The delivery has no "entry" list' });
	expect(readWebhookPost('{"object":"page","entry":[]}', 'page')).toEqual({ events: [] });
});

test('an item has the same fields for every kind, null where the kind has none, and the event as received', () => {
	const [message, quickReply, postback] = only(delivery([EVENTS.message, EVENTS.quick_reply, EVENTS.postback])).map((event) => toItem(event, 'messenger'));
	expect(message).toEqual({
		type: 'message',
		platform: 'messenger',
		pageId: PAGE,
		senderId: '6789012345678901',
		recipientId: PAGE,
		timestamp: 1764580000000,
		mid: 'm_1',
		text: 'Hello',
		quickReplyPayload: null,
		postbackPayload: null,
		attachments: [],
		replyTo: 'm_0',
		event: EVENTS.message,
	});
	expect(quickReply).toMatchObject({ type: 'quick_reply', text: 'Yes', quickReplyPayload: 'CONFIRM', postbackPayload: null });
	expect(postback).toMatchObject({ type: 'postback', mid: 'm_3', text: null, postbackPayload: 'GET_STARTED', postbackTitle: 'Get started' });
});

test('an echo keeps app_id and metadata; receipts their watermark; a reaction what it reacts with', () => {
	const [echo, read, delivered, reaction] = only(delivery([EVENTS.echo, EVENTS.read, EVENTS.delivery, EVENTS.reaction])).map((event) => toItem(event, 'messenger'));
	expect(echo).toMatchObject({ type: 'echo', senderId: PAGE, recipientId: '6789012345678901', mid: 'm_4', text: 'Thanks', appId: '4455667788', metadata: 'order-17' });
	expect(read).toMatchObject({ type: 'read', watermark: 1764580000001, mid: null });
	expect(delivered).toMatchObject({ type: 'delivery', watermark: 1764580000002, mids: ['m_9'] });
	expect(reaction).toMatchObject({ type: 'reaction', mid: null, reaction: { mid: 'm_1', action: 'react', reaction: 'love', emoji: '❤' } });
});

test('attachments come through as Meta sent them', () => {
	const attachments = [{ type: 'image', payload: { url: 'https://cdn.example.com/photo.jpg' } }];
	const [item] = only(delivery([person({ message: { mid: 'm_5', attachments } })])).map((event) => toItem(event, 'instagram'));
	expect(item).toMatchObject({ type: 'message', platform: 'instagram', text: null, attachments });
});

describe('the key of an event', () => {
	const keyOf = (event: IDataObject, entryId = PAGE) => eventKey({ type: readType(event), entryId, event });
	const readType = (event: IDataObject) => only(delivery([event]))[0].type;

	test('is the same when Meta delivers the event again, in another request with other events', () => {
		const first = only(delivery([EVENTS.message]))[0];
		const again = only(delivery([EVENTS.read, EVENTS.message]))[1];
		expect(eventKey(again)).toBe(eventKey(first));
	});

	test('is the mid for messages, echoes and postbacks: the same mid is the same event', () => {
		expect(keyOf(person({ message: { mid: 'm_1', text: 'edited copy' } }))).toBe(keyOf(EVENTS.message));
		expect(keyOf(EVENTS.echo)).not.toBe(keyOf({ ...EVENTS.message, message: { mid: 'm_4', text: 'Thanks' } }));
	});

	test('tells apart events without their own mid by their content: two reactions to one message, two reads', () => {
		const unreact = person({ reaction: { mid: 'm_1', action: 'unreact', reaction: 'love' } });
		expect(keyOf(unreact)).not.toBe(keyOf(EVENTS.reaction));
		expect(keyOf(person({ read: { watermark: 2 } }))).not.toBe(keyOf(EVENTS.read));
	});

	test('depends on the Page: the same mid for two Pages is two events', () => {
		expect(keyOf(EVENTS.message, '1')).not.toBe(keyOf(EVENTS.message, '2'));
	});
});

test('the webhook fields to subscribe follow the chosen kinds, once each, Instagram with its own names', () => {
	expect(fieldsFor(['message', 'quick_reply', 'postback'], 'messenger')).toEqual(['messages', 'messaging_postbacks']);
	expect(fieldsFor(['read', 'echo', 'other'], 'messenger')).toEqual(['message_echoes', 'message_reads']);
	expect(fieldsFor(['read', 'referral'], 'instagram')).toEqual(['messaging_referral', 'messaging_seen']);
});
