// Helpers for the exactly-once end-to-end tests (test/e2e/exactlyOnce.test.cts and the Deduplication
// Key race in test/e2e/queue.test.cts): the workflows, what the emulator received per person, n8n's REST
// API with an owner's session, and n8n's stored run data (which n8n keeps in the "flatted" format).
import { randomUUID } from 'node:crypto';

import type { InboxEntry, ReceivedRequest } from '../../emulator/graphEmulator.cjs';
import { broadcastList, linearWorkflow, type NodeSpec } from '../../scripts/workflows.cjs';
import { messengerSendNode } from './workflows.cjs';

/** `count` PSIDs, `7<group><13 digits>`: distinct per group so tests never share a person. */
export function people(group: number, count = 20): string[] {
	return Array.from({ length: count }, (_, index) => `7${group}${String(index).padStart(14, '0')}`);
}

/** One Send API operation as the emulator received it: a direct request, or an operation of a batch. */
export interface SendOperation {
	psid?: string;
	text?: string;
	viaBatch: boolean;
}

function recipientOf(value: unknown): string | undefined {
	const recipient = typeof value === 'string' ? (JSON.parse(value) as Record<string, string>) : (value as Record<string, string> | undefined);
	return recipient?.id;
}

function textOf(value: unknown): string | undefined {
	const message = typeof value === 'string' ? (JSON.parse(value) as Record<string, unknown>) : (value as Record<string, unknown> | undefined);
	return typeof message?.text === 'string' ? message.text : undefined;
}

/** Every send operation in the recorded requests (conversation reads left out), in arrival order. */
export function sendOperations(requests: readonly ReceivedRequest[]): SendOperation[] {
	const operations: SendOperation[] = [];
	for (const request of requests) {
		if (request.method !== 'POST') continue;
		if (typeof request.body.batch === 'string') {
			for (const op of JSON.parse(request.body.batch) as Array<{ relative_url?: string; body?: string }>) {
				if (!/\/messages$/.test(op.relative_url ?? '')) continue;
				const fields = new URLSearchParams(op.body ?? '');
				operations.push({ psid: recipientOf(fields.get('recipient') ?? undefined), text: textOf(fields.get('message') ?? undefined), viaBatch: true });
			}
		} else if (/\/messages$/.test(request.path)) {
			operations.push({ psid: recipientOf(request.body.recipient), text: textOf(request.body.message), viaBatch: false });
		}
	}
	return operations;
}

export function countBy<T>(values: readonly T[]): Map<T, number> {
	const counts = new Map<T, number>();
	for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
	return counts;
}

/** For each PSID, how many of the entries went to them (0 included). */
export function perPerson(psids: readonly string[], entries: ReadonlyArray<{ psid?: string }>): Record<string, number> {
	const counts = countBy(entries.map((entry) => entry.psid));
	return Object.fromEntries(psids.map((psid) => [psid, counts.get(psid) ?? 0]));
}

/** The inbox entries as `{ psid, text }`. */
export function delivered(inbox: readonly InboxEntry[]): Array<{ psid?: string; text?: string; message_id?: string }> {
	return inbox.map((entry) => ({ psid: entry.recipient.id, text: typeof entry.message?.text === 'string' ? entry.message.text : undefined, message_id: entry.message_id }));
}

/** What each PSID is expected to have: `n` for everyone, `except` for the listed ones. */
export function expectedCounts(psids: readonly string[], n: number, except: Record<string, number> = {}): Record<string, number> {
	return Object.fromEntries(psids.map((psid) => [psid, except[psid] ?? n]));
}

// ---- workflows ----

interface SendOptions {
	/** Node settings as the editor saves them (Settings tab). */
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
	continueOnFail?: boolean;
	/** Delivery Options (the `delivery` collection). */
	delivery?: Record<string, unknown>;
	text?: string;
	messagingType?: 'RESPONSE' | 'UPDATE';
	psid?: string;
}

/** A Messenger Send node (Send Message) with the given credential and settings. */
export function sendNode(name: string, credential: { id: string; name: string }, options: SendOptions = {}): NodeSpec & Record<string, unknown> {
	return messengerSendNode(
		name,
		{
			operation: 'sendMessage',
			recipientType: 'id',
			psid: options.psid ?? '={{ $json.psid }}',
			messagingType: options.messagingType ?? 'UPDATE',
			text: options.text ?? '={{ "Hello " + $json.psid + ", part " + $json.part }}',
			...(options.delivery ? { delivery: options.delivery } : {}),
		},
		credential,
		{
			...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			...(options.retryOnFail ? { retryOnFail: true, maxTries: options.maxTries ?? 3, waitBetweenTries: options.waitBetweenTries ?? 100 } : {}),
		},
	);
}

/** Manual Trigger → the list (one item `{psid, part}` per PSID given) → the send node. */
export function manualBroadcast(id: string, name: string, psids: string[], send: NodeSpec): Record<string, unknown> {
	return linearWorkflow(id, name, [...broadcastList(psids, 1), send]);
}

/** A Webhook trigger node (POST `path`), answering when the workflow ends with the last node's first item, or at once. */
export function webhookNode(name: string, path: string, responseMode: 'lastNode' | 'onReceived'): NodeSpec & Record<string, unknown> {
	return {
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path, responseMode, ...(responseMode === 'lastNode' ? { responseData: 'firstEntryJson' } : {}), options: {} },
	};
}

/** Webhook (POST `path`, body `{ people: [{psid, part}…] }` or `field`) → Split Out → the send node. */
export function webhookBroadcast(
	id: string,
	name: string,
	path: string,
	send: NodeSpec,
	options: { field?: string; responseMode?: 'lastNode' | 'onReceived' } = {},
): Record<string, unknown> {
	return linearWorkflow(id, name, [
		webhookNode('Broadcast request', path, options.responseMode ?? 'onReceived'),
		{ name: 'One item per send', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: options.field ?? 'body.people', options: {} } },
		send,
	]);
}
