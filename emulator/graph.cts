// What every part of the emulator shares: the options, the records of what happened, the seeded
// random streams, and how a Graph answer is made (headers, trace IDs, rejection counts). The
// server, the router, the edges, the people and the test controls all get this one object, so
// no part reaches into another's rooms for it.
import { Browser } from './browser.cjs';
import { Inbox } from './inbox.cjs';
import { createRandom, DEFAULT_SEED, FaultPlanner, hasCap, RateLimiter } from './limits.cjs';
import { PageProfiles } from './pageProfile.cjs';
import { Personas } from './personas.cjs';
import { graphError } from './rules.cjs';
import { ThreadOwners } from './threadOwners.cjs';
import type { EmulatorApp, EmulatorOptions, EmulatorPage, FaultName, GraphError, ReceivedRequest, WebhookObject } from './types.cjs';
import { Webhooks } from './webhookHub.cjs';

export const DEFAULT_PAGE: EmulatorPage = { id: '1029384756', name: 'Demo Shop', token: 'DEMO-PAGE-TOKEN' };
/** The app of every Page without an `appId` when no `apps` are given; its token is `4455667788|DEMO-APP-SECRET`. */
export const DEFAULT_APP: EmulatorApp = { id: '4455667788', secret: 'DEMO-APP-SECRET', name: 'Demo App' };
export const JSON_TYPE = 'application/json';
/** A Graph path starts with its version. */
export const VERSION = /^v\d+\.\d+$/;

/** One Graph call (a direct request or a batch operation), before it is answered. */
export interface CallResult {
	status: number;
	body: unknown;
	headers: Record<string, string>;
	/** How a fault changes the answer; undefined: answer normally. */
	disruption?: 'drop' | 'hold' | 'malformed' | 'null';
}

/** The token and appsecret_proof a call came with. */
export interface Credentials {
	token?: string;
	proof?: string;
	proofTime?: string;
}

export type FileUpload = ReceivedRequest['files'][string];

/** A control request that cannot be done as asked: answered 400 (or its status), not as an emulator bug. */
export class ControlError extends Error {
	constructor(
		message: string,
		readonly status = 400,
	) {
		super(message);
	}
}

export class Graph {
	options: EmulatorOptions;

	/** Every HTTP request to the Graph endpoints, in arrival order (control endpoints are not logged). */
	readonly requests: ReceivedRequest[] = [];

	/** Accepted sends, what the people did, what their browser did. */
	readonly store = new Inbox();

	/** Meta's webhook side: subscriptions, subscribed apps, the delivery queues. Survives reset(). */
	readonly hub = new Webhooks();

	/** The person's browser (web_url taps and forms). */
	readonly browser = new Browser();

	readonly faults: FaultPlanner;

	readonly limiter = new RateLimiter();

	/** Who owns each person's thread (Conversation Routing); forgotten on reset(). */
	readonly owners = new ThreadOwners();

	/** The Pages' messenger profiles and personas: set over Graph by a test's workflow, forgotten on reset(). */
	readonly profiles = new PageProfiles();

	readonly personas = new Personas();

	/** The server's address once started (for `paging.next` URLs); '' before. */
	baseUrl = '';

	/** Arrival and answer jitter draw from here, in the order requests come and go. */
	jitterRandom: () => number;

	/** fbtrace_ids draw from here: one per error answer. */
	private traceRandom: () => number;

	rejected: Record<string, number> = {};

	faultCounts: Record<string, number> = {};

	notRunCount = 0;

	/** Requests whose body never arrived in full: the client gave up first (server.cts). */
	cutOffCount = 0;

	constructor(options: EmulatorOptions) {
		this.options = options;
		const seed = this.seed;
		this.faults = new FaultPlanner(seed);
		this.jitterRandom = createRandom(seed + 1);
		this.traceRandom = createRandom(seed + 2);
	}

	get seed(): number {
		return this.options.seed ?? DEFAULT_SEED;
	}

	get pages(): EmulatorPage[] {
		return this.options.pages ?? [DEFAULT_PAGE];
	}

	get apps(): EmulatorApp[] {
		return this.options.apps ?? [DEFAULT_APP];
	}

	/** The Page's app: its `appId`, else the first app (undefined when that names no app). */
	appOf(page: EmulatorPage): EmulatorApp | undefined {
		const id = page.appId ?? this.apps[0]?.id;
		return this.apps.find((app) => app.id === id);
	}

	/** A Page named by a test control (default: the first). */
	pageFor(pageId: string | undefined): EmulatorPage {
		const page = pageId === undefined ? this.pages[0] : this.pages.find((candidate) => candidate.id === String(pageId));
		if (!page) throw new ControlError(pageId === undefined ? 'The emulator has no pages' : `No page ${pageId}`);
		return page;
	}

	/** Forgets what happened (the options stay) and restarts fault ordinals and random streams. */
	reset(): void {
		this.requests.length = 0;
		this.store.clear();
		this.limiter.reset();
		this.owners.reset();
		this.profiles.reset();
		this.personas.reset();
		this.rejected = {};
		this.faultCounts = {};
		this.notRunCount = 0;
		this.cutOffCount = 0;
		this.reseed(true);
	}

	reseed(restartOrdinals: boolean): void {
		if (restartOrdinals) this.faults.reset(this.seed);
		else this.faults.reseed(this.seed);
		this.jitterRandom = createRandom(this.seed + 1);
		this.traceRandom = createRandom(this.seed + 2);
	}

	// ---- Answers ------------------------------------------------------------------------

	success(body: unknown, pageId?: string): CallResult {
		return { status: 200, body, headers: this.headersFor(pageId) };
	}

	/** A Graph error answer; counted as a rejection unless a fault caused it. */
	errorResult(error: GraphError, pageId?: string, options: { limited?: boolean; fault?: FaultName; notRun?: boolean } = {}): CallResult {
		if (!options.fault && !options.notRun) {
			const key = error.error.error_subcode !== undefined ? `${error.error.code}/${error.error.error_subcode}` : String(error.error.code);
			this.rejected[key] = (this.rejected[key] ?? 0) + 1;
		}
		const fbtraceId = this.traceId();
		return {
			status: error.status,
			body: { error: { ...error.error, fbtrace_id: fbtraceId } },
			headers: { ...this.headersFor(pageId, options.limited), 'x-fb-trace-id': fbtraceId },
		};
	}

	countFault(name: FaultName): void {
		this.faultCounts[name] = (this.faultCounts[name] ?? 0) + 1;
	}

	private headersFor(pageId: string | undefined, limited = false): Record<string, string> {
		const headers: Record<string, string> = { 'content-type': JSON_TYPE };
		const caps = { rateCapPerSecond: this.options.rateCapPerSecond, mediaRateCapPerSecond: this.options.mediaRateCapPerSecond };
		if (pageId !== undefined && hasCap(caps)) headers['x-business-use-case-usage'] = this.limiter.usageHeader(pageId, caps, limited, this.options.regainAccessMinutes ?? 0);
		return headers;
	}

	private traceId(): string {
		const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
		let id = '';
		for (let i = 0; i < 11; i += 1) id += alphabet[Math.floor(this.traceRandom() * alphabet.length)];
		return id;
	}
}

/** Which webhook object a Page's events belong to. */
export function objectOf(page: EmulatorPage): WebhookObject {
	return page.platform === 'instagram' ? 'instagram' : 'page';
}

/** The platform's answer for an object that does not exist, is not the token's, or lacks the edge. */
export function unsupported(method: string, node: string): GraphError {
	return graphError(
		100,
		`Unsupported ${method.toLowerCase()} request. Object with ID '${node}' does not exist, cannot be loaded due to missing permissions, or does not support this operation`,
		{ subcode: 33, type: 'GraphMethodException' },
	);
}

/** A path's segments, decoded. */
export function pathSegments(path: string): string[] {
	return path
		.split('/')
		.filter(Boolean)
		.map((segment) => {
			try {
				return decodeURIComponent(segment);
			} catch {
				return segment; // a stray % is just part of an ID that will not be found
			}
		});
}

export function withoutUndefined<T extends object>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
