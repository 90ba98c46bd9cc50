// The refund-approval example (examples/refund-approval.json) as users import it, published in a real
// n8n (`n8n start`, the version N8N_TEST_VERSION picks) against the Graph API emulator: a refund
// request comes in, the manager gets the question with Approve and Decline, the execution waits; the
// manager taps Approve in the emulator's chat (as Messenger's in-app browser opens the link), gets the
// confirmation, and the customer gets "your refund … is on its way".
import { DEMO_CREDENTIAL_ID, readExample } from '../../scripts/n8n.cjs';
import { GraphEmulator, type InboxEntry } from '../../emulator/graphEmulator.cjs';
import { lastOutput, N8nRest, poll } from './support/rest.cjs';
import { useSharedN8n } from './support/sharedN8n.cjs';

const PAGE = { id: '1029384756', name: 'Demo Shop', token: 'E2E-REFUND-PAGE-TOKEN' };
const EXAMPLE = readExample('refund-approval.json') as { id: string; nodes: Array<{ name: string; type: string; parameters: Record<string, unknown> }> };
const MANAGER = '6800000000000101';
const CUSTOMER = '6800000000000202';
const REQUEST = { orderId: '1042', amount: 25, customerPsid: CUSTOMER, managerPsid: MANAGER };

const emulator = new GraphEmulator({ pages: [PAGE] });
let rest: N8nRest;

const sentTo = (psid: string): InboxEntry[] => emulator.inbox.filter((entry) => entry.recipient.id === psid);

const shared = useSharedN8n({
	before: async () => {
		await emulator.start();
		return {
			credentials: [
				{ id: DEMO_CREDENTIAL_ID, name: 'Messenger Page (local emulator)', type: 'messengerPageApi', data: { accessToken: PAGE.token, appSecret: '', apiVersion: 'v25.0', baseUrl: emulator.url } },
			],
			workflows: [EXAMPLE],
		};
	},
	after: async () => {
		await emulator.stop();
	},
});

beforeAll(async () => {
	rest = shared().rest;
	await rest.activate(EXAMPLE.id);
}, 5 * 60_000);

test('the manager taps Approve on their phone: they get the confirmation, the customer gets the refund message', async () => {
	const path = String(EXAMPLE.nodes.find((node) => node.type === 'n8n-nodes-base.webhook')?.parameters.path);
	expect((await rest.webhook(path, REQUEST)).status).toBe(200);
	const waiting = await poll('the execution waiting for the manager', async () => (await rest.executions(EXAMPLE.id)).find((row) => row.status === 'waiting'), 60_000);

	const [question] = sentTo(MANAGER);
	expect(question).toMatchObject({ messaging_type: 'UPDATE' });
	expect(question.message).toEqual({
		attachment: {
			type: 'template',
			payload: {
				template_type: 'button',
				text: 'Refund 25 € for order #1042?',
				buttons: [
					{ type: 'web_url', title: 'Approve', url: expect.stringContaining(`/webhook-waiting/${waiting.id}/`) },
					{ type: 'web_url', title: 'Decline', url: expect.stringContaining(`/webhook-waiting/${waiting.id}/`) },
				],
			},
		},
	});
	// Nothing for the customer while the manager has not answered.
	expect(sentTo(CUSTOMER)).toEqual([]);

	const tap = await emulator.personTaps({ psid: MANAGER, title: 'Approve', name: 'Manager' });
	expect(tap).toMatchObject({ kind: 'web_url', status: 200 });
	expect(tap.kind === 'web_url' && tap.body).toContain('Your answer <strong>Approve</strong> was recorded');

	const done = await poll('the execution finished', async () => {
		const execution = await rest.execution(waiting.id);
		return execution.status === 'waiting' || execution.status === 'running' || execution.status === 'new' ? undefined : execution;
	}, 60_000);
	expect(done.status).toBe('success');
	expect(lastOutput(done.run, 'Ask the manager')[0].json).toMatchObject({ approved: true, timedOut: false, recipient_id: MANAGER, message_id: question.message_id });
	expect(done.run.resultData.runData['Refund not approved']).toBeUndefined();

	expect(sentTo(MANAGER).map((entry) => entry.message?.text)).toEqual([undefined, 'Approved: the customer will be told the refund for order #1042 is on its way.']);
	expect(sentTo(CUSTOMER).map((entry) => ({ type: entry.messaging_type, text: entry.message?.text }))).toEqual([
		{ type: 'UPDATE', text: 'Good news: your refund of 25 € for order #1042 is on its way. It can take 3–5 business days to reach your account.' },
	]);
	process.stderr.write(`refund example transcript:\n${emulator.transcript()}\n`);
});
