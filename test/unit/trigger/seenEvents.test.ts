// Emitted once: the keys of emitted events, remembered in the node's static data and in process.
import type { IDataObject } from 'n8n-workflow';

import { claimEvents, mergeRemembered, takeNew } from '../../../nodes/MessengerTrigger/seenEvents';

test('new keys are taken once, a key twice in one delivery only the first time', () => {
	expect(takeNew(['a'], ['a', 'b', 'b', 'c'])).toEqual({ fresh: [false, true, false, true], remembered: ['a', 'b', 'c'] });
});

test('the remembered keys are bounded, the oldest forgotten first', () => {
	expect(takeNew(['a', 'b', 'c'], ['d', 'e'], 4).remembered).toEqual(['b', 'c', 'd', 'e']);
	expect(mergeRemembered(['a', 'b'], ['b', 'c', 'd'], 3)).toEqual(['b', 'c', 'd']);
});

test('static data loaded before another request saved it still knows that request’s keys (the process remembers them)', () => {
	// n8n loads static data per request: both copies start empty, as two requests handled at once.
	const first: IDataObject = {};
	const second: IDataObject = {};
	expect(claimEvents(first, 'wf|node-a', ['k1', 'k2'])).toEqual([true, true]);
	expect(claimEvents(second, 'wf|node-a', ['k2', 'k3'])).toEqual([false, true]);
	// The copy saved last holds every key, so a restart loses none.
	expect(second.seenEvents).toEqual(['k1', 'k2', 'k3']);
});

test('after a restart (nothing in process) the saved static data alone finds a redelivery', () => {
	const saved = { seenEvents: ['r1', 'r2'] };
	expect(claimEvents(saved, 'wf|node-fresh-process', ['r2', 'r3'])).toEqual([false, true]);
	expect(saved.seenEvents).toEqual(['r1', 'r2', 'r3']);
});

test('triggers do not share keys', () => {
	expect(claimEvents({}, 'wf|node-x', ['same'])).toEqual([true]);
	expect(claimEvents({}, 'wf|node-y', ['same'])).toEqual([true]);
});
