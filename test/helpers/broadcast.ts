// Broadcasts through n8n's engine against an emulator of the test file's own: `people` recipients
// (PSIDs p0, p1…) with `perPerson` messages each, "message <n> for <psid>", everyone's message 0
// first, then everyone's message 1… (so a sender that reorders one person's messages shows it);
// and the account a user would check afterwards. Used by test/node/delivery/.
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { EmulatorOptions, GraphEmulator } from '../../emulator/graphEmulator.cjs';
import { credentialsFor } from './fixtures';
import { eachPerson } from './parameters';
import { runNode, type NodeRun } from './runNode';

export interface BroadcastOptions {
	/** Default: the emulator's URL. */
	baseUrl?: string;
	/** The credential's App Secret. Default: none. */
	appSecret?: string;
	/** The credential's Proof Mode (`timeStamped`, `plain`). Default: the credential's own default. */
	proofMode?: string;
	/** Emulator settings (latency, faults, rate cap…) applied before the run. */
	config?: Partial<EmulatorOptions>;
}

/** The input items: `{ psid: 'p<person>', n: <message> }`, round-robin over the people. */
export function broadcastItems(people: number, perPerson: number): INodeExecutionData[] {
	const items: INodeExecutionData[] = [];
	for (let n = 0; n < perPerson; n++) {
		for (let p = 0; p < people; p++) items.push({ json: { psid: `p${p}`, n } });
	}
	return items;
}

/** The text of message `n` for `psid`, as the broadcast sends it. */
export const broadcastText = (n: number, psid: string) => `message ${n} for ${psid}`;

/** The broadcast's Send Message parameters: one text per item, with these Delivery Options. */
export const broadcastParameters = (delivery: INodeParameters = {}): INodeParameters => eachPerson('=message {{ $json.n }} for {{ $json.psid }}', { delivery });

/** Helpers bound to one emulator; `defaults` apply to every broadcast (e.g. an App Secret). */
export function broadcaster(emulator: GraphEmulator, defaults: BroadcastOptions = {}) {
	/** Runs the broadcast with Continue On Fail on. */
	async function broadcast(people: number, perPerson: number, delivery: INodeParameters = {}, options: BroadcastOptions = {}): Promise<NodeRun> {
		const settings = { ...defaults, ...options };
		if (settings.config) emulator.configure(settings.config);
		return await runNode({
			parameters: broadcastParameters(delivery),
			items: broadcastItems(people, perPerson),
			continueOnFail: true,
			credentials: credentialsFor(settings.baseUrl ?? emulator.url, {
				appSecret: settings.appSecret ?? '',
				...(settings.proofMode === undefined ? {} : { proofMode: settings.proofMode }),
			}),
		});
	}

	/** What a user would check after a broadcast: every input item accounted for, once, in order. */
	function account(run: NodeRun, people: number, perPerson: number) {
		const texts = emulator.inbox.map((entry) => String(entry.message?.text));
		const delivered = new Set(texts);
		const duplicates = texts.length - delivered.size;
		let outOfOrder = 0;
		for (let p = 0; p < people; p++) {
			const received = emulator.conversation(`id:p${p}`).map((entry) => Number(/message (\d+)/.exec(String(entry.message?.text))?.[1]));
			received.forEach((n, index) => index > 0 && n < received[index - 1] && outOfOrder++);
		}
		const errors = run.items.filter((item) => item.json.error !== undefined).length;
		// Lost: an input item whose message neither arrived nor came back as an error item.
		const lost = Array.from({ length: people * perPerson }, (_, i) => broadcastText(Math.floor(i / people), `p${i % people}`)).filter(
			(text, i) => !delivered.has(text) && run.items[i]?.json.error === undefined,
		).length;
		return { delivered: delivered.size, errors, lost, duplicates, outOfOrder, items: run.items.length };
	}

	/** The operations of each batch request, as Graph received them. */
	function batches() {
		return emulator.requests
			.filter((request) => request.method === 'POST' && request.body.batch !== undefined)
			.map((request) => JSON.parse(String(request.body.batch)) as Array<Record<string, unknown>>);
	}

	/** The texts one person received, in the order they arrived. */
	const textsOf = (person: string) => emulator.conversation(`id:${person}`).map((entry) => entry.message?.text);

	return { broadcast, account, batches, textsOf };
}
