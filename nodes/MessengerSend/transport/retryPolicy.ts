import { explainGraphError } from '../errors/graphErrors';
import type { GraphOutcome } from '../../shared/graph';
import type { GraphSend } from './graphApi';

export interface RetrySettings {
	/** Retries after the first attempt. */
	maxRetries: number;
	/** The longest single wait before a retry. */
	maxWaitMs: number;
	/** Send again when no answer came back although the request may have arrived. */
	retryWithoutAnswer: boolean;
}

/**
 * - `final`: the answer stands (a success, or an error that sending again would repeat).
 * - `retry`: nothing was delivered and the cause is temporary: sending again is safe.
 * - `ambiguous`: the message may have been delivered; sending again may send it twice.
 */
export type Disposition = 'final' | 'retry' | 'ambiguous';

export function dispose(outcome: GraphOutcome): Disposition {
	switch (outcome.kind) {
		case 'sent':
			return 'final';
		case 'notRun':
			return 'retry';
		case 'noAnswer':
			return outcome.requestLeft ? 'ambiguous' : 'retry';
		case 'unreadable':
			// A gateway's error page means Graph did not answer; a cut-off 2xx may follow a delivery.
			return outcome.statusCode >= 500 ? 'retry' : 'ambiguous';
		case 'refused': {
			const { error } = outcome;
			if (error.code === 1 && error.error_subcode === 1357046) return 'ambiguous';
			const advice = explainGraphError(error)?.retry;
			if (advice === 'yes') return 'retry';
			if (advice === 'no') return 'final';
			return error.is_transient || (error.code === undefined && outcome.statusCode >= 500) ? 'retry' : 'final';
		}
	}
}

/**
 * A send whose repetition nobody sees is safe to repeat even when its answer was lost: a sender
 * action (typing, seen, a reaction sets a state) or an upload (one more stored attachment).
 */
export function disposeSend(send: GraphSend, outcome: GraphOutcome): Disposition {
	const disposition = dispose(outcome);
	const { request } = send;
	const harmless = request.body.sender_action !== undefined || (request.edge ?? 'messages') !== 'messages';
	return disposition === 'ambiguous' && harmless ? 'retry' : disposition;
}

/** No usable answer at all although the request left: every send in it is in doubt. */
export function wasLost(outcome: GraphOutcome): boolean {
	return (outcome.kind === 'noAnswer' && outcome.requestLeft) || (outcome.kind === 'unreadable' && outcome.statusCode < 500);
}

/**
 * The size of the next batch: halved after a batch was lost (down to single sends), so one bad
 * connection leaves fewer people in doubt; doubled back after each answered one.
 */
export class BatchSizer {
	size: number;

	constructor(private readonly max: number) {
		this.size = max;
	}

	lost(): void {
		this.size = Math.max(1, Math.floor(this.size / 2));
	}

	answered(): void {
		this.size = Math.min(this.max, this.size * 2);
	}
}

const FIRST_DELAY_MS = 500;

/**
 * Exponential backoff with jitter (so parallel senders do not retry in step), never shorter
 * than the wait the platform asked for in X-Business-Use-Case-Usage, never longer than maxWait.
 */
export function retryDelayMs(retry: number, outcome: GraphOutcome, settings: RetrySettings, random: () => number): number {
	const exponential = Math.min(settings.maxWaitMs, FIRST_DELAY_MS * 2 ** (retry - 1));
	const jittered = exponential / 2 + (random() * exponential) / 2;
	const asked = outcome.kind === 'refused' ? (outcome.regainAccessMs ?? 0) : 0;
	return Math.min(settings.maxWaitMs, Math.max(jittered, asked));
}

export function shouldRetry(disposition: Disposition, retriesSoFar: number, settings: RetrySettings): boolean {
	if (retriesSoFar >= settings.maxRetries) return false;
	return disposition === 'retry' || (disposition === 'ambiguous' && settings.retryWithoutAnswer);
}
