// `npm run demo`: a real n8n runs the example workflows against the local Graph API emulator and
// the conversation Messenger would have shown is printed. No Facebook account needed.
//
// Part 1 runs the send-only examples and the Page setup (greeting, Get Started, ice breakers, menu)
// with `n8n execute`. Part 2 is a conversation both ways: the
// same n8n, now as `n8n start`, publishes examples/messenger-auto-reply.json; its Messenger Trigger
// subscribes the emulator's app and Page (automatic subscription); a person writes to the Page
// through the emulator, which signs and delivers each event to n8n; the workflow answers through
// the Send API; "Talk to a human" passes the thread to the Page Inbox, so the person's next message
// starts nothing, until a human there answers and hands it back (the workflow welcomes the person
// back, and answers again); echoes and a redelivered event start nothing; unpublishing removes the
// subscriptions. Exits 0 only when every step happened as expected.
import { GraphEmulator } from '../emulator/graphEmulator.cjs';
import { API, APP, AUTO_REPLY_FILE, conversation, PAGE, problems, seconds, type WorkflowJson } from './demoConversation.cjs';
import { DEMO_CREDENTIAL_ID, N8n, outputOf, readExample, type N8nRun } from './n8n.cjs';
import { N8N_VERSION } from './n8nInstall.cjs';

const OUTSIDE_WINDOW = '7000000000000002';

const EXAMPLES = [
	{ file: 'customer-support-reply.json', what: 'reply to a customer: typing indicator, text with quick replies, a photo, a tagged follow-up' },
	{ file: 'send-invoice-file.json', what: 'a PDF read from disk by an upstream node, uploaded as an attachment' },
	{ file: 'announce-to-list.json', what: 'an announcement to three people; one is outside the 24-hour window (Continue On Fail)' },
	{ file: 'page-setup.json', what: "the Page's front door, set once: greeting, Get Started, 3 ice breakers, a menu with Talk to a human (part 2 uses it)" },
];

/** A Page Profile action's output without the whole live profile: what changed, and what is live now by name. */
function profileSummary(json: Record<string, unknown>): Record<string, unknown> {
	const live = json.live as Record<string, unknown>;
	const { live: _live, ...rest } = json;
	return { ...rest, live: Object.keys(live).filter((name) => live[name] !== null) };
}

function summarize(run: N8nRun, workflow: WorkflowJson): string[] {
	return workflow.nodes
		.filter((node) => node.type.endsWith('.messengerSend'))
		.map((node) => {
			const items = outputOf(run, node.name).map((item) =>
				item.json.error ? `error: ${String(item.json.error)}` : JSON.stringify(item.json.live ? profileSummary(item.json) : item.json),
			);
			return `    ${node.name} → ${items.join('; ')}`;
		});
}


async function main(): Promise<number> {
	const started = Date.now();
	const emulator = new GraphEmulator({ pages: [PAGE], apps: [APP], outsideWindow: [OUTSIDE_WINDOW], latencyMs: 20 });
	const graphUrl = await emulator.start();
	console.log(`Graph API emulator on ${graphUrl} (Page "${PAGE.name}", app ${APP.id})`);

	// One user folder and port for both parts: `n8n execute` first, then `n8n start` on the same database.
	const n8n = new N8n({ port: 5688 });
	let failures = 0;
	try {
		n8n.prepare();
		console.log(`n8n ${N8N_VERSION} ready (user folder ${n8n.userFolder})`);
		await n8n.importCredentials([
			{
				id: DEMO_CREDENTIAL_ID,
				name: 'Messenger Page (local emulator)',
				type: 'messengerPageApi',
				data: { accessToken: PAGE.token, appSecret: APP.secret, appId: APP.id, apiVersion: API, baseUrl: graphUrl },
			},
		]);
		const workflows = EXAMPLES.map((example) => ({ ...example, workflow: readExample(example.file) as never as WorkflowJson }));
		const autoReply = readExample(AUTO_REPLY_FILE) as never as WorkflowJson;
		await n8n.importWorkflows([...workflows.map((w) => w.workflow), autoReply]);

		console.log('\n── Part 1: the send examples, run with `n8n execute` ──');
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

		const partTwo = Date.now();
		try {
			await conversation(emulator, graphUrl, n8n, autoReply);
		} catch (error) {
			problems.push(`the conversation stopped: ${(error as Error).message}`);
			console.log(`\n✘ The conversation stopped: ${(error as Error).stack ?? String(error)}`);
		}
		if (problems.length > 0) {
			failures += problems.length;
			console.log(`\n✘ Part 2: ${problems.length} step(s) did not go as expected:\n  - ${problems.join('\n  - ')}`);
			console.log(`\nn8n's log (last 40 lines):\n${n8n.log.trimEnd().split('\n').slice(-40).join('\n')}`);
		} else {
			console.log(`\n✔ Part 2: the conversation went as expected (${seconds(partTwo)}).`);
		}
		console.log(
			[
				'',
				'To send for real: import a workflow from examples/ into your n8n (Workflows → Import from File),',
				'open the "Messenger Page API" credential and set Page Access Token to your Page token,',
				'Graph API Base URL to https://graph.facebook.com (the default), and the PSIDs to people who',
				'wrote to your Page in the last 24 hours. For the auto-reply, also set App ID and App Secret,',
				"make n8n reachable over HTTPS (WEBHOOK_URL), make the app the Page's default app for",
				'conversations (Conversation routing, for Talk to a human), then publish it.',
				`\nDemo finished in ${seconds(started)}.`,
			].join('\n'),
		);
	} finally {
		await n8n.stop();
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
