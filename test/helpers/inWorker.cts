// Runs code in a worker thread with its own heap and a deadline, for tests of work that must stay
// linear and small (a regular expression, a copy of a huge text): a quadratic or memory-hungry
// version shows as a missing result, where in the test's own thread it would only be slow.
import path from 'node:path';
import { Worker } from 'node:worker_threads';

export interface WorkerLimits {
	/** When the result must be there. */
	deadlineMs?: number;
	/** The worker's heap (V8 old generation), in MB. */
	heapMb?: number;
}

/** The repository's root: the code can require the node's .ts modules (through tsx) from there. */
export const ROOT = path.resolve(__dirname, '../..');

/** Runs `code` (CommonJS; `parentPort` is there, and tsx is registered) and returns what it posts, or why there is nothing. */
export async function inWorker(code: string, limits: WorkerLimits = {}): Promise<unknown> {
	const worker = new Worker(`require('tsx/cjs'); const { parentPort } = require('node:worker_threads'); ${code}`, {
		eval: true,
		...(limits.heapMb ? { resourceLimits: { maxOldGenerationSizeMb: limits.heapMb } } : {}),
	});
	let timer: NodeJS.Timeout | undefined;
	try {
		return await new Promise((resolve) => {
			worker.once('message', resolve);
			worker.once('error', (error) => resolve(`no result: ${error.message}`));
			timer = setTimeout(() => resolve('no result: the deadline passed'), limits.deadlineMs ?? 4_000);
		});
	} finally {
		clearTimeout(timer);
		await worker.terminate();
	}
}

/** A module of the repository, as a string literal for the worker's `require`. */
export const modulePath = (relative: string) => JSON.stringify(path.join(ROOT, relative));
