import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InvalidSendRequest, shown } from '../../rules';
import { asText, readText } from '../../request/parameters';
import { RECIPIENT_TYPES } from '../../descriptions/recipient';

// The fields the Conversation and Person actions share, their documented limits in one table,
// and their pure checks (each error names the field, the item and the limit).

export const CONVERSATION_LIMITS = {
	/** Thread control `metadata`: Meta documents a string of at most 1000 characters. */
	metadata: { field: 'Metadata', max: 1000 },
	/** Get Conversation: how many messages one item may ask for. */
	limit: { field: 'Limit', min: 1, max: 100 },
	/** Graph lists at most 25 messages per page; the node follows the paging for more. */
	pageSize: 25,
	/** Instagram shows only the 20 most recent messages of a thread. */
	instagramWindow: 20,
} as const;

export const psidField: INodeProperties = {
	displayName: RECIPIENT_TYPES.id.label,
	name: 'psid',
	type: 'string',
	required: true,
	default: '',
	placeholder: RECIPIENT_TYPES.id.placeholder,
	description: `${RECIPIENT_TYPES.id.fieldDescription} The person must have written to the Page (or Instagram account) before`,
};

export const metadataField: INodeProperties = {
	displayName: 'Metadata',
	name: 'metadata',
	type: 'string',
	default: '',
	placeholder: 'e.g. Customer asked for a human about order 1042',
	description: `Optional text for the app that receives the thread (the Page Inbox shows nothing of it; another app gets it in its handover webhook). At most ${CONVERSATION_LIMITS.metadata.max} characters.`,
};

/** The item's PSID (or IGSID), trimmed; refused when empty or not an ID. */
export function readPsid(ctx: IExecuteFunctions, item: number): string {
	const label = RECIPIENT_TYPES.id.label;
	const psid = readText(ctx, 'psid', item, label).trim();
	return checkId(psid, item, label);
}

/** A Graph ID: digits only (a PSID, an IGSID, an app ID). */
export function checkId(value: string, item: number, label: string): string {
	if (value === '') throw new InvalidSendRequest(`${label} in item ${item} is empty: enter the ID (e.g. the sender.id of the Messenger Trigger's item)`, label);
	if (!/^\d{1,32}$/.test(value)) throw new InvalidSendRequest(`${label} in item ${item} must be a numeric ID, not ${shown(value)}`, label);
	return value;
}

/** Thread control metadata: at most 1000 characters (code points); empty means none. */
export function checkMetadata(value: string, item: number): string | undefined {
	const { field, max } = CONVERSATION_LIMITS.metadata;
	const length = [...value].length;
	if (length > max) throw new InvalidSendRequest(`${field} in item ${item} has ${length} characters, more than the ${max} Messenger accepts`, field);
	return value === '' ? undefined : value;
}

export function readMetadata(ctx: IExecuteFunctions, item: number): string | undefined {
	return checkMetadata(readText(ctx, 'metadata', item, 'Metadata'), item);
}

/** Get Conversation's limit: a whole number from 1 to 100. */
export function checkLimit(value: unknown, item: number): number {
	const { field, min, max } = CONVERSATION_LIMITS.limit;
	const text = value === undefined || value === null || value === '' ? '' : asText(value, item, field).trim();
	const number = Number(text);
	if (text === '' || !Number.isInteger(number) || number < min || number > max) {
		throw new InvalidSendRequest(`${field} in item ${item} must be a whole number from ${min} to ${max}, not ${shown(value)}`, field);
	}
	return number;
}
