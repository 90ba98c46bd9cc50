// Set's properties from the editor's fields and from JSON (actions/pageProfile/read.ts): grouped
// by locale, in Graph's shape, checked as the rules say; the chosen properties.
import type { IExecuteFunctions } from 'n8n-workflow';

import { readChosen, readProfileToSet } from '../../../nodes/MessengerSend/actions/pageProfile/read';

const stand = (parameters: Record<string, unknown>) =>
	({ getNodeParameter: (name: string, _item: number, fallback?: unknown) => (name in parameters ? parameters[name] : fallback) }) as unknown as IExecuteFunctions;

test('from the fields: every property, rows grouped by locale in the order they first appear', () => {
	const profile = readProfileToSet(
		stand({
			profileProperties: ['whitelisted_domains', 'persistent_menu', 'ice_breakers', 'greeting', 'get_started'],
			getStartedPayload: 'GO',
			greetings: { greeting: [{ locale: 'default', text: 'Hi {{user_first_name}}' }] },
			iceBreakers: { iceBreaker: [{ locale: 'en_US', question: 'Q1', payload: 'P1' }, { locale: 'default', question: 'Q2', payload: 'P2' }, { locale: 'en_US', question: 'Q3', payload: 'P3' }] },
			menuItems: { menuItem: [{ locale: 'default', type: 'postback', title: 'Help', payload: 'HELP' }, { locale: 'default', type: 'web_url', title: 'Shop', url: 'https://a.example', webviewHeightRatio: 'compact' }] },
			composerInputDisabled: true,
			allowedDomains: { domain: [{ url: 'https://a.example' }] },
		}),
		0,
	);
	expect(profile).toEqual({
		get_started: { payload: 'GO' },
		greeting: [{ locale: 'default', text: 'Hi {{user_first_name}}' }],
		ice_breakers: [
			{ locale: 'en_US', call_to_actions: [{ question: 'Q1', payload: 'P1' }, { question: 'Q3', payload: 'P3' }] },
			{ locale: 'default', call_to_actions: [{ question: 'Q2', payload: 'P2' }] },
		],
		persistent_menu: [
			{
				locale: 'default',
				composer_input_disabled: true,
				call_to_actions: [
					{ type: 'postback', title: 'Help', payload: 'HELP' },
					{ type: 'web_url', title: 'Shop', url: 'https://a.example', webview_height_ratio: 'compact' },
				],
			},
		],
		whitelisted_domains: ['https://a.example'],
	});
});

test('only the chosen properties are read, whatever other fields hold', () => {
	expect(readProfileToSet(stand({ profileProperties: ['greeting'], getStartedPayload: 'GO', greetings: { greeting: [{ locale: 'default', text: 'Hi' }] } }), 0)).toEqual({ greeting: [{ locale: 'default', text: 'Hi' }] });
});

test('the fields are checked like JSON: 5 questions of one locale refused', () => {
	const five = Array.from({ length: 5 }, (_, n) => ({ locale: 'default', question: `Q${n}`, payload: 'P' }));
	expect(() => readProfileToSet(stand({ profileProperties: ['ice_breakers'], iceBreakers: { iceBreaker: five } }), 2)).toThrow(
		'Ice Breakers (default) in item 2 has 5 questions, more than the 4 Messenger accepts (ice breakers are at most 4 questions per locale)',
	);
	expect(() => readProfileToSet(stand({ profileProperties: ['greeting'] }), 0)).toThrow('Greeting in item 0 has no text: add a greeting for the "default" locale');
	expect(() => readProfileToSet(stand({ profileProperties: [] }), 0)).toThrow('Properties in item 0 is empty: choose what to set (the others stay as they are)');
});

test('from JSON: text or an expression’s object; not JSON or not an object refused', () => {
	const greeting = { greeting: [{ locale: 'default', text: 'Hi' }] };
	expect(readProfileToSet(stand({ inputMode: 'json', profileJson: JSON.stringify(greeting) }), 0)).toEqual(greeting);
	expect(readProfileToSet(stand({ inputMode: 'json', profileJson: greeting }), 0)).toEqual(greeting);
	expect(() => readProfileToSet(stand({ inputMode: 'json', profileJson: '{"greeting": [' }), 1)).toThrow(/^Profile \(JSON\) in item 1 is not valid JSON: /);
	expect(() => readProfileToSet(stand({ inputMode: 'json', profileJson: '[1]' }), 1)).toThrow('Profile (JSON) in item 1 must be a JSON object such as {"greeting": [...]}, not a list');
});

test('the chosen properties: a list or an expression’s comma-separated text, in the profile’s order; unknown refused', () => {
	expect(readChosen(stand({ profileProperties: ['persistent_menu', 'get_started'] }), 0)).toEqual(['get_started', 'persistent_menu']);
	expect(readChosen(stand({ profileProperties: 'greeting, ice_breakers' }), 0)).toEqual(['greeting', 'ice_breakers']);
	expect(() => readChosen(stand({ profileProperties: ['menu'] }), 4)).toThrow('Properties in item 4 has the unknown property "menu": choose from get_started, greeting, ice_breakers, persistent_menu, whitelisted_domains');
});
