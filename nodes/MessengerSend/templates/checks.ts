import type { IDataObject } from 'n8n-workflow';

import { checkMax, countCharacters, InvalidSendRequest, number, object, oneOf, required, url, type Limit } from '../rules';

// The checks the template types' `validate` are made of, in the argument order the template files
// use; each is a rule from ../rules (same error texts: field, item, size, limit).

export { checkMax, isFacebookUrl, shown } from '../rules';

export function requireText(value: unknown, field: string, item: number): string {
	return required(value, field, item);
}

export function requireOneOf(value: unknown, allowed: readonly string[], field: string, item: number): void {
	oneOf(allowed)(value, field, item);
}

export function requireObject(value: unknown, field: string, item: number): IDataObject {
	return object(value, field, item);
}

export function requireUrl(value: unknown, field: string, item: number): string {
	return url(value, field, item);
}

export function requireNumber(value: unknown, field: string, item: number): void {
	number(value, field, item);
}

/** A list field: refused unless a list of min..limit.max entries (structure errors name field and item). */
export function requireList(value: unknown, limit: Limit, min: number, item: number, field = limit.field): unknown[] {
	if (value === undefined && min === 0) return [];
	if (!Array.isArray(value)) {
		throw new InvalidSendRequest(`${field} in item ${item} must be a list`, field);
	}
	if (value.length < min) {
		throw new InvalidSendRequest(
			`${field} in item ${item} ${value.length ? `has ${value.length}` : 'is empty'}: add at least ${min} (${limit.rule})`,
			field,
		);
	}
	checkMax(limit, value.length, item, field);
	return value;
}

/** A list that must have at least one entry (no documented maximum). */
export function requireEntries(value: unknown, field: string, item: number): unknown[] {
	if (!Array.isArray(value)) throw new InvalidSendRequest(`${field} in item ${item} must be a list`, field);
	if (value.length === 0) throw new InvalidSendRequest(`${field} in item ${item} is empty: add at least 1`, field);
	return value;
}

export function checkText(value: unknown, limit: Limit, field: string, item: number): void {
	checkMax(limit, countCharacters(requireText(value, field, item)), item, field);
}
