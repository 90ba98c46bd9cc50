// Property-based tests through the real n8n engine (n8n-core's WorkflowExecute, test/helpers/runNode.ts)
// against the Graph API emulator over HTTP: random parameters (literals of every Unicode kind,
// values from the input items, and expressions that give objects, numbers, null and lists where
// text is expected) for 1 to 3 items, with and without Continue On Fail, batching on and off.
// Every run must end with an output item per input item holding message_id (and recipient_id),
// or an error (the node's, or an error item) naming field and item; never a TypeError, and never a
// request the emulator refuses. Counts per operation are printed at the end.
// FUZZ_NODE_RUNS and FUZZ_SEED override the number of runs per operation and the seed. The runs'
// generators: test/helpers/fuzzNodeRuns.ts.
import fc from 'fast-check';
import { NodeHelpers, type INodeExecutionData, type INodeParameters } from 'n8n-workflow';

import { MessengerSend } from '../../nodes/MessengerSend/MessengerSend.node';

import type { InboxEntry } from '../../emulator/types.cjs';
import { credentials, server, send, TOKEN, useGraphServer } from '../helpers/fixtures';
import { binaryOf, FILE_MAX, ISSUED_ATTACHMENT_ID, materialize, OPERATIONS, runs, type OperationName, type Run } from '../helpers/fuzzNodeRuns';
import { numberFromEnv, report } from '../helpers/testEnv.cjs';

const RUNS = numberFromEnv('FUZZ_NODE_RUNS', 200);
const SEED = numberFromEnv('FUZZ_SEED', 20_261_124);

useGraphServer();

// ---- The property -------------------------------------------------------------------------------

const FIELDS = [
	'PSID', 'User Ref', 'Comment ID', 'Post ID', 'Recipient', 'Messaging Type', 'Text', 'Metadata', 'Notification Type',
	'Persona ID', 'Reply To Message ID', 'Quick Replies', 'Quick Reply', 'Tag', 'Attachment Type', 'Attachment Source',
	'Attachment URL', 'URL', 'Attachment ID', 'Input Binary Field', 'Action', 'Message ID', 'Reaction', 'Message',
];
/** n8n's own message for a binary field the item does not have (NodeOperationError from assertBinaryData). */
const N8N_BINARY = /binary (file|field) '[^']*'.* \[item (\d+)\]$/s;
const NAMED = new RegExp(`^(Quick Reply \\d+ (?:Title|Payload|Image URL|Type)|${FIELDS.join('|')})\\b.*? in item (\\d+)\\b`, 's');

function categoryOf(message: string): string {
	const binary = N8N_BINARY.exec(message);
	if (binary) return 'Input Binary Field: no such binary in the item (n8n)';
	const field = NAMED.exec(message)?.[1] ?? '?';
	const kind = message.includes('more than the limit')
		? 'over the limit'
		: /empty/.test(message)
			? 'empty'
			: message.includes('must be text')
				? 'not text'
				: message.includes('use one of')
					? 'not an allowed value'
					: message.includes('http(s) URL')
						? 'not an http(s) URL'
						: 'other';
	return `${field.replace(/^Quick Reply \d+/, 'Quick Reply <n>')}: ${kind}`;
}

class PropertyBroken extends Error {}

const { description } = new MessengerSend();

/** Whether n8n finds parameter issues in the node, as WorkflowExecute checks before it runs. */
function hasParameterIssues(parameters: INodeParameters): boolean {
	const node = { id: 'fuzz', name: 'Messenger Send', type: description.name, typeVersion: 1, position: [0, 0] as [number, number], parameters };
	// The parameters as n8n's Workflow holds them: defaults filled in, hidden ones dropped.
	const shown = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node, description) ?? {};
	return NodeHelpers.getNodeParametersIssues(description.properties, { ...node, parameters: shown }, description) !== null;
}

/** The item an error message names; throws unless it names a field and an item. */
function itemNamedBy(message: string): number {
	if (/TypeError|Cannot (read|convert|destructure)|is not a function|undefined in item/.test(message)) {
		throw new PropertyBroken(`an error that is not a named refusal: ${message}`);
	}
	const match = N8N_BINARY.exec(message) ?? NAMED.exec(message);
	if (!match) throw new PropertyBroken(`an error that does not name a field and an item: ${message}`);
	return Number(match[2]);
}

const outcomes: Record<string, Map<string, number>> = {};
const count = (operation: string, key: string) => {
	const map = (outcomes[operation] ??= new Map());
	map.set(key, (map.get(key) ?? 0) + 1);
};

/** Makes the emulator issue ISSUED_ATTACHMENT_ID to the Page, as an earlier reusable upload would. */
async function issueAttachment(): Promise<void> {
	const response = await fetch(`${String(credentials().baseUrl)}/v25.0/me/message_attachments`, {
		method: 'POST',
		headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
		body: JSON.stringify({ message: { attachment: { type: 'image', payload: { url: 'https://example.com/a.png', is_reusable: true } } } }),
	});
	const body = (await response.json()) as { attachment_id?: string };
	if (body.attachment_id !== ISSUED_ATTACHMENT_ID) throw new Error(`the emulator issued ${JSON.stringify(body)}`);
}

async function check(operation: OperationName, run: Run): Promise<void> {
	// A private reply goes once per comment or post: one item, so no run replies twice (10900).
	const privateReply = run.parameters.recipientType === 'comment_id' || run.parameters.recipientType === 'post_id';
	const itemCount = privateReply ? 1 : run.itemCount;
	const items: INodeExecutionData[] = Array.from({ length: itemCount }, (_, index) => {
		const binary = binaryOf(run.files[index]);
		return { json: {}, ...(binary ? { binary } : {}) };
	});
	const parameters = materialize(run.parameters, items, []) as INodeParameters;
	parameters.delivery = { batching: run.batching };

	server.reset();
	await issueAttachment();
	const context = () => `\nparameters: ${JSON.stringify(parameters).slice(0, 1500)}\nitems: ${JSON.stringify(items.map((item) => item.json)).slice(0, 1500)}`;
	let result;
	let notRun: Error | undefined;
	try {
		result = await send(parameters, { items, continueOnFail: run.continueOnFail });
	} catch (error) {
		notRun = error as Error;
	}
	if (notRun || !result) {
		// n8n itself does not start a workflow whose node has parameter issues (a required field
		// shown but empty, as the editor marks it): the node never runs, nothing is sent.
		if (notRun?.name !== 'WorkflowHasIssuesError' || !hasParameterIssues(parameters) || server.stats().requests > 1) {
			throw new PropertyBroken(`n8n did not run the workflow: ${notRun?.stack}${context()}`);
		}
		count(operation, 'a required field is empty: n8n does not start the workflow (parameter issues)');
		return;
	}
	const stats = server.stats();
	if (run.clean && (result.error || result.items.some((item) => item.json.error !== undefined))) {
		throw new PropertyBroken(`a run of valid values was refused: ${JSON.stringify(result.error ?? result.items)}${context()}`);
	}

	if (Object.keys(stats.rejected).length) {
		const refused = server.requests.find((request) => request.path.endsWith('/messages') || request.path === '/v25.0/');
		throw new PropertyBroken(`the emulator refused a send: ${JSON.stringify(stats.rejected)} ${JSON.stringify(result.error ?? result.items)}${context()} ${JSON.stringify(refused?.body).slice(0, 800)}`);
	}
	if (result.error) {
		if (result.error.name === 'TypeError') throw new PropertyBroken(`a TypeError: ${result.error.message}${context()}`);
		const item = itemNamedBy(result.error.message);
		if (item >= itemCount) throw new PropertyBroken(`the error names item ${item} of ${itemCount}: ${result.error.message}`);
		count(operation, categoryOf(result.error.message));
		return;
	}
	if (result.items.length !== itemCount) throw new PropertyBroken(`${result.items.length} output items for ${itemCount} input items${context()}`);
	// Graph answers a sender action with recipient_id only, and a user_ref send without recipient_id.
	const userRef = (parameters.recipientType ?? 'id') === 'user_ref';
	const withMessage = operation !== 'senderAction';
	let delivered = 0;
	result.items.forEach((output, index) => {
		const json = output.json;
		if ((output.pairedItem as { item: number }).item !== index) throw new PropertyBroken(`output ${index} is paired with ${JSON.stringify(output.pairedItem)}`);
		if (typeof json.error === 'string') {
			if (itemNamedBy(json.error) !== index) throw new PropertyBroken(`the error item ${index} names another item: ${json.error}`);
			count(operation, categoryOf(json.error));
			return;
		}
		if ((withMessage && typeof json.message_id !== 'string') || (!userRef && typeof json.recipient_id !== 'string') || json.attempts !== 1) {
			throw new PropertyBroken(`output ${index} is neither a sent message nor an error: ${JSON.stringify(json)}${context()}`);
		}
		delivered++;
		count(operation, 'accepted');
	});
	if (delivered !== stats.accepted) throw new PropertyBroken(`${delivered} sent items, ${stats.accepted} messages in the emulator's inbox`);
	for (const entry of server.inbox) noteBoundaries(operation, entry);
}

/** Delivered messages exactly at a limit, as the emulator received them. */
const boundaries: Record<string, Map<string, number>> = {};
function noteBoundaries(operation: string, entry: InboxEntry): void {
	const message = entry.message ?? {};
	const replies = (Array.isArray(message.quick_replies) ? message.quick_replies : []) as Array<Record<string, unknown>>;
	const length = (value: unknown) => (typeof value === 'string' ? [...value].length : -1);
	const hits = [
		['text of 1999 characters', length(message.text) === 1999],
		['metadata of 999 characters', length(message.metadata) === 999],
		['13 quick replies', replies.length === 13],
		['a quick reply title of 20 characters', replies.some((reply) => length(reply.title) === 20)],
		['a quick reply payload of 1000 characters', replies.some((reply) => length(reply.payload) === 1000)],
		['a file of 26214400 bytes', entry.file?.size === FILE_MAX],
	] as const;
	const map = (boundaries[operation] ??= new Map());
	for (const [name, hit] of hits) if (hit) map.set(name, (map.get(name) ?? 0) + 1);
}

const durations: Record<string, number> = {};

describe(`fuzz through n8n's engine: ${RUNS} runs per operation (seed ${SEED})`, () => {
	test.each([...OPERATIONS])(
		'%s: every item is sent or refused naming field and item; the emulator refuses nothing',
		async (operation) => {
			const started = Date.now();
			await fc.assert(
				fc.asyncProperty(runs(operation), async (run) => await check(operation, run)),
				{ numRuns: RUNS, seed: SEED, endOnFailure: true },
			);
			durations[operation] = Date.now() - started;
			expect(outcomes[operation]?.get('accepted') ?? 0).toBeGreaterThan(RUNS / 10);
		},
		120_000,
	);

	afterAll(() => {
		const lines = [`fuzz (n8n engine, emulator over HTTP): ${RUNS} runs per operation, seed ${SEED}; counts per item, or per run when the node stopped`];
		for (const operation of OPERATIONS) {
			const tally = outcomes[operation];
			if (!tally) continue;
			lines.push(`\n${operation} (${durations[operation] ?? '?'} ms):`);
			for (const [key, runs] of [...tally.entries()].sort((a, b) => b[1] - a[1])) lines.push(`  ${String(runs).padStart(5)}  ${key}`);
			const hits = boundaries[operation];
			if (hits?.size) lines.push(`  delivered exactly at a limit: ${[...hits.entries()].map(([key, runs]) => `${key} ×${runs}`).join(', ')}`);
		}
		report(lines.join('\n'));
	});
});
