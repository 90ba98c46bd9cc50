import type { IDataObject } from 'n8n-workflow';

/**
 * How many event keys are remembered: Meta redelivers within minutes to hours, not thousands of
 * events later. Bounded because n8n stores the static data with every execution (2 000 keys:
 * about 30 KB; the bench measured 125 KB per execution at 5 000 keys of 22 characters).
 */
export const REMEMBERED_EVENTS = 2000;

/**
 * Which keys were not seen before, and the remembered keys afterwards (oldest first, at most
 * `limit`). A key twice in `keys` is new only the first time.
 */
export function takeNew(remembered: readonly string[], keys: readonly string[], limit = REMEMBERED_EVENTS): { fresh: boolean[]; remembered: string[] } {
	const seen = new Set(remembered);
	const added: string[] = [];
	const fresh = keys.map((key) => {
		if (seen.has(key)) return false;
		seen.add(key);
		added.push(key);
		return true;
	});
	const next = [...remembered, ...added];
	return { fresh, remembered: next.length > limit ? next.slice(next.length - limit) : next };
}

/** Two remembered lists as one: `a`'s order, then what only `b` holds. */
export function mergeRemembered(a: readonly string[], b: readonly string[], limit = REMEMBERED_EVENTS): string[] {
	const inA = new Set(a);
	const merged = [...a, ...b.filter((key) => !inA.has(key))];
	return merged.length > limit ? merged.slice(merged.length - limit) : merged;
}

/**
 * Keys this process emitted, per trigger. n8n loads a workflow's static data afresh for each
 * webhook request and saves it after, so two requests handled at the same time would each
 * save only their own keys; keeping them here too, and writing the union back, loses none.
 */
const inProcess = new Map<string, string[]>();

/**
 * Marks the keys as emitted in the node's static data (kept by n8n with the active workflow)
 * and in this process, and says which of them are new. Synchronous from read to write, so
 * requests handled concurrently in one process cannot both take a key.
 */
export function claimEvents(staticData: IDataObject, scope: string, keys: readonly string[]): boolean[] {
	const stored = Array.isArray(staticData.seenEvents) ? (staticData.seenEvents as string[]) : [];
	const known = mergeRemembered(stored, inProcess.get(scope) ?? []);
	const { fresh, remembered } = takeNew(known, keys);
	if (fresh.some(Boolean) || remembered.length !== stored.length) staticData.seenEvents = remembered;
	inProcess.set(scope, remembered);
	return fresh;
}
