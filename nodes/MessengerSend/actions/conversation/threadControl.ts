import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { isPageInbox, PAGE_INBOX_APP_ID, THREAD_CONTROL_EDGES, threadOwnerOf, type ThreadControlAction } from '../../../shared/handover';
import type { GraphOutcome } from '../../../shared/graph';
import { readText } from '../../request/parameters';
import type { GraphCall } from '../../transport/graphCalls';
import type { GraphAction, RunContext, Step } from '../graphAction';
import { checkId, metadataField, psidField, readMetadata, readPsid } from './fields';

// The four thread control actions (pass, take, request, release) built one way: read who owns the
// thread; already where the action puts it → success with changed: false and nothing sent;
// otherwise the call, and after a refusal the owner read again (another execution, a retry or a
// person may have done it meanwhile) before the refusal becomes the item's error.

export interface ThreadControlInput {
	psid: string;
	metadata?: string;
	/** The app a pass goes to. */
	targetAppId?: string;
}

export function pagePath(pageId: string): string {
	return encodeURIComponent(pageId.trim() || 'me');
}

/** `GET /{page-id}/thread_owner?recipient=PSID`. */
export function ownerCall(pageId: string, psid: string): GraphCall {
	return { method: 'GET', path: `${pagePath(pageId)}/${THREAD_CONTROL_EDGES.owner}`, qs: { recipient: psid } };
}

/** `POST /{page-id}/<action>_thread_control` with the recipient, the target app (pass) and the metadata. */
export function controlCall(action: ThreadControlAction, pageId: string, input: ThreadControlInput): GraphCall {
	const body: IDataObject = { recipient: { id: input.psid } };
	if (action === 'pass') body.target_app_id = input.targetAppId;
	if (input.metadata !== undefined) body.metadata = input.metadata;
	return { method: 'POST', path: `${pagePath(pageId)}/${THREAD_CONTROL_EDGES[action]}`, body };
}

/**
 * Whether the thread already is where the action puts it, given its owner: passed to the target;
 * taken by (or requested for) this app; released by this app. Undefined: cannot tell (the owner or
 * this app's ID unknown).
 */
export function alreadyDone(action: ThreadControlAction, owner: string | undefined, input: ThreadControlInput, appId: string | undefined): boolean | undefined {
	if (owner === undefined) return undefined;
	if (action === 'pass') return owner === input.targetAppId;
	if (appId === undefined) return undefined;
	return action === 'release' ? owner !== appId : owner === appId;
}

const ownerOf = (outcome: GraphOutcome) => (outcome.kind === 'sent' ? threadOwnerOf(outcome.body) : undefined);

function describeOwner(owner: string | undefined): string {
	if (owner === undefined) return 'The thread’s owner could not be read.';
	return `The thread is owned now by app ${owner}${isPageInbox(owner) ? ' (the Page Inbox, where the Page’s people answer)' : ''}.`;
}

/** The output item of a control action. */
export function controlOutput(input: ThreadControlInput, changed: boolean, owner: string | undefined, previous: string | undefined): IDataObject {
	return {
		success: true,
		changed,
		recipientId: input.psid,
		threadOwner: owner === undefined ? null : { appId: owner },
		ownedByPageInbox: owner === undefined ? null : isPageInbox(owner),
		...(previous !== undefined ? { previousOwner: { appId: previous } } : {}),
		...(input.targetAppId !== undefined ? { targetAppId: input.targetAppId } : {}),
	};
}

/** The chain of calls of a control action (pure). */
export function planControl(action: ThreadControlAction, input: ThreadControlInput, run: RunContext): Step {
	const read = ownerCall(run.pageId, input.psid);
	const act = controlCall(action, run.pageId, input);
	const readAfter = (then: (owner: string | undefined) => Step): Step => ({ call: read, next: (outcome) => then(ownerOf(outcome)) });
	return {
		call: read,
		next: (first) => {
			const before = ownerOf(first);
			if (alreadyDone(action, before, input, run.appId) === true) return { output: controlOutput(input, false, before, undefined) };
			return {
				call: act,
				next: (answer) => {
					if (answer.kind === 'sent') {
						if (action === 'pass') return { output: controlOutput(input, true, input.targetAppId, before) };
						// A request changes no owner (it asks the owner to pass); take and release: the owner Graph reports now.
						if (action === 'request') return { output: { ...controlOutput(input, true, before, undefined), requested: true } };
						// Graph answers success also when nothing moved (taking a thread this app owns): the owners before and after tell.
						return readAfter((after) => ({ output: controlOutput(input, before === undefined || after === undefined || after !== before, after, before) }));
					}
					return readAfter((after) =>
						alreadyDone(action, after, input, run.appId) === true
							? { output: controlOutput(input, false, after, undefined) }
							: { failure: { call: act, outcome: answer, note: describeOwner(after) } },
					);
				},
			};
		},
	};
}

/** A control action's thin entry: its option, its fields (shown only for it) and how an item is read. */
export function threadControlAction(
	action: ThreadControlAction,
	operation: string,
	option: GraphAction['option'],
	extraFields: INodeProperties[] = [],
	readExtra: (ctx: IExecuteFunctions, item: number) => Partial<ThreadControlInput> = () => ({}),
): GraphAction<ThreadControlInput> {
	return {
		option,
		description: updateDisplayOptions({ show: { resource: ['conversation'], operation: [operation] } }, [psidField, ...extraFields, metadataField]),
		needsAppId: action !== 'pass',
		read: (ctx, item) => ({ psid: readPsid(ctx, item), ...readExtra(ctx, item), metadata: readMetadata(ctx, item) }),
		plan: (input, run) => planControl(action, input, run),
	};
}

export const targetAppIdField: INodeProperties = {
	displayName: 'Target App ID',
	name: 'targetAppId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 1234567890123456',
	description: `The ID of the app that gets the conversation: an app connected to the Page (see the Page’s Advanced Messaging settings). For the Page Inbox, use Pass to Page Inbox (app ${PAGE_INBOX_APP_ID}).`,
};

export function readTargetAppId(ctx: IExecuteFunctions, item: number): Partial<ThreadControlInput> {
	return { targetAppId: checkId(readText(ctx, 'targetAppId', item, 'Target App ID').trim(), item, 'Target App ID') };
}
