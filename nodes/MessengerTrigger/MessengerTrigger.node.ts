import {
	NodeConnectionTypes,
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IHookFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../shared/graph';
import { platformOf } from '../shared/platform';
import { handBackVerdict, resumeUrlOf, TAPPED_BY_HEADER } from '../shared/resumeLink';
import { STANDBY_KIND_SINCE, TRIGGER_VERSIONS, triggerProperties } from './description';
import { asChosen, eventKey, fieldsFor, objectOf, readWebhookPost, toItem, type EventType, type ReceivedEvent } from './events';
import { claimEvents } from './seenEvents';
import { checkSignature, derivedVerifyToken, refusalReason, sameToken } from './signature';
import { SubscriptionClient, isSubscribed, restorePlan, subscribePlan, type MetaSide, type Wanted } from './subscription';

/** What Meta's own samples answer a delivery (Meta reads only the status). */
const EVENT_RECEIVED = 'EVENT_RECEIVED';

const NO_SECRET =
	'The Messenger Trigger needs the App Secret in its credential: it checks with it that each event was signed by Meta. Add it to the Messenger Page API credential (App Dashboard → App settings → Basic → App secret).';

/** What an activation stored so that the deactivation can put Meta's side back. */
interface StoredSubscription {
	callbackUrl: string;
	object: Wanted['object'];
	before: MetaSide;
}

type Context = IHookFunctions | IWebhookFunctions;

function appSecretOf(credentials: ICredentialDataDecryptedObject): string {
	return String(credentials.appSecret ?? '');
}

function webhookIdOf(ctx: Context): string {
	const node = ctx.getNode();
	return node.webhookId ?? `${ctx.getWorkflow().id ?? ''}|${node.id}`;
}

function expectedVerifyToken(ctx: Context, appSecret: string): string {
	if (ctx.getNodeParameter('subscription', 'automatic') === 'manual') return String(ctx.getNodeParameter('verifyToken', ''));
	return appSecret ? derivedVerifyToken(appSecret, webhookIdOf(ctx)) : '';
}

/** What the lifecycle methods work with; `check` refuses a setup that cannot work (activation only: a deactivation must always go through). */
async function lifecycle(ctx: IHookFunctions, check = true) {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	if (check && !appSecretOf(credentials)) throw new NodeOperationError(ctx.getNode(), NO_SECRET);
	const automatic = ctx.getNodeParameter('subscription', 'automatic') === 'automatic';
	if (check && automatic && !String(credentials.appId ?? '').trim()) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Automatic subscription needs the App ID in the credential (App Dashboard → App settings → Basic → App ID), or set Subscription to Manual and paste the URL and verify token into the App Dashboard',
		);
	}
	const types = ctx.getNodeParameter('events', []) as EventType[];
	const wanted: Wanted = {
		object: objectOf(platformOf(credentials.platform)),
		callbackUrl: ctx.getNodeWebhookUrl('default') ?? '',
		fields: fieldsFor(types, platformOf(credentials.platform)),
	};
	const client = new SubscriptionClient(ctx, credentials, String(ctx.getNodeParameter('pageId', 'me')));
	const staticData = ctx.getWorkflowStaticData('node');
	const stored = staticData.subscription as StoredSubscription | undefined;
	return { automatic, wanted, client, staticData, stored: stored?.callbackUrl === wanted.callbackUrl ? stored : undefined, credentials };
}

function refuse(ctx: IWebhookFunctions, status: number, why: string, answer: string): IWebhookResponseData {
	ctx.logger.warn(`Messenger Trigger "${ctx.getNode().name}" refused a ${ctx.getRequestObject().method} request: ${why}`);
	ctx.getResponseObject().status(status).type('text/plain').send(answer);
	return { noWebhookResponse: true };
}

/** Meta's check of the callback URL: the challenge back only to the right verify token. */
async function handshake(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const query = ctx.getQueryData() as IDataObject;
	const nested = (query.hub ?? {}) as IDataObject;
	const mode = query['hub.mode'] ?? nested.mode;
	const token = query['hub.verify_token'] ?? nested.verify_token;
	const challenge = query['hub.challenge'] ?? nested.challenge;
	if (!appSecretOf(credentials)) return refuse(ctx, 403, 'the credential has no App Secret', 'Forbidden');
	if (mode !== 'subscribe') return refuse(ctx, 403, 'hub.mode is not "subscribe"', 'Forbidden');
	if (!sameToken(token, expectedVerifyToken(ctx, appSecretOf(credentials)))) {
		return refuse(ctx, 403, 'hub.verify_token does not match the Verify Token of this trigger', 'Forbidden');
	}
	ctx.getResponseObject().status(200).type('text/plain').send(String(challenge ?? ''));
	return { noWebhookResponse: true };
}

/** A delivery of events: verified, split into one item per event, each emitted once. */
async function receive(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const appSecret = appSecretOf(credentials);
	const request = ctx.getRequestObject();
	if (!appSecret) return refuse(ctx, 403, 'the credential has no App Secret, so no signature can be checked', 'Forbidden');
	const raw = await rawBodyOf(request);
	if (!raw) {
		return refuse(
			ctx,
			403,
			'n8n did not hand over the raw bytes of the request, and the signature is computed over exactly those; the delivery was not checked (is a proxy or another body parser in front of n8n reading the body first?)',
			'Invalid signature',
		);
	}
	const signature = checkSignature(raw, request.headers['x-hub-signature-256'], appSecret);
	if (signature !== 'valid') return refuse(ctx, 403, refusalReason(signature), 'Invalid signature');

	const platform = platformOf(credentials.platform);
	const reading = readWebhookPost(raw.toString('utf8'), objectOf(platform));
	if ('problem' in reading) return refuse(ctx, 400, reading.problem, reading.problem);

	const chosen = new Set(ctx.getNodeParameter('events', []) as EventType[]);
	const ownOrigin = ctx.getNodeWebhookUrl('default') ?? '';
	const standbyAsOther = (ctx.getNode().typeVersion ?? 1) < STANDBY_KIND_SINCE;
	// A tap on a Send and Wait postback button is looked at whatever kinds are chosen.
	const events = reading.events.flatMap((event) => {
		const kept = asChosen(event, chosen, standbyAsOther);
		return kept ? [kept] : resumeUrlOfEvent(event, ownOrigin) ? [event] : [];
	});
	const fresh = claimEvents(ctx.getWorkflowStaticData('node'), `${ctx.getWorkflow().id ?? ''}|${ctx.getNode().id}`, events.map(eventKey));
	const emitted: ReceivedEvent[] = [];
	for (const [index, event] of events.entries()) {
		if (!fresh[index]) continue;
		const resumeUrl = resumeUrlOfEvent(event, ownOrigin);
		if (resumeUrl && (await handBack(ctx, resumeUrl, String((event.event.sender as IDataObject | undefined)?.id ?? ''))) !== 'refused') continue;
		if (chosen.has(event.type)) emitted.push(event);
	}
	const context = { appId: String(credentials.appId ?? '').trim() || undefined };
	const items = emitted.map((event) => ({ json: toItem(event, platform, context) }));
	ctx.logger.debug(
		`Messenger Trigger "${ctx.getNode().name}": ${reading.events.length} events received, ${events.length} of the chosen kinds, ${items.length} new`,
	);
	return acknowledge(ctx, items);
}

/**
 * Meta's 200, sent by the trigger itself before n8n starts the workflow, so that the claimed keys
 * reach n8n's database. n8n saves the static data a webhook request changed when the request is
 * answered, if its "changed" mark is still set. Answered by n8n (Respond: Immediately), n8n 2.40
 * answers only after it has prepared the execution, and preparing it builds new workflow objects
 * on the same static data, which clears that mark: the keys of a delivery that started a workflow
 * were never saved, and a restart forgot them. Answered here, n8n (1.x and 2.x) saves at once.
 */
function acknowledge(ctx: IWebhookFunctions, items: INodeExecutionData[]): IWebhookResponseData {
	ctx.getResponseObject().status(200).type('text/plain').send(EVENT_RECEIVED);
	return items.length === 0 ? { noWebhookResponse: true } : { noWebhookResponse: true, workflowData: [items] };
}

/**
 * The bytes as received, which the signature is computed over. n8n keeps them beside the parsed
 * body; where it has not read them yet (a body it did not parse), it reads them when asked.
 */
async function rawBodyOf(request: ReturnType<IWebhookFunctions['getRequestObject']>): Promise<Buffer | undefined> {
	const held = request as { rawBody?: unknown; readRawBody?: () => Promise<void> };
	if (!Buffer.isBuffer(held.rawBody) && typeof held.readRawBody === 'function') await held.readRawBody();
	return Buffer.isBuffer(held.rawBody) ? held.rawBody : undefined;
}

function resumeUrlOfEvent(event: ReceivedEvent, ownOrigin: string): string | undefined {
	if (event.type !== 'postback' || !ownOrigin) return undefined;
	return resumeUrlOf((event.event.postback as IDataObject).payload, ownOrigin);
}

/**
 * Hands a Send and Wait tap to the waiting execution: n8n checks the URL's signature, and the
 * Send and Wait node that the person who tapped (sent along) is the person asked, and resumes it
 * (once; a later tap gets n8n's "No action required" page, and is dropped too). Only the node's
 * own answer counts as resumed; anything else (refused, a redirect, which is not followed, another page) is an
 * ordinary postback, and the log says why. No answer at all: n8n may have resumed before the time
 * ran out, so the tap is not passed on as well (the workflow could answer it a second time); the
 * log says so. Meta wants its 200 within seconds: n8n resuming itself answers in well under one,
 * so 5 s is the wait.
 */
const HAND_BACK_TIMEOUT_MS = 5_000;

async function handBack(ctx: IWebhookFunctions, resumeUrl: string, tappedBy: string): Promise<'resumed' | 'refused' | 'unanswered'> {
	const name = ctx.getNode().name;
	try {
		const response = (await ctx.helpers.httpRequest({
			method: 'GET',
			url: resumeUrl,
			headers: { 'user-agent': 'n8n-nodes-messenger-send Messenger Trigger', [TAPPED_BY_HEADER]: tappedBy },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: HAND_BACK_TIMEOUT_MS,
		})) as { statusCode: number; headers?: Record<string, unknown>; body?: unknown };
		const verdict = handBackVerdict(response.statusCode, response.headers, response.body);
		if (verdict.outcome === 'resumed') return 'resumed';
		if (verdict.outcome === 'answeredBefore') {
			ctx.logger.info(`Messenger Trigger "${name}": a tap on a Send and Wait question that was answered before (or timed out); nothing resumed, not passed on`);
			return 'resumed';
		}
		ctx.logger.info(`Messenger Trigger "${name}": a postback named a Send and Wait resume link that resumed nothing (${verdict.why}); passed on as a postback`);
		return 'refused';
	} catch (error) {
		ctx.logger.error(
			`Messenger Trigger "${name}": a Send and Wait answer could not be handed to n8n at its own webhook URL (${(error as Error).message}); ` +
				'check that n8n reaches its WEBHOOK_URL from where it runs. The tap was not passed on as a postback.',
		);
		return 'unanswered';
	}
}

/** Starts a workflow for what people send to a Facebook Page or Instagram account. */
export class MessengerTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Messenger Trigger',
		name: 'messengerTrigger',
		icon: { light: 'file:../shared/messenger.svg', dark: 'file:../shared/messenger.dark.svg' },
		group: ['trigger'],
		version: TRIGGER_VERSIONS,
		defaultVersion: Math.max(...TRIGGER_VERSIONS),
		subtitle: '={{$parameter["events"].join(", ")}}',
		description:
			'Starts the workflow when a person writes to a Facebook Page or Instagram account, taps a button or quick reply, reacts, reads, or is handed over between the bot and the Page’s people: one item per event, each verified by its signature and emitted once',
		defaults: { name: 'Messenger Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		eventTriggerDescription: 'Waiting for someone to write to the Page',
		activationMessage: 'Messages to the Page now start this workflow.',
		webhooks: [
			{ name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', path: 'webhook' },
			// The trigger answers deliveries itself (see acknowledge); this is what n8n would answer.
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: EVENT_RECEIVED, path: 'webhook' },
		],
		properties: triggerProperties,
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const { automatic, wanted, client, stored } = await lifecycle(this);
				if (!automatic) return true;
				return !!stored && isSubscribed(await client.read(wanted.object), wanted);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const { automatic, wanted, client, staticData, stored, credentials } = await lifecycle(this);
				if (!automatic) return true;
				const found = await client.read(wanted.object);
				const options = this.getNodeParameter('options', {}) as IDataObject;
				const plan = subscribePlan(found, wanted, options.replaceOtherUrl === true);
				if ('problem' in plan) throw new NodeOperationError(this.getNode(), plan.problem);
				const record: StoredSubscription = { callbackUrl: wanted.callbackUrl, object: wanted.object, before: stored?.before ?? found };
				// Kept before Meta is touched: a failure half-way must still be undone by the deactivation.
				staticData.subscription = record;
				if (plan.appFields) await client.subscribeApp(wanted, plan.appFields, derivedVerifyToken(appSecretOf(credentials), webhookIdOf(this)));
				if (plan.pageFields) await client.subscribePage(plan.pageFields);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const { automatic, wanted, client, staticData, stored, credentials } = await lifecycle(this, false);
				// Nothing can have been subscribed without the app's ID and secret; and only what an
				// activation recorded is undone (n8n also calls this after a refused activation).
				if (!automatic || !stored || !appSecretOf(credentials) || !String(credentials.appId ?? '').trim()) return true;
				const now = await client.read(wanted.object);
				const restore = restorePlan(stored.before, now, wanted.callbackUrl);
				if (restore.deleteApp) await client.unsubscribeApp(wanted.object);
				if (restore.page === 'delete') await client.unsubscribePage();
				else if (restore.page !== 'keep') await client.subscribePage(restore.page);
				delete staticData.subscription;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return this.getWebhookName() === 'setup' ? await handshake(this) : await receive(this);
	}
}
