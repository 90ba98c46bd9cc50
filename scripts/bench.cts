// `npm run bench`: the same broadcast sent by a real n8n three ways — this node with its defaults,
// this node with batching off, and n8n's HTTP Request node as a user would set it up — against
// the local Graph API emulator, then a micro-benchmark of request building. Prints figures; it
// is not a test and asserts nothing.
import { readFileSync } from 'node:fs';
import os from 'node:os';

import { GraphEmulator, type EmulatorOptions } from '../emulator/graphEmulator.cjs';
import { build as buildMessage } from '../nodes/MessengerSend/actions/sendMessage.operation';
import { validateSendRequest } from '../nodes/MessengerSend/shared/validation';
import { N8n, NODE_TYPE, outputOf } from './n8n.cjs';
import { broadcastList, linearWorkflow, type NodeSpec } from './workflows.cjs';

const PAGE = { id: '1029384756', name: 'Bench Shop', token: 'BENCH-PAGE-TOKEN' };
const CREDENTIAL = { id: 'msgrBenchCred001', name: 'Messenger Page (bench)' };
const SIZES = (process.env.BENCH_SIZES ?? '100,1000,5000').split(',').map(Number);
const PARTS = 2; // each recipient gets a two-part message, so order per person can be checked
const CAP = 300;

type Variant = 'node' | 'node-no-batching' | 'node-no-pacing' | 'http-request';

interface Row {
	profile: string;
	variant: Variant;
	recipients: number;
	sends: number;
	wallMs: number;
	nodeMs: number;
	delivered: number;
	lost: number;
	duplicated: number;
	outOfOrder: number;
	errorItems: number;
	httpRequests: number;
	peakRssMb: number;
	/** Delivered per second between the first and the last delivery: the pace the platform saw. */
	sendingRate: number;
	rejected613: number;
}

const text = (part: number, person: number) => `part ${part} of ${PARTS} for p${person}`;

/** Manual Trigger → Set (the list) → Split Out → the sending node. */
function broadcastWorkflow(id: string, recipients: number, variant: Variant, graphUrl: string) {
	const psids = Array.from({ length: recipients }, (_, i) => `p${i}`);
	const sender: NodeSpec =
		variant === 'http-request'
			? {
					name: 'Send',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					// What the Send API docs lead a user to build: one POST per item, token in a header.
					parameters: {
						method: 'POST',
						url: `${graphUrl}/v25.0/me/messages`,
						sendHeaders: true,
						headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${PAGE.token}` }] },
						sendBody: true,
						specifyBody: 'json',
						jsonBody: `={{ JSON.stringify({ recipient: { id: $json.psid }, messaging_type: 'UPDATE', message: { text: 'part ' + $json.part + ' of ${PARTS} for ' + $json.psid } }) }}`,
						options: {},
					},
					onError: 'continueRegularOutput',
				}
			: {
					name: 'Send',
					type: NODE_TYPE,
					typeVersion: 1,
					parameters: {
						operation: 'sendMessage',
						recipientType: 'id',
						psid: '={{ $json.psid }}',
						messagingType: 'UPDATE',
						text: `=part {{ $json.part }} of ${PARTS} for {{ $json.psid }}`,
						delivery:
							variant === 'node-no-batching' ? { batching: false } : variant === 'node-no-pacing' ? { maxPerSecond: 1_000_000 } : {},
					},
					credentials: { messengerPageApi: CREDENTIAL },
					onError: 'continueRegularOutput',
				};
	return linearWorkflow(id, `bench ${variant} ${recipients}`, [...broadcastList(psids, PARTS), sender]);
}

function peakRssWatcher() {
	let peakKb = 0;
	let timer: NodeJS.Timeout | undefined;
	return {
		start(pid: number) {
			timer = setInterval(() => {
				try {
					const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
					if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
				} catch {
					// the process has exited
				}
			}, 25);
		},
		stop() {
			clearInterval(timer);
			return Math.round(peakKb / 1024);
		},
	};
}

function account(emulator: GraphEmulator, recipients: number) {
	const texts = emulator.inbox.map((entry) => String(entry.message?.text));
	const unique = new Set(texts);
	let lost = 0;
	let outOfOrder = 0;
	for (let person = 0; person < recipients; person++) {
		for (let part = 1; part <= PARTS; part++) if (!unique.has(text(part, person))) lost++;
		const parts = emulator.conversation(`id:p${person}`).map((entry) => Number(/part (\d+)/.exec(String(entry.message?.text))?.[1]));
		parts.forEach((part, i) => i > 0 && part < parts[i - 1] && outOfOrder++);
	}
	return { delivered: unique.size, duplicated: texts.length - unique.size, lost, outOfOrder };
}

function sendingRate(emulator: GraphEmulator): number {
	const times = emulator.inbox.map((entry) => entry.receivedAt);
	if (times.length < 2) return 0;
	return ((times.length - 1) / (Math.max(...times) - Math.min(...times))) * 1000;
}

async function run(n8n: N8n, emulator: GraphEmulator, profile: string, variant: Variant, recipients: number, id: string): Promise<Row> {
	emulator.reset();
	const watcher = peakRssWatcher();
	const started = Date.now();
	const result = await n8n.execute(id, (pid) => watcher.start(pid));
	const wallMs = Date.now() - started;
	const peakRssMb = watcher.stop();
	// n8n 2.8.4 sometimes exits 1 after a finished run (its SQLite pool aborts on shutdown): the run data counts.
	if (!result.run) throw new Error(`${variant} ${recipients}: n8n execute failed (${result.code})\n${result.stdout.slice(-2000)}`);
	const task = result.run.data.resultData.runData.Send?.[0];
	const items = outputOf(result.run, 'Send');
	return {
		profile,
		variant,
		recipients,
		sends: recipients * PARTS,
		wallMs,
		nodeMs: task?.executionTime ?? wallMs,
		errorItems: items.filter((item) => item.json.error !== undefined).length,
		httpRequests: emulator.stats().requests,
		peakRssMb,
		sendingRate: sendingRate(emulator),
		rejected613: emulator.stats().rejected['613'] ?? 0,
		...account(emulator, recipients),
	};
}

function microBenchmark(): { simpleUs: number; richUs: number } {
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

const fmt = (n: number, digits = 0) => n.toFixed(digits);

async function main() {
	const startedAll = Date.now();
	const emulator = new GraphEmulator({ pages: [PAGE] });
	const graphUrl = await emulator.start();
	const n8n = new N8n({ port: 5689 }).prepare();
	const profiles: Array<{ name: string; options: Partial<EmulatorOptions>; variants: Variant[] }> = [
		{ name: '50 ms latency, no cap', options: { latencyMs: 50, rateCapPerSecond: undefined }, variants: ['node', 'node-no-batching', 'node-no-pacing', 'http-request'] },
		{ name: `50 ms latency, cap ${CAP}/s`, options: { latencyMs: 50, rateCapPerSecond: CAP }, variants: ['node', 'node-no-batching', 'http-request'] },
	];
	const workflows: Array<{ id: string; variant: Variant; recipients: number }> = [];
	const variants: Variant[] = ['node', 'node-no-batching', 'node-no-pacing', 'http-request'];
	let counter = 0;
	for (const recipients of [...SIZES, 5000, 50]) {
		for (const variant of variants) {
			if (workflows.some((w) => w.variant === variant && w.recipients === recipients)) continue;
			workflows.push({ id: `msgrBench${String(counter++).padStart(7, '0')}`, variant, recipients });
		}
	}
	try {
		await n8n.importCredentials([
			{ ...CREDENTIAL, type: 'messengerPageApi', data: { accessToken: PAGE.token, appSecret: '', apiVersion: 'v25.0', baseUrl: graphUrl } },
		]);
		await n8n.importWorkflows(workflows.map((w) => broadcastWorkflow(w.id, w.recipients, w.variant, graphUrl)));
		const idOf = (variant: Variant, recipients: number) => workflows.find((w) => w.variant === variant && w.recipients === recipients)!.id;

		console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, n8n 2.8.4`);
		console.log(`Broadcast: each recipient gets a ${PARTS}-part message (sends = ${PARTS} × recipients); Graph API emulator on 127.0.0.1.\n`);
		const rows: Row[] = [];
		for (const profile of profiles) {
			emulator.configure(profile.options);
			console.log(`== ${profile.name}`);
			console.log('variant             recipients  sends  node s  wall s   msg/s  send msg/s  delivered  lost  dup  order  errors  613s  http req  peak RSS MB');
			for (const recipients of SIZES) {
				for (const variant of profile.variants) {
					const row = await run(n8n, emulator, profile.name, variant, recipients, idOf(variant, recipients));
					rows.push(row);
					const rate = row.delivered / (row.nodeMs / 1000);
					console.log(
						`${variant.padEnd(18)} ${String(recipients).padStart(10)} ${String(row.sends).padStart(6)} ${fmt(row.nodeMs / 1000, 2).padStart(7)} ${fmt(row.wallMs / 1000, 1).padStart(7)} ${fmt(rate).padStart(7)} ${fmt(row.sendingRate).padStart(11)} ${String(row.delivered).padStart(10)} ${String(row.lost).padStart(5)} ${String(row.duplicated).padStart(4)} ${String(row.outOfOrder).padStart(6)} ${String(row.errorItems).padStart(7)} ${String(row.rejected613).padStart(5)} ${String(row.httpRequests).padStart(9)} ${String(row.peakRssMb).padStart(12)}`,
					);
				}
			}
			for (const recipients of SIZES) {
				const ofVariant = (variant: Variant) => rows.find((r) => r.profile === profile.name && r.variant === variant && r.recipients === recipients);
				const http = ofVariant('http-request')!;
				const httpRate = http.delivered / (http.nodeMs / 1000);
				const ratios = profile.variants
					.filter((variant) => variant !== 'http-request')
					.map((variant) => {
						const row = ofVariant(variant)!;
						return `${variant} ${fmt(row.delivered / (row.nodeMs / 1000) / httpRate, 2)}× msg/s, ${fmt(row.delivered / Math.max(1, http.delivered), 2)}× delivered`;
					});
				console.log(`  vs HTTP Request node, ${recipients} recipients: ${ratios.join('; ')}`);
			}
			console.log('');
		}

		// Memory: peak RSS of n8n for 10 000 sends against a 100-send baseline.
		emulator.configure({ latencyMs: 50, rateCapPerSecond: undefined });
		const small = await run(n8n, emulator, 'memory', 'node-no-pacing', 50, idOf('node-no-pacing', 50));
		const large = await run(n8n, emulator, 'memory', 'node-no-pacing', 5000, idOf('node-no-pacing', 5000));
		console.log(`== Memory: peak RSS of the n8n process (this node, pacing off, 50 ms latency)`);
		console.log(`  ${small.sends} sends: ${small.peakRssMb} MB; ${large.sends} sends: ${large.peakRssMb} MB; growth ${large.peakRssMb - small.peakRssMb} MB (lost ${large.lost}, dup ${large.duplicated})\n`);

		const micro = microBenchmark();
		console.log('== Build + validate one request (in process, 100 000 items, after warm-up)');
		console.log(`  text message: ${fmt(micro.simpleUs, 2)} µs per item; with 5 quick replies, metadata and notification type: ${fmt(micro.richUs, 2)} µs per item`);
		console.log(`\nBench finished in ${fmt((Date.now() - startedAll) / 1000, 0)} s.`);
	} finally {
		await emulator.stop();
		n8n.remove();
	}
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
