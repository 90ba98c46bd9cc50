// `npm run test:e2e`: the real-n8n suites (test/e2e) per tested n8n version, as E2E_MATRIX says
// (every suite on 2.40.7 and 2.8.4, the smoke set on 1.123.81). A version's suites run in band in a
// jest process (they share one n8n, one queue cluster and one Chromium); a version with every suite
// is split into two such runs (its queue-mode suites, the CLI, the fault suite and the restart beside the rest),
// each with its own ports (E2E_PORT_SHIFT) and fixtures, so that the runs of all versions can be
// spread evenly over the machine. N8N_TEST_VERSION=<version> runs only that one; extra arguments go
// to jest (e.g. a test file: then it runs on every version, or on N8N_TEST_VERSION's, whatever the
// matrix says, in one run per version).
import { spawn } from 'node:child_process';

import { E2E_MATRIX, N8N_VERSION, N8N_VERSIONS, type N8nVersion } from './n8nInstall.cjs';

export interface E2eRun {
	version: N8nVersion;
	/** What part of the version's suites ran ('' for all of them). */
	part: string;
	ok: boolean;
	seconds: number;
	summary: string;
}

interface Job {
	version: N8nVersion;
	part: string;
	files: string[];
	/** Added to E2E_PORT_SHIFT: the second run of a version gets port blocks of its own. */
	portShift: number;
}

/**
 * The suites that run apart from the rest of a version's (their own jest run, their own shared n8n):
 * the three on the queue cluster, the CLI's (`n8n execute`), the fault suite and the trigger's restart
 * (an `n8n start` of its own), about 40 % of a version's time.
 */
const APART = ['queue', 'triggerQueue', 'sendAndWaitQueue', 'cli', 'faults', 'triggerRestart'];
/** 150 ports on: past every version's block (5700-5838) and its brokers' (+1000). */
const SECOND_RUN_SHIFT = 150;

const fileOf = (suite: string) => `test/e2e/${suite}.test.cts`;

function jobsOf(version: N8nVersion, extra: string[]): Job[] {
	const named = extra.some((arg) => !arg.startsWith('-'));
	const matrix = E2E_MATRIX[version];
	if (named || matrix !== 'all') {
		const files = named ? [] : (matrix as readonly string[]).map(fileOf);
		return [{ version, part: '', files: [...files, ...extra], portShift: 0 }];
	}
	const apart = APART.map(fileOf);
	// Jest takes a pattern per argument: every suite but those apart, by name.
	const rest = `test/e2e/(?!(${APART.join('|')})\\.test\\.cts$)[^/]+\\.test\\.cts$`;
	return [
		{ version, part: 'all but those below', files: [rest, ...extra], portShift: 0 },
		{ version, part: APART.join(', '), files: [...apart, ...extra], portShift: SECOND_RUN_SHIFT },
	];
}

function runJob(job: Job): Promise<E2eRun> {
	const started = Date.now();
	const shift = Number(process.env.E2E_PORT_SHIFT ?? 0) + job.portShift;
	return new Promise((resolve) => {
		const jest = spawn('npx', ['jest', '--runInBand', ...job.files], {
			env: { ...process.env, N8N_TEST_VERSION: job.version, E2E_PORT_SHIFT: String(shift) },
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		let out = '';
		jest.stdout.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			process.stdout.write(chunk);
		});
		jest.on('close', (code) => {
			const summary = /^jest: .*$/m.exec(out)?.[0] ?? 'jest: no summary';
			resolve({ version: job.version, part: job.part, ok: code === 0, seconds: Math.round((Date.now() - started) / 1000), summary });
		});
	});
}

export function versionsToRun(): N8nVersion[] {
	return process.env.N8N_TEST_VERSION ? [N8N_VERSION] : N8N_VERSIONS;
}

/**
 * The versions' jest runs, `atOnce` at a time (E2E_RUNS_AT_ONCE), the longest first: each version's
 * main run, then the smaller ones, so that the last to start are the short ones.
 */
export async function runVersions(versions: N8nVersion[], extra: string[] = [], atOnce = Number(process.env.E2E_RUNS_AT_ONCE ?? 1)): Promise<E2eRun[]> {
	const jobs = versions.map((version) => jobsOf(version, extra));
	const queue = [...jobs.map((parts) => parts[0]), ...jobs.flatMap((parts) => parts.slice(1))];
	const order = [...queue];
	const results = new Map<Job, E2eRun>();
	const lane = async () => {
		for (let job = queue.shift(); job; job = queue.shift()) results.set(job, await runJob(job));
	};
	await Promise.all(Array.from({ length: Math.max(1, atOnce) }, lane));
	return order.map((job) => results.get(job) as E2eRun);
}

export const runName = (run: E2eRun) => `n8n ${run.version}${run.part ? ` (${run.part})` : ''}`;

async function main(): Promise<void> {
	const results = await runVersions(versionsToRun(), process.argv.slice(2));
	const lines = results.map((run) => `  ${runName(run)}: ${run.ok ? 'passed' : 'FAILED'} in ${run.seconds} s (${run.summary})`);
	process.stdout.write(`\nEnd-to-end suites per n8n version:\n${lines.join('\n')}\n`);
	process.exitCode = results.every((run) => run.ok) ? 0 : 1;
}

if (require.main === module) void main();
