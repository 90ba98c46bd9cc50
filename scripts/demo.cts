// `npm run demo`: a real n8n runs the example workflows against the local Graph API emulator and
// the conversation Messenger would have shown is printed. No Facebook account needed.
import { GraphEmulator } from '../emulator/graphEmulator.cjs';
import { DEMO_CREDENTIAL_ID, N8n, outputOf, readExample, type N8nRun } from './n8n.cjs';

const PAGE = { id: '1029384756', name: 'Demo Shop', token: 'DEMO-PAGE-TOKEN' };
const OUTSIDE_WINDOW = '7000000000000002';

const EXAMPLES = [
	{ file: 'customer-support-reply.json', what: 'reply to a customer: typing indicator, text with quick replies, a photo, a tagged follow-up' },
	{ file: 'send-invoice-file.json', what: 'a PDF read from disk by an upstream node, uploaded as an attachment' },
	{ file: 'announce-to-list.json', what: 'an announcement to three people; one is outside the 24-hour window (Continue On Fail)' },
];

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

function summarize(run: N8nRun, workflow: { nodes: Array<{ name: string; type: string }> }): string[] {
	return workflow.nodes
		.filter((node) => node.type.endsWith('.messengerSend'))
		.map((node) => {
			const items = outputOf(run, node.name).map((item) =>
				item.json.error ? `error: ${String(item.json.error)}` : JSON.stringify(item.json),
			);
			return `    ${node.name} → ${items.join('; ')}`;
		});
}

async function main(): Promise<number> {
	const started = Date.now();
	const emulator = new GraphEmulator({ pages: [PAGE], outsideWindow: [OUTSIDE_WINDOW], latencyMs: 20 });
	const graphUrl = await emulator.start();
	console.log(`Graph API emulator on ${graphUrl} (Page "${PAGE.name}")`);

	const n8n = new N8n({ port: 5688 });
	let failures = 0;
	try {
		n8n.prepare();
		console.log(`n8n ready (user folder ${n8n.userFolder})`);
		await n8n.importCredentials([
			{
				id: DEMO_CREDENTIAL_ID,
				name: 'Messenger Page (local emulator)',
				type: 'messengerPageApi',
				data: { accessToken: PAGE.token, appSecret: '', apiVersion: 'v25.0', baseUrl: graphUrl },
			},
		]);
		const workflows = EXAMPLES.map((example) => ({ ...example, workflow: readExample(example.file) as never as { id: string; name: string; nodes: Array<{ name: string; type: string }> } }));
		await n8n.importWorkflows(workflows.map((w) => w.workflow));

		for (const { workflow, what, file } of workflows) {
			const runStarted = Date.now();
			const result = await n8n.execute(workflow.id);
			const ok = result.code === 0 && result.run;
			console.log(`\n${ok ? '✔' : '✘'} ${workflow.name}  (examples/${file}, ${seconds(runStarted)})\n    ${what}`);
			if (ok) console.log(summarize(result.run!, workflow).join('\n'));
			else {
				failures++;
				console.log(result.stdout.split('\n').slice(-30).join('\n'), result.stderr);
			}
		}

		console.log('\nWhat the emulator received, as the people would see it in Messenger:\n');
		console.log(emulator.transcript());
		console.log(
			[
				'',
				'To send for real: import a workflow from examples/ into your n8n (Workflows → Import from File),',
				'open the "Messenger Page API" credential and set Page Access Token to your Page token,',
				'Graph API Base URL to https://graph.facebook.com (the default), and the PSIDs to people who',
				'wrote to your Page in the last 24 hours.',
				`\nDemo finished in ${seconds(started)}.`,
			].join('\n'),
		);
	} finally {
		await emulator.stop();
		n8n.remove();
	}
	return failures ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
