// Helpers of test/e2e/faults.test.cts (its scenarios are in faultScenarios.cts): the accounting of
// what the people received against what the node reported (delivered, delivered exactly once,
// found by lookup, error items, lost, duplicated, out of order, wrong claims).
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import type { GraphEmulator, ReceivedRequest } from '../../emulator/graphEmulator.cjs';
import { inputOf, PAGE, PARTS, PEOPLE, psidOf, SEED, SENDS, type Scenario } from './faultScenarios.cjs';
import { explainGraphError } from '../../nodes/MessengerSend/errors/graphErrors';
import { MAX_BATCH_OPERATIONS } from '../../nodes/MessengerSend/transport/graphApi';

export interface OutputItem {
	json: Record<string, unknown>;
	pairedItem?: unknown;
}

/** What an error item claims about its message. */
export type Claim = 'maybe delivered' | 'not delivered' | 'refused by Graph' | 'unexplained';

const MAYBE = /may or may not have reached Messenger|may have been delivered/;
const NOT_DELIVERED = /nothing was delivered|did not reach Messenger|the message is not there, so it did not arrive/;
/** What a "may have arrived" item must add when the node looked it up (or should have). */
export const NOT_CHECKABLE = /It could not be checked in the conversation: [^.]{10,}/;
export const NO_READ_PERMISSION = /It could not be checked in the conversation: the access token may not read conversations \(Graph error 200/;

/** Sorts an error item by what its description tells the user; 'unexplained' when it tells nothing useful. */
export function claimOf(json: Record<string, unknown>): Claim {
	const description = typeof json.description === 'string' ? json.description : '';
	if (typeof json.error !== 'string' || !json.error || !description) return 'unexplained';
	if (MAYBE.test(description)) return 'maybe delivered';
	if (NOT_DELIVERED.test(description)) return 'not delivered';
	if (typeof json.code === 'number') {
		const explanation = explainGraphError({ code: json.code, error_subcode: typeof json.error_subcode === 'number' ? json.error_subcode : undefined });
		if (explanation && description.includes(explanation.fix) && typeof json.fbtrace_id === 'string') return 'refused by Graph';
	}
	return 'unexplained';
}

export interface Row {
	scenario: string;
	lookup: Scenario['lookup'];
	delivered: number;
	/**
	 * Of the SENDS, messages in the inbox exactly once whose output item says so (a success item
	 * with the inbox's message_id): the goal's figure. A delivered message whose item says "may
	 * have arrived" does not count: the user still has to find out.
	 */
	deliveredOnce: number;
	/** Success items with `foundByLookup: true` (each checked against the inbox like every success item). */
	foundByLookup: number;
	/** Conversations API requests (the lookups) the emulator received. */
	lookups: number;
	errorItems: number;
	/** Error items whose message is in the inbox all the same (ambiguous answers: correct). */
	deliveredAndError: number;
	lost: number;
	duplicated: number;
	outOfOrder: number;
	/** Error items that explain nothing, or whose claim the inbox contradicts; success items that lie. */
	wrongClaims: number;
	badItems: number;
	retriedItems: number;
	httpRequests: number;
	faults: string;
	nodeSeconds: number;
	wallSeconds: number;
	problems: string[];
	/** One error item per kind of claim, to show what users read. */
	samples: Partial<Record<Claim, Record<string, unknown>>>;
	/** Error items by their title (item number and port taken out). */
	kinds: Record<string, number>;
	/** Error items by what their description says about the conversation. */
	lookupNotes: Record<string, number>;
	/** Items not counted in deliveredOnce: what became of them (shown when the goal is missed). */
	notOnce: Array<{ item: number; inInbox: number; attempts: unknown; error?: unknown; description?: unknown }>;
}

/** Compares the node's output items with the emulator's inbox. */
export function account(scenario: Scenario, emulator: GraphEmulator, items: OutputItem[], timing: { nodeMs: number; wallMs: number }): Row {
	const problems: string[] = [];
	const note = (text: string) => problems.length < 40 && problems.push(text);
	const texts = emulator.inbox.map((entry) => String(entry.message?.text));
	const inbox = new Map<string, string | undefined>();
	for (const entry of emulator.inbox) inbox.set(String(entry.message?.text), entry.message_id);
	const duplicated = texts.length - inbox.size;
	const counts = countBy(texts);
	for (const [text, count] of counts) if (count > 1) note(`duplicated ${count}×: "${text}"`);
	let deliveredOnce = 0;
	let foundByLookup = 0;
	const lookupNotes: Record<string, number> = {};
	const notOnce: Row['notOnce'] = [];

	let errorItems = 0;
	let deliveredAndError = 0;
	let lost = 0;
	let wrongClaims = 0;
	let badItems = 0;
	let retriedItems = 0;
	const samples: Row['samples'] = {};
	const kinds: Record<string, number> = {};
	if (items.length !== SENDS) note(`output has ${items.length} items, not ${SENDS}`);
	for (let i = 0; i < SENDS; i++) {
		const { text } = inputOf(i);
		const item = items[i];
		const delivered = inbox.has(text);
		const once = counts.get(text) === 1 && item !== undefined && item.json.error === undefined && item.json.message_id === inbox.get(text);
		if (once) deliveredOnce++;
		else {
			notOnce.push({ item: i, inInbox: counts.get(text) ?? 0, attempts: item?.json.attempts, error: item?.json.error, description: item?.json.description });
		}
		if (!item) {
			if (!delivered) lost++;
			note(`item ${i}: no output item`);
			continue;
		}
		if (JSON.stringify(item.pairedItem) !== JSON.stringify({ item: i })) {
			badItems++;
			note(`item ${i}: pairedItem ${JSON.stringify(item.pairedItem)}`);
		}
		const { json } = item;
		// Max Retries, plus at most as many resends of sends a lost batch never ran (the lookup showed it).
		if (typeof json.attempts !== 'number' || json.attempts < 1 || json.attempts > 2 * Number(scenario.delivery.maxRetries) + 1) {
			badItems++;
			note(`item ${i}: attempts ${JSON.stringify(json.attempts)}`);
		} else if (json.attempts > 1) retriedItems++;
		if (json.foundByLookup !== undefined) {
			if (json.foundByLookup !== true || json.error !== undefined || scenario.lookup !== 'on') {
				wrongClaims++;
				note(`item ${i}: foundByLookup on ${JSON.stringify(json)} (lookup ${scenario.lookup})`);
			} else foundByLookup++;
		}
		if (json.error === undefined) {
			// A success item (found by lookup or not): its message must be in the inbox under the message_id it reports.
			if (!delivered) {
				lost++;
				note(`item ${i}: success item ${JSON.stringify(json)} but "${text}" is not in the inbox`);
			} else if (json.message_id !== inbox.get(text)) {
				wrongClaims++;
				note(`item ${i}: message_id ${String(json.message_id)}, the inbox has ${String(inbox.get(text))}`);
			}
			continue;
		}
		errorItems++;
		if (delivered) deliveredAndError++;
		const claim = claimOf(json);
		samples[claim] ??= json;
		const kind = String(json.error).replace(/ \(item \d+\)/, '').replace(/127\.0\.0\.1:\d+/, '127.0.0.1:PORT');
		kinds[kind] = (kinds[kind] ?? 0) + 1;
		const description = String(json.description ?? '');
		const lookupNote = /The conversation was checked[^.]*\./.exec(description)?.[0] ?? /It could not be checked in the conversation: [^.(]*/.exec(description)?.[0];
		if (lookupNote) lookupNotes[lookupNote.trim()] = (lookupNotes[lookupNote.trim()] ?? 0) + 1;
		const mentionsItem = typeof json.error === 'string' && json.error.includes(`(item ${i})`);
		const contradicted = delivered && (claim === 'not delivered' || claim === 'refused by Graph');
		// "May have arrived" must say why the conversation could not tell (lookup on), that the token
		// may not read it (permission missing), and nothing about a lookup when it is off.
		const lookupUnexplained =
			claim === 'maybe delivered' &&
			(scenario.lookup === 'on' ? !NOT_CHECKABLE.test(description) : scenario.lookup === 'noPermission' ? !NO_READ_PERMISSION.test(description) : lookupNote !== undefined);
		if (claim === 'unexplained' || contradicted || !mentionsItem || lookupUnexplained) {
			wrongClaims++;
			note(`item ${i} (${delivered ? 'delivered' : 'not delivered'}, ${claim}): ${JSON.stringify(json)}`);
		}
	}

	let outOfOrder = 0;
	for (let person = 0; person < PEOPLE; person++) {
		const parts = emulator.conversation(`id:${psidOf(person)}`).map((entry) => Number(/^msg (\d+)/.exec(String(entry.message?.text))?.[1]));
		parts.forEach((part, i) => {
			if (i > 0 && part < parts[i - 1]) {
				outOfOrder++;
				note(`person ${psidOf(person)} received parts ${parts.join(',')}`);
			}
		});
	}

	// `attempts` must be the truth: their sum is the number of send operations the emulator received
	// and ran (the lookups are reads, not sends; a chain's link behind a failed one is not run).
	// A request the node gave up on before the emulator had read its body (the node's timeout, on a
	// busy machine) was an attempt that never ran: up to a batch's 50 operations each, no more.
	const attemptsSum = items.reduce((sum, item) => sum + (typeof item?.json.attempts === 'number' ? item.json.attempts : 0), 0);
	const { notRun, cutOff } = emulator.stats();
	const operations = emulator.requests.reduce((sum, request) => sum + operationsIn(request), 0) - notRun;
	const neverRan = attemptsSum - operations;
	if (neverRan < 0 || neverRan > cutOff * MAX_BATCH_OPERATIONS) {
		note(`the items' attempts add up to ${attemptsSum}, the emulator ran ${operations} send operations (${cutOff} request(s) cut off before it read them)`);
	}
	const lookupRequests = emulator.requests.filter(isLookup);
	const lookups = lookupRequests.length;
	if (scenario.lookup === 'off' && lookups) note(`${lookups} conversation lookups with Look Up Uncertain Sends off`);
	for (const request of lookupRequests) {
		const { platform, user_id: userId, fields } = request.query;
		if (request.method !== 'GET' || platform !== 'messenger' || !/^\d+$/.test(userId ?? '') || !/^messages\.limit\(\d+\)\{.*\}$/.test(fields ?? '')) {
			note(`an unexpected lookup: ${request.method} ${request.url}`);
			break;
		}
	}

	const stats = emulator.stats();
	const fired: Record<string, number> = {
		...stats.faults,
		...(stats.rejected['613'] ? { '613': stats.rejected['613'] } : {}),
		...(stats.rejected['200'] ? { 'lookup refused 200': stats.rejected['200'] } : {}),
	};
	for (const name of scenario.expectFired) if (!fired[name]) note(`the scenario's ${name} never fired`);
	return {
		scenario: scenario.title,
		lookup: scenario.lookup,
		delivered: inbox.size,
		deliveredOnce,
		foundByLookup,
		lookups,
		errorItems,
		deliveredAndError,
		lost,
		duplicated,
		outOfOrder,
		wrongClaims,
		badItems,
		retriedItems,
		httpRequests: stats.requests,
		faults: Object.entries(fired)
			.map(([name, count]) => `${name} ${count}`)
			.join(', '),
		nodeSeconds: timing.nodeMs / 1000,
		wallSeconds: timing.wallMs / 1000,
		problems,
		samples,
		kinds,
		lookupNotes,
		notOnce,
	};
}

const SEND_EDGE = /\/messages(\?|$)/;

/** Send operations in a request: a direct send, or a batch's operations to a messages edge. */
function operationsIn(request: ReceivedRequest): number {
	if (typeof request.body.batch === 'string') {
		return (JSON.parse(request.body.batch) as Array<{ relative_url?: string }>).filter((op) => SEND_EDGE.test(String(op.relative_url))).length;
	}
	return SEND_EDGE.test(request.path) ? 1 : 0;
}

/** A Conversations API read: the node looking up a send whose answer was lost. */
export function isLookup(request: ReceivedRequest): boolean {
	return /\/conversations$/.test(request.path);
}

function countBy(values: string[]): Map<string, number> {
	const counts = new Map<string, number>();
	for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
	return counts;
}

export function formatTable(rows: Row[]): string {
	const header = ['scenario', 'delivered', 'once %', 'found by lookup', 'error items', 'of them delivered', 'lost', 'dup', 'order', 'wrong claims', 'retried items', 'http req', 'lookups', 'node s', 'wall s', 'faults fired'];
	const lines = rows.map((row) => [
		row.scenario,
		row.delivered,
		((100 * row.deliveredOnce) / SENDS).toFixed(1),
		row.foundByLookup,
		row.errorItems,
		row.deliveredAndError,
		row.lost,
		row.duplicated,
		row.outOfOrder,
		row.wrongClaims + row.badItems,
		row.retriedItems,
		row.httpRequests,
		row.lookups,
		row.nodeSeconds.toFixed(1),
		row.wallSeconds.toFixed(1),
		row.faults,
	].map(String));
	const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
	const format = (cells: string[]) => cells.map((cell, column) => (column === 0 || column === cells.length - 1 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd();
	return [`${SENDS} sends per scenario (${PEOPLE} people × ${PARTS} messages), seed ${SEED}`, format(header), ...lines.map(format)].join('\n');
}

export function expectedProof(): string {
	return createHmac('sha256', PAGE.appSecret).update(PAGE.token).digest('hex');
}

/** Every appsecret_proof a request carried: the query's, and each batch operation's. */
export function proofsOf(request: ReceivedRequest): { top?: string; operations: Array<string | null> } {
	const operations: Array<string | null> = [];
	const batch = request.body.batch;
	if (typeof batch === 'string') {
		for (const op of JSON.parse(batch) as Array<{ body?: string }>) operations.push(new URLSearchParams(op.body ?? '').get('appsecret_proof'));
	}
	return { top: request.query.appsecret_proof, operations };
}

/** Files under a folder (recursively) whose bytes contain the needle. */
export function filesContaining(root: string, needle: string): string[] {
	const bytes = Buffer.from(needle, 'utf8');
	const found: string[] = [];
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const file = path.join(dir, name);
			const stat = statSync(file, { throwIfNoEntry: false });
			if (!stat) continue;
			if (stat.isDirectory()) walk(file);
			else if (stat.isFile() && readFileSync(file).includes(bytes)) found.push(file);
		}
	};
	walk(root);
	return found;
}
