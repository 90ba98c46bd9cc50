// The chain Set and Delete share: refuse what the platform lacks, read the chosen properties,
// decide from what is live (diff.ts), then write once, or not at all.
import type { IDataObject } from 'n8n-workflow';

import { InvalidSendRequest, type Profile, type ProfileProperty } from '../../rules';
import type { GraphCall } from '../../transport/graphCalls';
import { expectSent, type RunContext, type Step } from '../graphAction';
import { readProfileCall } from './calls';
import { liveProfile, type Problem } from './diff';
import { forPlatform } from './read';

/** Runs `plan` unless the platform lacks a chosen property: then the item is refused, nothing sent. */
export function onPlatform(chosen: ProfileProperty[], run: RunContext, item: number, plan: () => Step): Step {
	try {
		forPlatform(chosen, run.platform, item);
	} catch (error) {
		return { refused: error as Error };
	}
	return plan();
}

/** What a Set or Delete decided: refuse, or write (`write` absent: nothing to write), and what the output says. */
export interface Change {
	problem?: Problem;
	write?: GraphCall;
	report: IDataObject;
}

export function readDecideWrite(chosen: ProfileProperty[], fields: ProfileProperty[], item: number, run: RunContext, decide: (live: Profile) => Change): Step {
	return onPlatform(chosen, run, item, () =>
		expectSent(readProfileCall(run.pageId, fields, run.platform), (body) => {
			const change = decide(liveProfile(body));
			if (change.problem) return { refused: new InvalidSendRequest(`${change.problem.field} in item ${item} ${change.problem.text}`, change.problem.field) };
			const output = (changed: boolean): Step => ({ output: { success: true, changed, platform: run.platform, ...change.report } });
			return change.write ? expectSent(change.write, () => output(true)) : output(false);
		}),
	);
}
