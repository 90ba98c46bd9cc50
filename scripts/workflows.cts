// Workflow JSON as the n8n editor saves it, for the demo, the benchmark and the end-to-end tests.
import { randomUUID } from 'node:crypto';

export interface NodeSpec {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	onError?: 'continueRegularOutput';
}

/** Nodes connected one after the other, laid out left to right. */
export function linearWorkflow(id: string, name: string, specs: NodeSpec[]): Record<string, unknown> {
	const nodes = specs.map((spec, index) => ({ id: randomUUID(), position: [index * 220, 0], ...spec }));
	const connections = Object.fromEntries(
		specs.slice(0, -1).map((spec, index) => [spec.name, { main: [[{ node: specs[index + 1].name, type: 'main', index: 0 }]] }]),
	);
	return { id, name, nodes, connections, settings: { executionOrder: 'v1' }, pinData: {} };
}

export const manualTrigger: NodeSpec = { name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} };

/**
 * Manual Trigger → Set (the list) → Split Out: one item `{psid, part}` per message. By default
 * everyone's part 1 first, then everyone's part 2..., so a sender that reorders a person's
 * messages shows it; `by-person` lists each person's parts together (p0's 1..n, then p1's...), as
 * a chatbot's reply or a drip sequence reaches the node.
 */
export function broadcastList(psids: string[], parts: number, arrangement: 'round-robin' | 'by-person' = 'round-robin'): NodeSpec[] {
	const items = Array.from({ length: psids.length * parts }, (_, i) =>
		arrangement === 'by-person'
			? { psid: psids[Math.floor(i / parts)], part: (i % parts) + 1 }
			: { psid: psids[i % psids.length], part: Math.floor(i / psids.length) + 1 },
	);
	return [
		manualTrigger,
		{ name: 'List', type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { mode: 'raw', jsonOutput: JSON.stringify({ people: items }), options: {} } },
		{ name: 'One item per send', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'people', options: {} } },
	];
}
