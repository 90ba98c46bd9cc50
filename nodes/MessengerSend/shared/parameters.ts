import type { IExecuteFunctions } from 'n8n-workflow';

import { InvalidSendRequest } from './validation';

/**
 * A parameter value as text. Expressions can yield numbers (IDs) or objects: numbers become text,
 * anything else is refused here with the field's name instead of sending "[object Object]".
 */
export function asText(value: unknown, item: number, label: string): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
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
