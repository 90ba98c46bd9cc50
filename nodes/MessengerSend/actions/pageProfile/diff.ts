// What a Set or a Delete of the Page's profile writes, decided from what is live (pure): only the
// properties that differ, only those that are set; nothing when nothing would change. And the one
// rule between properties: on Messenger a persistent menu needs Get Started.
import type { IDataObject } from 'n8n-workflow';

import type { Platform } from '../../../shared/platform';
import { MENU_NEEDS_GET_STARTED, PROFILE_PROPERTY_NAMES, type Profile, type ProfileProperty } from '../../rules';

/** The live profile from Graph's answer (`{"data":[{...}]}`; nothing set: `{"data":[]}`). */
export function liveProfile(body: IDataObject): Profile {
	const first = Array.isArray(body.data) ? (body.data[0] as IDataObject | undefined) : undefined;
	const profile: Profile = {};
	for (const name of PROFILE_PROPERTY_NAMES) if (isSet(first?.[name])) profile[name] = first?.[name] as Profile[ProfileProperty];
	return profile;
}

function isSet(value: unknown): boolean {
	if (value === undefined || value === null) return false;
	if (Array.isArray(value)) return value.length > 0;
	return typeof value !== 'object' || Object.keys(value).length > 0;
}

const text = (value: unknown) => (typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value));
const byLocale = (a: IDataObject, b: IDataObject) => text(a.locale).localeCompare(text(b.locale));
const entries = (value: unknown): IDataObject[] => (Array.isArray(value) ? (value as IDataObject[]) : []);
/** Graph gives a domain back with a slash at its end and the host in lower case. */
const domainOf = (value: unknown) => {
	const raw = text(value).trim();
	try {
		const url = new URL(raw);
		return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}${url.search}`;
	} catch {
		return raw.replace(/\/+$/, '');
	}
};

function menuButton(button: IDataObject): IDataObject {
	if (button.type === 'web_url') return { type: 'web_url', title: text(button.title), url: domainOf(button.url), webview_height_ratio: text(button.webview_height_ratio) || 'full' };
	return { type: text(button.type), title: text(button.title), payload: text(button.payload) };
}

/**
 * A property as Graph means it, for comparing: locales sorted, Graph's defaults filled in (locale
 * "default", composer on, a full webview), keys Graph adds of its own left out.
 */
export function canonical(property: ProfileProperty, value: unknown): string {
	switch (property) {
		case 'get_started':
			return JSON.stringify({ payload: text((value as IDataObject | undefined)?.payload) });
		case 'greeting':
			return JSON.stringify(entries(value).map((entry) => ({ locale: text(entry.locale) || 'default', text: text(entry.text) })).sort(byLocale));
		case 'ice_breakers':
			return JSON.stringify(
				entries(value)
					.map((block) => ({
						locale: text(block.locale) || 'default',
						questions: entries(block.call_to_actions).map((question) => ({ question: text(question.question), payload: text(question.payload) })),
					}))
					.sort(byLocale),
			);
		case 'persistent_menu':
			return JSON.stringify(
				entries(value)
					.map((block) => ({
						locale: text(block.locale) || 'default',
						composer_input_disabled: block.composer_input_disabled === true,
						items: entries(block.call_to_actions).map(menuButton),
					}))
					.sort(byLocale),
			);
		case 'whitelisted_domains':
			return JSON.stringify([...new Set((Array.isArray(value) ? value : []).map(domainOf))].sort());
	}
}

export interface SetDecision {
	/** What the POST carries: the properties that differ from what is live (empty: no write). */
	write: Profile;
	changed: ProfileProperty[];
	unchanged: ProfileProperty[];
	/** Why the node refuses to write at all. */
	problem?: Problem;
}

/** A refusal: the field it names, and what is wrong (the item is said by the action). */
export interface Problem {
	field: string;
	text: string;
}

/** The properties a Set reads first: the chosen ones, and Get Started when the menu needs it checked. */
export function fieldsToReadForSet(chosen: ProfileProperty[], platform: Platform): ProfileProperty[] {
	const extra: ProfileProperty[] = platform === 'messenger' && chosen.includes('persistent_menu') && !chosen.includes('get_started') ? ['get_started'] : [];
	return inProfileOrder([...chosen, ...extra]);
}

/** The properties a Delete reads first: the chosen ones, and the menu when Get Started would go. */
export function fieldsToReadForDelete(chosen: ProfileProperty[], platform: Platform): ProfileProperty[] {
	const extra: ProfileProperty[] = platform === 'messenger' && chosen.includes('get_started') && !chosen.includes('persistent_menu') ? ['persistent_menu'] : [];
	return inProfileOrder([...chosen, ...extra]);
}

export function inProfileOrder(names: ProfileProperty[]): ProfileProperty[] {
	return PROFILE_PROPERTY_NAMES.filter((name) => names.includes(name));
}

export function decideSet(wanted: Profile, live: Profile, platform: Platform): SetDecision {
	const chosen = inProfileOrder(Object.keys(wanted) as ProfileProperty[]);
	const changed = chosen.filter((name) => canonical(name, wanted[name]) !== canonical(name, live[name]));
	const unchanged = chosen.filter((name) => !changed.includes(name));
	const write: Profile = Object.fromEntries(changed.map((name) => [name, wanted[name]]));
	const menuAfter = wanted.persistent_menu ?? live.persistent_menu;
	const getStartedAfter = wanted.get_started ?? live.get_started;
	if (platform === 'messenger' && changed.length > 0 && menuAfter !== undefined && getStartedAfter === undefined) {
		return {
			write: {},
			changed: [],
			unchanged,
			problem: {
				field: 'Persistent Menu',
				text: `needs Get Started, which the Page does not have: add Get Started to this Set (or set it first). Nothing was changed. ${MENU_NEEDS_GET_STARTED}.`,
			},
		};
	}
	return { write, changed, unchanged };
}

export interface DeleteDecision {
	/** What the DELETE names: the chosen properties that are set (empty: no write). */
	remove: ProfileProperty[];
	notSet: ProfileProperty[];
	problem?: Problem;
}

export function decideDelete(chosen: ProfileProperty[], live: Profile, platform: Platform): DeleteDecision {
	const ordered = inProfileOrder(chosen);
	const remove = ordered.filter((name) => live[name] !== undefined);
	const notSet = ordered.filter((name) => live[name] === undefined);
	if (platform === 'messenger' && remove.includes('get_started') && live.persistent_menu !== undefined && !ordered.includes('persistent_menu')) {
		return {
			remove: [],
			notSet,
			problem: {
				field: 'Get Started',
				text: `can’t be deleted while the Persistent Menu stays: delete Persistent Menu too (choose both), or keep Get Started. Nothing was changed. ${MENU_NEEDS_GET_STARTED}.`,
			},
		};
	}
	return { remove, notSet };
}

/** What is live after the write, for the output: each chosen property's value, null when not set. */
export function liveAfter(chosen: ProfileProperty[], live: Profile, written: Profile, removed: ProfileProperty[] = []): IDataObject {
	return Object.fromEntries(
		inProfileOrder(chosen).map((name) => [name, removed.includes(name) ? null : ((written[name] ?? live[name] ?? null) as IDataObject | null)]),
	);
}
