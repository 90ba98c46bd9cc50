import type { IDataObject } from 'n8n-workflow';

// How the template types read n8n's parameter values and leave out what is not set.

export type Raw = Record<string, unknown>;

/** A number field's value: numbers stay, numeric text becomes a number, anything else is kept for validation to refuse. */
export function asNumber(value: unknown): unknown {
	if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
	return value;
}

/** The entries of a fixedCollection (`{ [key]: [...] }`, or one entry when not multiple). */
export function listOf(value: unknown, key: string): Raw[] {
	const list = (value as Raw | undefined)?.[key];
	if (Array.isArray(list)) return list as Raw[];
	return list && typeof list === 'object' ? [list as Raw] : [];
}

/** Copies the entries whose value is not undefined or empty text, in order. */
export function withoutEmpty(entries: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined && value !== ''));
}
