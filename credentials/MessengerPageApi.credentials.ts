import { createHmac } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

const REFUSED_TOKEN =
	'The Page access token was refused: check that it is a current Page access token (and the App Secret, if set)';

/**
 * Lowercase hex HMAC-SHA256 keyed with the app secret: of the access token, or, for the
 * time-stamped variant, of `access_token|unix_time`. The one place this rule lives.
 */
export function appSecretProof(accessToken: string, appSecret: string, unixTime?: number): string {
	const signed = unixTime === undefined ? accessToken : `${accessToken}|${unixTime}`;
	return createHmac('sha256', appSecret).update(signed).digest('hex');
}

/**
 * The proof parameters for one request sent now: none without an app secret (a wrong proof
 * fails even when proofs are not required), `appsecret_proof`, plus `appsecret_time` in the
 * time-stamped mode. Call it when the request leaves: a time-stamped proof lasts 5 minutes.
 */
export function appSecretProofParams(credentials: ICredentialDataDecryptedObject, nowMs = Date.now()): Record<string, string> {
	const token = String(credentials.accessToken ?? '');
	const secret = String(credentials.appSecret ?? '');
	if (!secret) return {};
	if (credentials.proofMode !== 'timeStamped') return { appsecret_proof: appSecretProof(token, secret) };
	const unixTime = Math.floor(nowMs / 1000);
	return { appsecret_proof: appSecretProof(token, secret, unixTime), appsecret_time: String(unixTime) };
}

export class MessengerPageApi implements ICredentialType {
	name = 'messengerPageApi';

	displayName = 'Messenger Page API';

	icon = { light: 'file:../nodes/shared/messenger.svg', dark: 'file:../nodes/shared/messenger.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-messenger-send/n8n-nodes-messenger-send#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Platform',
			name: 'platform',
			type: 'options',
			options: [
				{
					name: 'Instagram',
					value: 'instagram',
					description: 'An Instagram professional account: Instagram’s stricter rules apply (text up to 1000 bytes, only the HUMAN_AGENT tag, …)',
				},
				{
					name: 'Messenger (Facebook Page)',
					value: 'messenger',
					description: 'A Facebook Page, messaging people on Messenger',
				},
			],
			default: 'messenger',
			description: 'Where this credential sends messages. One credential is one account: create another credential for another Page or Instagram account.',
		},
		{
			displayName:
				'Instagram with a linked Facebook Page: keep the base URL https://graph.facebook.com and use the Page access token. With Instagram Login: set the base URL to https://graph.instagram.com and use the Instagram user access token; in the node, use the Instagram user ID (or me) as Page ID. Recipients are IGSIDs (Instagram-scoped IDs) from the Instagram webhook.',
			name: 'instagramNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { platform: ['instagram'] } },
		},
		{
			displayName: 'Page Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'A Page access token with the pages_messaging permission, from the Messenger settings of your Meta app. For Instagram: the Page token of the linked Page, or the Instagram token with Instagram Login.',
		},
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			default: '',
			description:
				'Optional for sending. The Messenger Trigger needs it to subscribe the app’s webhook automatically (App Dashboard → App settings → Basic → App ID).',
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Needed by the Messenger Trigger, which checks with it that events come from Meta. When set, every request also carries an appsecret_proof, which apps with "Require App Secret" need; a wrong secret makes every request fail.',
		},
		{
			displayName: 'App Secret Proof',
			name: 'proofMode',
			type: 'options',
			options: [
				{
					name: 'Plain',
					value: 'plain',
					description: 'The proof signs the token alone and stays valid as long as the token',
				},
				{
					name: 'Time-Stamped (appsecret_time)',
					value: 'timeStamped',
					description:
						'The proof signs the token and the current time and is valid for 5 minutes, so a leaked proof soon stops working. Needs a correct clock on the n8n server.',
				},
			],
			default: 'plain',
			description: 'Used only when an App Secret is set: how each request proves it knows the app secret',
		},
		{
			displayName: 'Graph API Version',
			name: 'apiVersion',
			type: 'string',
			default: 'v25.0',
			placeholder: 'v25.0',
			description: 'The Graph API version to call. Meta serves each version for about two years.',
		},
		{
			displayName: 'Graph API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://graph.facebook.com',
			description:
				'Keep https://graph.facebook.com for Messenger and for Instagram through a linked Page. Change only for Instagram Login tokens (https://graph.instagram.com) or a local Graph API emulator.',
		},
	];

	// The token travels in a header, never in the URL, where it would end up in logs.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const token = String(credentials.accessToken ?? '');
		const authenticated: IHttpRequestOptions = {
			...requestOptions,
			headers: { ...requestOptions.headers, Authorization: `Bearer ${token}` },
		};
		// n8n calls this for every request it sends (retries included), so a time-stamped proof is fresh.
		const proof = appSecretProofParams(credentials);
		if (proof.appsecret_proof) authenticated.qs = { ...requestOptions.qs, ...proof };
		return authenticated;
	}

	// n8n 2.8 drops the HTTP status before `responseCode` rules see it, so the test reads the
	// Graph error body instead: that is what tells a refused token from a wrong app secret.
	test: ICredentialTestRequest = {
		request: {
			// Only a slash not preceded by one can start the match: linear, where /\/+$/ is quadratic on
			// a long run of slashes before a last character.
			baseURL: '={{$credentials.baseUrl.replace(/(?<!\\/)\\/+$/, "")}}/{{$credentials.apiVersion}}',
			url: '/me',
			qs: { fields: 'id,name' },
			ignoreHttpStatusErrors: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error.code',
					value: 190,
					message: REFUSED_TOKEN,
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error.type',
					value: 'GraphMethodException',
					message: 'The Graph API refused the request: check the App Secret (it must belong to the app of the token), or leave it empty',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error.type',
					value: 'OAuthException',
					message: REFUSED_TOKEN,
				},
			},
		],
	};
}
