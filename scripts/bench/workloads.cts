// The broadcast, order and reply workloads: each one an n8n workflow run with `n8n execute` against
// the emulator, and what the emulator received of it.
import { readFileSync } from 'node:fs';

import type { GraphEmulator } from '../../emulator/graphEmulator.cjs';
import { NODE_TYPE, outputOf, type N8n } from '../n8n.cjs';
import { broadcastList, linearWorkflow, type NodeSpec } from '../workflows.cjs';
import { CREDENTIAL, ORDER, PAGE, PARTS, REPLY } from './common.cjs';

export type Variant = 'node' | 'node-no-batching' | 'node-no-pacing' | 'http-request';
export type Arrangement = 'round-robin' | 'by-person';

/** One n8n workflow of the bench: `recipients` people, `parts` numbered messages each. */
export interface Workload {
	variant: Variant;
	recipients: number;
	parts: number;
	arrangement: Arrangement;
	messagingType: 'UPDATE' | 'RESPONSE';
}

export interface Row {
	profile: string;
	variant: Variant;
	recipients: number;
	sends: number;
	wallMs: number;
	nodeMs: number;
	delivered: number;
	lost: number;
	duplicated: number;
	outOfOrder: number;
	errorItems: number;
	httpRequests: number;
	peakRssMb: number;
	/** Delivered per second between the first and the last delivery: the pace the platform saw. */
	sendingRate: number;
	rejected613: number;
}

export const keyOf = (w: Workload) => `${w.variant}|${w.recipients}|${w.parts}|${w.arrangement}|${w.messagingType}`;
export const broadcast = (variant: Variant, recipients: number): Workload => ({ variant, recipients, parts: PARTS, arrangement: 'round-robin', messagingType: 'UPDATE' });
export const orderWorkload = (variant: Variant, arrangement: Arrangement): Workload => ({ variant, recipients: ORDER.people, parts: ORDER.messages, arrangement, messagingType: 'UPDATE' });
export const replyWorkload = (variant: Variant, recipients: number): Workload => ({ variant, recipients, parts: REPLY.messages, arrangement: 'by-person', messagingType: 'RESPONSE' });

const text = (part: number, parts: number, person: number) => `part ${part} of ${parts} for p${person}`;

/** Manual Trigger → Set (the list) → Split Out → the sending node. */
export function benchWorkflow(id: string, w: Workload, graphUrl: string) {
	const psids = Array.from({ length: w.recipients }, (_, i) => `p${i}`);
	const sender: NodeSpec =
		w.variant === 'http-request'
			? {
					name: 'Send',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					// What the Send API docs lead a user to build: one POST per item, token in a header.
					parameters: {
						method: 'POST',
						url: `${graphUrl}/v25.0/me/messages`,
						sendHeaders: true,
						headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${PAGE.token}` }] },
						sendBody: true,
						specifyBody: 'json',
						jsonBody: `={{ JSON.stringify({ recipient: { id: $json.psid }, messaging_type: '${w.messagingType}', message: { text: 'part ' + $json.part + ' of ${w.parts} for ' + $json.psid } }) }}`,
						options: {},
					},
					onError: 'continueRegularOutput',
				}
			: {
					name: 'Send',
					type: NODE_TYPE,
					typeVersion: 1,
					parameters: {
						operation: 'sendMessage',
						recipientType: 'id',
						psid: '={{ $json.psid }}',
						messagingType: w.messagingType,
						text: `=part {{ $json.part }} of ${w.parts} for {{ $json.psid }}`,
						delivery:
							w.variant === 'node-no-batching' ? { batching: false } : w.variant === 'node-no-pacing' ? { maxPerSecond: 1_000_000 } : {},
					},
					credentials: { messengerPageApi: CREDENTIAL },
					onError: 'continueRegularOutput',
				};
	return linearWorkflow(id, `bench ${keyOf(w)}`, [...broadcastList(psids, w.parts, w.arrangement), sender]);
}

function peakRssWatcher() {
	let peakKb = 0;
	let timer: NodeJS.Timeout | undefined;
	return {
		start(pid: number) {
			timer = setInterval(() => {
				try {
					const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
					if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
				} catch {
					// the process has exited
				}
			}, 25);
		},
		stop() {
			clearInterval(timer);
			return Math.round(peakKb / 1024);
		},
	};
}

/**
 * delivered: distinct messages that arrived; dup: arrivals beyond the first of a message; lost:
 * messages that never arrived; out of order: arrivals numbered lower than the one before them in
 * the person's conversation.
 */
export function account(emulator: GraphEmulator, recipients: number, parts: number) {
	const texts = emulator.inbox.map((entry) => String(entry.message?.text));
	const unique = new Set(texts);
	let lost = 0;
	let outOfOrder = 0;
	for (let person = 0; person < recipients; person++) {
		for (let part = 1; part <= parts; part++) if (!unique.has(text(part, parts, person))) lost++;
		const numbers = emulator.conversation(`id:p${person}`).map((entry) => Number(/part (\d+)/.exec(String(entry.message?.text))?.[1]));
		numbers.forEach((part, i) => i > 0 && part < numbers[i - 1] && outOfOrder++);
	}
	return { delivered: unique.size, duplicated: texts.length - unique.size, lost, outOfOrder };
}

function sendingRate(emulator: GraphEmulator): number {
	const times = emulator.inbox.map((entry) => entry.receivedAt);
	if (times.length < 2) return 0;
	return ((times.length - 1) / (Math.max(...times) - Math.min(...times))) * 1000;
}

export async function run(n8n: N8n, emulator: GraphEmulator, profile: string, w: Workload, id: string): Promise<Row> {
	emulator.reset();
	const watcher = peakRssWatcher();
	const started = Date.now();
	const result = await n8n.execute(id, (pid) => watcher.start(pid));
	const wallMs = Date.now() - started;
	const peakRssMb = watcher.stop();
	// n8n 2.8.4 sometimes exits 1 after a finished run (its SQLite pool aborts on shutdown): the run data counts.
	if (!result.run) throw new Error(`${keyOf(w)}: n8n execute failed (${result.code})\n${result.stdout.slice(-2000)}`);
	const task = result.run.data.resultData.runData.Send?.[0];
	const items = outputOf(result.run, 'Send');
	return {
		profile,
		variant: w.variant,
		recipients: w.recipients,
		sends: w.recipients * w.parts,
		wallMs,
		nodeMs: task?.executionTime ?? wallMs,
		errorItems: items.filter((item) => item.json.error !== undefined).length,
		httpRequests: emulator.stats().requests,
		peakRssMb,
		sendingRate: sendingRate(emulator),
		rejected613: emulator.stats().rejected['613'] ?? 0,
		...account(emulator, w.recipients, w.parts),
	};
}
