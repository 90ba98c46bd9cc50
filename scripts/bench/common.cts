// What the bench's sections share: the Page, each section's sizes and settings, and how figures
// are printed.
export const PAGE = { id: '1029384756', name: 'Bench Shop', token: 'BENCH-PAGE-TOKEN' };
export const CREDENTIAL = { id: 'msgrBenchCred001', name: 'Messenger Page (bench)' };
export const SIZES = (process.env.BENCH_SIZES ?? '100,1000,5000').split(',').map(Number);
export const PARTS = 2; // each broadcast recipient gets a two-part message, so order per person can be checked
export const CAP = 300;
// Jitter on the way in (requests can overtake each other) and on the way back: 0–40 ms in all.
export const ORDER = { people: 10, messages: 100, arrivalJitterMs: 20, jitterMs: 20 };
export const REPLY = { people: 200, messages: 4, latencyMs: 50, singleRuns: 5, inProcessRuns: 10 };
export const PARAMS = { items: 10_000, warmUpItems: 1_000, repeats: 3 };
// Its own `n8n start` on the bench's port (the other sections only run `n8n execute`, and are done by then).
export const TRIGGER = {
	events: 1000,
	perRequest: 10,
	concurrency: Number(process.env.BENCH_TRIGGER_CONCURRENCY ?? 10),
	port: 5689,
	appSecret: 'BENCH-APP-SECRET',
	verifyToken: 'bench-verify-token',
	webhookId: 'bench-messenger-trigger',
	fullWebhookId: 'bench-messenger-trigger-full',
	webhookPath: 'bench-webhook-node',
	/** Requests (other mids) sent to each workflow first and not counted: n8n's first requests load and compile code. */
	warmUpRequests: 10,
	signatureSizesKb: [1, 10, 100, 1024],
};
export const TRIGGER_CREDENTIAL = { id: 'msgrBenchTrig001', name: 'Messenger Page (bench trigger)' };
export const TRIGGER_WORKFLOW = 'msgrBenchTrigWf01';
/** The same trigger with its memory of event keys already full (REMEMBERED_EVENTS keys in its static data). */
export const FULL_TRIGGER_WORKFLOW = 'msgrBenchTrigWf02';
export const WEBHOOK_WORKFLOW = 'msgrBenchHookWf01';

export const fmt = (n: number, digits = 0) => n.toFixed(digits);
/** The least time a run of `sends` needs under the node's default pace: a window of CAP sends per second. */
export const pacingFloorS = (sends: number) => Math.max(0, Math.ceil(sends / CAP) - 1);
export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
