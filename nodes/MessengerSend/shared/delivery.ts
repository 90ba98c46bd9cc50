import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_SENDER_SETTINGS, type SenderSettings } from '../transport/sender';

const defaults = DEFAULT_SENDER_SETTINGS;

/** How the node sends a run's messages: speed, rate, retries. Shown for every operation. */
export const deliveryOptionsField: INodeProperties = {
	displayName: 'Delivery Options',
	name: 'delivery',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	description:
		'The node sends many items in parallel, keeps each person’s messages in order, and retries by itself when Messenger is busy. Do not also turn on the node’s Retry On Fail setting: it would send again the messages that already went out.',
	options: [
		{
			displayName: 'Batch Requests',
			name: 'batching',
			type: 'boolean',
			default: defaults.batching,
			description: 'Whether to send up to 50 messages per HTTP request through the Graph batch endpoint (much faster for lists)',
		},
		{
			displayName: 'Max Audio and Video Per Second',
			name: 'maxMediaPerSecond',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: defaults.maxMediaPerSecond,
			description: 'Messenger accepts about 10 audio or video sends per second per Page',
		},
		{
			displayName: 'Max Messages Per Second',
			name: 'maxPerSecond',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: defaults.maxPerSecond,
			description: 'Messenger accepts about 300 sends per second per Page; the node stays under this number',
		},
		{
			displayName: 'Max Parallel Requests',
			name: 'maxConcurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 50 },
			default: defaults.maxConcurrency,
			description: 'HTTP requests in flight at the same time',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: defaults.maxRetries,
			description:
				'How often to send again after a temporary failure that delivered nothing (rate limit, temporary error, server error)',
		},
		{
			displayName: 'Max Wait Between Retries (Seconds)',
			name: 'maxWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: defaults.maxWaitMs / 1000,
			description: 'The longest pause before a retry, even when Messenger asks for a longer one',
		},
		{
			displayName: 'Retry When No Answer',
			name: 'retryWithoutAnswer',
			type: 'boolean',
			default: defaults.retryWithoutAnswer,
			description:
				'Whether to send again when Messenger did not answer (timeout, dropped connection). The message may already have arrived, so the person can get it twice.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: defaults.timeoutMs / 1000,
			description: 'How long to wait for Messenger’s answer to one request',
		},
	],
};

function numberOr(value: unknown, fallback: number): number {
	const number = Number(value);
	return value === undefined || value === '' || !Number.isFinite(number) ? fallback : number;
}

export function toSenderSettings(raw: IDataObject): SenderSettings {
	return {
		batching: raw.batching === undefined ? defaults.batching : raw.batching === true,
		maxConcurrency: Math.max(1, Math.floor(numberOr(raw.maxConcurrency, defaults.maxConcurrency))),
		maxPerSecond: Math.max(1, numberOr(raw.maxPerSecond, defaults.maxPerSecond)),
		maxMediaPerSecond: Math.max(1, numberOr(raw.maxMediaPerSecond, defaults.maxMediaPerSecond)),
		maxRetries: Math.max(0, Math.floor(numberOr(raw.maxRetries, defaults.maxRetries))),
		maxWaitMs: Math.max(0, numberOr(raw.maxWaitSeconds, defaults.maxWaitMs / 1000) * 1000),
		retryWithoutAnswer: raw.retryWithoutAnswer === true,
		timeoutMs: Math.max(1, numberOr(raw.timeoutSeconds, defaults.timeoutMs / 1000)) * 1000,
	};
}

export function readSenderSettings(ctx: IExecuteFunctions): SenderSettings {
	return toSenderSettings(ctx.getNodeParameter('delivery', 0, {}) as IDataObject);
}
