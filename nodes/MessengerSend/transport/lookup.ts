import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { CREDENTIAL_TYPE, edgePath, graphUrl, safeParse, type GraphSend, type GraphTarget } from './graphApi';

/** What the person's thread says about a send whose answer was lost. */
export type LookupResult =
	| { kind: 'found'; messageId: string; recipientId: string }
	| { kind: 'notFound' }
	/** The thread could not tell: the send may or may not have arrived. */
	| { kind: 'impossible'; reason: string };

/** A message of a thread as the Conversations API lists it. */
export interface ThreadMessage {
	id?: string;
	created_time?: string;
	from?: { id?: string };
	to?: { data?: Array<{ id?: string }> };
	message?: string;
}

export interface ExpectedMessage {
	/** The PSID (or IGSID) the send went to. */
	recipientId: string;
	/** The text sent; undefined for attachments and templates, which the thread lists without text. */
	text?: string;
	/** When the first uncertain attempt left. */
	sentAtMs: number;
	/** Message IDs this run already accounts for: never claimed twice. */
	knownIds: ReadonlySet<string>;
	/** How many messages the lookup asked for: a full page that is all newer says nothing. */
	limit: number;
	instagram: boolean;
}

/** The n8n server's and Graph's clocks may differ a little; created_time has whole seconds. */
const CLOCK_SKEW_MS = 10_000;

/** Graph writes `2026-12-01T09:14:13+0000`; Date.parse wants a colon in the offset. */
function timeOf(message: ThreadMessage): number {
	const text = String(message.created_time ?? '').replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
	return Date.parse(text);
}

/**
 * Finds the message a lost answer was for: one to this person, sent no earlier than the
 * attempt, with the same text (or no text, for an attachment), that no other item of the run
 * already owns. The oldest such message wins, since a person's sends go out one at a time.
 */
export function findSentMessage(messages: ThreadMessage[], expected: ExpectedMessage): LookupResult {
	const earliest = expected.sentAtMs - CLOCK_SKEW_MS;
	// Graph lists newest first, and created_time has whole seconds: among equal times, the later in the list is older.
	const age = new Map(messages.map((message, position) => [message, position]));
	const candidates = messages
		.filter((message) => typeof message.id === 'string' && !expected.knownIds.has(message.id))
		.filter((message) => message.from?.id !== expected.recipientId)
		.filter((message) => !message.to?.data || message.to.data.some((to) => to.id === expected.recipientId))
		.filter((message) => timeOf(message) >= earliest)
		.filter((message) => (expected.text === undefined ? !message.message : message.message === expected.text))
		.sort((a, b) => timeOf(a) - timeOf(b) || age.get(b)! - age.get(a)!);
	if (candidates.length) return { kind: 'found', messageId: candidates[0].id!, recipientId: expected.recipientId };
	const oldest = Math.min(...messages.map(timeOf).filter(Number.isFinite));
	if (messages.length >= expected.limit && oldest >= earliest) {
		return {
			kind: 'impossible',
			reason: expected.instagram
				? 'Instagram shows only the 20 most recent messages of a thread, and all of them are newer than this send'
				: `the ${messages.length} most recent messages of the thread are all newer than this send`,
		};
	}
	return { kind: 'notFound' };
}

/** Why a send cannot be looked up at all, before asking Graph; undefined when it can. */
export function whyNotLookedUp(send: GraphSend): string | undefined {
	const recipient = (send.request.body.recipient ?? {}) as IDataObject;
	if (recipient.comment_id !== undefined || recipient.post_id !== undefined) {
		return 'a private reply has no conversation to check until the person answers';
	}
	if (recipient.user_ref !== undefined) return 'a message to a user_ref has no conversation to check';
	if (typeof recipient.id !== 'string' || !recipient.id) return 'the recipient has no PSID to look up';
	return undefined;
}

const PERMISSION_CODES = [10, 200, 230];

/** The text of a message as the thread shows it; undefined for attachments and templates. */
function textOf(send: GraphSend): string | undefined {
	const message = send.request.body.message as IDataObject | undefined;
	return typeof message?.text === 'string' ? message.text : undefined;
}

/**
 * Asks the Conversations API for the person's thread and its recent messages, in one call, and
 * looks for the send there. The token travels as for every other request (header, proof).
 */
export async function lookUpSend(
	ctx: IExecuteFunctions,
	target: GraphTarget,
	send: GraphSend,
	sentAtMs: number,
	knownIds: ReadonlySet<string>,
	options: { instagram: boolean; timeoutMs: number },
): Promise<LookupResult> {
	const notPossible = whyNotLookedUp(send);
	if (notPossible) return { kind: 'impossible', reason: notPossible };
	const recipientId = String((send.request.body.recipient as IDataObject).id);
	const limit = options.instagram ? 20 : 25;
	const page = edgePath(send).split('/')[0];
	let response: { statusCode: number; body: unknown };
	try {
		response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, {
			method: 'GET',
			url: graphUrl(target, `${page}/conversations`),
			qs: {
				platform: options.instagram ? 'instagram' : 'messenger',
				user_id: recipientId,
				fields: `messages.limit(${limit}){id,created_time,from,to,message}`,
			},
			json: true,
			timeout: options.timeoutMs,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as { statusCode: number; body: unknown };
	} catch {
		return { kind: 'impossible', reason: 'the lookup in the conversation got no answer either' };
	}
	const body = (typeof response.body === 'string' ? safeParse(response.body) : response.body) as
		| { data?: Array<{ messages?: { data?: ThreadMessage[] } }>; error?: { code?: number; message?: string } }
		| undefined;
	if (body?.error || response.statusCode >= 400 || !Array.isArray(body?.data)) {
		const code = body?.error?.code;
		if (code !== undefined && PERMISSION_CODES.includes(code)) {
			return {
				kind: 'impossible',
				reason: `the access token may not read conversations (Graph error ${code}: it needs pages_messaging, pages_read_engagement and pages_manage_metadata${options.instagram ? ', or instagram_basic and instagram_manage_messages' : ''})`,
			};
		}
		return { kind: 'impossible', reason: `the lookup in the conversation failed (HTTP ${response.statusCode}${code !== undefined ? `, Graph error ${code}` : ''})` };
	}
	// No thread with a person who wrote to the Page means nothing of ours arrived either.
	const messages = body.data[0]?.messages?.data ?? [];
	return findSentMessage(messages, { recipientId, text: textOf(send), sentAtMs, knownIds, limit, instagram: options.instagram });
}
