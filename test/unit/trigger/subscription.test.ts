// The subscription lifecycle's plans: what an activation changes on Meta's side and what the
// deactivation puts back.
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
