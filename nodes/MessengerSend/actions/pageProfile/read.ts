// Reading an item's Page Profile parameters (no I/O): the chosen properties, and for Set the
// properties in Graph's shape, built from the editor's fields or taken from JSON, then checked
// against every rule (rules/profile.ts).
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Platform } from '../../../shared/platform';
import { checkPlatformHas, checkProfile, InvalidSendRequest, isObject, PROFILE_PROPERTIES, PROFILE_PROPERTY_NAMES, shown, type Profile, type ProfileProperty } from '../../rules';
import { asText, readText } from '../../request/parameters';
import { inProfileOrder } from './diff';

const FIELD = 'Properties';

/** The chosen properties (a list, or an expression's comma-separated text), each a known one. */
export function readChosen(ctx: IExecuteFunctions, item: number): ProfileProperty[] {
	const raw = ctx.getNodeParameter('profileProperties', item, []) as unknown;
	const names = typeof raw === 'string' ? raw.split(',').map((name) => name.trim()).filter(Boolean) : Array.isArray(raw) ? raw : undefined;
	if (names === undefined) throw new InvalidSendRequest(`${FIELD} in item ${item} must be a list of properties, not ${shown(raw)}`, FIELD);
	for (const name of names) {
		if (typeof name !== 'string' || !PROFILE_PROPERTY_NAMES.includes(name as ProfileProperty)) {
			throw new InvalidSendRequest(`${FIELD} in item ${item} has the unknown property ${shown(name)}: choose from ${PROFILE_PROPERTY_NAMES.join(', ')}`, FIELD);
		}
	}
	return inProfileOrder(names as ProfileProperty[]);
}

/** Refuses what the platform's profile does not have; Get's "all" is what it has. */
export function forPlatform(chosen: ProfileProperty[], platform: Platform, item: number): ProfileProperty[] {
	for (const name of chosen) checkPlatformHas(name, platform, item);
	return chosen;
}

export function allOf(platform: Platform): ProfileProperty[] {
	return PROFILE_PROPERTY_NAMES.filter((name) => platform === 'messenger' || PROFILE_PROPERTIES[name].instagram);
}

type Rows = Array<Record<string, unknown>>;

function rows(ctx: IExecuteFunctions, name: string, entry: string, item: number): Rows {
	const value = ctx.getNodeParameter(name, item, {}) as IDataObject | undefined;
	const list = value?.[entry];
	return Array.isArray(list) ? (list as Rows) : [];
}

/** Rows grouped by their locale, in the order each locale first appears. */
function byLocale<T>(list: Rows, build: (row: Record<string, unknown>) => T): Array<{ locale: string; entries: T[] }> {
	const groups = new Map<string, T[]>();
	for (const row of list) {
		const where = typeof row.locale === 'string' && row.locale.trim() !== '' ? row.locale.trim() : 'default';
		groups.set(where, [...(groups.get(where) ?? []), build(row)]);
	}
	return [...groups].map(([where, entries]) => ({ locale: where, entries }));
}

/** The chosen properties from the editor's fields, in Graph's shape (checked afterwards). */
export function fromFields(ctx: IExecuteFunctions, item: number, chosen: ProfileProperty[]): Record<string, unknown> {
	const raw: Record<string, unknown> = {};
	const textOf = (value: unknown, label: string) => asText(value, item, label);
	for (const name of chosen) {
		if (name === 'get_started') raw.get_started = { payload: readText(ctx, 'getStartedPayload', item, 'Get Started Payload') };
		if (name === 'greeting') raw.greeting = rows(ctx, 'greetings', 'greeting', item).map((row) => ({ locale: row.locale, text: textOf(row.text, 'Greeting Text') }));
		if (name === 'ice_breakers') {
			raw.ice_breakers = byLocale(rows(ctx, 'iceBreakers', 'iceBreaker', item), (row) => ({ question: textOf(row.question, 'Ice Breaker Question'), payload: textOf(row.payload, 'Ice Breaker Payload') })).map(
				({ locale, entries }) => ({ locale, call_to_actions: entries }),
			);
		}
		if (name === 'persistent_menu') {
			const composerInputDisabled = ctx.getNodeParameter('composerInputDisabled', item, false) === true;
			raw.persistent_menu = byLocale(rows(ctx, 'menuItems', 'menuItem', item), (row) =>
				row.type === 'web_url'
					? { type: 'web_url', title: textOf(row.title, 'Menu Item Title'), url: textOf(row.url, 'Menu Item URL'), webview_height_ratio: row.webviewHeightRatio ?? 'full' }
					: { type: row.type ?? 'postback', title: textOf(row.title, 'Menu Item Title'), payload: textOf(row.payload, 'Menu Item Payload') },
			).map(({ locale, entries }) => ({ locale, composer_input_disabled: composerInputDisabled, call_to_actions: entries }));
		}
		if (name === 'whitelisted_domains') raw.whitelisted_domains = rows(ctx, 'allowedDomains', 'domain', item).map((row) => textOf(row.url, 'Allowed Domain'));
	}
	return raw;
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch (error) {
		return error as Error;
	}
}

/** The JSON field's object (text that parses, or an expression's object). */
export function fromJson(ctx: IExecuteFunctions, item: number): Record<string, unknown> {
	const label = 'Profile (JSON)';
	const value = ctx.getNodeParameter('profileJson', item, '') as unknown;
	const parsed = typeof value === 'string' ? parseJson(value) : value;
	if (parsed instanceof Error) throw new InvalidSendRequest(`${label} in item ${item} is not valid JSON: ${parsed.message}`, label);
	if (!isObject(parsed)) {
		throw new InvalidSendRequest(`${label} in item ${item} must be a JSON object such as {"greeting": [...]}, not ${shown(parsed)}`, label);
	}
	return parsed;
}

/** Set's properties: from the fields (the chosen ones) or from JSON, checked against every rule. */
export function readProfileToSet(ctx: IExecuteFunctions, item: number): Profile {
	if (ctx.getNodeParameter('inputMode', item, 'fields') === 'json') return checkProfile(fromJson(ctx, item), item, 'Profile (JSON)');
	const chosen = readChosen(ctx, item);
	if (chosen.length === 0) throw new InvalidSendRequest(`${FIELD} in item ${item} is empty: choose what to set (the others stay as they are)`, FIELD);
	return checkProfile(fromFields(ctx, item, chosen), item, FIELD);
}
