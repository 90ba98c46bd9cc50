import { createHash } from 'node:crypto';

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { GraphSend } from './graphApi';
import { claim, claimAgainstOthers, deduplicationEntry, deliveredKey, recorded, releaseSurely } from './processedStore';
import { RunLedger, triesOf } from './runLedger';
import type { SendResult } from './sender';

/** One input item's send, as the guard sees it. */
export interface GuardedSend {
	item: number;
	send: GraphSend;
	/** The item's Deduplication Key; empty when none is set. */
	key: string;
}

/** What the item gets instead of being sent. */
export type Skip = { result: SendResult } | { output: IDataObject };

/** A Deduplication Key that could not be freed after its send failed: later executions skip the item. */
export interface KeptKey {
	key: string;
	/** Why n8n's store refused to free it. */
	problem: string;
}

/** How many different Deduplication Keys the run's sends carry (an empty key is none). */
export function distinctKeys(sends: readonly GuardedSend[]): number {
	return new Set(sends.map(({ key }) => key).filter((key) => key !== '')).size;
}

/** Execution custom data that a retried execution inherits: which execution failed first. */
const ORIGIN = 'messengerSendFirstRun';

// Lives as long as the n8n process: Retry On Fail runs the node again in the same process.
const ledger = new RunLedger<SendResult>();

/** The request as built, so a retry with a changed input is not mistaken for the same item. */
export function fingerprint(send: GraphSend): string {
	const hash = createHash('sha256').update(JSON.stringify([send.pageId, send.request.edge ?? 'messages', send.request.body]));
	if (send.request.file) hash.update(send.request.file.data);
	return hash.digest('base64');
}

/**
 * Keeps n8n's own recovery from sending a message twice:
 * - Retry On Fail: what an earlier try of this node run delivered (process memory);
 * - a retried execution: what the failed execution delivered (n8n's deduplication store);
 * - a Deduplication Key: what this node delivered under that key in any execution (same store).
 */
export class ExactlyOnceGuard {
	private readonly ledgerKey: string;

	private readonly tries: number;

	private readonly tryNumber: number;

	private readonly runIndex: number;

	private readonly origin: string;

	private readonly retried: boolean;

	private readonly fingerprints = new Map<number, string>();

	/** Per claimed item: its Deduplication Key and the store entry that holds it. */
	private readonly claimed = new Map<number, { key: string; entry: string }>();

	private readonly alreadyDelivered = new Set<number>();

	constructor(private readonly ctx: IExecuteFunctions) {
		const node = ctx.getNode();
		const proxy = ctx.getWorkflowDataProxy(0);
		const executionId = String(ctx.getExecutionId() ?? '');
		this.runIndex = Number(proxy.$runIndex ?? 0);
		this.ledgerKey = `${executionId}|${node.id}|${this.runIndex}`;
		this.tries = triesOf(node);
		this.tryNumber = this.tries > 1 ? ledger.startTry(this.ledgerKey) : 1;
		this.retried = ctx.getMode() === 'retry';
		const inherited = this.retried ? proxy.$execution?.customData?.get(ORIGIN) : undefined;
		this.origin = inherited || executionId;
	}

	/** The items not to send, and what each gets instead. */
	async skips(sends: GuardedSend[]): Promise<Map<number, Skip>> {
		const skips = new Map<number, Skip>();
		// Only a node with Retry On Fail can be run again in the same execution.
		for (const { item, send } of this.tries > 1 ? sends : []) {
			const print = fingerprint(send);
			this.fingerprints.set(item, print);
			const earlier = this.tryNumber > 1 ? ledger.earlier(this.ledgerKey, item, print) : undefined;
			if (earlier) skips.set(item, { result: earlier.result });
		}

		if (this.retried) {
			const pending = sends.filter(({ item }) => !skips.has(item));
			const keys = pending.map(({ item }) => deliveredKey(this.origin, this.runIndex, item));
			const delivered = await recorded(this.ctx, keys);
			pending.forEach(({ item }, index) => {
				if (!delivered.has(keys[index])) return;
				skips.set(item, { output: { skipped: 'already delivered', attempts: 0 } });
				this.alreadyDelivered.add(item);
			});
		}

		const keyed = sends.filter(({ item, key }) => key && !skips.has(item));
		const firstOfKey = new Map<string, number>();
		for (const { item, key } of keyed) {
			if (firstOfKey.has(key)) skips.set(item, { output: { skipped: 'duplicate', deduplicationKey: key, attempts: 0 } });
			else firstOfKey.set(key, item);
		}
		const entries = [...firstOfKey.keys()].map(deduplicationEntry);
		const taken = await claimAgainstOthers(this.ctx, entries);
		[...firstOfKey].forEach(([key, item], index) => {
			if (taken.has(entries[index])) skips.set(item, { output: { skipped: 'duplicate', deduplicationKey: key, attempts: 0 } });
			else this.claimed.set(item, { key, entry: entries[index] });
		});
		return skips;
	}

	/**
	 * After sending: frees the Deduplication Keys of what definitely was not delivered (an
	 * uncertain send keeps its key: it may have arrived), so a later execution can send it.
	 * Returns the items whose key n8n's store would not free, even after a few tries.
	 */
	async freeKeys(results: Map<number, SendResult>): Promise<Map<number, KeptKey>> {
		const notDelivered = [...this.claimed].filter(([item]) => {
			const status = results.get(item)?.status;
			return status !== 'delivered' && status !== 'uncertain';
		});
		const problem = await releaseSurely(
			this.ctx,
			notDelivered.map(([, { entry }]) => entry),
		);
		for (const [item] of notDelivered) this.claimed.delete(item);
		if (problem === undefined) return new Map();
		return new Map(notDelivered.map(([item, { key }]) => [item, { key, problem }]));
	}

	/**
	 * After sending: remembers the results for the next try, and, when the node is about to
	 * fail, what a retried execution must not repeat. `failing`: the node throws; `retriedByN8n`:
	 * n8n will run it again (Retry On Fail).
	 */
	async close(results: Map<number, SendResult>, failing: boolean, retriedByN8n: boolean): Promise<void> {
		if (this.tries > 1) {
			if (retriedByN8n && this.tryNumber < this.tries) {
				for (const [item, result] of results) {
					const print = this.fingerprints.get(item);
					if (print && result.status !== 'failed') ledger.remember(this.ledgerKey, item, { fingerprint: print, result });
				}
			} else ledger.release(this.ledgerKey);
		}
		if (!failing) return;
		try {
			this.ctx.getWorkflowDataProxy(0).$execution?.customData?.set(ORIGIN, this.origin);
			const delivered = [...results].filter(([, result]) => result.status === 'delivered').map(([item]) => item);
			await claim(
				this.ctx,
				[...delivered, ...this.alreadyDelivered].map((item) => deliveredKey(this.origin, this.runIndex, item)),
			);
		} catch {
			// The sends are done; a store that cannot be written must not turn them into a failure.
		}
	}
}
