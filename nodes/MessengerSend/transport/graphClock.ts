/**
 * Graph's clock minus n8n's, in ms, as far as Graph's Date headers tell: the truth lies in
 * [low, high]. A lookup opens its window with `low` and matches this node's own deliveries over
 * the whole range, so a wide range (a slow answer) can only make the lookup more careful.
 */
export interface ClockOffset {
	low: number;
	high: number;
}

/**
 * What one answer says: Graph dated it (`graphDateMs`, whole seconds) after the request left
 * (`leftMs`, n8n's clock) and before n8n received it (`receivedAtMs`). On a busy n8n the answer
 * can wait seconds before n8n reads it, which widens the range by as much.
 */
export function offsetOf(graphDateMs: number, leftMs: number, receivedAtMs: number): ClockOffset {
	return { low: graphDateMs - receivedAtMs, high: graphDateMs + 1000 - leftMs };
}

/**
 * The tightest range over Graph's recent answers in this process: one quick answer is enough to
 * pin the clocks within a second, however slow the lookup's own answer was. A range that
 * contradicts the newest answer means a clock was set (NTP stepped it): only the newest counts then.
 */
export class GraphClock {
	private seen: Array<ClockOffset & { at: number }> = [];

	constructor(
		private readonly keepMs = 10 * 60_000,
		private readonly max = 256,
	) {}

	/** Records an answer's Date header; the range it gives, or undefined without a usable one. */
	observe(dateHeader: unknown, leftMs: number, receivedAtMs: number): ClockOffset | undefined {
		const graphDateMs = typeof dateHeader === 'string' ? Date.parse(dateHeader) : Number.NaN;
		if (!Number.isFinite(graphDateMs)) return undefined;
		const offset = offsetOf(graphDateMs, leftMs, receivedAtMs);
		this.seen = this.seen.filter((entry) => entry.at >= receivedAtMs - this.keepMs).slice(-(this.max - 1));
		this.seen.push({ ...offset, at: receivedAtMs });
		const combined = this.offset();
		if (combined && combined.low > combined.high) this.seen = [{ ...offset, at: receivedAtMs }];
		return offset;
	}

	/** The tightest range known, or undefined before any answer had a Date header. */
	offset(): ClockOffset | undefined {
		if (this.seen.length === 0) return undefined;
		return {
			low: Math.max(...this.seen.map((entry) => entry.low)),
			high: Math.min(...this.seen.map((entry) => entry.high)),
		};
	}

	clear(): void {
		this.seen = [];
	}
}

/** What this process has measured of Graph's clock, from every answer (transport/graphApi request). */
export const graphClock = new GraphClock();
