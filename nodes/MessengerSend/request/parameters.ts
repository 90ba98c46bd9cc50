import type { IExecuteFunctions, IGetNodeParameterOptions } from 'n8n-workflow';

import { InvalidSendRequest } from '../rules';

/**
 * A parameter value as text. Expressions can yield numbers (IDs) or objects: numbers become text,
 * anything else is refused here with the field's name instead of sending "[object Object]".
 */
export function asText(value: unknown, item: number, label: string): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value) && Math.abs(value) > Number.MAX_SAFE_INTEGER) {
		// JSON.parse already rounded it (PSIDs have 16-17 digits): sending it would reach whoever has the rounded ID.
		throw new InvalidSendRequest(
			`${label} in item ${item} is the number ${String(value)}, above 2^53 (${Number.MAX_SAFE_INTEGER}), where numbers lose digits: it may have been rounded to another ID. Pass IDs as text (a string in the JSON, a field of type String), never as numbers`,
			label,
		);
	}
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
		return String(value);
	}
	throw new InvalidSendRequest(
		`${label} in item ${item} must be text, but the expression gave ${Array.isArray(value) ? 'a list' : 'an object'}`,
		label,
	);
}

export function readText(ctx: IExecuteFunctions, name: string, item: number, label: string): string {
	return asText(ctx.getNodeParameter(name, item, '') as unknown, item, label);
}

/** Whether a raw parameter value holds an n8n expression (text starting with `=`) at any depth. */
export function containsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(containsExpression);
	if (value !== null && typeof value === 'object') return Object.values(value).some(containsExpression);
	return false;
}

/** The raw value at a parameter path such as `options.metadata`, as n8n looks it up. */
function rawValueAt(parameters: unknown, path: string): unknown {
	return path
		.split(/[.[\]]/)
		.filter((key) => key !== '')
		.reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), parameters);
}

/**
 * The node's context, but a parameter without any expression is read from n8n once per run:
 * n8n resolves and deep-copies it anew on every call, for every item, though it cannot differ
 * between items. The cached value is shared by all items, so callers must not change it.
 * A failed read is not cached: each item gets its own error.
 */
export function readOnce(ctx: IExecuteFunctions): IExecuteFunctions {
	const parameters = ctx.getNode().parameters;
	// Per name, the reads made so far: the fallback (for an absent parameter) and the options
	// (extractValue, ensureType...) change the result.
	const cache = new Map<string, Array<{ fallback: string; options: string; value: unknown }>>();
	const varies = new Map<string, boolean>();
	const getNodeParameter = (name: string, item: number, fallback?: unknown, options?: IGetNodeParameterOptions): unknown => {
		let perItem = varies.get(name);
		if (perItem === undefined) varies.set(name, (perItem = containsExpression(rawValueAt(parameters, name))));
		if (perItem) return ctx.getNodeParameter(name, item, fallback, options);
		const said = { fallback: typeof fallback === 'object' && fallback !== null ? JSON.stringify(fallback) : `${typeof fallback}:${String(fallback)}`, options: options === undefined ? '' : JSON.stringify(options) };
		const reads = cache.get(name) ?? [];
		const earlier = reads.find((read) => read.fallback === said.fallback && read.options === said.options);
		if (earlier) return earlier.value;
		const value = ctx.getNodeParameter(name, item, fallback, options);
		cache.set(name, [...reads, { ...said, value }]);
		return value;
	};
	const bound = new Map<PropertyKey, unknown>();
	return new Proxy(ctx, {
		get(target, property) {
			if (property === 'getNodeParameter') return getNodeParameter;
			// n8n's context classes use `this` (private fields, getters): keep it the real context.
			const value: unknown = Reflect.get(target, property, target);
			if (typeof value !== 'function') return value;
			if (!bound.has(property)) bound.set(property, (value as (...args: unknown[]) => unknown).bind(target));
			return bound.get(property);
		},
	});
}

/**
 * A resource locator's value as text: `{ __rl, mode, value }` as the editor saves it now, or the
 * plain text a workflow saved before the field was a locator holds (n8n hands both over as saved).
 */
export function locatorText(value: unknown, item: number, label: string): string {
	if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'value' in value && 'mode' in value) {
		return asText((value as { value: unknown }).value, item, label);
	}
	return asText(value, item, label);
}

export function readLocator(ctx: IExecuteFunctions, name: string, item: number, label: string): string {
	return locatorText(ctx.getNodeParameter(name, item, '') as unknown, item, label);
}
