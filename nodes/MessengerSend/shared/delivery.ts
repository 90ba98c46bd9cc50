import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SenderSettings } from '../transport/sender';

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
			default: true,
			description: 'Whether to send up to 50 messages per HTTP request through the Graph batch endpoint (much faster for lists)',
		},
		{
			displayName: 'Max Audio and Video Per Second',
			name: 'maxMediaPerSecond',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 10,
			description: 'Messenger accepts 10 audio or video sends per second per Page',
		},
		{
			displayName: 'Max Messages Per Second',
			name: 'maxPerSecond',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 300,
			description:
				'Messenger accepts 300 text sends per second per Page. The node counts each send until a second after its answer, so it stays under this number.',
		},
		{
			displayName: 'Max Parallel Requests',
			name: 'maxConcurrency',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 50 },
			default: 10,
			description: 'HTTP requests in flight at the same time',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: 5,
			description:
				'How often to send again after a temporary failure that delivered nothing (rate limit, temporary error, server error)',
		},
		{
			displayName: 'Max Wait Between Retries (Seconds)',
			name: 'maxWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 60,
			description: 'The longest pause before a retry, even when Messenger asks for a longer one',
		},
		{
			displayName: 'Retry When No Answer',
			name: 'retryWithoutAnswer',
			type: 'boolean',
			default: false,
			description:
				'Whether to send again when Messenger did not answer (timeout, dropped connection). The message may already have arrived, so the person can get it twice.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 60,
			description: 'How long to wait for Messenger’s answer to one request',
		},
	],
};

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
		timeoutMs: Math.max(1, numberOr(raw.timeoutSeconds, 'timeoutSeconds')) * 1000,
	};
}

export function readSenderSettings(ctx: IExecuteFunctions): SenderSettings {
	return toSenderSettings(ctx.getNodeParameter('delivery', 0, {}) as IDataObject);
}
