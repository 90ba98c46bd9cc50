// The trigger's editor fields: every kind of event can be chosen, and each subscription mode
// shows only the fields that fit it (n8n's own display rules decide, for each version of the node).
import { NodeHelpers, type INodeProperties } from 'n8n-workflow';

import { MessengerTrigger } from '../../../nodes/MessengerTrigger/MessengerTrigger.node';
import { EVENT_TYPES } from '../../../nodes/MessengerTrigger/events';

const { description } = new MessengerTrigger();
const shown = (values: Record<string, string>, typeVersion: number) =>
	description.properties.filter((property) => NodeHelpers.displayParameter(values, property, { typeVersion }, description));
const shownFor = (subscription: string, typeVersion = 1.1) => shown({ subscription }, typeVersion).map((property) => property.name);
const eventsOf = (typeVersion: number) => shown({ subscription: 'automatic' }, typeVersion).find((property) => property.name === 'events') as INodeProperties;
/** The parameters n8n gives a node that has none saved (a new trigger, or one saved with every default). */
const defaultsOf = (typeVersion: number) => NodeHelpers.getNodeParameters(description.properties, {}, true, false, { typeVersion }, description);

test('every kind of event the node reads is an option of Events; messages, quick replies and postbacks by default (version 1)', () => {
	const values = (eventsOf(1).options as Array<{ value: string }>).map((option) => option.value);
	expect([...values].sort()).toEqual([...EVENT_TYPES].sort());
	expect(eventsOf(1).default).toEqual(['message', 'quick_reply', 'postback']);
});

test('a new trigger is version 1.1: Handover is one of its default events, Standby is not', () => {
	expect(description.version).toEqual([1, 1.1]);
	expect(description.defaultVersion).toBe(1.1);
	const values = (eventsOf(1.1).options as Array<{ value: string }>).map((option) => option.value);
	expect([...values].sort()).toEqual([...EVENT_TYPES].sort());
	expect(defaultsOf(1.1)?.events).toEqual(['message', 'quick_reply', 'postback', 'handover']);
	// A workflow saved with version 1 and every default: what it had.
	expect(defaultsOf(1)?.events).toEqual(['message', 'quick_reply', 'postback']);
});

test('Standby says it is context, not something to answer; version 1’s Other still names the standby copies it gets', () => {
	const option = (typeVersion: number, value: string) => (eventsOf(typeVersion).options as Array<{ value: string; description: string }>).find((o) => o.value === value);
	expect(option(1.1, 'standby')?.description).toContain('context, not something to answer');
	expect(option(1.1, 'other')?.description).not.toContain('standby');
	expect(option(1, 'other')?.description).toContain('standby copies when Standby is not chosen');
});

test('Automatic shows no verify token; Manual shows the instructions and the Verify Token', () => {
	for (const typeVersion of [1, 1.1]) {
		expect(shownFor('automatic', typeVersion)).toEqual(['subscription', 'pageId', 'events', 'options']);
		expect(shownFor('manual', typeVersion)).toEqual(['subscription', 'manualNotice', 'verifyToken', 'pageId', 'events', 'options']);
	}
});

test('the GET handshake and the POST deliveries share one path, and only the POST has the lifecycle methods', () => {
	expect(description.webhooks?.map((webhook) => [webhook.name, webhook.httpMethod, webhook.path, webhook.responseMode])).toEqual([
		['setup', 'GET', 'webhook', 'onReceived'],
		['default', 'POST', 'webhook', 'onReceived'],
	]);
	expect(Object.keys(new MessengerTrigger().webhookMethods)).toEqual(['default']);
	expect(description.inputs).toEqual([]);
});
