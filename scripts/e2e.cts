// `npm run test:e2e`: the real-n8n suites (test/e2e) per tested n8n version, as E2E_MATRIX says
// (every suite on 2.40.7 and 2.8.4, the smoke set on 1.123.81). A version's suites run in band in a
// jest process (they share one n8n, one queue cluster and one Chromium); a version's suites are
// split into up to three such runs (see jobsOf), each with its own ports (E2E_PORT_SHIFT) and fixtures,
// so that the runs of all versions can be spread evenly over the machine. N8N_TEST_VERSION=<version> runs only that one; extra arguments go
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
	/** Added to E2E_PORT_SHIFT: each run of a version gets port blocks of its own. */
	portShift: number;
	/** Whether its n8n processes serve the editor (only the editor suites open it; E2E_N8N_UI, scripts/n8n.cts). */
	ui: boolean;
	/** Which of a version's runs: the editor suites, those apart (n8n processes of their own, the fault suite), the rest; or named files. */
	kind: 'editor' | 'apart' | 'rest' | 'named';
}

/**
 * A version's suites are split into up to three jest runs, each with its own shared n8n and ports,
 * so that the runs of all versions pack evenly onto the machine: the editor suites (one Chromium),
 * the suites that start n8n processes of their own or use the queue cluster (the CLI's `n8n execute`,
 * the fault suite, the trigger's restart), and the rest.
 */
const EDITOR = ['editor', 'templateEditor', 'triggerEditor', 'sendAndWaitEditor', 'conversationEditor'];
const APART = ['queue', 'triggerQueue', 'sendAndWaitQueue', 'cli', 'faults', 'triggerRestart'];
/** Port shifts of a version's second and third run: past every version's block (5700-5838) and its brokers' (+1000), and never onto a port fetch refuses (see support/ports.cts). */
const SHIFTS = { editor: 0, apart: 150, rest: 400 } as const;
const fileOf = (suite: string) => `test/e2e/${suite}.test.cts`;

function jobsOf(version: N8nVersion, extra: string[]): Job[] {
	const named = extra.some((arg) => !arg.startsWith('-'));
	if (named) return [{ version, part: '', files: extra, portShift: 0, ui: true, kind: 'named' }];
	const matrix = E2E_MATRIX[version];
	const smoke = matrix !== 'all';
	const among = (suites: string[]) => (smoke ? suites.filter((suite) => (matrix as readonly string[]).includes(suite)) : suites);
	// Jest takes a pattern per argument: every suite but the editor's and those apart, by name.
	const rest = smoke
		? (matrix as readonly string[]).filter((suite) => !EDITOR.includes(suite) && !APART.includes(suite)).map(fileOf)
		: [`test/e2e/(?!(${[...EDITOR, ...APART].join('|')})\\.test\\.cts$)[^/]+\\.test\\.cts$`];
	const parts: Job[] = [
		{ version, part: 'editor suites', files: among(EDITOR).map(fileOf), portShift: SHIFTS.editor, ui: true, kind: 'editor' },
		{ version, part: among(APART).join(', '), files: among(APART).map(fileOf), portShift: SHIFTS.apart, ui: false, kind: 'apart' },
		{ version, part: smoke ? 'the other smoke suites' : 'the other suites', files: rest, portShift: SHIFTS.rest, ui: false, kind: 'rest' },
	];
	return parts.filter((job) => job.files.length > 0).map((job) => ({ ...job, files: [...job.files, ...extra] }));
}

function runJob(job: Job): Promise<E2eRun> {
	const started = Date.now();
	const shift = Number(process.env.E2E_PORT_SHIFT ?? 0) + job.portShift;
	return new Promise((resolve) => {
		const jest = spawn('npx', ['jest', '--runInBand', ...job.files], {
			env: { ...process.env, N8N_TEST_VERSION: job.version, E2E_PORT_SHIFT: String(shift), ...(job.ui ? {} : { E2E_N8N_UI: 'false' }) },
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
 * The order the runs start in, three at a time on the 2-core machine: the longest first, but never the
 * two fault-suite runs (2.x apart) or the two editor runs together at the start. Three apart runs at
 * once took 540-670 s each, against 400-490 s beside the other kinds (CI, 2026-12-07). Runs not
 * listed (named files, a version added later) start after these, in the versions' order.
 */
const START_ORDER = ['2.40.7 apart', '2.8.4 editor', '1.123.81 apart', '2.8.4 apart', '2.40.7 editor', '1.123.81 rest', '2.40.7 rest', '2.8.4 rest'];

const rankOf = (job: Job) => {
	const rank = START_ORDER.indexOf(`${job.version} ${job.kind}`);
	return rank < 0 ? START_ORDER.length : rank;
};

/** The versions' jest runs, `atOnce` at a time (E2E_RUNS_AT_ONCE), each lane taking the next in START_ORDER. */
export async function runVersions(versions: N8nVersion[], extra: string[] = [], atOnce = Number(process.env.E2E_RUNS_AT_ONCE ?? 1)): Promise<E2eRun[]> {
	const order = versions.flatMap((version) => jobsOf(version, extra));
	const queue = [...order].sort((a, b) => rankOf(a) - rankOf(b));
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
