// Public types of the Graph API emulator. Dev-only: nothing here is shipped with the node.
import type { IncomingHttpHeaders } from 'node:http';

export interface EmulatorPage {
	id: string;
	name: string;
	token: string;
	appSecret?: string;
	requireAppSecretProof?: boolean;
	/** An Instagram account (IG user ID as `id`): Instagram's stricter send rules apply. */
	platform?: 'instagram';
	/**
	 * Whether the token may read the Page's conversations (`GET {page}/conversations`,
	 * `GET {conversation-id}`). Default true; false stands for a token without
	 * `pages_read_engagement`/`pages_manage_metadata` (Instagram: `instagram_basic`,
	 * `instagram_manage_messages`, `pages_manage_metadata`): both answer HTTP 403, Graph error 200.
	 * Sends are not affected.
	 */
	canReadConversations?: boolean;
}

/**
 * When a fault fires. `schedule` holds 1-based ordinals of the send operations (requests to a
 * messages endpoint, directly or as a batch operation, counted together since the last reset).
 */
export interface FaultRule {
	probability?: number;
	schedule?: number[];
}

export interface FaultConfig {
	/** HTTP 500, Graph error 2 (transient); nothing delivered. */
	http5xx?: FaultRule;
	/** HTTP 500, Graph error 1200/2018024 (transient); nothing delivered. */
	temporary1200?: FaultRule;
	/** The socket is destroyed without an answer; nothing delivered. */
	dropBeforeDelivery?: FaultRule;
	/** Delivered, then the socket is destroyed without an answer: the ambiguous case. */
	dropAfterDelivery?: FaultRule;
	/** Delivered, then the answer is held for `timeoutMs` so that a client timeout fires first. */
	timeout?: FaultRule;
	/** Delivered, then answered 200 with a truncated JSON body. */
	malformedJson?: FaultRule;
	/** Batch operations only: the operation does not run and its entry is `null`. */
	nullBatchEntry?: FaultRule;
}

export type FaultName = keyof FaultConfig;

export interface EmulatorOptions {
	pages?: EmulatorPage[];
	latencyMs?: number;
	jitterMs?: number;
	/** Up to this many ms (random) before a request is handled: parallel requests can overtake each other. */
	arrivalJitterMs?: number;
	rateCapPerSecond?: number;
	mediaRateCapPerSecond?: number;
	faults?: FaultConfig;
	timeoutMs?: number;
	seed?: number;
	outsideWindow?: string[];
	/**
	 * `estimated_time_to_regain_access` (minutes) on a 613. Default 0: a one-second window frees
	 * up within the minute; a test of how clients honour a longer ban sets more.
	 */
	regainAccessMinutes?: number;
}

/** One HTTP request as the emulator received it (same shape as test/helpers/recordingServer.ts). */
export interface ReceivedRequest {
	method: string;
	url: string;
	path: string;
	query: Record<string, string>;
	headers: IncomingHttpHeaders;
	raw: Buffer;
	body: Record<string, unknown>;
	files: Record<string, { fileName: string; mimeType: string; data: Buffer }>;
}

export interface Reply {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

export interface InboxEntry {
	seq: number;
	pageId: string;
	recipient: Record<string, string>;
	/** e.g. "id:42", "user_ref:abc", "comment_id:123_456" */
	recipientKey: string;
	messaging_type?: string;
	tag?: string;
	message?: Record<string, unknown>;
	sender_action?: string;
	payload?: unknown;
	notification_type?: string;
	persona_id?: string;
	reply_to?: unknown;
	file?: { fileName: string; mimeType: string; size: number; sha256: string };
	message_id?: string;
	attachment_id?: string;
	receivedAt: number;
	viaBatch: boolean;
}

export interface GraphErrorBody {
	message: string;
	type: string;
	code: number;
	error_subcode?: number;
	is_transient?: boolean;
}

/** A Graph error before it is answered (the fbtrace_id is added when it is). */
export interface GraphError {
	status: number;
	error: GraphErrorBody;
}

export interface EmulatorStats {
	requests: number;
	accepted: number;
	/** By "code" or "code/subcode". */
	rejected: Record<string, number>;
	/** By fault name. */
	faults: Record<string, number>;
	/**
	 * Batch operations not run because the operation they depend on failed, in batches answered
	 * normally (a dropped or held batch's answer never says which ran).
	 */
	notRun: number;
}
