// n8n's deduplication store for in-process runs: the same contract as n8n's database-backed one
// (packages/cli/src/deduplication/deduplication-helper.ts, n8n 2.8.x) in 'entries' mode, held in
// memory, trimmed as n8n trims. One list per workflow and node (scope 'node') or per workflow.
// What n8n does, and this store too:
// - values are kept as MD5 hashes (base64), in the order written;
// - the first write to a list (no row yet) records every value, duplicates included, and keeps
//   the last `maxEntries` of them; all are reported new;
// - a later write reports a value processed if its hash is in the list (or was added earlier in
//   the same call), appends the new ones, then drops the oldest until `maxEntries` remain;
// - removing deletes the first occurrence of each value's hash.
import { createHash } from 'node:crypto';

import { DataDeduplicationService } from 'n8n-core';
import type { DeduplicationItemTypes, DeduplicationScope, ICheckProcessedContextData, ICheckProcessedOptions, IDataDeduplicator, IDeduplicationOutput } from 'n8n-workflow';

function scopeOf(scope: DeduplicationScope, context: ICheckProcessedContextData): string {
	return `${String(context.workflow.id)}|${scope === 'node' ? `n:${context.node?.id}` : ''}`;
}

const hashOf = (value: DeduplicationItemTypes) => createHash('md5').update(value.toString()).digest('base64');

/** n8n's `data.splice(0, data.length - maxEntries)`: a negative count removes nothing. */
function trimmed(list: string[], maxEntries: number | undefined): string[] {
	if (maxEntries) list.splice(0, list.length - maxEntries);
	return list;
}

export class MemoryProcessedData implements IDataDeduplicator {
	readonly lists = new Map<string, string[]>();

	async checkProcessedAndRecord(items: DeduplicationItemTypes[], scope: DeduplicationScope, context: ICheckProcessedContextData, options: ICheckProcessedOptions): Promise<IDeduplicationOutput> {
		const key = scopeOf(scope, context);
		const hashes = items.map(hashOf);
		const list = this.lists.get(key);
		if (!list) {
			this.lists.set(key, trimmed(hashes, options.maxEntries));
			return { new: [...items], processed: [] };
		}
		// A set beside the list only for speed (n8n searches the array): same answers.
		const present = new Set(list);
		const output: IDeduplicationOutput = { new: [], processed: [] };
		hashes.forEach((hash, index) => {
			if (present.has(hash)) output.processed.push(items[index]);
			else {
				output.new.push(items[index]);
				list.push(hash);
				present.add(hash);
			}
		});
		trimmed(list, options.maxEntries);
		return output;
	}

	async removeProcessed(items: DeduplicationItemTypes[], scope: DeduplicationScope, context: ICheckProcessedContextData): Promise<void> {
		const list = this.lists.get(scopeOf(scope, context));
		if (!list) return;
		// One pass: for each value given, the first occurrence of its hash goes (n8n: findIndex + splice per value).
		const gone = new Map<string, number>();
		for (const hash of items.map(hashOf)) gone.set(hash, (gone.get(hash) ?? 0) + 1);
		const kept = list.filter((hash) => {
			const count = gone.get(hash) ?? 0;
			if (count === 0) return true;
			gone.set(hash, count - 1);
			return false;
		});
		list.length = 0;
		for (const hash of kept) list.push(hash);
	}

	async clearAllProcessedItems(scope: DeduplicationScope, context: ICheckProcessedContextData): Promise<void> {
		this.lists.delete(scopeOf(scope, context));
	}

	async getProcessedDataCount(scope: DeduplicationScope, context: ICheckProcessedContextData): Promise<number> {
		return this.lists.get(scopeOf(scope, context))?.length ?? 0;
	}

	clear(): void {
		this.lists.clear();
	}
}

let store: MemoryProcessedData | undefined;

/** The process's store, set up once as n8n does at start. */
export function processedData(): MemoryProcessedData {
	if (!store) {
		store = new MemoryProcessedData();
		void DataDeduplicationService.init(store);
	}
	return store;
}
