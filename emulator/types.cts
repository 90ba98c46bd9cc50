// Public types of the Graph API emulator. Dev-only: nothing here is shipped with the node.
import type { IncomingHttpHeaders } from 'node:http';

import type { PersonAction } from './conversationTypes.cjs';
import type { WebhookDelivery } from './webhookTypes.cjs';

// Conversation Routing's types (profiles, handovers, Page Inbox replies) live in conversationTypes.cts.
export type { HandoverEntry, PageInboxReply, PersonAction, PersonProfile } from './conversationTypes.cjs';
// The Page's entry points (Messenger Profile API, personas) and what a person sees of them.
export type * from './profileTypes.cjs';

// The webhook side's types live in webhookTypes.cts; they are part of this public list too.
export type {
	CustomWebhook,
	CustomWebhookResult,
	SubscribedApp,
	WebhookDelivery,
	WebhookObject,
	WebhookSignature,
	WebhookState,
	WebhookSubscription,
} from './webhookTypes.cjs';

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
	/**
	 * The app the Page's token belongs to (default: the first of `apps`): its webhooks get the Page's
	 * events. It is also the Page's default app for conversations: it owns every thread at first.
	 */
	appId?: string;
	/**
	 * Other connected apps (secondary receivers) by app ID, besides the Page Inbox, which is always
	 * connected. They may receive threads (`pass_thread_control`) and get `standby` copies.
	 */
	secondaryReceivers?: string[];
	/** More Page tokens, each belonging to another app (a secondary receiver): a test calls Graph as that app with it. */
	appTokens?: Array<{ appId: string; token: string }>;
	/**
	 * Whether the token may read people's profiles (`GET {PSID}`, `GET {IGSID}`). Default true; false
	 * stands for an app without "Business Asset User Profile Access": `100/2018247`.
	 */
	canReadProfiles?: boolean;
	/** Refuse sends with a `persona_id` that is not the Page's: default only once the Page created a persona. */
	checkPersonas?: boolean;
}

/** A Meta app: its access token is `"{id}|{secret}"`, and it signs its webhook deliveries with `secret`. */
export interface EmulatorApp {
	id: string;
	secret: string;
	name?: string;
}

/** Something the person did (a message, postback, reaction or read), as the Page received it. */
export interface IncomingEntry {
	/** 1-based, in order of arrival; its own sequence, apart from the inbox's. */
	seq: number;
	pageId: string;
	psid: string;
	kind: 'message' | 'postback' | 'reaction' | 'read';
	/** The message's or postback's mid (the reacted-to message's for a reaction). */
	mid?: string;
	/** The messaging event as the webhook carries it. */
	event: Record<string, unknown>;
	receivedAt: number;
	/** A postback from a button the person tapped (`personTaps`): the `message_id` of the Page's message it was on. */
	tappedOn?: string;
	/** A postback from the welcome screen or the menu (`tapGetStarted`, `tapIceBreaker`, `tapMenuItem`). */
	surface?: 'get_started' | 'ice_breaker' | 'menu';
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
	/**
	 * Every answer is dated as its request is handled and then takes this much longer to reach n8n
	 * (a slow path, a busy n8n): what n8n measures of Graph's clock from it is that much less
	 * precise. Default 0.
	 */
	dateLagMs?: number;
	/** Up to this many ms (random) before a request is handled: parallel requests can overtake each other. */
	arrivalJitterMs?: number;
	rateCapPerSecond?: number;
	mediaRateCapPerSecond?: number;
	faults?: FaultConfig;
	timeoutMs?: number;
	seed?: number;
	/**
	 * What message IDs start with (default `m_`, then a number counted anew after each reset). Graph's
	 * IDs are unique; a caller that keeps one n8n across resets gives each part its own prefix, so that
	 * the node's memory of recent deliveries never meets an ID again (the fault suite's scenarios).
	 */
	messageIdPrefix?: string;
	outsideWindow?: string[];
	/**
	 * `estimated_time_to_regain_access` (minutes) on a 613. Default 0: a one-second window frees
	 * up within the minute; a test of how clients honour a longer ban sets more.
	 */
	regainAccessMinutes?: number;
	/** Messenger Profile writes (POST, DELETE) per Page and platform in 10 minutes (default 10; 0: no limit). */
	profileWritesPer10Minutes?: number;
	/** The apps (default: DEFAULT_APP). A Page belongs to its `appId`, else to the first. */
	apps?: EmulatorApp[];
	/** Each accepted message send also produces a `delivery` event from the person (default false). */
	deliveryReceipts?: boolean;
	/** How long a webhook POST or verification GET may take before it counts as no answer (default 10 000 ms). */
	webhookTimeoutMs?: number;
	/** How long the person's browser waits for a page (a web_url tap, a form submission) before giving up (default 30 000 ms). */
	browserTimeoutMs?: number;
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
	/** The persona's name when `persona_id` is one of the Page's personas (for the transcript). */
	personaName?: string;
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
	/**
	 * Requests whose body never arrived in full, so they were never handled: the client gave up
	 * first (its timeout on a busy machine). Each was an attempt the platform never ran.
	 */
	cutOff: number;
}

export interface PersonMessage extends PersonAction {
	text?: string;
	/** The payload of the quick reply the person tapped: `quick_reply: { payload }`. */
	quickReplyPayload?: string;
	/** As the webhook carries them, e.g. `[{ type: 'image', payload: { url } }]`. */
	attachments?: Array<Record<string, unknown>>;
	/** The mid the person replied to: `reply_to: { mid }`. */
	replyToMid?: string;
}

export interface PersonPostback extends PersonAction {
	payload: string;
	/** The button's title (default: the payload). */
	title?: string;
}

export interface PersonReaction extends PersonAction {
	/** The message reacted to. */
	mid: string;
	/** Default 'love'. */
	reaction?: string;
	/** Default '❤'. */
	emoji?: string;
	action?: 'react' | 'unreact';
}

export interface PersonRead extends PersonAction {
	/** Default: now (ms). */
	watermark?: number;
}

/** What a person action answers: the event's mid (messages, postbacks) and its delivery (null: nobody subscribed). */
export interface PersonActionResult {
	mid?: string;
	delivery: WebhookDelivery | null;
}

// ---- Buttons and the person's browser ----------------------------------------------------

/** A button of a template as the Page sent it (`web_url` and `postback` can be tapped here). */
export interface MessageButton {
	type: string;
	title: string;
	url?: string;
	payload?: string;
	[key: string]: unknown;
}

/** The person taps the button titled `title` on the newest send to them that has one (or on the send `mid`). */
export interface PersonTap extends PersonAction {
	title: string;
	/** The `message_id` of the Page's message whose button is tapped (default: the newest with that title). */
	mid?: string;
}

/** One page load or form submission by the person's browser. Redirects are reported, not followed. */
export interface PageLoad {
	method: 'GET' | 'POST';
	url: string;
	/** 0: no answer (see `error`). */
	status: number;
	/** The Content-Type header ('' when there was none). */
	contentType: string;
	/** The whole answer as text (decompressed, in its charset). */
	body: string;
	/** The answer's headers, names lower-cased. */
	headers: Record<string, string>;
	/** A redirect's Location, resolved against `url`. */
	location?: string;
	/** Why there was no answer (status 0), e.g. "connect ECONNREFUSED 127.0.0.1:9". */
	error?: string;
}

interface TapBase {
	title: string;
	/** The `message_id` of the Page's message the button was on. */
	messageId: string;
}

export interface WebUrlTap extends TapBase, PageLoad {
	kind: 'web_url';
	method: 'GET';
}

export interface PostbackTap extends TapBase {
	kind: 'postback';
	payload: string;
	/** The postback's mid (as `personPostback` answers it). */
	mid: string;
	/** null: nobody is subscribed to `messaging_postbacks`. */
	delivery: WebhookDelivery | null;
}

export type TapResult = WebUrlTap | PostbackTap;

/** urlencoded (`application/x-www-form-urlencoded`) or `multipart/form-data`. */
export type FormEncoding = 'urlencoded' | 'multipart';

/** The person's browser submits a form: a POST of `fields` to `url` (the form's action). */
export interface FormSubmission extends PersonAction {
	url: string;
	fields: Record<string, string>;
	/** Default 'urlencoded'. n8n's forms post `multipart` (from their script). */
	encoding?: FormEncoding;
	/** The page the form was on: sent as Referer, and its origin as Origin (default: the url's origin, no Referer). */
	pageUrl?: string;
}

/** The person fills in the first form of a page and submits it (`formOf` + `personSubmitsForm`). */
export interface FormFill extends PersonAction {
	/** The page's URL: the form's action is resolved against it. */
	pageUrl: string;
	/** The page (e.g. a tap's `body`); without it the browser loads `pageUrl` first. */
	html?: string;
	/** What the person types, by field name; the other fields keep their prefilled values. */
	values?: Record<string, string>;
	/** Default: the form's enctype (urlencoded unless it says multipart/form-data). */
	encoding?: FormEncoding;
}

/** The first form of a page (`formOf`). */
export interface HtmlForm {
	/** Resolved against the page's URL when it was given (no action, or `#`: the page itself). */
	action: string;
	method: 'GET' | 'POST';
	enctype: 'application/x-www-form-urlencoded' | 'multipart/form-data';
	/** Names of the input, textarea and select fields, in order (buttons, file inputs and disabled fields left out). */
	fields: string[];
	/** Prefilled values by name (value attributes, a textarea's text, the selected option; checkboxes and radios when checked). */
	values: Record<string, string>;
}

export interface FormFillResult extends PageLoad {
	form: HtmlForm;
	/** What was submitted. */
	fields: Record<string, string>;
}

/** What the person's browser did: a web_url tap, a page load, or a form submission (kept for the transcript). */
export interface BrowserVisit {
	/** 1-based, in order; its own sequence. */
	seq: number;
	pageId: string;
	psid: string;
	kind: 'tap' | 'open' | 'form';
	/** A tap's button title and the message it was on. */
	title?: string;
	messageId?: string;
	method: 'GET' | 'POST';
	url: string;
	/** A form's fields, as submitted. */
	fields?: Record<string, string>;
	encoding?: FormEncoding;
	/** Set once the answer came (0: no answer). */
	status?: number;
	contentType?: string;
	location?: string;
	error?: string;
	at: number;
}
