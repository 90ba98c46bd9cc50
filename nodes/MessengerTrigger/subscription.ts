import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IHookFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
} from 'n8n-workflow';

import { redactSecrets } from '../shared/secrets';
import { CREDENTIAL_TYPE, graphTarget, graphUrl, readAnswer, type GraphTarget } from '../shared/graph';

/** What Meta holds for this app and Page: the app's subscription for the object, and the Page's fields for the app. */
export interface MetaSide {
	app: { callbackUrl: string; fields: string[] } | null;
	/** null: the Page has not subscribed the app. */
	pageFields: string[] | null;
}

/** What the trigger needs Meta to hold. */
export interface Wanted {
	object: 'page' | 'instagram';
	callbackUrl: string;
	fields: string[];
}

/** What an activation must change on Meta's side; undefined: already as wanted. */
export interface SubscribePlan {
	appFields?: string[];
	pageFields?: string[];
}

function union(a: readonly string[], b: readonly string[]): string[] {
	return [...new Set([...a, ...b])].sort();
}

function covers(have: readonly string[] | null | undefined, want: readonly string[]): boolean {
	return !!have && want.every((field) => have.includes(field));
}

export function isSubscribed(side: MetaSide, wanted: Wanted): boolean {
	return side.app?.callbackUrl === wanted.callbackUrl && covers(side.app.fields, wanted.fields) && covers(side.pageFields, wanted.fields);
}

/**
 * The changes an activation makes. The app keeps the fields it already sends to this URL; the
 * Page keeps the fields it already had for the app. Another callback URL is replaced only when
 * the user said so: Meta keeps one per app, and its verify token cannot be read back to restore it.
 */
export function subscribePlan(found: MetaSide, wanted: Wanted, replaceOtherUrl: boolean): SubscribePlan | { problem: string } {
	const other = found.app && found.app.callbackUrl !== wanted.callbackUrl ? found.app.callbackUrl : undefined;
	if (other && !replaceOtherUrl) {
		return {
			problem: `The app already sends its ${wanted.object} webhooks to ${other}, and Meta keeps one callback URL per app. Turn on "Replace Another Callback URL" in the trigger's options to point it at this n8n (the other URL then gets nothing), or use Subscription: Manual.`,
		};
	}
	const plan: SubscribePlan = {};
	const appFields = other ? wanted.fields : union(found.app?.fields ?? [], wanted.fields);
	if (other || !covers(found.app?.fields, wanted.fields)) plan.appFields = appFields;
	if (!covers(found.pageFields, wanted.fields)) plan.pageFields = union(found.pageFields ?? [], wanted.fields);
	return plan;
}

/** The changes a deactivation makes so that Meta's side is as the activation found it. */
export function restorePlan(before: MetaSide, now: MetaSide, callbackUrl: string): { deleteApp: boolean; page: 'delete' | 'keep' | string[] } {
	const deleteApp = now.app?.callbackUrl === callbackUrl && before.app?.callbackUrl !== callbackUrl;
	let page: 'delete' | 'keep' | string[] = 'keep';
	if (before.pageFields === null) page = now.pageFields === null ? 'keep' : 'delete';
	else if (JSON.stringify([...before.pageFields].sort()) !== JSON.stringify([...(now.pageFields ?? [])].sort())) page = before.pageFields;
	return { deleteApp, page };
}

/** The Graph calls of the subscription lifecycle, with the credential's Page token or the app token. */
export class SubscriptionClient {
	private readonly target: GraphTarget;

	private readonly redact: (text: string) => string;

	constructor(
		private readonly ctx: IHookFunctions,
		private readonly credentials: ICredentialDataDecryptedObject,
		private readonly pageId: string,
	) {
		this.target = graphTarget(credentials);
		this.redact = redactSecrets([credentials.accessToken, credentials.appSecret]);
	}

	private get appId(): string {
		return String(this.credentials.appId ?? '').trim();
	}

	async read(object: Wanted['object']): Promise<MetaSide> {
		const subscriptions = await this.call('app', 'GET', `${encodeURIComponent(this.appId)}/subscriptions`);
		const data = Array.isArray(subscriptions.data) ? (subscriptions.data as IDataObject[]) : [];
		const mine = data.find((entry) => entry.object === object && entry.active !== false);
		const apps = await this.call('page', 'GET', `${this.pagePath}/subscribed_apps`);
		const pageApps = Array.isArray(apps.data) ? (apps.data as IDataObject[]) : [];
		const app = pageApps.find((entry) => String(entry.id) === this.appId);
		return {
			app: mine
				? {
						callbackUrl: String(mine.callback_url ?? ''),
						fields: (Array.isArray(mine.fields) ? (mine.fields as Array<IDataObject | string>) : []).map((field) => (typeof field === 'string' ? field : String(field.name))),
					}
				: null,
			pageFields: app ? (Array.isArray(app.subscribed_fields) ? (app.subscribed_fields as string[]).map(String) : []) : null,
		};
	}

	async subscribeApp(wanted: Wanted, fields: string[], verifyToken: string): Promise<void> {
		await this.call('app', 'POST', `${encodeURIComponent(this.appId)}/subscriptions`, {
			object: wanted.object,
			callback_url: wanted.callbackUrl,
			verify_token: verifyToken,
			fields: fields.join(','),
			include_values: 'true',
		});
	}

	async unsubscribeApp(object: Wanted['object']): Promise<void> {
		await this.call('app', 'DELETE', `${encodeURIComponent(this.appId)}/subscriptions`, { object });
	}

	async subscribePage(fields: string[]): Promise<void> {
		await this.call('page', 'POST', `${this.pagePath}/subscribed_apps`, { subscribed_fields: fields.join(',') });
	}

	async unsubscribePage(): Promise<void> {
		await this.call('page', 'DELETE', `${this.pagePath}/subscribed_apps`);
	}

	private get pagePath(): string {
		return encodeURIComponent(this.pageId.trim() || 'me');
	}

	/**
	 * One Graph call. Parameters go in the query string as Graph's subscription edges expect;
	 * tokens travel in the Authorization header only, and no text that leaves here carries them.
	 */
	private async call(token: 'app' | 'page', method: IHttpRequestMethods, path: string, qs: IDataObject = {}): Promise<IDataObject> {
		const options: IHttpRequestOptions = { method, url: graphUrl(this.target, path), qs, json: true, returnFullResponse: true, ignoreHttpStatusErrors: true };
		let response: { statusCode: number; body: unknown; headers?: IDataObject };
		try {
			if (token === 'page') {
				response = (await this.ctx.helpers.httpRequestWithAuthentication.call(this.ctx, CREDENTIAL_TYPE, options)) as typeof response;
			} else {
				const appToken = `${this.appId}|${String(this.credentials.appSecret ?? '')}`;
				response = (await this.ctx.helpers.httpRequest({ ...options, headers: { Authorization: `Bearer ${appToken}` } })) as typeof response;
			}
		} catch (error) {
			throw new NodeOperationError(this.ctx.getNode(), `Could not reach the Graph API at ${this.target.baseUrl} (${method} ${path.split('/').pop()}): ${this.redact((error as Error).message ?? '')}`);
		}
		const outcome = readAnswer(response.statusCode, response.body, response.headers);
		if (outcome.kind === 'sent') return outcome.body;
		const detail = outcome.kind === 'refused' ? `${outcome.error.message ?? ''}${outcome.error.code ? ` (code ${outcome.error.code})` : ''}` : `HTTP ${response.statusCode}`;
		throw new NodeOperationError(this.ctx.getNode(), this.redact(`${explainCall(token, method, path)}: ${detail}`), {
			description: this.redact(adviceFor(token, outcome.kind === 'refused' ? outcome.error.code : undefined)),
		});
	}
}

function explainCall(token: 'app' | 'page', method: IHttpRequestMethods, path: string): string {
	const edge = path.endsWith('subscribed_apps') ? "the Page's subscribed apps" : "the app's webhook subscription";
	const verb = method === 'GET' ? 'read' : method === 'DELETE' ? 'remove' : 'set';
	return `Meta refused to ${verb} ${edge}${token === 'app' ? ' (with the app access token made of App ID and App Secret)' : ' (with the Page access token)'}`;
}

function adviceFor(token: 'app' | 'page', code: number | undefined): string {
	if (code === 2200) {
		return 'Meta could not verify the callback URL: it must reach this n8n from the internet over HTTPS (set WEBHOOK_URL to the public address n8n is reached at) and the workflow must be active while it checks.';
	}
	if (token === 'app') return 'Check the App ID and App Secret in the credential: both come from the App Dashboard, App settings → Basic.';
	return 'Check that the Page access token belongs to this Page and has the pages_manage_metadata permission.';
}
