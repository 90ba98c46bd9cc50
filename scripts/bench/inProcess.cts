// The node in this process, without the n8n CLI: through n8n's engine (section params) and its
// build + validate called directly (section micro).
import type { GraphEmulator } from '../../emulator/graphEmulator.cjs';
import { PAGE } from './common.cjs';
import { buildMessage, NODE_NAME, runNode, validateSendRequest } from './sources.cjs';

export function microBenchmark(): { simpleUs: number; richUs: number } {
	const measure = (withOptions: boolean) => {
		const count = 100_000;
		const options = withOptions
			? {
					quickReplies: Array.from({ length: 5 }, (_, i) => ({ contentType: 'text' as const, title: `Option ${i}`, payload: `PAYLOAD_${i}` })),
					metadata: 'campaign-42',
					notificationType: 'SILENT_PUSH',
				}
			: {};
		for (let round = 0; round < 2; round++) {
			const started = process.hrtime.bigint();
			for (let i = 0; i < count; i++) {
				const request = buildMessage({
					recipient: { type: 'id', value: `p${i}` },
					messagingType: 'UPDATE',
					content: { text: `Hello person ${i}, your order has shipped 📦` },
					options,
				});
				validateSendRequest(request, i);
			}
			const us = Number(process.hrtime.bigint() - started) / 1000 / count;
			if (round === 1) return us; // the first round warms up the JIT
		}
		return 0;
	};
	return { simpleUs: measure(false), richUs: measure(true) };
}

/** The node in process through n8n's WorkflowExecute (test/helpers/runNode.ts), n8n's real getNodeParameter and HTTP helpers. */
export async function inProcessCase(emulator: GraphEmulator, graphUrl: string, items: number, psidExpression: boolean, textMode: 'constant' | 'expression' | 'too-long constant' | 'too-long expression') {
	const long = 'x'.repeat(2001);
	const textParameter = { constant: 'Hello, your order has shipped 📦', expression: '={{ $json.text }}', 'too-long constant': long, 'too-long expression': '={{ $json.text }}' }[textMode];
	const itemText = textMode === 'too-long expression' ? long : 'Hello, your order has shipped 📦';
	emulator.reset();
	const started = process.hrtime.bigint();
	const result = await runNode({
		parameters: {
			operation: 'sendMessage',
			recipientType: 'id',
			psid: psidExpression ? '={{ $json.psid }}' : '42',
			messagingType: 'UPDATE',
			text: textParameter,
			delivery: { maxPerSecond: 1_000_000 },
		},
		items: Array.from({ length: items }, (_, i) => ({ json: { psid: `p${i}`, text: itemText } })),
		credentials: { accessToken: PAGE.token, appSecret: '', apiVersion: 'v25.0', baseUrl: graphUrl },
		continueOnFail: true,
	});
	const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
	const task = result.run.data.resultData.runData[NODE_NAME]?.[0];
	if (result.error) throw new Error(`in-process run failed: ${result.error.message}`);
	return {
		nodeMs: task?.executionTime ?? wallMs,
		wallMs,
		httpRequests: emulator.stats().requests,
		delivered: emulator.inbox.length,
		errorItems: result.items.filter((item) => item.json.error !== undefined).length,
	};
}
