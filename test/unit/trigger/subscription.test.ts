// The subscription lifecycle's plans: what an activation changes on Meta's side and what the
// deactivation puts back.
import { fieldsFor } from '../../../nodes/MessengerTrigger/events';
import { isSubscribed, restorePlan, subscribePlan, type MetaSide, type Wanted } from '../../../nodes/MessengerTrigger/subscription';

const URL = 'https://n8n.example.com/webhook/hook-1/webhook';
const wanted: Wanted = { object: 'page', callbackUrl: URL, fields: ['messages', 'messaging_postbacks'] };
const nothing: MetaSide = { app: null, pageFields: null };

test('on a fresh app and Page, both are subscribed with the chosen fields', () => {
	expect(subscribePlan(nothing, wanted, false)).toEqual({ appFields: ['messages', 'messaging_postbacks'], pageFields: ['messages', 'messaging_postbacks'] });
});

test('fields already there are kept: the app’s for this URL and the Page’s for this app', () => {
	const found: MetaSide = { app: { callbackUrl: URL, fields: ['message_reads'] }, pageFields: ['messaging_optins'] };
	expect(subscribePlan(found, wanted, false)).toEqual({
		appFields: ['message_reads', 'messages', 'messaging_postbacks'],
		pageFields: ['messages', 'messaging_optins', 'messaging_postbacks'],
	});
});

test('nothing to change when Meta already holds what is wanted', () => {
	const found: MetaSide = { app: { callbackUrl: URL, fields: ['messages', 'messaging_postbacks', 'x'] }, pageFields: ['messages', 'messaging_postbacks'] };
	expect(subscribePlan(found, wanted, false)).toEqual({});
	expect(isSubscribed(found, wanted)).toBe(true);
	expect(isSubscribed({ ...found, pageFields: ['messages'] }, wanted)).toBe(false);
	expect(isSubscribed({ ...found, app: { callbackUrl: 'https://other', fields: wanted.fields } }, wanted)).toBe(false);
});

test('another callback URL is not replaced unless asked, and the problem says what to do', () => {
	const found: MetaSide = { app: { callbackUrl: 'https://old.example.com/hook', fields: ['messages', 'feed'] }, pageFields: null };
	const refused = subscribePlan(found, wanted, false);
	expect(refused).toEqual({ problem: expect.stringContaining('already sends its page webhooks to https://old.example.com/hook') });
	expect(refused).toEqual({ problem: expect.stringContaining('Replace Another Callback URL') });
	// Replacing: only this trigger's fields, the other URL's are not carried over.
	expect(subscribePlan(found, wanted, true)).toEqual({ appFields: ['messages', 'messaging_postbacks'], pageFields: ['messages', 'messaging_postbacks'] });
});

test('the deactivation removes what the activation added and puts back what was there', () => {
	const after: MetaSide = { app: { callbackUrl: URL, fields: wanted.fields }, pageFields: wanted.fields };
	expect(restorePlan(nothing, after, URL)).toEqual({ deleteApp: true, page: 'delete' });
	expect(restorePlan({ app: null, pageFields: ['messaging_optins'] }, { ...after, pageFields: ['messages', 'messaging_optins', 'messaging_postbacks'] }, URL)).toEqual({
		deleteApp: true,
		page: ['messaging_optins'],
	});
	// Someone changed Meta's side since: another URL is left alone.
	expect(restorePlan(nothing, { app: { callbackUrl: 'https://someone-else', fields: [] }, pageFields: null }, URL)).toEqual({ deleteApp: false, page: 'keep' });
	// Found as it is now: nothing to do.
	expect(restorePlan({ app: null, pageFields: ['a', 'b'] }, { app: null, pageFields: ['b', 'a'] }, URL)).toEqual({ deleteApp: false, page: 'keep' });
});

describe('who is talking: messaging_handovers and standby', () => {
	// A new trigger's defaults (Message, Quick Reply, Postback, Handover), and with Standby chosen too.
	const handovers: Wanted = { object: 'page', callbackUrl: URL, fields: fieldsFor(['message', 'quick_reply', 'postback', 'handover'], 'messenger') };
	const withStandby: Wanted = { ...handovers, fields: fieldsFor(['message', 'quick_reply', 'postback', 'handover', 'standby'], 'messenger') };

	test('a new trigger subscribes the app and the Page to messaging_handovers, and to standby only when Standby is chosen', () => {
		expect(subscribePlan(nothing, handovers, false)).toEqual({
			appFields: ['messages', 'messaging_handovers', 'messaging_postbacks'],
			pageFields: ['messages', 'messaging_handovers', 'messaging_postbacks'],
		});
		expect(subscribePlan(nothing, withStandby, false)).toEqual({
			appFields: ['messages', 'messaging_handovers', 'messaging_postbacks', 'standby'],
			pageFields: ['messages', 'messaging_handovers', 'messaging_postbacks', 'standby'],
		});
	});

	test('an app and Page subscribed for an older trigger (no messaging_handovers) get it added; the deactivation takes it away again', () => {
		const before: MetaSide = { app: { callbackUrl: URL, fields: ['messages', 'messaging_postbacks'] }, pageFields: ['messages', 'messaging_postbacks'] };
		expect(isSubscribed(before, handovers)).toBe(false);
		const plan = subscribePlan(before, handovers, false);
		expect(plan).toEqual({ appFields: ['messages', 'messaging_handovers', 'messaging_postbacks'], pageFields: ['messages', 'messaging_handovers', 'messaging_postbacks'] });
		const after: MetaSide = { app: { callbackUrl: URL, fields: ['messages', 'messaging_handovers', 'messaging_postbacks'] }, pageFields: ['messages', 'messaging_handovers', 'messaging_postbacks'] };
		expect(isSubscribed(after, handovers)).toBe(true);
		expect(restorePlan(before, after, URL)).toEqual({ deleteApp: false, page: ['messages', 'messaging_postbacks'] });
	});

	test('a Page that already had standby for another use keeps it after the deactivation; one that had not loses it', () => {
		const after: MetaSide = { app: { callbackUrl: URL, fields: withStandby.fields }, pageFields: withStandby.fields };
		expect(restorePlan({ app: null, pageFields: ['standby'] }, after, URL)).toEqual({ deleteApp: true, page: ['standby'] });
		expect(restorePlan(nothing, after, URL)).toEqual({ deleteApp: true, page: 'delete' });
	});

	test('a version 1 trigger’s defaults and Other ask for neither field', () => {
		expect(fieldsFor(['message', 'quick_reply', 'postback', 'other'], 'messenger')).toEqual(['messages', 'messaging_postbacks']);
	});
});
