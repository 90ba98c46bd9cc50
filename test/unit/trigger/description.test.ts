// The trigger's editor fields: every kind of event can be chosen, and each subscription mode
// shows only the fields that fit it.
import type { INodeProperties } from 'n8n-workflow';

import { MessengerTrigger } from '../../../nodes/MessengerTrigger/MessengerTrigger.node';
import { EVENT_TYPES } from '../../../nodes/MessengerTrigger/events';

const { description } = new MessengerTrigger();
const field = (name: string) => description.properties.find((property) => property.name === name) as INodeProperties;
const shownFor = (subscription: string) =>
	description.properties
		.filter((property) => !property.displayOptions?.show?.subscription || property.displayOptions.show.subscription.includes(subscription))
		.map((property) => property.name);

test('every kind of event the node reads is an option of Events; messages, quick replies and postbacks by default', () => {
	const values = (field('events').options as Array<{ value: string }>).map((option) => option.value);
	expect([...values].sort()).toEqual([...EVENT_TYPES].sort());
	expect(field('events').default).toEqual(['message', 'quick_reply', 'postback']);
});

test('Automatic shows no verify token; Manual shows the instructions and the Verify Token', () => {
	expect(shownFor('automatic')).toEqual(['subscription', 'pageId', 'events', 'options']);
	expect(shownFor('manual')).toEqual(['subscription', 'manualNotice', 'verifyToken', 'pageId', 'events', 'options']);
});

test('the GET handshake and the POST deliveries share one path, and only the POST has the lifecycle methods', () => {
	expect(description.webhooks?.map((webhook) => [webhook.name, webhook.httpMethod, webhook.path, webhook.responseMode])).toEqual([
		['setup', 'GET', 'webhook', 'onReceived'],
		['default', 'POST', 'webhook', 'onReceived'],
	]);
	expect(Object.keys(new MessengerTrigger().webhookMethods)).toEqual(['default']);
	expect(description.inputs).toEqual([]);
});
