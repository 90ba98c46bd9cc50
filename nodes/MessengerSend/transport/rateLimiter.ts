import { sleep } from 'n8n-workflow';

/**
 * At most `perSecond` sends in any one-second window as the platform counts them, so the node
 * stays under the cap instead of running into error 613. The platform counts a send when it
 * arrives, somewhere between our request and its answer: the node counts it at the middle of
 * that round trip (its best estimate), and while in flight from the moment it is taken. A rare
 * misestimate costs one 613, which the sender retries safely.
 */
export class SlidingWindowLimiter {
	/** When the platform most likely counted recent sends, oldest first. */
	private readonly answered: number[] = [];

	private inFlight = 0;

	/** The pace now: the configured one, lowered while the platform answers with rate limits. */
	private rate: number;

	private slowedAt = -Infinity;

	/** When the platform accepted recent sends: what it lets through per second. */
	private readonly accepted: number[] = [];

	constructor(
		private readonly perSecond: number,
		private readonly now: () => number = Date.now,
		private readonly wait: (ms: number) => Promise<void> = sleep,
	) {
		this.rate = perSecond;
	}

	private get unlimited(): boolean {
		return !Number.isFinite(this.perSecond) || this.perSecond <= 0;
	}

	get pace(): number {
		return this.rate;
	}

	/**
	 * The platform refused sends for their rate (its cap is lower than ours, or others share it):
	 * down to what it accepted in the last second (at least 30 % slower; half when it accepted
	 * nothing), at most once a second, since one burst brings many refusals at once.
	 */
	slowDown(): void {
		const now = this.now();
		if (this.unlimited || now - this.slowedAt < 1000) return;
		this.slowedAt = now;
		while (this.accepted.length && this.accepted[0] <= now - 1000) this.accepted.shift();
		const seen = this.accepted.length;
		this.rate = Math.max(1, seen > 0 ? Math.min(this.rate * 0.7, seen) : this.rate * 0.5);
	}

	/** Sends the platform accepted: the pace climbs back by a tenth of a send per accepted one. */
	speedUp(accepted: number): void {
		if (this.unlimited || accepted === 0) return;
		const now = this.now();
		this.accepted.push(...Array<number>(accepted).fill(now));
		while (this.accepted[0] <= now - 1000) this.accepted.shift();
		this.rate = Math.min(this.perSecond, this.rate + accepted / 10);
	}

	/**
	 * Waits until at least one send fits, then takes as many as fit, up to `wanted`. Taking what
	 * fits (rather than waiting for a whole batch's room) keeps the pace at the limit.
	 */
	async take(wanted: number): Promise<number> {
		if (this.unlimited) return wanted;
		for (;;) {
			const now = this.now();
			while (this.answered.length && this.answered[0] <= now - 1000) this.answered.shift();
			const room = Math.min(wanted, Math.max(1, Math.floor(this.rate)) - this.inFlight - this.answered.length);
			if (room > 0) {
				this.inFlight += room;
				return room;
			}
			// Nothing answered yet to wait for: an answer will come and wake a later call.
			const oldest = this.answered[0];
			await this.wait(oldest === undefined ? 10 : Math.max(1, oldest + 1000 - now));
		}
	}

	/** Sends taken but not made. */
	giveBack(count: number): void {
		if (!this.unlimited) this.inFlight -= count;
	}

	/** Sends answered (or failed), taken at `sentAt`: they stay in the window for a second. */
	done(count: number, sentAt: number): void {
		if (this.unlimited) return;
		this.inFlight -= count;
		const countedAt = sentAt + (this.now() - sentAt) / 2;
		// Keep the list sorted: a slow answer can come after a quicker, later one.
		let position = this.answered.length;
		while (position > 0 && this.answered[position - 1] > countedAt) position--;
		this.answered.splice(position, 0, ...Array<number>(count).fill(countedAt));
	}

	/** Waits until all `count` sends fit (for the few that have a second, tighter limit). */
	async acquire(count: number): Promise<void> {
		let taken = 0;
		while (taken < count) taken += await this.take(count - taken);
	}
}
