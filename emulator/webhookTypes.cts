// Public types of the emulator's webhook side (Meta's subscriptions, the deliveries it makes,
// the test's own webhook sends). types.cts re-exports them.

/** The webhook objects the emulator knows: a Page's events, or an Instagram account's. */
export type WebhookObject = 'page' | 'instagram';

/** An app's webhook subscription for one object (`POST {app-id}/subscriptions`). */
export interface WebhookSubscription {
	appId: string;
	object: WebhookObject;
	callback_url: string;
	fields: string[];
	verify_token: string;
	/** The Graph version of the call that made it: Graph lists it with every field. */
	version: string;
	include_values?: boolean;
}

/** A Page's connection to its app (`POST {page}/subscribed_apps`). */
export interface SubscribedApp {
	pageId: string;
	appId: string;
	fields: string[];
}

/** How a delivery was signed: as Meta does, with a wrong key, not at all, or only the old SHA-1 header. */
export type WebhookSignature = 'valid' | 'forged' | 'none' | 'sha1-only';

/** One POST to a callback URL, as the emulator made it (events, redeliveries and custom sends). */
export interface WebhookDelivery {
	id: string;
	/** The app whose queue it went out in (and whose secret signed it). */
	appId: string;
	/** When the POST started (ms). */
	at: number;
	url: string;
	/** The body's `object` (for a custom body that does not parse: the Page's object). */
	object: string;
	/** Messaging events in the body (0 for a custom body that does not parse). */
	events: number;
	/** The subscription field of each event, in order. */
	fields: string[];
	/** The exact body sent. */
	raw: string;
	/** The X-Hub-Signature-256 header sent, or null when none was. */
	signature256: string | null;
	/** The X-Hub-Signature (SHA-1) header sent, or null when none was. */
	signature1: string | null;
	signed: WebhookSignature;
	contentType: string;
	/** The receiver's HTTP status; 0 when there was no answer (no connection, timeout). */
	status: number;
	/** The first 500 characters of the receiver's answer. */
	responseBody: string;
	/** Why there was no answer (status 0), e.g. "connect ECONNREFUSED 127.0.0.1:9". */
	error?: string;
	redeliveryOf?: string;
}

/** A body of the test's choosing, posted to a callback URL (POST /__emulator/webhooks/send). */
export interface CustomWebhook {
	/** An object is serialised as Meta does (escaped); a string is sent exactly as given. */
	body: unknown;
	/** Default 'valid'. */
	signature?: WebhookSignature;
	/** Whose app signs it and whose callback URL it goes to (default: the first Page). */
	pageId?: string;
	/** Instead of the subscription's callback URL. */
	url?: string;
	/** Default application/json. */
	contentType?: string;
}

export interface CustomWebhookResult {
	status: number;
	responseBody: string;
	delivery: WebhookDelivery | null;
}

/** GET /__emulator/webhooks: the Meta-side configuration (verify tokens included, for tests) and the deliveries. */
export interface WebhookState {
	subscriptions: Array<Pick<WebhookSubscription, 'appId' | 'object' | 'callback_url' | 'fields' | 'verify_token'>>;
	subscribedApps: SubscribedApp[];
	deliveries: WebhookDelivery[];
}
