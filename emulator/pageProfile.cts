// The Messenger Profile API's side of a Page: one profile per Page and platform, its write rate
// window, and the rules of each property as pure checks (a message naming the property, or null).
// Limits follow /work/notes/issue23-contract.md.
import { codePoints, isObject } from './ruleValues.cjs';
import type { MessengerProfile, ProfileField, ProfilePlatform } from './types.cjs';
import { isHttpUrl } from './webhooks.cjs';

export const PROFILE_FIELDS: ProfileField[] = ['get_started', 'greeting', 'ice_breakers', 'persistent_menu', 'whitelisted_domains'];
export const INSTAGRAM_PROFILE_FIELDS: ProfileField[] = ['ice_breakers', 'persistent_menu'];
export const MENU_NEEDS_GET_STARTED = '(#100) You must set a Get Started button if you also wish to use persistent menu.';
export const DEFAULT_PROFILE_WRITES = 10;
const WRITE_WINDOW_MS = 10 * 60 * 1000;

const MAX_PAYLOAD = 1000;
const MAX_GREETING = 160;
const MAX_QUESTION = 80;
const MAX_ICE_BREAKERS = 4;
const MAX_MENU_BUTTONS = 20;
const MAX_BUTTON_TITLE = 30;
const MAX_DOMAINS = 50;
const LOCALE = /^[a-z]{2}_[A-Z]{2}$/;
const WEBVIEW_RATIOS = ['compact', 'tall', 'full'];

export class PageProfiles {
	private readonly profiles = new Map<string, MessengerProfile>();

	private readonly writes = new Map<string, number[]>();

	get(pageId: string, platform: ProfilePlatform): MessengerProfile {
		return this.profiles.get(`${pageId}|${platform}`) ?? {};
	}

	set(pageId: string, platform: ProfilePlatform, profile: MessengerProfile): void {
		this.profiles.set(`${pageId}|${platform}`, profile);
	}

	/** Counts a write unless `limit` writes were made in the last 10 minutes (0: no limit); refused ones do not count. */
	admitWrite(pageId: string, platform: ProfilePlatform, limit: number, now = Date.now()): boolean {
		const key = `${pageId}|${platform}`;
		const times = (this.writes.get(key) ?? []).filter((time) => time > now - WRITE_WINDOW_MS);
		this.writes.set(key, times);
		if (limit > 0 && times.length >= limit) return false;
		times.push(now);
		return true;
	}

	reset(): void {
		this.profiles.clear();
		this.writes.clear();
	}
}

/** Why `value` cannot be the property `field`, or null. */
export function propertyProblem(field: ProfileField, value: unknown): string | null {
	switch (field) {
		case 'get_started':
			if (!isObject(value)) return 'get_started must be an object {"payload": "…"}';
			return textProblem('get_started.payload', value.payload, MAX_PAYLOAD);
		case 'greeting':
			return localizedProblem('greeting', value, (entry, at) => textProblem(`${at}.text`, entry.text, MAX_GREETING), true);
		case 'ice_breakers':
			return localizedProblem('ice_breakers', value, (entry, at) => listProblem(`${at}.call_to_actions`, entry.call_to_actions, MAX_ICE_BREAKERS, questionProblem), false);
		case 'persistent_menu':
			return localizedProblem('persistent_menu', value, menuEntryProblem, true);
		default:
			return listProblem('whitelisted_domains', value, MAX_DOMAINS, (domain, at) => (isHttpsUrl(domain) ? null : `${at} must be an https:// URL, got ${JSON.stringify(domain)}`));
	}
}

/** The profile a write would leave breaks a rule between properties (Messenger: the menu needs Get Started). */
export function profileProblem(profile: MessengerProfile, platform: ProfilePlatform): string | null {
	if (platform === 'messenger' && profile.persistent_menu !== undefined && profile.get_started === undefined) return MENU_NEEDS_GET_STARTED;
	return null;
}

/** The entry for `locale` of a localized property, else its default entry. */
export function entryFor(value: unknown, locale: string): Record<string, unknown> | undefined {
	const entries = Array.isArray(value) ? value.filter(isObject) : [];
	const localeOf = (entry: Record<string, unknown>) => (entry.locale === undefined ? 'default' : entry.locale);
	return entries.find((entry) => localeOf(entry) === locale) ?? entries.find((entry) => localeOf(entry) === 'default');
}

function textProblem(at: string, value: unknown, max: number): string | null {
	if (typeof value !== 'string' || value === '') return `${at} is required (a string)`;
	const length = codePoints(value);
	return length > max ? `${at} must be at most ${max} characters, got ${length}` : null;
}

function listProblem(at: string, value: unknown, max: number, itemProblem: (item: unknown, at: string) => string | null): string | null {
	if (!Array.isArray(value) || value.length === 0) return `${at} must be a non-empty array`;
	if (value.length > max) return `${at} must have at most ${max} entries, got ${value.length}`;
	for (const [index, item] of value.entries()) {
		const problem = itemProblem(item, `${at}[${index}]`);
		if (problem) return problem;
	}
	return null;
}

/**
 * An array of `{locale, …}` entries: one per locale, `default` required (ice breakers: the locale
 * may be left out, meaning default, and default is required only once a locale is named).
 */
function localizedProblem(field: string, value: unknown, entryProblem: (entry: Record<string, unknown>, at: string) => string | null, localeRequired: boolean): string | null {
	const seen = new Set<string>();
	const problem = listProblem(field, value, Number.MAX_SAFE_INTEGER, (entry, at) => {
		if (!isObject(entry)) return `${at} must be an object`;
		if (entry.locale === undefined && localeRequired) return `${at}.locale is required ("default" or a locale such as "en_US")`;
		const locale = entry.locale ?? 'default';
		if (locale !== 'default' && (typeof locale !== 'string' || !LOCALE.test(locale))) return `${at}.locale must be "default" or a locale such as "en_US", got ${JSON.stringify(locale)}`;
		if (seen.has(String(locale))) return `${field} has two entries for the locale ${String(locale)}`;
		seen.add(String(locale));
		return entryProblem(entry, at);
	});
	if (problem) return problem;
	return seen.has('default') ? null : `${field} needs an entry with the locale "default"`;
}

function questionProblem(item: unknown, at: string): string | null {
	if (!isObject(item)) return `${at} must be an object {"question", "payload"}`;
	return textProblem(`${at}.question`, item.question, MAX_QUESTION) ?? textProblem(`${at}.payload`, item.payload, MAX_PAYLOAD);
}

function menuEntryProblem(entry: Record<string, unknown>, at: string): string | null {
	if (entry.composer_input_disabled !== undefined && typeof entry.composer_input_disabled !== 'boolean') return `${at}.composer_input_disabled must be true or false`;
	return listProblem(`${at}.call_to_actions`, entry.call_to_actions, MAX_MENU_BUTTONS, menuButtonProblem);
}

function menuButtonProblem(button: unknown, at: string): string | null {
	if (!isObject(button)) return `${at} must be an object`;
	const title = textProblem(`${at}.title`, button.title, MAX_BUTTON_TITLE);
	if (title) return title;
	if (button.type === 'postback') return textProblem(`${at}.payload`, button.payload, MAX_PAYLOAD);
	if (button.type !== 'web_url') return `${at}.type must be "postback" or "web_url" (menus are not nested), got ${JSON.stringify(button.type)}`;
	if (!isHttpUrl(String(button.url))) return `${at}.url must be an http(s) URL`;
	if (button.webview_height_ratio !== undefined && !WEBVIEW_RATIOS.includes(String(button.webview_height_ratio))) {
		return `${at}.webview_height_ratio must be one of compact, tall, full`;
	}
	return null;
}

function isHttpsUrl(value: unknown): boolean {
	try {
		return typeof value === 'string' && new URL(value).protocol === 'https:';
	} catch {
		return false;
	}
}
