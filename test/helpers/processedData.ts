// n8n's deduplication store for in-process runs: the same contract as n8n's database-backed
// one (packages/cli DeduplicationHelper) in 'entries' mode, held in memory. One list per
// workflow and node (scope 'node') or per workflow; the most recent maxEntries values kept.
import { createHash } from 'node:crypto';

import { DataDeduplicationService } from 'n8n-core';
import type { DeduplicationItemTypes, DeduplicationScope, ICheckProcessedContextData, ICheckProcessedOptions, IDataDeduplicator, IDeduplicationOutput } from 'n8n-workflow';

function scopeOf(scope: DeduplicationScope, context: ICheckProcessedContextData): string {
	return `${String(context.workflow.id)}|${scope === 'node' ? `n:${context.node?.id}` : ''}`;
}

const hashOf = (value: DeduplicationItemTypes) => createHash('md5').update(value.toString()).digest('base64');

export class MemoryProcessedData implements IDataDeduplicator {
	readonly lists = new Map<string, string[]>();

	async checkProcessedAndRecord(items: DeduplicationItemTypes[], scope: DeduplicationScope, context: ICheckProcessedContextData, options: ICheckProcessedOptions): Promise<IDeduplicationOutput> {
		const key = scopeOf(scope, context);
		const list = this.lists.get(key) ?? [];
		const output: IDeduplicationOutput = { new: [], processed: [] };
		for (const item of items) {
			const hash = hashOf(item);
			if (list.includes(hash)) output.processed.push(item);
			else {
				output.new.push(item);
				list.push(hash);
			}
		}
		if (options.maxEntries) list.splice(0, Math.max(0, list.length - options.maxEntries));
		this.lists.set(key, list);
		return output;
	}

	async removeProcessed(items: DeduplicationItemTypes[], scope: DeduplicationScope, context: ICheckProcessedContextData): Promise<void> {
		const list = this.lists.get(scopeOf(scope, context));
		if (!list) return;
		for (const item of items) {
			const index = list.indexOf(hashOf(item));
			if (index !== -1) list.splice(index, 1);
		}
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
