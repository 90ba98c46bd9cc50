/** What one input item got in an earlier try of the same node run. */
export interface LedgerRecord<T> {
	/** The item's request as it was built then: a changed input is not the same item. */
	fingerprint: string;
	result: T;
}

interface LedgerEntry<T> {
	tries: number;
	records: Map<number, LedgerRecord<T>>;
	touchedAt: number;
}

/**
 * The process's memory of a node run across n8n's Retry On Fail: n8n calls execute() again in
 * the same process with the same input, and without this the node would send every message
 * again. Keyed by execution, node and run index; bounded in runs and age, because an entry
 * whose last try failed on a crashed or cancelled execution is never released otherwise.
 */
export class RunLedger<T> {
	private readonly entries = new Map<string, LedgerEntry<T>>();

	constructor(
		private readonly maxRuns = 200,
		private readonly maxAgeMs = 60 * 60 * 1000,
		private readonly now: () => number = Date.now,
	) {}

	get size(): number {
		return this.entries.size;
	}

	/** Starts a try of the run and returns its number (1 for the first). */
	startTry(key: string): number {
		this.prune();
		const entry: LedgerEntry<T> = this.entries.get(key) ?? { tries: 0, records: new Map(), touchedAt: 0 };
		entry.tries++;
		entry.touchedAt = this.now();
		// Re-inserted, so the Map's order is least recently used first.
		this.entries.delete(key);
		this.entries.set(key, entry);
		while (this.entries.size > this.maxRuns) this.entries.delete(this.entries.keys().next().value as string);
		return entry.tries;
	}

	/** What an earlier try gave this item, if its request is still the same. */
	earlier(key: string, item: number, fingerprint: string): LedgerRecord<T> | undefined {
		const record = this.entries.get(key)?.records.get(item);
		return record?.fingerprint === fingerprint ? record : undefined;
	}

	remember(key: string, item: number, record: LedgerRecord<T>): void {
		this.entries.get(key)?.records.set(item, record);
	}

	/** The run is over (it succeeded, or it was the last try): nothing will ask again. */
	release(key: string): void {
		this.entries.delete(key);
	}

	private prune(): void {
		const oldest = this.now() - this.maxAgeMs;
		for (const [key, entry] of this.entries) {
			if (entry.touchedAt >= oldest) break;
			this.entries.delete(key);
		}
	}
}

/** How often n8n runs a node with Retry On Fail on (it clamps Max Tries to 2..5). */
export function triesOf(node: { retryOnFail?: boolean; maxTries?: number }): number {
	return node.retryOnFail === true ? Math.min(5, Math.max(2, node.maxTries || 3)) : 1;
}
