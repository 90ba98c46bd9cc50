// The Messenger Profile API's and the Personas API's limits (rules/profile.ts), each at the limit
// and one past, as the node refuses them: the field first, the item, the limit.
import { checkPersonaName, checkPlatformHas, checkProfile, InvalidSendRequest } from '../../../nodes/MessengerSend/rules';

const ITEM = 3;
const check = (profile: Record<string, unknown>) => checkProfile(profile, ITEM, 'Profile (JSON)');
const problem = (profile: Record<string, unknown>) => {
	try {
		check(profile);
		return undefined;
	} catch (error) {
		expect(error).toBeInstanceOf(InvalidSendRequest);
		expect((error as Error).message.startsWith((error as InvalidSendRequest).field)).toBe(true);
		expect((error as Error).message).toContain(`in item ${ITEM}`);
		return (error as Error).message;
	}
};
const x = (count: number) => 'x'.repeat(count);
const questions = (count: number) => Array.from({ length: count }, (_, n) => ({ question: `Q${n}`, payload: `P${n}` }));
const postbacks = (count: number) => Array.from({ length: count }, (_, n) => ({ type: 'postback', title: `Item ${n}`, payload: `P${n}` }));
const menu = (items: unknown[], extra = {}) => ({ persistent_menu: [{ locale: 'default', call_to_actions: items, ...extra }] });

test.each([
	['get_started payload 1000', { get_started: { payload: x(1000) } }, undefined],
	['get_started payload 1001', { get_started: { payload: x(1001) } }, 'Get Started Payload in item 3 has 1001 characters, more than the 1000 Messenger accepts (a payload has at most 1000 characters)'],
	['get_started payload empty', { get_started: { payload: ' ' } }, 'Get Started Payload in item 3 is empty'],
	['greeting 160', { greeting: [{ locale: 'default', text: x(160) }] }, undefined],
	['greeting 161', { greeting: [{ locale: 'default', text: x(161) }] }, 'Greeting Text (default) in item 3 has 161 characters, more than the 160 Messenger accepts (a greeting has at most 160 characters)'],
	['greeting emoji count once', { greeting: [{ locale: 'default', text: '😀'.repeat(160) }] }, undefined],
	['greeting without default', { greeting: [{ locale: 'en_US', text: 'Hi' }] }, 'Greeting in item 3 needs a "default" locale (shown to everyone whose locale is not listed); it has en_US'],
	['greeting locale twice', { greeting: [{ locale: 'default', text: 'a' }, { locale: 'default', text: 'b' }] }, 'Greeting in item 3 has the locale default twice: give each locale once'],
	['greeting bad locale', { greeting: [{ locale: 'english', text: 'a' }] }, 'Greeting 1 Locale in item 3 must be "default" or a locale such as en_US, not "english"'],
	['4 ice breakers', { ice_breakers: [{ call_to_actions: questions(4) }] }, undefined],
	['5 ice breakers', { ice_breakers: [{ call_to_actions: questions(5) }] }, 'Ice Breakers (default) in item 3 has 5 questions, more than the 4 Messenger accepts (ice breakers are at most 4 questions per locale)'],
	['question 80', { ice_breakers: [{ call_to_actions: [{ question: x(80), payload: 'P' }] }] }, undefined],
	['question 81', { ice_breakers: [{ call_to_actions: [{ question: x(81), payload: 'P' }] }] }, 'Ice Breaker 1 (default) Question in item 3 has 81 characters, more than the 80 Messenger accepts (an ice breaker question has at most 80 characters)'],
	['ice breaker payload 1001', { ice_breakers: [{ call_to_actions: [{ question: 'Q', payload: x(1001) }] }] }, 'Ice Breaker 1 (default) Payload in item 3 has 1001 characters, more than the 1000 Messenger accepts (a payload has at most 1000 characters)'],
	['ice breakers in en_US without default', { ice_breakers: [{ locale: 'en_US', call_to_actions: questions(1) }] }, 'Ice Breakers in item 3 needs a "default" locale (shown to everyone whose locale is not listed); it has en_US'],
	['20 menu items', menu(postbacks(20)), undefined],
	['21 menu items', menu(postbacks(21)), 'Persistent Menu (default) in item 3 has 21 items, more than the 20 Messenger accepts (a persistent menu has at most 20 items per locale)'],
	['menu title 30', menu([{ type: 'postback', title: x(30), payload: 'P' }]), undefined],
	['menu title 31', menu([{ type: 'postback', title: x(31), payload: 'P' }]), 'Menu Item 1 (default) Title in item 3 has 31 characters, more than the 30 Messenger accepts (a menu item title has at most 30 characters)'],
	['menu url not http', menu([{ type: 'web_url', title: 'Shop', url: 'javascript:alert(1)' }]), 'Menu Item 1 (default) URL in item 3 must be an http(s):// URL, not "javascript:alert(1)"'],
	['menu nested', menu([{ type: 'nested', title: 'More', call_to_actions: [] }]), 'Menu Item 1 (default) Type in item 3 is "nested": Messenger no longer shows nested menus; list the items directly (at most 20)'],
	['menu webview height', menu([{ type: 'web_url', title: 'Shop', url: 'https://a.example', webview_height_ratio: 'huge' }]), 'Menu Item 1 (default) Webview Height in item 3 must be one of compact, tall, full, not "huge"'],
	['menu composer not boolean', menu(postbacks(1), { composer_input_disabled: 'yes' }), 'Persistent Menu (default) Composer Input Disabled in item 3 must be true or false, not "yes"'],
	['menu without default', { persistent_menu: [{ locale: 'en_US', call_to_actions: postbacks(1) }] }, 'Persistent Menu in item 3 needs a "default" locale (shown to everyone whose locale is not listed); it has en_US'],
	['50 domains', { whitelisted_domains: Array.from({ length: 50 }, (_, n) => `https://d${n}.example`) }, undefined],
	['51 domains', { whitelisted_domains: Array.from({ length: 51 }, (_, n) => `https://d${n}.example`) }, 'Allowed Domains in item 3 has 51 domains, more than the 50 Messenger accepts (at most 50 allowed domains, each https)'],
	['http domain', { whitelisted_domains: ['http://a.example'] }, 'Allowed Domain 1 in item 3 must be an https:// URL, not "http://a.example"'],
	['unknown property', { greetings: [] }, 'Profile (JSON) in item 3 has the unknown property "greetings": the profile has get_started, greeting, ice_breakers, persistent_menu, whitelisted_domains'],
	['nothing', {}, 'Profile (JSON) in item 3 sets nothing: give at least one of get_started, greeting, ice_breakers, persistent_menu, whitelisted_domains'],
	['greeting not a list', { greeting: 'Hi' }, 'Greeting in item 3 must be a list, not "Hi"'],
])('%s', (_name, profile, expected) => {
	expect(problem(profile)).toBe(expected);
});

test('a checked property is built from known keys only, in Graph’s shape', () => {
	expect(check({ persistent_menu: [{ locale: 'default', extra: 1, call_to_actions: [{ type: 'web_url', title: 'Shop', url: ' https://a.example ', color: 'red' }] }] })).toEqual({
		persistent_menu: [{ locale: 'default', call_to_actions: [{ type: 'web_url', title: 'Shop', url: 'https://a.example' }] }],
	});
	expect(check({ ice_breakers: [{ call_to_actions: [{ question: 'Q', payload: 'P' }] }] })).toEqual({ ice_breakers: [{ locale: 'default', call_to_actions: [{ question: 'Q', payload: 'P' }] }] });
});

test('Instagram has ice breakers and the menu only', () => {
	expect(() => checkPlatformHas('ice_breakers', 'instagram', 0)).not.toThrow();
	expect(() => checkPlatformHas('persistent_menu', 'instagram', 0)).not.toThrow();
	for (const property of ['get_started', 'greeting', 'whitelisted_domains'] as const) {
		expect(() => checkPlatformHas(property, 'instagram', 0)).toThrow(/^Properties in item 0 asks for .*, which an Instagram account does not have/);
		expect(() => checkPlatformHas(property, 'messenger', 0)).not.toThrow();
	}
});

test('persona name: 50 characters, not 51', () => {
	expect(checkPersonaName(x(50), 1)).toBe(x(50));
	expect(() => checkPersonaName(x(51), 1)).toThrow('Name in item 1 has 51 characters, more than the 50 Messenger accepts (a persona name has at most 50 characters)');
});
