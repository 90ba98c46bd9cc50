import type { IDataObject } from 'n8n-workflow';

import type { Limit } from '../shared/limits';
import { countCharacters, InvalidSendRequest } from '../rules';

// The checks the template types' `validate` are made of. Each error names the field and the item.

export function checkMax(limit: Limit, size: number, item: number, field = limit.field): void {
	if (size > limit.max) {
		throw new InvalidSendRequest(
			`${field} in item ${item}: ${size} ${limit.unit}, more than the limit of ${limit.max} (${limit.rule})`,
			field,
		);
	}
}

export function requireText(value: unknown, field: string, item: number): string {
	if (typeof value !== 'string' || value.trim() === '') {
		throw new InvalidSendRequest(`${field} in item ${item} is empty: enter a value`, field);
	}
	return value;
}

/** A value as an error message quotes it; expressions can give objects (even without a prototype). */
export function shown(value: unknown): string {
	if (typeof value === 'string') return `"${value}"`;
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object' && value !== null) return 'an object';
	return String(value);
}

export function requireOneOf(value: unknown, allowed: readonly string[], field: string, item: number): void {
	if (typeof value !== 'string' || !allowed.includes(value)) {
		throw new InvalidSendRequest(
			`${field} in item ${item} is ${shown(value)}: use one of ${allowed.join(', ')}`,
			field,
		);
	}
}

function isObject(value: unknown): value is IDataObject {
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

export function requireObject(value: unknown, field: string, item: number): IDataObject {
	if (!isObject(value)) throw new InvalidSendRequest(`${field} in item ${item} must be an object`, field);
	return value;
}

export function requireUrl(value: unknown, field: string, item: number): string {
	const url = requireText(value, field, item);
	if (!isHttpUrl(url)) throw new InvalidSendRequest(`${field} in item ${item} is not an http(s) URL: "${url}"`, field);
	return url;
}

export function requireNumber(value: unknown, field: string, item: number): void {
	if (typeof value !== 'number' || !Number.isFinite(value)) {
		throw new InvalidSendRequest(`${field} in item ${item} must be a number, found ${shown(value)}`, field);
	}
}

export function checkText(value: unknown, limit: Limit, field: string, item: number): void {
	checkMax(limit, countCharacters(requireText(value, field, item)), item, field);
}
