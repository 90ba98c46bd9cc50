// The webhook side with more than the default app: each Page's events go to its own app, signed with
// that app's secret; the command line's --app-id and --app-secret make the app.
import { spawn } from 'node:child_process';
import path from 'node:path';

import { DEFAULT_APP } from '../../emulator/graphEmulator.cjs';
import {
	APP_TOKEN,
	call,
	errorOf,
	hmac,
	OTHER_PAGE,
	PAGE,
	parsed,
	proofFor,
	PSID,
	startEmulator,
	startReceiver,
	subscribePage,
	VERIFY_TOKEN,
	waitFor,
} from './helpers.cjs';

describe('apps', () => {
	test('several apps: each Page\'s events go to its own app, signed with that app\'s secret', async () => {
		const other = { id: '9988776655', secret: 'OTHER-APP-SECRET', name: 'Other App' };
		const emulator = await startEmulator({ apps: [DEFAULT_APP, other], pages: [PAGE, { ...OTHER_PAGE, appId: other.id }] });
		const receiver = await startReceiver();
		const form = new URLSearchParams({ object: 'page', callback_url: receiver.url, verify_token: VERIFY_TOKEN, fields: 'messages' });
		expect((await call(emulator, `/v25.0/${other.id}/subscriptions`, form, { token: `${other.id}|${other.secret}` })).body).toEqual({ success: true });
		expect(errorOf(await call(emulator, `/v25.0/${other.id}/subscriptions`, undefined, { token: APP_TOKEN }))).toEqual({ status: 400, code: 100, subcode: 33 });
		await subscribePage(emulator, 'messages', OTHER_PAGE.token);
		expect((await call(emulator, '/v25.0/me/subscribed_apps', undefined, { token: OTHER_PAGE.token })).body.data[0]).toMatchObject({ id: other.id, name: 'Other App' });

		expect((await emulator.personMessage({ psid: PSID, text: 'to Demo Shop' })).delivery).toBeNull();
		await emulator.personMessage({ psid: PSID, text: 'to Other Shop', pageId: OTHER_PAGE.id });
		const [post] = receiver.posts();
		expect(parsed(post).entry[0].id).toBe(OTHER_PAGE.id);
		expect(post.headers['x-hub-signature-256']).toBe(`sha256=${hmac('sha256', other.secret, post.raw)}`);
	});
});

describe('command line', () => {
	test('--app-id and --app-secret make the app (also the Page\'s proof secret); --delivery-receipts', async () => {
		const child = spawn('npx', ['tsx', 'emulator/cli.cts', '--port', '0', '--app-id', '777', '--app-secret', 'TEST-CLI-SECRET', '--delivery-receipts'], {
			cwd: path.resolve(__dirname, '../..'),
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		try {
			const url = await new Promise<string>((resolve, reject) => {
				let stdout = '';
				const timer = setTimeout(() => reject(new Error('no listening line within 15 s')), 15_000);
				child.stdout.on('data', (chunk: Buffer) => {
					stdout += chunk.toString();
					const match = stdout.match(/listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
					if (match) {
						clearTimeout(timer);
						resolve(match[1]);
					}
				});
			});
			const receiver = await startReceiver();
			const graph = async (route: string, body: URLSearchParams | undefined, token: string) => {
				const response = await fetch(`${url}/v25.0/${route}`, { method: body ? 'POST' : 'GET', headers: { authorization: `Bearer ${token}` }, body });
				return { status: response.status, body: await response.json() };
			};
			const subscription = new URLSearchParams({ object: 'page', callback_url: receiver.url, verify_token: VERIFY_TOKEN, fields: 'message_echoes,message_deliveries' });
			expect((await graph(`${DEFAULT_APP.id}/subscriptions`, subscription, APP_TOKEN)).body.error.code).toBe(190);
			expect((await graph('777/subscriptions', subscription, '777|TEST-CLI-SECRET')).body).toEqual({ success: true });
			const pageToken = 'DEMO-PAGE-TOKEN';
			const fields = new URLSearchParams({ subscribed_fields: 'message_echoes,message_deliveries', appsecret_proof: 'wrong' });
			expect((await graph('me/subscribed_apps', fields, pageToken)).body.error.message).toBe('Invalid appsecret_proof provided in the API argument');
			fields.set('appsecret_proof', proofFor(pageToken, 'TEST-CLI-SECRET'));
			expect((await graph('me/subscribed_apps', fields, pageToken)).body).toEqual({ success: true });
			const message = new URLSearchParams({ recipient: JSON.stringify({ id: PSID }), messaging_type: 'RESPONSE', message: JSON.stringify({ text: 'hi' }) });
			expect((await graph('me/messages', message, pageToken)).status).toBe(200);
			await waitFor(() => receiver.posts().length === 2);
			const [echo, receipt] = receiver.posts();
			expect(parsed(echo).entry[0].messaging[0].message).toEqual({ mid: 'm_1', is_echo: true, app_id: 777, text: 'hi' });
			expect(parsed(receipt).entry[0].messaging[0].delivery.mids).toEqual(['m_1']);
			expect(echo.headers['x-hub-signature-256']).toBe(`sha256=${hmac('sha256', 'TEST-CLI-SECRET', echo.raw)}`);
		} finally {
			const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve));
			try {
				process.kill(-child.pid!, 'SIGTERM');
			} catch {
				// already gone
			}
			await exited;
		}
	}, 25_000);
});
