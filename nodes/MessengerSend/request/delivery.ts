import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { deliveryOptionsField } from '../descriptions/delivery';
import { asText } from './parameters';
import type { SenderSettings } from '../transport/sender';

// The defaults shown in the editor are the defaults used: one place for each.
const defaults = Object.fromEntries(
	(deliveryOptionsField.options as INodeProperties[]).map((option) => [option.name, option.default]),
) as Record<string, number | boolean>;

function numberOr(value: unknown, name: string): number {
	const number = Number(value);
	return value === undefined || value === '' || value === null || !Number.isFinite(number) ? Number(defaults[name]) : number;
}

export function toSenderSettings(raw: IDataObject): SenderSettings {
	return {
		batching: raw.batching === undefined ? defaults.batching === true : raw.batching === true,
		maxConcurrency: Math.max(1, Math.floor(numberOr(raw.maxConcurrency, 'maxConcurrency'))),
		maxPerSecond: Math.max(1, numberOr(raw.maxPerSecond, 'maxPerSecond')),
		maxMediaPerSecond: Math.max(1, numberOr(raw.maxMediaPerSecond, 'maxMediaPerSecond')),
		maxRetries: Math.max(0, Math.floor(numberOr(raw.maxRetries, 'maxRetries'))),
		maxWaitMs: Math.max(0, numberOr(raw.maxWaitSeconds, 'maxWaitSeconds')) * 1000,
		retryWithoutAnswer: raw.retryWithoutAnswer === undefined ? defaults.retryWithoutAnswer === true : raw.retryWithoutAnswer === true,
		lookUpUncertain: raw.lookUpUncertain === undefined ? defaults.lookUpUncertain === true : raw.lookUpUncertain === true,
		timeoutMs: Math.max(1, numberOr(raw.timeoutSeconds, 'timeoutSeconds')) * 1000,
	};
}

export function readSenderSettings(ctx: IExecuteFunctions): SenderSettings {
	return toSenderSettings(ctx.getNodeParameter('delivery', 0, {}) as IDataObject);
}

/** The item's Deduplication Key, trimmed; empty when none is set. */
export function readDeduplicationKey(ctx: IExecuteFunctions, item: number): string {
	return asText(ctx.getNodeParameter('delivery.deduplicationKey', item, '') as unknown, item, 'Deduplication Key').trim();
}
