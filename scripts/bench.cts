// `npm run bench`: figures, not a test; it asserts nothing. Sections (all by default; `BENCH_ONLY`
// picks some, comma-separated, e.g. `BENCH_ONLY=order,reply npm run bench`):
//   broadcast  the same broadcast sent by a real n8n three ways — this node with its defaults,
//              this node with batching or pacing off, and n8n's HTTP Request node as a user would
//              set it up — against the local Graph API emulator (sizes: BENCH_SIZES)
//   memory     peak RSS of n8n for 10 000 sends against a 100-send baseline
//   order      10 people × 100 numbered messages each, 0–40 ms jitter: is each person's order kept?
//   reply      a chatbot reply (4 messages to one person) for 200 people and for 1, 50 ms latency:
//              how many round trips does a reply cost?
//   params     10 000 items through n8n's own engine in process (WorkflowExecute, n8n's real
//              getNodeParameter): reading + building + validating per item, constant parameters
//              against expressions
//   micro      build + validate one request, called directly (no n8n)
//   trigger    a real `n8n start`: a burst of 1 000 signed events, 10 per request, to the Messenger
//              Trigger (its memory of events empty, and full) and to n8n's Webhook node, then the same
//              burst again (Meta's redelivery): answers, latency, executions, items and their size,
//              each event emitted once; the signature check per KB, reading + item per event and the
//              memory's check per request, called directly (BENCH_TRIGGER_CONCURRENCY: requests in
//              flight, default 10)
import { execFileSync } from 'node:child_process';
import os from 'node:os';

import { GraphEmulator, type EmulatorOptions } from '../emulator/graphEmulator.cjs';
import { CAP, CREDENTIAL, fmt, median, ORDER, pacingFloorS, PAGE, PARAMS, PARTS, REPLY, SIZES } from './bench/common.cjs';
import { inProcessCase, microBenchmark } from './bench/inProcess.cjs';
import { NODE_NAME, runNode } from './bench/sources.cjs';
import { triggerSection } from './bench/trigger.cjs';
import { account, benchWorkflow, broadcast, keyOf, orderWorkload, replyWorkload, run, type Arrangement, type Row, type Variant, type Workload } from './bench/workloads.cjs';
import { N8n } from './n8n.cjs';

const SECTIONS = ['broadcast', 'memory', 'order', 'reply', 'params', 'micro', 'trigger'] as const;
type Section = (typeof SECTIONS)[number];
const ONLY = (process.env.BENCH_ONLY ?? SECTIONS.join(','))
	.split(',')
	.map((name) => name.trim())
	.filter(Boolean);
for (const name of ONLY) {
	if (!(SECTIONS as readonly string[]).includes(name)) throw new Error(`BENCH_ONLY: unknown section '${name}' (sections: ${SECTIONS.join(', ')})`);
}
const selected = (section: Section) => ONLY.includes(section);

async function main() {
	const startedAll = Date.now();
	const emulator = new GraphEmulator({ pages: [PAGE] });
	const graphUrl = await emulator.start();
	const usesN8n = selected('broadcast') || selected('memory') || selected('order') || selected('reply');
	const n8n = usesN8n ? new N8n({ port: 5689 }).prepare() : undefined;

	const broadcastProfiles: Array<{ name: string; options: Partial<EmulatorOptions>; variants: Variant[] }> = [
		{ name: '50 ms latency, no cap', options: { latencyMs: 50, jitterMs: undefined, arrivalJitterMs: undefined, rateCapPerSecond: undefined }, variants: ['node', 'node-no-batching', 'node-no-pacing', 'http-request'] },
		{ name: `50 ms latency, cap ${CAP}/s`, options: { latencyMs: 50, jitterMs: undefined, arrivalJitterMs: undefined, rateCapPerSecond: CAP }, variants: ['node', 'node-no-batching', 'http-request'] },
	];
	const orderVariants: Variant[] = ['node', 'node-no-pacing', 'http-request'];
	const orderArrangements: Arrangement[] = ['by-person', 'round-robin'];
	const replyVariants: Variant[] = ['node', 'node-no-pacing', 'http-request'];

	const workloads: Workload[] = [];
	if (selected('broadcast')) for (const recipients of SIZES) for (const variant of ['node', 'node-no-batching', 'node-no-pacing', 'http-request'] as Variant[]) workloads.push(broadcast(variant, recipients));
	if (selected('memory')) workloads.push(broadcast('node-no-pacing', 50), broadcast('node-no-pacing', 5000));
	if (selected('order')) for (const arrangement of orderArrangements) for (const variant of orderVariants) workloads.push(orderWorkload(variant, arrangement));
	if (selected('reply')) for (const variant of replyVariants) workloads.push(replyWorkload(variant, REPLY.people), replyWorkload(variant, 1));
	const ids = new Map<string, string>();
	for (const w of workloads) if (!ids.has(keyOf(w))) ids.set(keyOf(w), `msgrBench${String(ids.size).padStart(7, '0')}`);
	const idOf = (w: Workload) => ids.get(keyOf(w))!;

	try {
		console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, n8n 2.8.4`);
		const git = (...args: string[]) => execFileSync('git', args, { cwd: __dirname, encoding: 'utf8' }).trimEnd();
		const dirty = git('status', '--porcelain', '--', '../nodes', '../emulator', '../credentials').split('\n').filter(Boolean).map((line) => line.slice(3));
		console.log(`Code: commit ${git('rev-parse', '--short', 'HEAD')}${dirty.length ? ` with uncommitted changes in ${dirty.join(', ')}` : ''}`);
		console.log(`Sections: ${ONLY.join(', ')} (BENCH_ONLY picks some). Graph API emulator on 127.0.0.1.`);
		console.log('node s: the Send node\'s executionTime in n8n\'s run data; wall s: the whole `n8n execute` process (start-up included).\n');
		if (n8n) {
			await n8n.importCredentials([
				{ ...CREDENTIAL, type: 'messengerPageApi', data: { accessToken: PAGE.token, appSecret: '', apiVersion: 'v25.0', baseUrl: graphUrl } },
			]);
			const unique = [...new Map(workloads.map((w) => [keyOf(w), w])).values()];
			await n8n.importWorkflows(unique.map((w) => benchWorkflow(idOf(w), w, graphUrl)));
		}

		if (n8n && selected('broadcast')) {
			console.log(`Broadcast: each recipient gets a ${PARTS}-part message (sends = ${PARTS} × recipients).\n`);
			const rows: Row[] = [];
			for (const profile of broadcastProfiles) {
				emulator.configure(profile.options);
				console.log(`== ${profile.name}`);
				console.log('variant             recipients  sends  node s  wall s   msg/s  send msg/s  delivered  lost  dup  order  errors  613s  http req  peak RSS MB');
				for (const recipients of SIZES) {
					for (const variant of profile.variants) {
						const row = await run(n8n, emulator, profile.name, broadcast(variant, recipients), idOf(broadcast(variant, recipients)));
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
		}

		if (n8n && selected('memory')) {
			// Memory: peak RSS of n8n for 10 000 sends against a 100-send baseline.
			emulator.configure({ latencyMs: 50, jitterMs: undefined, arrivalJitterMs: undefined, rateCapPerSecond: undefined });
			const small = await run(n8n, emulator, 'memory', broadcast('node-no-pacing', 50), idOf(broadcast('node-no-pacing', 50)));
			const large = await run(n8n, emulator, 'memory', broadcast('node-no-pacing', 5000), idOf(broadcast('node-no-pacing', 5000)));
			console.log(`== Memory: peak RSS of the n8n process (this node, pacing off, 50 ms latency)`);
			console.log(`  ${small.sends} sends: ${small.peakRssMb} MB; ${large.sends} sends: ${large.peakRssMb} MB; growth ${large.peakRssMb - small.peakRssMb} MB (lost ${large.lost}, dup ${large.duplicated})\n`);
		}

		if (n8n && selected('order')) {
			emulator.configure({ latencyMs: 0, arrivalJitterMs: ORDER.arrivalJitterMs, jitterMs: ORDER.jitterMs, rateCapPerSecond: undefined });
			console.log(`== Order: ${ORDER.people} people × ${ORDER.messages} messages numbered 1..${ORDER.messages} (${ORDER.people * ORDER.messages} sends), emulator latency 0 ms + jitter 0–${ORDER.arrivalJitterMs} ms before handling and 0–${ORDER.jitterMs} ms before answering, no cap`);
			console.log('   by-person: the input lists p0\'s 1..100, then p1\'s 1..100...; round-robin: everyone\'s 1, then everyone\'s 2...');
			console.log('   out of order: arrivals numbered lower than the message before them in the person\'s conversation (emulator.conversation)');
			console.log('   (the emulator handles a request after its arrival jitter, so requests sent a few ms apart can overtake each other,');
			console.log('   as on the way to Graph: a sender that does not wait for the previous answer, or chain, gets them out of order)');
			console.log('variant            arrangement   sends  node s  wall s  delivered  lost  dup  out of order  errors  http req');
			const rows: Array<Row & { arrangement: Arrangement }> = [];
			for (const arrangement of orderArrangements) {
				for (const variant of orderVariants) {
					const w = orderWorkload(variant, arrangement);
					const row = { ...(await run(n8n, emulator, 'order', w, idOf(w))), arrangement };
					rows.push(row);
					console.log(
						`${variant.padEnd(18)} ${arrangement.padEnd(12)} ${String(row.sends).padStart(6)} ${fmt(row.nodeMs / 1000, 2).padStart(7)} ${fmt(row.wallMs / 1000, 1).padStart(7)} ${String(row.delivered).padStart(10)} ${String(row.lost).padStart(5)} ${String(row.duplicated).padStart(4)} ${String(row.outOfOrder).padStart(13)} ${String(row.errorItems).padStart(7)} ${String(row.httpRequests).padStart(9)}`,
					);
				}
			}
			for (const arrangement of orderArrangements) {
				const of = (variant: Variant) => rows.find((r) => r.arrangement === arrangement && r.variant === variant)!;
				const http = of('http-request');
				const ratios = orderVariants
					.filter((variant) => variant !== 'http-request')
					.map((variant) => `${variant} ${fmt(of(variant).nodeMs / http.nodeMs, 2)}× the time`);
				console.log(`  node time vs HTTP Request node's (${fmt(http.nodeMs / 1000, 2)} s), ${arrangement}: ${ratios.join('; ')}`);
			}
			console.log(`  default pacing (${CAP}/s, each send counted for a second from the middle of its round trip) alone needs ≥ ${pacingFloorS(ORDER.people * ORDER.messages)} s for ${ORDER.people * ORDER.messages} sends`);
			console.log('');
		}

		if (n8n && selected('reply')) {
			emulator.configure({ latencyMs: REPLY.latencyMs, jitterMs: undefined, arrivalJitterMs: undefined, rateCapPerSecond: undefined });
			console.log(`== Reply: a chatbot reply = ${REPLY.messages} text messages to one person (4 input items in order, one Send node, messaging type RESPONSE), ${REPLY.latencyMs} ms latency, no cap`);
			console.log('   (all four plain text: Quick Replies are set per node, not per item, so one Send node cannot give them to the last message only)');
			console.log(`   round trips per reply: HTTP requests ÷ people; for 1 person also node time ÷ latency (the median of ${REPLY.singleRuns} runs)`);
			console.log('variant            people  sends  node s  wall s  delivered  lost  dup  out of order  errors  http req  http req per reply  node ms ÷ latency');
			for (const variant of replyVariants) {
				const many = await run(n8n, emulator, 'reply', replyWorkload(variant, REPLY.people), idOf(replyWorkload(variant, REPLY.people)));
				const singles: Row[] = [];
				for (let i = 0; i < REPLY.singleRuns; i++) singles.push(await run(n8n, emulator, 'reply', replyWorkload(variant, 1), idOf(replyWorkload(variant, 1))));
				const single = singles.find((row) => row.nodeMs === median(singles.map((s) => s.nodeMs)))!;
				for (const [row, people] of [[many, REPLY.people], [single, 1]] as const) {
					console.log(
						`${variant.padEnd(18)} ${String(people).padStart(6)} ${String(row.sends).padStart(6)} ${fmt(row.nodeMs / 1000, 2).padStart(7)} ${fmt(row.wallMs / 1000, 1).padStart(7)} ${String(row.delivered).padStart(10)} ${String(row.lost).padStart(5)} ${String(row.duplicated).padStart(4)} ${String(row.outOfOrder).padStart(13)} ${String(row.errorItems).padStart(7)} ${String(row.httpRequests).padStart(9)} ${fmt(row.httpRequests / people, 2).padStart(19)} ${(people === 1 ? fmt(row.nodeMs / REPLY.latencyMs, 1) : '').padStart(18)}`,
					);
				}
				console.log(`${''.padEnd(18)} 1 person, node ms of the ${REPLY.singleRuns} runs (each a fresh n8n process): ${singles.map((s) => s.nodeMs).join(', ')}; min ÷ latency ${fmt(Math.min(...singles.map((s) => s.nodeMs)) / REPLY.latencyMs, 1)}`);
			}
			console.log(`  default pacing (${CAP}/s) alone needs ≥ ${pacingFloorS(REPLY.people * REPLY.messages)} s for ${REPLY.people * REPLY.messages} sends`);
			// The same reply through n8n's engine in a warm process (no CLI start-up noise), this node with its defaults.
			const warm: Array<{ nodeMs: number; httpRequests: number; outOfOrder: number; duplicated: number }> = [];
			for (let i = 0; i <= REPLY.inProcessRuns; i++) {
				emulator.reset();
				const result = await runNode({
					parameters: { operation: 'sendMessage', recipientType: 'id', psid: '={{ $json.psid }}', messagingType: 'RESPONSE', text: `=part {{ $json.part }} of ${REPLY.messages} for {{ $json.psid }}` },
					items: Array.from({ length: REPLY.messages }, (_, part) => ({ json: { psid: 'p0', part: part + 1 } })),
					credentials: { accessToken: PAGE.token, appSecret: '', apiVersion: 'v25.0', baseUrl: graphUrl },
				});
				if (result.error) throw new Error(`in-process reply failed: ${result.error.message}`);
				const { outOfOrder, duplicated } = account(emulator, 1, REPLY.messages);
				// The first run warms up (JIT, the connection) and is not counted.
				if (i > 0) warm.push({ nodeMs: result.run.data.resultData.runData[NODE_NAME]?.[0]?.executionTime ?? 0, httpRequests: emulator.stats().requests, outOfOrder, duplicated });
			}
			const warmMs = median(warm.map((w) => w.nodeMs));
			console.log(
				`  in process (n8n's engine via test/helpers/runNode.ts, warm), this node with defaults, 1 person × ${REPLY.messages}: median node time ${warmMs} ms of ${REPLY.inProcessRuns} runs = ${fmt(warmMs / REPLY.latencyMs, 1)} × latency; http req per reply ${warm.map((w) => w.httpRequests).join('/')}; out of order ${warm.reduce((sum, w) => sum + w.outOfOrder, 0)}, dup ${warm.reduce((sum, w) => sum + w.duplicated, 0)}`,
			);
			console.log('');
		}

		if (selected('params')) {
			emulator.configure({ latencyMs: 0, jitterMs: undefined, arrivalJitterMs: undefined, rateCapPerSecond: undefined });
			console.log(`== Reading + building + validating per item through n8n (in process: n8n-core's WorkflowExecute via test/helpers/runNode.ts, n8n's real getNodeParameter)`);
			console.log(`   ${PARAMS.items} items, Send Message, emulator latency 0 ms, pacing off (maxPerSecond 1 000 000), Continue On Fail; node ms: executionTime in n8n's run data`);
			console.log('   "nothing sent" runs: the text is 2 001 characters (over the 2 000 limit), so every item fails validation and nothing is sent:');
			console.log('   their µs per item = n8n reading the parameters + building + validating + making the item\'s error output (n8n\'s');
			console.log('   NodeOperationError and its stack: not free); "sends" runs include sending. Direct build + validate without n8n: section micro');
			const cases: Array<{ label: string; psidExpression: boolean; textMode: Parameters<typeof inProcessCase>[4] }> = [
				{ label: 'sends, all constant (one person, psid 42)', psidExpression: false, textMode: 'constant' },
				{ label: 'sends, psid from an expression', psidExpression: true, textMode: 'constant' },
				{ label: 'sends, psid and text from expressions', psidExpression: true, textMode: 'expression' },
				{ label: 'nothing sent, all constant', psidExpression: false, textMode: 'too-long constant' },
				{ label: 'nothing sent, psid from an expression', psidExpression: true, textMode: 'too-long constant' },
				{ label: 'nothing sent, psid and text from expressions', psidExpression: true, textMode: 'too-long expression' },
			];
			// Warm-up (JIT, sockets), not printed.
			for (const c of cases) await inProcessCase(emulator, graphUrl, PARAMS.warmUpItems, c.psidExpression, c.textMode);
			console.log(`case                                           items  node ms  µs per item  delivered  error items  http req  (median of ${PARAMS.repeats} runs; node ms of each)`);
			const perItem: Record<string, number> = {};
			for (const c of cases) {
				const runs: Array<Awaited<ReturnType<typeof inProcessCase>>> = [];
				for (let i = 0; i < PARAMS.repeats; i++) runs.push(await inProcessCase(emulator, graphUrl, PARAMS.items, c.psidExpression, c.textMode));
				const r = runs.find((each) => each.nodeMs === median(runs.map((x) => x.nodeMs)))!;
				perItem[c.label] = (r.nodeMs * 1000) / PARAMS.items;
				console.log(
					`${c.label.padEnd(45)} ${String(PARAMS.items).padStart(6)} ${fmt(r.nodeMs).padStart(8)} ${fmt(perItem[c.label], 1).padStart(12)} ${String(r.delivered).padStart(10)} ${String(r.errorItems).padStart(12)} ${String(r.httpRequests).padStart(9)}  (${runs.map((x) => fmt(x.nodeMs)).join(', ')})`,
				);
			}
			console.log(
				`  reading + building + validating: ${fmt(perItem['nothing sent, all constant'], 1)} µs per item with constant parameters, ${fmt(perItem['nothing sent, psid from an expression'], 1)} µs with psid from an expression, ${fmt(perItem['nothing sent, psid and text from expressions'], 1)} µs with psid and text from expressions\n`,
			);
		}

		if (selected('micro')) {
			const micro = microBenchmark();
			console.log('== Build + validate one request (in process, called directly without n8n, 100 000 items, after warm-up)');
			console.log(`  text message: ${fmt(micro.simpleUs, 2)} µs per item; with 5 quick replies, metadata and notification type: ${fmt(micro.richUs, 2)} µs per item`);
		}

		if (selected('trigger')) {
			if (selected('micro')) console.log('');
			await triggerSection(graphUrl);
		}
		console.log(`\nBench finished in ${fmt((Date.now() - startedAll) / 1000, 0)} s.`);
	} finally {
		await emulator.stop();
		n8n?.remove();
	}
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
