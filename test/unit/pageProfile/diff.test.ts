// What a Set or Delete writes, decided from what is live (actions/pageProfile/diff.ts): only what
// differs (Graph's own additions and order not counted as a difference), only what is set, and
// the menu's Get Started rule.
import { canonical, decideDelete, decideSet, fieldsToReadForDelete, fieldsToReadForSet, liveProfile } from '../../../nodes/MessengerSend/actions/pageProfile/diff';

const MENU = [{ locale: 'default', call_to_actions: [{ type: 'web_url', title: 'Shop', url: 'https://shop.example' }] }];
const GREETING = [{ locale: 'default', text: 'Hi' }, { locale: 'de_DE', text: 'Hallo' }];

test('Graph’s answer: only the properties that are set', () => {
	expect(liveProfile({ data: [] })).toEqual({});
	expect(liveProfile({ data: [{ greeting: GREETING, whitelisted_domains: [] }] })).toEqual({ greeting: GREETING });
});

test('the same meaning compares equal: locale order, Graph’s defaults and additions, a domain’s slash and case', () => {
	expect(canonical('greeting', GREETING)).toBe(canonical('greeting', [...GREETING].reverse()));
	expect(canonical('persistent_menu', MENU)).toBe(
		canonical('persistent_menu', [{ locale: 'default', composer_input_disabled: false, disabled_surfaces: [], call_to_actions: [{ type: 'web_url', title: 'Shop', url: 'https://shop.example/', webview_height_ratio: 'full' }] }]),
	);
	expect(canonical('whitelisted_domains', ['https://Shop.example', 'https://a.example'])).toBe(canonical('whitelisted_domains', ['https://a.example/', 'https://shop.example/']));
	expect(canonical('ice_breakers', [{ call_to_actions: [{ question: 'Q', payload: 'P' }] }])).toBe(canonical('ice_breakers', [{ locale: 'default', call_to_actions: [{ question: 'Q', payload: 'P' }] }]));
	// What differs: a text, the order of the questions, the composer.
	expect(canonical('greeting', [{ locale: 'default', text: 'Hi!' }])).not.toBe(canonical('greeting', [{ locale: 'default', text: 'Hi' }]));
	expect(canonical('ice_breakers', [{ call_to_actions: [{ question: 'A', payload: 'A' }, { question: 'B', payload: 'B' }] }])).not.toBe(
		canonical('ice_breakers', [{ call_to_actions: [{ question: 'B', payload: 'B' }, { question: 'A', payload: 'A' }] }]),
	);
	expect(canonical('persistent_menu', [{ ...MENU[0], composer_input_disabled: true }])).not.toBe(canonical('persistent_menu', MENU));
});

describe('Set', () => {
	test('writes only what differs; nothing when nothing does', () => {
		const live = { get_started: { payload: 'GO' }, greeting: GREETING };
		expect(decideSet({ get_started: { payload: 'GO' }, greeting: [{ locale: 'default', text: 'New' }] }, live, 'messenger')).toEqual({
			write: { greeting: [{ locale: 'default', text: 'New' }] },
			changed: ['greeting'],
			unchanged: ['get_started'],
		});
		expect(decideSet({ greeting: [...GREETING].reverse() }, live, 'messenger')).toEqual({ write: {}, changed: [], unchanged: ['greeting'] });
	});

	test('a menu without Get Started, live or in the Set: refused (Messenger); Instagram needs none', () => {
		expect(decideSet({ persistent_menu: MENU }, {}, 'messenger')).toMatchObject({ write: {}, changed: [], problem: { field: 'Persistent Menu', text: expect.stringMatching(/^needs Get Started/) } });
		expect(decideSet({ persistent_menu: MENU, get_started: { payload: 'GO' } }, {}, 'messenger')).toEqual({ write: { persistent_menu: MENU, get_started: { payload: 'GO' } }, changed: ['get_started', 'persistent_menu'], unchanged: [] });
		expect(decideSet({ persistent_menu: MENU }, { get_started: { payload: 'GO' } }, 'messenger').problem).toBeUndefined();
		expect(decideSet({ persistent_menu: MENU }, {}, 'instagram')).toEqual({ write: { persistent_menu: MENU }, changed: ['persistent_menu'], unchanged: [] });
	});

	test('reads the chosen properties, and Get Started with a menu on Messenger', () => {
		expect(fieldsToReadForSet(['persistent_menu', 'greeting'], 'messenger')).toEqual(['get_started', 'greeting', 'persistent_menu']);
		expect(fieldsToReadForSet(['persistent_menu'], 'instagram')).toEqual(['persistent_menu']);
		expect(fieldsToReadForSet(['greeting'], 'messenger')).toEqual(['greeting']);
	});
});

describe('Delete', () => {
	test('names only what is set', () => {
		expect(decideDelete(['greeting', 'ice_breakers'], { greeting: GREETING }, 'messenger')).toEqual({ remove: ['greeting'], notSet: ['ice_breakers'] });
		expect(decideDelete(['greeting'], {}, 'messenger')).toEqual({ remove: [], notSet: ['greeting'] });
	});

	test('Get Started while the menu stays: refused on Messenger; with the menu, or on Instagram, fine', () => {
		const live = { get_started: { payload: 'GO' }, persistent_menu: MENU };
		expect(decideDelete(['get_started'], live, 'messenger')).toMatchObject({ remove: [], problem: { field: 'Get Started', text: expect.stringMatching(/^can’t be deleted while the Persistent Menu stays/) } });
		expect(decideDelete(['get_started', 'persistent_menu'], live, 'messenger')).toEqual({ remove: ['get_started', 'persistent_menu'], notSet: [] });
		expect(decideDelete(['get_started'], { get_started: { payload: 'GO' } }, 'messenger')).toEqual({ remove: ['get_started'], notSet: [] });
		expect(fieldsToReadForDelete(['get_started'], 'messenger')).toEqual(['get_started', 'persistent_menu']);
	});
});
