// A local Graph API emulator for the Messenger Send API: the independent "other side" that the
// node, the demo and the benchmark talk to over real HTTP. Dev-only, never shipped. Built from
// the shared API facts (/work/shared/messenger-send-api.md), not from the node's code.
//
// This file is the emulator's face: the class tests hold, its options and records, and the test
// controls as methods. The work is done elsewhere: server.cts (HTTP), router.cts and auth.cts
// (which edge, which token), edges/ (one module per Graph edge), people.cts (the people on the
// other side), controls.cts (the /__emulator endpoints and the webhook controls), graph.cts (the
// state they share).
import { DEFAULT_BROWSER_TIMEOUT_MS } from './browser.cjs';
import { threadId } from './conversations.cjs';
import { controlRequest, WebhookControls, type Controlled } from './controls.cjs';
import { Messages } from './edges/messages.cjs';
import { isWebhookSetup } from './edges/subscriptions.cjs';
import { Attachments } from './edges/uploads.cjs';
import { DEFAULT_PAGE, Graph, withoutUndefined } from './graph.cjs';
import { People } from './people.cjs';
import { parseOperationBody } from './requestBody.cjs';
import { pageInboxPass, pageInboxReply, type PageInboxPassInput, type PageInboxReplyInput, type PageInboxResult } from './pageInbox.cjs';
import { ownerOf } from './routing.cjs';
import { Router } from './router.cjs';
import { appName, PAGE_INBOX_APP_ID } from './threadOwners.cjs';
import { decodeJsonParams } from './rules.cjs';
import { GraphServer } from './server.cjs';
import type {
	BrowserVisit,
	CustomWebhook,
	CustomWebhookResult,
	EmulatorOptions,
	EmulatorStats,
	FormFill,
	FormFillResult,
	FormSubmission,
	HandoverEntry,
	InboxEntry,
	IncomingEntry,
	PageInboxReply,
	PageLoad,
	PersonActionResult,
	PersonMessage,
	PersonPostback,
	PersonReaction,
	PersonRead,
	PersonTap,
	ReceivedRequest,
	Reply,
	TapResult,
	WebhookDelivery,
	WebhookState,
} from './types.cjs';
import { DEFAULT_WEBHOOK_TIMEOUT_MS } from './webhooks.cjs';
import type { IceBreakerTap, MenuItemTap, MessengerProfile, Persona, ProfilePlatform, WelcomeAction, WelcomeLink, WelcomePostback, WelcomeScreen } from './profileTypes.cjs';

export type {
	BrowserVisit,
	CustomWebhook,
	CustomWebhookResult,
	EmulatorApp,
	EmulatorOptions,
	EmulatorPage,
	EmulatorStats,
	FaultConfig,
	FaultName,
	FaultRule,
	FormEncoding,
	FormFill,
	FormFillResult,
	FormSubmission,
	GraphError,
	GraphErrorBody,
	HandoverEntry,
	HtmlForm,
	InboxEntry,
	IncomingEntry,
	MessageButton,
	PageInboxReply,
	PageLoad,
	PersonAction,
	PersonActionResult,
	PersonMessage,
	PersonPostback,
	PersonProfile,
	PersonReaction,
	PersonRead,
	PersonTap,
	PostbackTap,
	ReceivedRequest,
	Reply,
	TapResult,
	WebUrlTap,
	SubscribedApp,
	WebhookDelivery,
	WebhookObject,
	WebhookSignature,
	WebhookState,
	WebhookSubscription,
} from './types.cjs';
export type * from './profileTypes.cjs';
export { metaJson, signWebhook, webhookBody } from './webhooks.cjs';
export { BROWSER_ACCEPT, buttonsOf, encodeForm, formOf, MESSENGER_BROWSER_USER_AGENT } from './browser.cjs';
export { DEFAULT_APP, DEFAULT_PAGE } from './graph.cjs';
export { DEFAULT_TIMEOUT_MS } from './server.cjs';
export { MAX_BATCH_OPERATIONS } from './edges/batch.cjs';
export { PAGE_INBOX_APP_ID } from './threadOwners.cjs';
export type { PageInboxPassInput, PageInboxReplyInput, PageInboxResult } from './pageInbox.cjs';

export class GraphEmulator implements Controlled {
	/** Every HTTP request to the Graph endpoints, in arrival order (control endpoints are not logged). */
	readonly requests: ReceivedRequest[];

	/** Every accepted send (messages and sender actions), in arrival order. */
	readonly inbox: InboxEntry[];

	/** What the people did (messages, postbacks, reactions, reads), in arrival order; never counted as sends. */
	readonly incoming: IncomingEntry[];

	/** Every POST the emulator made to a callback URL (events, redeliveries, custom bodies), in the order they finished. */
	readonly deliveries: WebhookDelivery[];

	/** What the person's browser did (web_url taps, page loads, form submissions), in the order they started. */
	readonly visits: BrowserVisit[];

	/** Thread control calls that changed or asked for a thread's owner (apps' and the Page Inbox's), in order. */
	readonly handovers: HandoverEntry[];

	/** What the Page's people answered from the Page Inbox (`pageInboxReply`), in order; never counted as sends. */
	readonly pageInboxReplies: PageInboxReply[];

	respondWith?: (request: ReceivedRequest, index: number) => Reply | 'drop' | undefined;

	private readonly graph: Graph;

	private readonly attachments = new Attachments();

	private readonly messages: Messages;

	private readonly people: People;

	private readonly webhooks: WebhookControls;

	private readonly server: GraphServer;

	constructor(options: EmulatorOptions = {}) {
		const graph = new Graph({ pages: [DEFAULT_PAGE], ...withoutUndefined(options) });
		this.graph = graph;
		this.requests = graph.requests;
		this.inbox = graph.store.entries;
		this.incoming = graph.store.incoming;
		this.deliveries = graph.hub.deliveries;
		this.visits = graph.store.visits;
		this.handovers = graph.store.handovers;
		this.pageInboxReplies = graph.store.pageInboxReplies;
		this.applyTimeouts();
		this.messages = new Messages(graph, this.attachments);
		this.people = new People(graph);
		this.webhooks = new WebhookControls(graph);
		const router = new Router(graph, this.messages, this.attachments, (psid) => ({ name: this.people.nameOf(psid), profile: this.people.profileOf(psid) }));
		this.server = new GraphServer(graph, {
			route: (record) => router.route(record),
			control: (record, res) => controlRequest(this, record, res),
			override: (record, index) => this.respondWith?.(record, index),
		});
	}

	get url(): string {
		return this.server.url;
	}

	async start(port = 0, host = '127.0.0.1'): Promise<string> {
		return await this.server.start(port, host);
	}

	async stop(): Promise<void> {
		await this.server.stop();
	}

	/** Changes options at run time. A key given as undefined (or null, over HTTP) goes back to its default. */
	configure(options: Partial<EmulatorOptions>): void {
		const next: Record<string, unknown> = { ...this.graph.options };
		for (const [key, value] of Object.entries(options)) {
			if (value === undefined || value === null) delete next[key];
			else next[key] = value;
		}
		this.graph.options = next as EmulatorOptions;
		this.applyTimeouts();
		if ('seed' in options) this.graph.reseed(false);
	}

	reset(): void {
		this.graph.reset();
		this.attachments.reset();
		this.messages.reset();
		this.people.reset();
		this.respondWith = undefined;
		// Subscriptions and subscribed apps are Meta-side configuration that an active workflow
		// made: they stay. Deliveries go (queued ones are not sent).
		this.graph.hub.reset();
	}

	conversation(recipientKey: string): InboxEntry[] {
		return this.graph.store.conversation(recipientKey);
	}

	/**
	 * The parameters of every POST to a Page edge received, in order: a direct request's body, or
	 * each operation of a batch (its form fields, JSON ones decoded), whether Graph ran it or not.
	 */
	sendOperations(): Array<Record<string, unknown>> {
		return this.requests
			.filter((request) => request.method === 'POST' && !isWebhookSetup(request.path))
			.flatMap((request) => {
				if (request.body.batch === undefined) return [request.body];
				const operations = JSON.parse(String(request.body.batch)) as Array<{ body?: unknown }>;
				return operations.map((operation) => {
					const fields = parseOperationBody(operation.body);
					const decoded = decodeJsonParams(fields);
					return 'params' in decoded ? decoded.params : fields;
				});
			});
	}

	/** The conversation ID `GET {page}/conversations` gives for this person (default: the first Page). */
	threadId(psid: string, pageId = this.graph.pages[0]?.id ?? DEFAULT_PAGE.id): string {
		return threadId(pageId, psid);
	}

	transcript(): string {
		return this.graph.store.transcript({
			page: (pageId) => this.graph.pages.find((page) => page.id === pageId)?.name ?? `Page ${pageId}`,
			person: (psid) => this.people.nameOf(psid) ?? `PSID ${psid}`,
			app: (appId) => appName(appId, this.graph.apps),
		});
	}

	stats(): EmulatorStats {
		const { graph } = this;
		return {
			requests: this.requests.length,
			accepted: this.inbox.length,
			rejected: { ...graph.rejected },
			faults: { ...graph.faultCounts },
			notRun: graph.notRunCount,
			cutOff: graph.cutOffCount,
		};
	}

	// ---- The people on the other side (people.cts) -----------------------------------------

	/** The person sends the Page a message; resolves once its delivery finished (null: nobody subscribed). */
	async personMessage(input: PersonMessage): Promise<PersonActionResult> {
		return await this.people.message(input);
	}

	/** The person presses a postback button (or Get Started). */
	async personPostback(input: PersonPostback): Promise<PersonActionResult> {
		return await this.people.postback(input);
	}

	/**
	 * The person taps a button of a template the Page sent them: the newest accepted send to them
	 * with a button of exactly that title (or the send `mid`). A `web_url` button: the in-app
	 * browser GETs its URL (no redirects followed) and the page comes back; a `postback` button:
	 * what `personPostback` does with its payload and title. No such button: a 404 ControlError
	 * listing the buttons there are.
	 */
	async personTaps(input: PersonTap): Promise<TapResult> {
		return await this.people.taps(input);
	}

	/** The person's browser submits a form: POSTs `fields` (urlencoded, or multipart) to `url`; redirects are not followed. */
	async personSubmitsForm(input: FormSubmission): Promise<PageLoad> {
		return await this.people.submitsForm(input);
	}

	/**
	 * The person fills in the first form of a page and submits it: `formOf(html, pageUrl)` (the
	 * page loaded first when no `html` is given), `values` over the prefilled ones, sent as the form
	 * says (method, action, enctype unless `encoding` is given). A page without a form: 404; a value
	 * for a field the form does not have: 400 naming the fields it has.
	 */
	async personFillsForm(input: FormFill): Promise<FormFillResult> {
		return await this.people.fillsForm(input);
	}

	/** The person reacts to a message (or takes the reaction back). */
	async personReaction(input: PersonReaction): Promise<PersonActionResult> {
		return await this.people.reaction(input);
	}

	/** The person reads the conversation up to `watermark` (default: now). */
	async personRead(input: PersonRead): Promise<PersonActionResult> {
		return await this.people.read(input);
	}

	// ---- The welcome screen: the Page's messenger profile as a person sees it (people.cts) ----

	/** The person opens the chat: the greeting (names filled in), Get Started (never wrote), ice breakers, menu; into the transcript. */
	openChat(input: WelcomeAction): WelcomeScreen {
		return this.people.openChat(input);
	}

	/** The person taps Get Started: a `messaging_postbacks` event (title "Get Started"). Not on the screen: 404 ControlError. */
	async tapGetStarted(input: WelcomeAction): Promise<WelcomePostback> {
		return await this.people.tapGetStarted(input);
	}

	/** The person taps the ice breaker with exactly this question: a postback with its payload. */
	async tapIceBreaker(input: IceBreakerTap): Promise<WelcomePostback> {
		return await this.people.tapIceBreaker(input);
	}

	/** The person taps the menu item with exactly this title: a postback, or a web_url opened (no webhook). */
	async tapMenuItem(input: MenuItemTap): Promise<WelcomePostback | WelcomeLink> {
		return await this.people.tapMenuItem(input);
	}

	/** The Page's messenger profile as set over Graph (default: the first Page; `instagram`: its `platform=instagram` one). */
	messengerProfile(pageId?: string, platform?: ProfilePlatform): MessengerProfile {
		const page = this.graph.pageFor(pageId);
		return structuredClone(this.graph.profiles.get(page.id, platform ?? (page.platform === 'instagram' ? 'instagram' : 'messenger')));
	}

	/** The Page's personas, oldest first. */
	personas(pageId?: string): Persona[] {
		return this.graph.personas.of(this.graph.pageFor(pageId).id).map((persona) => ({ ...persona }));
	}

	// ---- The Page's people in the Page Inbox, and who owns a thread (pageInbox.cts) ---------

	/** A human answers the person from the Page Inbox: in the conversation, echoed with the Page Inbox's app_id; the owner stays. */
	async pageInboxReply(input: PageInboxReplyInput): Promise<PageInboxResult> {
		return await pageInboxReply(this.graph, input);
	}

	/** The Page Inbox passes the thread (default: back to the Page's default app) with a pass_thread_control webhook; 409 when it does not own it. */
	async pageInboxPass(input: PageInboxPassInput): Promise<PageInboxResult> {
		return await pageInboxPass(this.graph, input);
	}

	/** The app that owns the person's thread now (the default app's ID while idle; `PAGE_INBOX_APP_ID` when the humans have it). */
	threadOwner(psid: string, pageId?: string): string {
		return ownerOf(this.graph, this.graph.pageFor(pageId), String(psid));
	}

	/** True while the Page Inbox (the Page's people) owns the person's thread. */
	ownedByPageInbox(psid: string, pageId?: string): boolean {
		return this.threadOwner(psid, pageId) === PAGE_INBOX_APP_ID;
	}

	// ---- Webhook test controls (controls.cts) ----------------------------------------------

	/**
	 * Delivers any messaging event (an optin, a referral, a handover…) for a Page through the
	 * subscription rules, as events of the emulator's own are. Nothing goes into the transcript.
	 */
	async deliverEvent(event: Record<string, unknown>, pageId?: string): Promise<WebhookDelivery | null> {
		return await this.webhooks.deliverEvent(event, pageId);
	}

	/** Sends a recorded delivery (default: the last) again: the same bytes, signature headers and URL. */
	async redeliver(id?: string): Promise<WebhookDelivery> {
		return await this.webhooks.redeliver(id);
	}

	/**
	 * Posts a body of the test's choosing to the Page's app's callback URL (or `url`), signed as
	 * asked: for a receiver's tests of forged, missing and odd signatures and of malformed bodies.
	 */
	async sendWebhook(input: CustomWebhook): Promise<CustomWebhookResult> {
		return await this.webhooks.sendWebhook(input);
	}

	/** The Meta-side configuration (verify tokens included: for tests only, Graph never shows them) and the deliveries. */
	webhookState(): WebhookState {
		return this.webhooks.state();
	}

	/** Resolves once every queued delivery went out: e.g. after a send, before looking at its echo. */
	async settleWebhooks(): Promise<WebhookDelivery[]> {
		await this.graph.hub.settled();
		return [...this.deliveries];
	}

	/** Forgets subscriptions, subscribed apps and deliveries (reset() keeps the first two). */
	clearWebhooks(): void {
		this.graph.hub.clear();
	}

	/** The webhook and browser timeouts follow the options (configure() may change them). */
	private applyTimeouts(): void {
		this.graph.hub.timeoutMs = this.graph.options.webhookTimeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
		this.graph.browser.timeoutMs = this.graph.options.browserTimeoutMs ?? DEFAULT_BROWSER_TIMEOUT_MS;
	}
}
