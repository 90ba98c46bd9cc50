import type { INodeProperties } from 'n8n-workflow';

/** How the node sends a run's messages: speed, rate, retries. Shown for every operation. */
export const deliveryOptionsField: INodeProperties = {
	displayName: 'Delivery Options',
	name: 'delivery',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	description:
		'The node sends many items in parallel, keeps each person’s messages in order, and retries by itself when Messenger is busy. It never sends a message twice: not with the Retry On Fail setting, not when a failed execution is retried.',
	options: [
		{
			displayName: 'Batch Requests',
			name: 'batching',
			type: 'boolean',
			default: true,
			description: 'Whether to send up to 50 messages per HTTP request through the Graph batch endpoint (much faster for lists)',
		},
		{
			displayName: 'Deduplication Key',
			name: 'deduplicationKey',
			type: 'string',
			default: '',
			placeholder: 'e.g. {{ $json.orderId }}-shipped',
			description:
				'A key per item, e.g. the incoming message’s mid. An item whose key this node already delivered, in any earlier execution, is not sent again: its output says skipped: "duplicate". Remembers the last 10,000 keys of this node.',
		},
		{
			displayName: 'Look Up Uncertain Sends',
			name: 'lookUpUncertain',
			type: 'boolean',
			default: true,
			description:
				'Whether to look in the person’s conversation when Messenger’s answer was lost (timeout, dropped connection): found, the item is delivered; not found, it is sent once more. Needs the pages_read_engagement and pages_manage_metadata permissions.',
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
				'Whether to send again when Messenger did not answer (timeout, dropped connection) and the conversation could not be checked. The message may already have arrived, so the person can get it twice.',
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
