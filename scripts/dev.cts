// `npm run dev`: the n8n editor on http://127.0.0.1:5678 with this package, the examples and a
// credential pointing at a local Graph API emulator, for trying the node by hand. Ctrl+C stops both.
import path from 'node:path';

import { GraphEmulator } from '../emulator/graphEmulator.cjs';
import { DEMO_CREDENTIAL_ID, N8n, readExample, ROOT } from './n8n.cjs';

const OWNER = { email: 'owner@example.com', firstName: 'Olga', lastName: 'Owner', password: 'Demo-Password-1' };
const PAGE = { id: '1029384756', name: 'Demo Shop', token: 'DEMO-PAGE-TOKEN' };
const EMULATOR_PORT = Number(process.env.EMULATOR_PORT ?? 8999);

async function setUpOwner(url: string): Promise<void> {
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		const response = await fetch(`${url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(OWNER),
		});
		// 400 once an owner exists (a second `npm run dev` on the same folder).
		if (response.status !== 404) return;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

async function main(): Promise<void> {
	const emulator = new GraphEmulator({ pages: [PAGE], outsideWindow: ['7000000000000002'] });
	const graphUrl = await emulator.start(EMULATOR_PORT);
	// The user folder survives restarts so workflows built by hand are kept.
	const n8n = new N8n({ userFolder: path.join(ROOT, '.n8n-dev'), port: Number(process.env.N8N_PORT ?? 5678) }).prepare();
	await n8n.importCredentials([
		{
			id: DEMO_CREDENTIAL_ID,
			name: 'Messenger Page (local emulator)',
			type: 'messengerPageApi',
			data: { accessToken: PAGE.token, appSecret: '', apiVersion: 'v25.0', baseUrl: graphUrl },
		},
	]);
	await n8n.importWorkflows(['customer-support-reply.json', 'send-invoice-file.json', 'announce-to-list.json'].map(readExample));
	const url = await n8n.start();
	await setUpOwner(url);
	console.log(
		[
			`n8n editor:   ${url}  (sign in as ${OWNER.email} / ${OWNER.password})`,
			`Graph API emulator: ${graphUrl}  (conversation: ${graphUrl}/__emulator/transcript)`,
			'Open a workflow from examples/ and press "Execute workflow". Ctrl+C stops n8n and the emulator.',
		].join('\n'),
	);
	const stop = async () => {
		await n8n.stop();
		await emulator.stop();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
