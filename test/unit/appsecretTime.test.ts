// The time-stamped appsecret_proof: HMAC over `token|unix_time`, sent with appsecret_time.
import { appSecretProof, appSecretProofParams, MessengerPageApi } from '../../credentials/MessengerPageApi.credentials';
import { toBatchOperation } from '../../nodes/MessengerSend/transport/graphApi';

const credential = new MessengerPageApi();
// Reference values: printf 'page-token|1700000000' | openssl dgst -sha256 -hmac app-secret
const TIMED_PROOF = 'a989cd0108c0e80a3e7880c92907e87e226312894d1d0c9da57d804cacb38fbc';
// printf page-token | openssl dgst -sha256 -hmac app-secret
const PLAIN_PROOF = 'd8b448b9cc7d64c51098271805b3cc20b5b715e52bd587eb71b610259587c856';
const timeStamped = { accessToken: 'page-token', appSecret: 'app-secret', proofMode: 'timeStamped' };

afterEach(() => jest.useRealTimers());

test('the time-stamped proof is the HMAC-SHA256 of token|unix_time keyed with the app secret', () => {
	expect(appSecretProof('page-token', 'app-secret', 1700000000)).toBe(TIMED_PROOF);
	expect(appSecretProof('page-token', 'app-secret')).toBe(PLAIN_PROOF);
});

test('the proof parameters use the unix time in whole seconds of the moment they are made', () => {
	expect(appSecretProofParams(timeStamped, 1700000000999)).toEqual({ appsecret_proof: TIMED_PROOF, appsecret_time: '1700000000' });
	expect(appSecretProofParams(timeStamped, 1700000001000).appsecret_time).toBe('1700000001');
});

test('Plain, and credentials saved before the option existed, send the plain proof without a time', () => {
	expect(appSecretProofParams({ ...timeStamped, proofMode: 'plain' })).toEqual({ appsecret_proof: PLAIN_PROOF });
	expect(appSecretProofParams({ accessToken: 'page-token', appSecret: 'app-secret' })).toEqual({ appsecret_proof: PLAIN_PROOF });
});

test('without an app secret nothing is sent, whatever the mode', async () => {
	expect(appSecretProofParams({ ...timeStamped, appSecret: '' })).toEqual({});
	const options = await credential.authenticate({ ...timeStamped, appSecret: '' }, { url: '/x' });
	expect(options.qs).toBeUndefined();
});

test('authenticate adds appsecret_time and the time-stamped proof; the token stays in the header', async () => {
	jest.useFakeTimers({ now: 1700000000500 });
	const options = await credential.authenticate(timeStamped, { url: 'https://graph.facebook.com/v25.0/me/messages', qs: { keep: 'me' } });
	expect(options.qs).toEqual({ keep: 'me', appsecret_proof: TIMED_PROOF, appsecret_time: '1700000000' });
	expect(options.headers).toEqual({ Authorization: 'Bearer page-token' });
	expect(JSON.stringify({ url: options.url, qs: options.qs })).not.toMatch(/page-token|app-secret/);
});

test('each authenticate call makes a proof for its own moment', async () => {
	jest.useFakeTimers({ now: 1700000000000 });
	const first = await credential.authenticate(timeStamped, { url: '/x' });
	jest.setSystemTime(1700000600000);
	const later = await credential.authenticate(timeStamped, { url: '/x' });
	expect(later.qs?.appsecret_time).toBe('1700000600');
	expect(later.qs?.appsecret_proof).toBe(appSecretProof('page-token', 'app-secret', 1700000600));
	expect(later.qs?.appsecret_proof).not.toBe(first.qs?.appsecret_proof);
});

test('a batch operation carries the proof and its time, never the token', () => {
	const op = toBatchOperation({ pageId: 'me', request: { body: { recipient: { id: '1' }, message: { text: 'hi' } } } }, appSecretProofParams(timeStamped, 1700000000000));
	const fields = new URLSearchParams(String(op.body));
	expect(fields.get('appsecret_proof')).toBe(TIMED_PROOF);
	expect(fields.get('appsecret_time')).toBe('1700000000');
	expect(JSON.stringify(op)).not.toContain('page-token');
});

test('the App Secret Proof option follows App Secret: Plain by default, Time-Stamped as the other choice', () => {
	const names = credential.properties.map((property) => property.name);
	expect(names.indexOf('proofMode')).toBe(names.indexOf('appSecret') + 1);
	const field = credential.properties[names.indexOf('proofMode')];
	expect(field.type).toBe('options');
	expect(field.default).toBe('plain');
	expect(field.options?.map((option) => ('value' in option ? option.value : undefined))).toEqual(['plain', 'timeStamped']);
	expect(JSON.stringify(field.options)).toContain('5 minutes');
});
