import type { IDataObject } from 'n8n-workflow';

import { InvalidSendRequest, shown } from './errors';
import { checkLimits, limitsAt, type Limit } from './limits';

/**
 * A check of one value: it refuses the value with an InvalidSendRequest naming `field` (as the
 * user sees it, placed: "Element 2 Title") and the item, or returns the value as checked.
 * Checks compose: a schema is a check made of checks.
 */
export type Check<T = unknown> = (value: unknown, field: string, item: number) => T;

export function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHttpUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return url.protocol === 'https:' || url.protocol === 'http:';
	} catch {
		return false;
	}
}

export function isFacebookUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return url.protocol === 'https:' && (url.hostname === 'facebook.com' || url.hostname.endsWith('.facebook.com'));
	} catch {
		return false;
	}
}

/** Text that is not empty; with `at`, also within every limit at that place (see SEND_API_LIMITS). */
export function text(at?: string): Check<string> {
	const limits = at === undefined ? [] : limitsAt(at);
	return (value, field, item) => {
		if (typeof value !== 'string' || value.trim() === '') {
			throw new InvalidSendRequest(`${field} in item ${item} is empty: enter a value`, field);
		}
		checkLimits(limits, value, item, field);
		return value;
	};
}

/** Non-empty text, no limit. */
export const required: Check<string> = text();

/** One of the allowed values. */
export function oneOf<T extends string>(values: readonly T[]): Check<T> {
	return (value, field, item) => {
		if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
			throw new InvalidSendRequest(`${field} in item ${item} is ${shown(value)}: use one of ${values.join(', ')}`, field);
		}
		return value as T;
	};
}

/** An http(s) URL. */
export const url: Check<string> = (value, field, item) => {
	const address = required(value, field, item);
	if (!isHttpUrl(address)) throw new InvalidSendRequest(`${field} in item ${item} is not an http(s) URL: "${address}"`, field);
	return address;
};

/** A value whose text is an http(s) URL (an optional field: empty text is not a URL either). */
export const urlText: Check<string> = (value, field, item) => {
	const address = String(value);
	if (!isHttpUrl(address)) throw new InvalidSendRequest(`${field} in item ${item} is not an http(s) URL: "${address}"`, field);
	return address;
};

/** A finite number. */
export const number: Check<number> = (value, field, item) => {
	if (typeof value !== 'number' || !Number.isFinite(value)) {
		throw new InvalidSendRequest(`${field} in item ${item} must be a number, found ${shown(value)}`, field);
	}
	return value;
};

/** A whole number of at least `min`; `hint` says what to enter. */
export function wholeNumber(min: number, hint: string): Check<number> {
	return (value, field, item) => {
		if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
			throw new InvalidSendRequest(`${field} in item ${item} is ${shown(value)}: ${hint}`, field);
		}
		return value;
	};
}

/** Text matching a pattern; `hint` says what to enter. */
export function matching(pattern: RegExp, hint: string): Check<string> {
	return (value, field, item) => {
		const entered = required(value, field, item);
		if (!pattern.test(entered)) throw new InvalidSendRequest(`${field} in item ${item} is "${entered}": ${hint}`, field);
		return entered;
	};
}

/** An object (refused otherwise). */
export const object: Check<IDataObject> = (value, field, item) => {
	if (!isObject(value)) throw new InvalidSendRequest(`${field} in item ${item} must be an object`, field);
	return value;
};

/** The value as an object, or an empty one: what is missing inside is then named by the checks that follow. */
export function fieldsOf(value: unknown): IDataObject {
	return isObject(value) ? value : {};
}

/**
 * A list of `min` entries or more, within every limit at `at`; each entry checked by `entry`
 * with its position (from 1) and the list's field. An absent list is an empty one where `min` is 0.
 */
export function list<T>(
	entry: (value: unknown, position: number, item: number, field: string) => T,
	options: { min: number; at?: string },
): Check<T[]> {
	const limits: Limit[] = options.at === undefined ? [] : limitsAt(options.at);
	return (value, field, item) => {
		if (value === undefined && options.min === 0) return [];
		if (!Array.isArray(value)) throw new InvalidSendRequest(`${field} in item ${item} must be a list`, field);
		if (value.length < options.min) {
			const rule = limits.length ? ` (${limits[0].rule})` : '';
			throw new InvalidSendRequest(
				`${field} in item ${item} ${value.length ? `has ${value.length}` : 'is empty'}: add at least ${options.min}${rule}`,
				field,
			);
		}
		checkLimits(limits, value, item, field);
		return value.map((each: unknown, index) => entry(each, index + 1, item, field));
	};
}

/** A field that may be absent: checked only when present. */
export function optional<T>(check: Check<T>): Check<T | undefined> {
	return (value, field, item) => (value === undefined ? undefined : check(value, field, item));
}

/**
 * An object's fields in order: each key with the name its field has (after `prefix`: "Element 1"
 * + "Title") and its check; a key ending in `?` may be absent.
 */
export function shape(fields: ReadonlyArray<readonly [key: string, name: string, check: Check]>): Check<IDataObject> {
	return (value, prefix, item) => {
		const checked = object(value, prefix, item);
		checkFields(fields, checked, prefix, item);
		return checked;
	};
}

/** The fields of an object already known to be one (see `shape`). */
export function checkFields(fields: ReadonlyArray<readonly [key: string, name: string, check: Check]>, value: IDataObject, prefix: string, item: number): void {
	for (const [key, name, check] of fields) {
		const optionalKey = key.endsWith('?');
		const property = optionalKey ? key.slice(0, -1) : key;
		if (optionalKey && value[property] === undefined) continue;
		check(value[property], prefix ? `${prefix} ${name}` : name, item);
	}
}
