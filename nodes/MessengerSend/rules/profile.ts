// The Messenger Profile API's rules (the Page's entry points) and the Personas API's, as data and
// pure checks: the one place for each limit. Whatever the input (the editor's fields or JSON), a
// property is checked here in the shape Graph takes it, and comes back built from known keys only.
import type { IDataObject } from 'n8n-workflow';

import type { Platform } from '../../shared/platform';
import { isObject } from './combinators';
import { InvalidSendRequest, shown } from './errors';
import { countCharacters } from './limits';

/** The five properties, by Graph's name, with their editor names; Instagram has two of them. */
export const PROFILE_PROPERTIES = {
	get_started: { name: 'Get Started', instagram: false },
	greeting: { name: 'Greeting', instagram: false },
	ice_breakers: { name: 'Ice Breakers', instagram: true },
	persistent_menu: { name: 'Persistent Menu', instagram: true },
	whitelisted_domains: { name: 'Allowed Domains', instagram: false },
} as const;

export type ProfileProperty = keyof typeof PROFILE_PROPERTIES;
export const PROFILE_PROPERTY_NAMES = Object.keys(PROFILE_PROPERTIES) as ProfileProperty[];
export type Profile = Partial<Record<ProfileProperty, IDataObject | IDataObject[] | string[]>>;

/** The documented limits (Meta's Messenger Profile API and Personas API reference). */
export const PROFILE_LIMITS = {
	payload: { max: 1000, rule: 'a payload has at most 1000 characters' },
	greetingText: { max: 160, rule: 'a greeting has at most 160 characters' },
	questions: { max: 4, rule: 'ice breakers are at most 4 questions per locale' },
	question: { max: 80, rule: 'an ice breaker question has at most 80 characters' },
	menuItems: { max: 20, rule: 'a persistent menu has at most 20 items per locale' },
	buttonTitle: { max: 30, rule: 'a menu item title has at most 30 characters' },
	domains: { max: 50, rule: 'at most 50 allowed domains, each https' },
	personaName: { max: 50, rule: 'a persona name has at most 50 characters' },
} as const;

export const WEBVIEW_HEIGHTS = ['compact', 'tall', 'full'] as const;
export const MENU_NEEDS_GET_STARTED = 'Messenger shows a persistent menu only with a Get Started button: Meta refuses a menu without get_started';

const LOCALE = /^[a-z]{2}_[A-Z]{2}$/;

/** Refuses with the field's name first and the item, as every check of the node does. */
function refuse(field: string, item: number, problem: string): never {
	throw new InvalidSendRequest(`${field} in item ${item} ${problem}`, field);
}

function text(value: unknown, field: string, item: number, max: number, rule: string): string {
	if (typeof value !== 'string') refuse(field, item, value === undefined || value === null ? 'is missing' : `must be text, not ${shown(value)}`);
	const length = countCharacters(value);
	if (value.trim() === '') refuse(field, item, 'is empty');
	if (length > max) refuse(field, item, `has ${length} characters, more than the ${max} Messenger accepts (${rule})`);
	return value;
}

function list(value: unknown, field: string, item: number): unknown[] {
	if (!Array.isArray(value)) refuse(field, item, `must be a list, not ${shown(value)}`);
	return value;
}

function object(value: unknown, field: string, item: number): Record<string, unknown> {
	if (!isObject(value)) refuse(field, item, `must be an object, not ${shown(value)}`);
	return value;
}

/** A locale: "default" or a language and country such as en_US; absent means default. */
function locale(value: unknown, field: string, item: number): string {
	if (value === undefined || value === null || value === '') return 'default';
	if (typeof value !== 'string' || (value !== 'default' && !LOCALE.test(value))) refuse(field, item, `must be "default" or a locale such as en_US, not ${shown(value)}`);
	return value;
}

/** One entry per locale, with a default one: the rule greeting, ice breakers and the menu share. */
function localesOnce(locales: string[], field: string, item: number, defaultRequired: boolean): void {
	const seen = new Set<string>();
	for (const one of locales) {
		if (seen.has(one)) refuse(field, item, `has the locale ${one} twice: give each locale once`);
		seen.add(one);
	}
	if (defaultRequired && !seen.has('default')) refuse(field, item, `needs a "default" locale (shown to everyone whose locale is not listed); it has ${[...seen].join(', ')}`);
}

export function httpUrl(value: unknown, field: string, item: number, httpsOnly = false): string {
	if (typeof value !== 'string' || value.trim() === '') refuse(field, item, 'is empty: enter a URL');
	let url: URL | undefined;
	try {
		url = new URL(value.trim());
	} catch {
		url = undefined;
	}
	const schemes = httpsOnly ? ['https:'] : ['https:', 'http:'];
	if (!url || !schemes.includes(url.protocol)) refuse(field, item, `must be ${httpsOnly ? 'an https://' : 'an http(s)://'} URL, not ${shown(value)}`);
	return value.trim();
}

function payload(value: unknown, field: string, item: number): string {
	return text(value, field, item, PROFILE_LIMITS.payload.max, PROFILE_LIMITS.payload.rule);
}

function checkGetStarted(value: unknown, item: number): IDataObject {
	const entry = object(value, 'Get Started', item);
	return { payload: payload(entry.payload, 'Get Started Payload', item) };
}

function checkGreeting(value: unknown, item: number): IDataObject[] {
	const entries = list(value, 'Greeting', item).map((raw, index) => {
		const entry = object(raw, `Greeting ${index + 1}`, item);
		const where = locale(entry.locale, `Greeting ${index + 1} Locale`, item);
		const { max, rule } = PROFILE_LIMITS.greetingText;
		return { locale: where, text: text(entry.text, `Greeting Text (${where})`, item, max, rule) };
	});
	if (entries.length === 0) refuse('Greeting', item, 'has no text: add a greeting for the "default" locale');
	localesOnce(entries.map((entry) => entry.locale), 'Greeting', item, true);
	return entries;
}

function checkIceBreakers(value: unknown, item: number): IDataObject[] {
	const blocks = list(value, 'Ice Breakers', item).map((raw, index) => {
		const block = object(raw, `Ice Breakers ${index + 1}`, item);
		const where = locale(block.locale, `Ice Breakers ${index + 1} Locale`, item);
		const questions = list(block.call_to_actions, `Ice Breakers (${where}) Questions`, item);
		const { max, rule } = PROFILE_LIMITS.questions;
		if (questions.length === 0) refuse(`Ice Breakers (${where})`, item, 'has no question: add 1 to 4');
		if (questions.length > max) refuse(`Ice Breakers (${where})`, item, `has ${questions.length} questions, more than the ${max} Messenger accepts (${rule})`);
		const calls = questions.map((rawQuestion, position) => {
			const label = `Ice Breaker ${position + 1} (${where})`;
			const question = object(rawQuestion, label, item);
			return {
				question: text(question.question, `${label} Question`, item, PROFILE_LIMITS.question.max, PROFILE_LIMITS.question.rule),
				payload: payload(question.payload, `${label} Payload`, item),
			};
		});
		return { locale: where, call_to_actions: calls };
	});
	if (blocks.length === 0) refuse('Ice Breakers', item, 'has no question: add 1 to 4');
	// A locale given anywhere makes "default" required; only default: it may be left out.
	localesOnce(blocks.map((block) => block.locale), 'Ice Breakers', item, blocks.some((block) => block.locale !== 'default'));
	return blocks;
}

function checkMenuButton(raw: unknown, label: string, item: number): IDataObject {
	const button = object(raw, label, item);
	const title = text(button.title, `${label} Title`, item, PROFILE_LIMITS.buttonTitle.max, PROFILE_LIMITS.buttonTitle.rule);
	if (button.type === 'postback') return { type: 'postback', title, payload: payload(button.payload, `${label} Payload`, item) };
	if (button.type === 'web_url') {
		const built: IDataObject = { type: 'web_url', title, url: httpUrl(button.url, `${label} URL`, item) };
		const height = button.webview_height_ratio;
		if (height !== undefined && height !== null && height !== '') {
			if (!WEBVIEW_HEIGHTS.includes(height as never)) refuse(`${label} Webview Height`, item, `must be one of ${WEBVIEW_HEIGHTS.join(', ')}, not ${shown(height)}`);
			built.webview_height_ratio = height;
		}
		return built;
	}
	if (button.type === 'nested') refuse(`${label} Type`, item, 'is "nested": Messenger no longer shows nested menus; list the items directly (at most 20)');
	return refuse(`${label} Type`, item, `must be "postback" or "web_url", not ${shown(button.type)}`);
}

function checkMenu(value: unknown, item: number): IDataObject[] {
	const blocks = list(value, 'Persistent Menu', item).map((raw, index) => {
		const block = object(raw, `Persistent Menu ${index + 1}`, item);
		const where = locale(block.locale, `Persistent Menu ${index + 1} Locale`, item);
		const buttons = list(block.call_to_actions, `Persistent Menu (${where}) Items`, item);
		const { max, rule } = PROFILE_LIMITS.menuItems;
		if (buttons.length === 0) refuse(`Persistent Menu (${where})`, item, 'has no item: add 1 to 20');
		if (buttons.length > max) refuse(`Persistent Menu (${where})`, item, `has ${buttons.length} items, more than the ${max} Messenger accepts (${rule})`);
		const built: IDataObject = { locale: where };
		if (block.composer_input_disabled !== undefined) {
			if (typeof block.composer_input_disabled !== 'boolean') refuse(`Persistent Menu (${where}) Composer Input Disabled`, item, `must be true or false, not ${shown(block.composer_input_disabled)}`);
			built.composer_input_disabled = block.composer_input_disabled;
		}
		built.call_to_actions = buttons.map((button, position) => checkMenuButton(button, `Menu Item ${position + 1} (${where})`, item));
		return built;
	});
	if (blocks.length === 0) refuse('Persistent Menu', item, 'has no item: add 1 to 20');
	localesOnce(blocks.map((block) => String(block.locale)), 'Persistent Menu', item, true);
	return blocks;
}

function checkDomains(value: unknown, item: number): string[] {
	const domains = list(value, 'Allowed Domains', item);
	const { max, rule } = PROFILE_LIMITS.domains;
	if (domains.length === 0) refuse('Allowed Domains', item, 'has no domain: add 1 to 50 (to remove them all, use Delete)');
	if (domains.length > max) refuse('Allowed Domains', item, `has ${domains.length} domains, more than the ${max} Messenger accepts (${rule})`);
	return domains.map((domain, index) => httpUrl(domain, `Allowed Domain ${index + 1}`, item, true));
}

const CHECKS: Record<ProfileProperty, (value: unknown, item: number) => IDataObject | IDataObject[] | string[]> = {
	get_started: checkGetStarted,
	greeting: checkGreeting,
	ice_breakers: checkIceBreakers,
	persistent_menu: checkMenu,
	whitelisted_domains: checkDomains,
};

/** Refuses a property the platform's profile does not have (Instagram: ice breakers and the menu only). */
export function checkPlatformHas(property: ProfileProperty, platform: Platform, item: number, field = 'Properties'): void {
	if (platform === 'instagram' && !PROFILE_PROPERTIES[property].instagram) {
		refuse(field, item, `asks for ${PROFILE_PROPERTIES[property].name}, which an Instagram account does not have: Meta's profile of an Instagram account holds only Ice Breakers and Persistent Menu`);
	}
}

/**
 * The properties to set, checked against every rule and built in Graph's shape from known keys;
 * `field` names where they came from (the JSON field), for an unknown property.
 */
export function checkProfile(raw: Record<string, unknown>, item: number, field: string): Profile {
	const profile: Profile = {};
	const names = Object.keys(raw);
	if (names.length === 0) refuse(field, item, 'sets nothing: give at least one of get_started, greeting, ice_breakers, persistent_menu, whitelisted_domains');
	for (const name of names) {
		if (!Object.prototype.hasOwnProperty.call(CHECKS, name)) refuse(field, item, `has the unknown property ${shown(name)}: the profile has ${PROFILE_PROPERTY_NAMES.join(', ')}`);
		const property = name as ProfileProperty;
		profile[property] = CHECKS[property](raw[name], item);
	}
	return profile;
}

/** A persona's name: 1 to 50 characters. */
export function checkPersonaName(value: unknown, item: number): string {
	return text(value, 'Name', item, PROFILE_LIMITS.personaName.max, PROFILE_LIMITS.personaName.rule).trim();
}
