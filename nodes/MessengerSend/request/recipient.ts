import type { IExecuteFunctions } from 'n8n-workflow';

import { RECIPIENT_TYPES } from '../descriptions/recipient';
import { readText } from './parameters';
import type { RecipientInput, RecipientType } from './types';

export function buildRecipient(recipient: RecipientInput): { [key: string]: string } {
	return { [recipient.type]: recipient.value.trim() };
}

export function readRecipient(ctx: IExecuteFunctions, item: number): RecipientInput {
	const type = ctx.getNodeParameter('recipientType', item) as RecipientType;
	const info = RECIPIENT_TYPES[type];
	return { type, value: info ? readText(ctx, info.parameter, item, info.label) : '' };
}
