// The credential decides where every request goes: its Base URL and API Version, whatever the
// operation. Run by n8n's engine against the Graph API emulator.
import { server, send, useGraphServer } from '../helpers/fixtures';

useGraphServer();

test('the credential base URL and version decide the URL (trailing slashes tolerated)', async () => {
	const { credentials } = await import('../helpers/fixtures');
	const base = credentials().baseUrl as string;
	const run = await send(
		{ operation: 'senderAction', recipientType: 'id', psid: '42', senderAction: 'mark_seen' },
		{ credentials: credentials({ baseUrl: `${base}/`, apiVersion: 'v21.0' }) },
	);

	expect(run.error).toBeUndefined();
	expect(server.requests[0].url).toBe('/v21.0/me/messages');
});
