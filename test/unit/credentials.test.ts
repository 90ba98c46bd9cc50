import { appSecretProof, MessengerPageApi } from '../../credentials/MessengerPageApi.credentials';

const credential = new MessengerPageApi();

test('appsecret_proof is the lowercase hex HMAC-SHA256 of the token keyed with the app secret', () => {
	// Reference value: printf page-token | openssl dgst -sha256 -hmac app-secret
	expect(appSecretProof('page-token', 'app-secret')).toBe('d8b448b9cc7d64c51098271805b3cc20b5b715e52bd587eb71b610259587c856');
});

test('authenticate puts the token in the Authorization header and the proof in the query', async () => {
	const options = await credential.authenticate(
		{ accessToken: 'page-token', appSecret: 'app-secret' },
		{ url: 'https://graph.facebook.com/v25.0/me/messages', qs: { keep: 'me' }, headers: { 'X-Other': '1' } },
	);
	expect(options.headers).toEqual({ 'X-Other': '1', Authorization: 'Bearer page-token' });
	// HMAC-SHA256 of 'page-token' keyed with the test's app secret, computed outside this code.
	const expectedHmac = 'd8b448b9cc7d64c51098271805b3cc20b5b715e52bd587eb71b610259587c856';
	expect(options.qs).toEqual({ keep: 'me', appsecret_proof: expectedHmac });
	expect(options.url).not.toContain('page-token');
});

test('without an app secret no proof is sent (a wrong proof fails even when not required)', async () => {
	const options = await credential.authenticate({ accessToken: 'page-token', appSecret: '' }, { url: '/x' });
	expect(options.qs).toBeUndefined();
});

test('defaults: a current version, graph.facebook.com, token as a password field', () => {
	const byName = Object.fromEntries(credential.properties.map((p) => [p.name, p]));
	expect(byName.apiVersion.default).toBe('v25.0');
	expect(byName.baseUrl.default).toBe('https://graph.facebook.com');
	expect(byName.accessToken.typeOptions?.password).toBe(true);
	expect(byName.appSecret.typeOptions?.password).toBe(true);
});

test('the credential test asks GET {base}/{version}/me and reads refusals from the Graph error body', () => {
	expect(credential.test.request).toEqual({
		baseURL: '={{$credentials.baseUrl.replace(/(?<!\\/)\\/+$/, "")}}/{{$credentials.apiVersion}}',
		url: '/me',
		qs: { fields: 'id,name' },
		ignoreHttpStatusErrors: true,
	});
	// A refused token (190, OAuthException) and a wrong app secret (GraphMethodException) each get
	// a readable message; the real check runs in n8n in test/e2e/editor.test.cts.
	expect(credential.test.rules?.map((rule) => rule.type === 'responseSuccessBody' && [rule.properties.key, rule.properties.value])).toEqual([
		['error.code', 190],
		['error.type', 'GraphMethodException'],
		['error.type', 'OAuthException'],
	]);
});

describe('Instagram', () => {
	const byName = Object.fromEntries(credential.properties.map((p) => [p.name, p]));

	test('a Platform field: Messenger by default, Instagram as the other choice, options sorted by name', () => {
		expect(byName.platform.type).toBe('options');
		expect(byName.platform.default).toBe('messenger');
		expect(byName.platform.options?.map((option) => ('value' in option ? option.value : undefined))).toEqual(['instagram', 'messenger']);
		expect(byName.platform.options?.map((option) => option.name)).toEqual(['Instagram', 'Messenger (Facebook Page)']);
	});

	test('for Instagram, a notice explains both login kinds (base URL and token)', () => {
		expect(byName.instagramNotice.displayOptions).toEqual({ show: { platform: ['instagram'] } });
		expect(byName.instagramNotice.displayName).toContain('https://graph.facebook.com');
		expect(byName.instagramNotice.displayName).toContain('https://graph.instagram.com');
		expect(byName.instagramNotice.displayName).toContain('IGSID');
	});

	test('the credential test is the same GET {base}/{version}/me for both platforms', () => {
		expect(credential.test.request.url).toBe('/me');
		expect(credential.test.request.baseURL).toBe('={{$credentials.baseUrl.replace(/(?<!\\/)\\/+$/, "")}}/{{$credentials.apiVersion}}');
	});
});
