import { WAIT_INDEFINITELY, type IDataObject } from 'n8n-workflow';

import { InvalidSendRequest } from '../rules';

// How long the execution waits, and what the node outputs while waiting and once answered.

export type WaitLimit =
	| { type: 'none' }
	| { type: 'afterTimeInterval'; amount: number; unit: 'minutes' | 'hours' | 'days' }
	| { type: 'atSpecifiedTime'; dateTime: string };

const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

/** Until when the execution waits for the answer; a limit in the past or unreadable is refused, naming its field. */
export function waitUntil(limit: WaitLimit, item: number, now = Date.now()): Date {
	if (limit.type === 'none') return WAIT_INDEFINITELY;
	if (limit.type === 'afterTimeInterval') {
		if (!Number.isFinite(limit.amount) || limit.amount <= 0) {
			throw new InvalidSendRequest(`Limit Wait Time Amount in item ${item} is ${limit.amount}: it must be more than 0`, 'Amount');
		}
		return new Date(now + limit.amount * UNIT_MS[limit.unit]);
	}
	const until = new Date(limit.dateTime);
	if (Number.isNaN(until.getTime())) {
		throw new InvalidSendRequest(`Max Date and Time in item ${item} is "${limit.dateTime}": not a date and time`, 'Max Date and Time');
	}
	if (until.getTime() <= now) {
		throw new InvalidSendRequest(`Max Date and Time in item ${item} is ${until.toISOString()}, which has passed: the wait would end at once`, 'Max Date and Time');
	}
	return until;
}

/** What the node outputs: the answer (or that the time ran out) and the ids of the message that asked. */
export interface WaitOutcome {
	approved: boolean | null;
	answer: string | null;
	respondedAt: string | null;
	timedOut: boolean;
	recipient_id: string | null;
	message_id: string | null;
}

/** The output item while waiting: what comes out unchanged when the time runs out (n8n then passes it through). */
export function waitingOutcome(sent: IDataObject): WaitOutcome {
	return {
		approved: null,
		answer: null,
		respondedAt: null,
		timedOut: true,
		recipient_id: typeof sent.recipient_id === 'string' ? sent.recipient_id : null,
		message_id: typeof sent.message_id === 'string' ? sent.message_id : null,
	};
}

export function answeredOutcome(waiting: IDataObject, answer: { approved?: boolean; text?: string }, now = new Date()): WaitOutcome {
	return {
		...waitingOutcome(waiting),
		approved: answer.approved ?? null,
		answer: answer.text ?? null,
		respondedAt: now.toISOString(),
		timedOut: false,
	};
}
