// Who is talking: the trigger's reading of Conversation Routing's webhooks (messaging_handovers,
// standby) and of a human's reply from the Page Inbox, with Meta's payload shapes (the
// messaging_handovers and standby webhook references), and the keys that find them again.
import type { IDataObject } from 'n8n-workflow';

import { asChosen, eventKey, fieldsFor, readWebhookPost, toItem, type EventType, type ReceivedEvent } from '../../../nodes/MessengerTrigger/events';
import { PAGE_INBOX_APP_ID } from '../../../nodes/shared/handover';

const PAGE = '1029384756';
const PSID = '6789012345678901';
const THIS_APP = '4455667788';
const INBOX = PAGE_INBOX_APP_ID;
const at = (timestamp: number, extra: IDataObject): IDataObject => ({ sender: { id: PSID }, recipient: { id: PAGE }, timestamp, ...extra });

/** As Meta's reference shows them: app IDs as strings, but `new_owner_app_id` of a take unquoted, and a previous owner null for an idle thread. */
const HANDBACK = at(1764580000000, { pass_thread_control: { previous_owner_app_id: INBOX, new_owner_app_id: THIS_APP, metadata: 'Order 17 is sorted' } });
const TAKEN_BY_INBOX = at(1764580000001, { take_thread_control: { previous_owner_app_id: THIS_APP, new_owner_app_id: Number(INBOX), metadata: 'a person answers' } });
const REQUESTED = at(1764580000002, { request_thread_control: { requested_owner_app_id: INBOX, metadata: 'may I?' } });
const FROM_IDLE = at(1764580000003, { pass_thread_control: { previous_owner_app_id: null, new_owner_app_id: THIS_APP } });
const APP_ROLES = { recipient: { id: PAGE }, timestamp: 1764580000004, app_roles: { [THIS_APP]: ['primary_receiver'], [INBOX]: ['secondary_receiver'] } };

function read(raw: unknown): ReceivedEvent[] {
	const reading = readWebhookPost(JSON.stringify(raw), 'page');
	if ('problem' in reading) throw new Error(reading.problem);
	return reading.events;
}
const messaging = (...events: IDataObject[]) => read({ object: 'page', entry: [{ id: PAGE, time: 1764580000009, messaging: events }] });
const standby = (...events: IDataObject[]) => read({ object: 'page', entry: [{ id: PAGE, time: 1764580000009, standby: events }] });
const itemOf = (received: ReceivedEvent) => toItem(received, 'messenger', { appId: THIS_APP });

describe('handover items', () => {
	test('a hand-back from the Page Inbox: who had the thread, who has it, the metadata, and that it came to this app', () => {
		const [event] = messaging(HANDBACK);
		expect(event.type).toBe('handover');
		expect(itemOf(event)).toEqual({
			type: 'handover',
			platform: 'messenger',
			pageId: PAGE,
			senderId: PSID,
			recipientId: PAGE,
			timestamp: 1764580000000,
			mid: null,
			text: null,
			quickReplyPayload: null,
			postbackPayload: null,
			attachments: [],
			replyTo: null,
			action: 'pass',
			newOwnerAppId: THIS_APP,
			previousOwnerAppId: INBOX,
			requestedOwnerAppId: null,
			metadata: 'Order 17 is sorted',
			toPageInbox: false,
			fromPageInbox: true,
			toThisApp: true,
			event: HANDBACK,
		});
	});

	test('the Page Inbox takes the thread (its app ID a number): the IDs as text, toPageInbox', () => {
		expect(itemOf(messaging(TAKEN_BY_INBOX)[0])).toMatchObject({
			type: 'handover',
			action: 'take',
			newOwnerAppId: INBOX,
			previousOwnerAppId: THIS_APP,
			requestedOwnerAppId: null,
			metadata: 'a person answers',
			toPageInbox: true,
			fromPageInbox: false,
			toThisApp: false,
		});
	});

	test('a request names the app that asks; toPageInbox when the Page Inbox asks', () => {
		expect(itemOf(messaging(REQUESTED)[0])).toMatchObject({
			action: 'request',
			newOwnerAppId: null,
			previousOwnerAppId: null,
			requestedOwnerAppId: INBOX,
			metadata: 'may I?',
			toPageInbox: true,
			fromPageInbox: false,
			toThisApp: false,
		});
	});

	test('from an idle thread: no previous owner, no metadata; toThisApp is null when the credential has no App ID', () => {
		const [event] = messaging(FROM_IDLE);
		expect(itemOf(event)).toMatchObject({ action: 'pass', previousOwnerAppId: null, metadata: null, fromPageInbox: false, toThisApp: true });
		expect(toItem(event, 'messenger')).toMatchObject({ toThisApp: null });
	});

	test('app_roles (a Page admin changed the apps’ roles): a handover item with the roles, and no person', () => {
		const [event] = messaging(APP_ROLES);
		expect(event.type).toBe('handover');
		expect(itemOf(event)).toMatchObject({ action: 'app_roles', senderId: null, appRoles: APP_ROLES.app_roles, newOwnerAppId: null, toPageInbox: false, toThisApp: false });
	});
});

describe('standby items', () => {
	test('a person’s message while the Page Inbox owns the thread: kind standby, read like the message it copies', () => {
		const message = at(1764580000010, { message: { mid: 'm_sb_1', text: 'Are you there?', attachments: [{ type: 'image', payload: { url: 'https://cdn.example.com/p.jpg' } }] } });
		const [event] = standby(message);
		expect(event).toEqual({ type: 'standby', entryId: PAGE, event: message });
		expect(itemOf(event)).toEqual({
			type: 'standby',
			standbyType: 'message',
			platform: 'messenger',
			pageId: PAGE,
			senderId: PSID,
			recipientId: PAGE,
			timestamp: 1764580000010,
			mid: 'm_sb_1',
			text: 'Are you there?',
			quickReplyPayload: null,
			postbackPayload: null,
			attachments: [{ type: 'image', payload: { url: 'https://cdn.example.com/p.jpg' } }],
			replyTo: null,
			event: message,
		});
	});

	test('a postback on standby comes without its payload (Meta keeps that for the app whose button it was); reads and quick replies keep their fields', () => {
		const [postback, readReceipt, quickReply] = standby(
			at(1764580000011, { postback: { title: 'Talk to a human' } }),
			at(1764580000012, { read: { watermark: 1764580000011 } }),
			at(1764580000013, { message: { mid: 'm_sb_2', text: 'Yes', quick_reply: { payload: 'YES' } } }),
		).map((event) => itemOf(event));
		expect(postback).toMatchObject({ type: 'standby', standbyType: 'postback', postbackPayload: null, postbackTitle: 'Talk to a human' });
		expect(readReceipt).toMatchObject({ type: 'standby', standbyType: 'read', watermark: 1764580000011 });
		expect(quickReply).toMatchObject({ type: 'standby', standbyType: 'quick_reply', quickReplyPayload: 'YES' });
	});
});

describe('echoes: fromHuman', () => {
	const echo = (appId?: unknown) => ({
		sender: { id: PAGE },
		recipient: { id: PSID },
		timestamp: 1764580000020,
		message: { mid: `m_echo_${String(appId)}`, is_echo: true, ...(appId === undefined ? {} : { app_id: appId }), text: 'Hello, Anna here' },
	});

	test.each([
		['the Page Inbox’s app ID (a number, as Meta sends it): a human', Number(INBOX), true, INBOX],
		['the Page Inbox’s app ID as text: a human', INBOX, true, INBOX],
		['no app ID: a human', undefined, true, null],
		['an app’s ID (this one’s): not a human', Number(THIS_APP), false, THIS_APP],
		['another app’s ID: not a human', '1234567', false, '1234567'],
	])('%s', (_name, appId, fromHuman, shownAppId) => {
		expect(itemOf(messaging(echo(appId))[0])).toMatchObject({ type: 'echo', appId: shownAppId, fromHuman });
	});

	test('a human’s reply copied on standby says so too', () => {
		expect(itemOf(standby(echo(Number(INBOX)))[0])).toMatchObject({ type: 'standby', standbyType: 'echo', fromHuman: true, text: 'Hello, Anna here' });
	});
});

describe('the keys of handover and standby events', () => {
	const key = (event: IDataObject, entryId = PAGE) => eventKey({ ...messaging(event)[0], entryId });

	test('a handover redelivered is the same event, even with its fields in another order or an app ID as a number', () => {
		const again = { pass_thread_control: { metadata: 'Order 17 is sorted', new_owner_app_id: Number(THIS_APP), previous_owner_app_id: Number(INBOX) }, timestamp: 1764580000000, recipient: { id: PAGE }, sender: { id: PSID } };
		expect(key(again)).toBe(key(HANDBACK));
	});

	test('handovers that differ in kind, person, time, owner or metadata, or Page, are different events', () => {
		const body = HANDBACK.pass_thread_control as IDataObject;
		const keys = [
			key(HANDBACK),
			key({ ...HANDBACK, pass_thread_control: undefined, take_thread_control: body }),
			key({ ...HANDBACK, sender: { id: '6789012345670000' } }),
			key({ ...HANDBACK, timestamp: 1764580000999 }),
			key({ ...HANDBACK, pass_thread_control: { ...body, new_owner_app_id: '999' } }),
			key({ ...HANDBACK, pass_thread_control: { ...body, previous_owner_app_id: null } }),
			key({ ...HANDBACK, pass_thread_control: { ...body, metadata: 'another' } }),
			key(REQUESTED),
			key(APP_ROLES),
			key(HANDBACK, '555'),
		];
		expect(new Set(keys).size).toBe(keys.length);
	});

	test('a standby copy is keyed by its mid (the same on redelivery), never as the message it copies; without a mid by its content', () => {
		const message = at(1764580000030, { message: { mid: 'm_sb_3', text: 'Hi' } });
		const [copy] = standby(message);
		expect(eventKey(standby({ ...message, timestamp: 1 })[0])).toBe(eventKey(copy));
		expect(eventKey(copy)).not.toBe(eventKey(messaging(message)[0]));
		const reads = standby(at(1, { read: { watermark: 1 } }), at(1, { read: { watermark: 2 } }));
		expect(eventKey(reads[0])).not.toBe(eventKey(reads[1]));
	});
});

describe('which events a trigger emits', () => {
	const events = [...messaging(HANDBACK), ...standby(at(1764580000040, { message: { mid: 'm_sb_4', text: 'Hello?' } }))];
	const emitted = (chosen: EventType[], standbyAsOther: boolean) => events.map((event) => asChosen(event, new Set(chosen), standbyAsOther)?.type ?? null);

	test('a new trigger’s defaults: the handover, not the standby copy', () => {
		expect(emitted(['message', 'quick_reply', 'postback', 'handover'], false)).toEqual(['handover', null]);
		expect(emitted(['message', 'standby'], false)).toEqual([null, 'standby']);
		expect(emitted(['other'], false)).toEqual([null, null]);
	});

	test('a version 1 trigger with Other chosen gets the standby copy as before: an Other event, with the key it had', () => {
		const legacy = asChosen(events[1], new Set<EventType>(['other']), true);
		expect(legacy).toEqual({ type: 'other', entryId: PAGE, event: { standby: events[1].event } });
		// What version 1 read of the same delivery (an `other` event of `{ standby: element }`): the same key.
		expect(eventKey(legacy as ReceivedEvent)).toBe(eventKey({ type: 'other', entryId: PAGE, event: { standby: events[1].event } }));
		expect(emitted(['standby', 'other'], true)).toEqual([null, 'standby']);
		expect(emitted(['message', 'quick_reply', 'postback'], true)).toEqual([null, null]);
	});
});

test('the webhook fields: messaging_handovers for Handover, standby for Standby, only when chosen', () => {
	expect(fieldsFor(['message', 'quick_reply', 'postback', 'handover'], 'messenger')).toEqual(['messages', 'messaging_handovers', 'messaging_postbacks']);
	expect(fieldsFor(['message', 'standby'], 'messenger')).toEqual(['messages', 'standby']);
	expect(fieldsFor(['handover', 'standby'], 'instagram')).toEqual(['messaging_handovers', 'standby']);
	expect(fieldsFor(['message', 'quick_reply', 'postback'], 'messenger')).toEqual(['messages', 'messaging_postbacks']);
});
