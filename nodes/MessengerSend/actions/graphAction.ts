import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { GraphOutcome } from '../../shared/graph';
import type { Platform } from '../../shared/platform';
import type { GraphCall } from '../transport/graphCalls';

// The actions of the Conversation and Person resources: each item is read and checked first (no
// I/O), then planned as a chain of Graph calls whose every next step is a pure function of the
// answer before it. actions/graphRouter.ts sends the steps of all items together.

/** A refused or unanswered call, for the item's error: what was asked, and the answer. */
export interface Failure {
	call: GraphCall;
	outcome: Exclude<GraphOutcome, { kind: 'sent' }>;
	/** What the node found out besides (e.g. who owns the thread now), said in the error. */
	note?: string;
}

export type Step =
	| { call: GraphCall; next: (outcome: GraphOutcome) => Step }
	/** The item's output: one item, or several (Get Many: one per thing listed, possibly none). */
	| { output: IDataObject | IDataObject[] }
	| { failure: Failure }
	/** Refused by the node itself after what it read (e.g. the menu would be left without Get Started): nothing was written. */
	| { refused: Error };

/** What the whole run knows before any item is planned. */
export interface RunContext {
	/** The Page the calls go to ("me": the token's Page). */
	pageId: string;
	platform: Platform;
	/** The app the access token belongs to, when Graph told (GET /app); needed to tell "already done" for take, request and release. */
	appId?: string;
}

export interface GraphAction<Input = unknown> {
	option: INodePropertyOptions & { action: string };
	description: INodeProperties[];
	/** Whether planning needs the token's app ID (RunContext.appId). */
	needsAppId?: boolean;
	/**
	 * Each item's whole chain before the next item's first call: items that change the same thing
	 * (the Page's profile, its personas) then each see what the one before left.
	 */
	oneItemAtATime?: boolean;
	/** Reads and checks an item's parameters; throws InvalidSendRequest naming the field, item and limit. */
	read(ctx: IExecuteFunctions, item: number): Input;
	/** Pure: the item's first step. */
	plan(input: Input, run: RunContext): Step;
}

/** The step after a successful answer; anything else ends the item with its failure. */
export function expectSent(call: GraphCall, then: (body: IDataObject) => Step, onRefused?: (outcome: Failure['outcome']) => Step): Step {
	return {
		call,
		next: (outcome) => {
			if (outcome.kind === 'sent') return then(outcome.body);
			return onRefused ? onRefused(outcome) : { failure: { call, outcome } };
		},
	};
}
