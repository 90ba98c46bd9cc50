// Fault injection and rate limiting: the parts of the emulator that make a client's bad day
// reproducible. Every random choice comes from a seeded generator.
import type { FaultConfig, FaultName } from './types.cjs';

export const DEFAULT_SEED = 20260427;

/** mulberry32: small, fast and good enough to make runs reproducible from a seed. */
export function createRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * Which fault wins when several fire for one operation: the earlier the failure happens in the
 * life of a request, the earlier it is listed.
 */
export const FAULT_ORDER: FaultName[] = [
	'dropBeforeDelivery',
	'http5xx',
	'temporary1200',
	'nullBatchEntry',
	'dropAfterDelivery',
	'timeout',
	'malformedJson',
];

export const FAULTS_BEFORE_DELIVERY: FaultName[] = ['dropBeforeDelivery', 'http5xx', 'temporary1200', 'nullBatchEntry'];

export class FaultPlanner {
	private ordinal = 0;

	private random: () => number;

	constructor(seed: number) {
		this.random = createRandom(seed);
	}

	reset(seed: number): void {
		this.ordinal = 0;
		this.random = createRandom(seed);
	}

	reseed(seed: number): void {
		this.random = createRandom(seed);
	}

	/**
	 * Numbers the next send operation and picks its fault, if any. Every probability rule is
	 * rolled on every operation, so the same seed gives the same faults whatever else happens.
	 */
	next(config: FaultConfig | undefined, inBatch: boolean): { ordinal: number; fault?: FaultName } {
		this.ordinal += 1;
		let fault: FaultName | undefined;
		for (const name of FAULT_ORDER) {
			const rule = config?.[name];
			if (!rule) continue;
			const rolled = rule.probability !== undefined && rule.probability > 0 && this.random() < rule.probability;
			const scheduled = rule.schedule?.includes(this.ordinal) ?? false;
			// A null entry only exists inside a batch answer.
			if (name === 'nullBatchEntry' && !inBatch) continue;
			if ((rolled || scheduled) && fault === undefined) fault = name;
		}
		return { ordinal: this.ordinal, fault };
	}
}

export interface Caps {
	rateCapPerSecond?: number;
	mediaRateCapPerSecond?: number;
}

const WINDOW_MS = 1000;

/** Per-Page sliding one-second windows of admitted send operations. */
export class RateLimiter {
	private windows = new Map<string, number[]>();

	reset(): void {
		this.windows.clear();
	}

	/**
	 * Admits the operation (and counts it) unless a cap is reached. Refused operations are not
	 * counted: a client that backs off gets its throughput back within a second.
	 */
	tryAdmit(pageId: string, isMedia: boolean, caps: Caps, now = Date.now()): boolean {
		const all = this.window(pageId, now);
		const media = this.window(`${pageId}#media`, now);
		if (caps.rateCapPerSecond !== undefined && all.length >= caps.rateCapPerSecond) return false;
		if (isMedia && caps.mediaRateCapPerSecond !== undefined && media.length >= caps.mediaRateCapPerSecond) return false;
		all.push(now);
		if (isMedia) media.push(now);
		return true;
	}

	/** Percentage of the tighter cap used in the current window. */
	usagePercent(pageId: string, caps: Caps, now = Date.now()): number {
		const percents: number[] = [0];
		if (caps.rateCapPerSecond) percents.push((this.window(pageId, now).length / caps.rateCapPerSecond) * 100);
		if (caps.mediaRateCapPerSecond) percents.push((this.window(`${pageId}#media`, now).length / caps.mediaRateCapPerSecond) * 100);
		return Math.round(Math.max(...percents));
	}

	/** The `X-Business-Use-Case-Usage` header value for a Page. */
	usageHeader(pageId: string, caps: Caps, limited: boolean, regainAccessMinutes = 0, now = Date.now()): string {
		const callCount = Math.max(this.usagePercent(pageId, caps, now), limited ? 100 : 0);
		return JSON.stringify({
			[pageId]: [
				{
					type: 'messenger',
					call_count: callCount,
					total_cputime: Math.round(callCount / 10),
					total_time: Math.round(callCount / 5),
					estimated_time_to_regain_access: limited ? regainAccessMinutes : 0,
				},
			],
		});
	}

	private window(key: string, now: number): number[] {
		let times = this.windows.get(key);
		if (!times) {
			times = [];
			this.windows.set(key, times);
		}
		while (times.length && times[0] <= now - WINDOW_MS) times.shift();
		return times;
	}
}

export function hasCap(caps: Caps): boolean {
	return caps.rateCapPerSecond !== undefined || caps.mediaRateCapPerSecond !== undefined;
}
