import { sleep } from 'n8n-workflow';

/**
 * At most `perSecond` sends in any one-second window, the way the platform counts its cap, so
 * the node stays under it instead of running into error 613.
 */
export class SlidingWindowLimiter {
	private readonly times: number[] = [];

	constructor(
		private readonly perSecond: number,
		private readonly now: () => number = Date.now,
		private readonly wait: (ms: number) => Promise<void> = sleep,
	) {}

	async acquire(count: number): Promise<void> {
		if (!Number.isFinite(this.perSecond) || this.perSecond <= 0) return;
		const wanted = Math.min(count, this.perSecond);
		for (;;) {
			const now = this.now();
			while (this.times.length && this.times[0] <= now - 1000) this.times.shift();
			if (this.times.length + wanted <= this.perSecond) {
				for (let i = 0; i < count; i++) this.times.push(now);
				return;
			}
			const freeAt = this.times[this.times.length + wanted - this.perSecond - 1] + 1000;
			await this.wait(Math.max(1, freeAt - now));
		}
	}
}
