// `npm test`: the whole proof, with a table of the time each stage took. The n8n versions, Chromium
// and the queue-mode services install in the background from the start (network and disk, mostly),
// while the package is built; the end-to-end suites run per n8n version (scripts/e2e.cts) as soon as
// the build and the installs are done, beside the type check, lint and unit tests. Every stage runs even when an earlier one failed (but nothing
// after a failed build); the exit code says whether all passed.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { runName, runVersions, versionsToRun } from './e2e.cjs';
import { installN8nVersions } from './n8nInstall.cjs';

interface Stage {
	name: string;
	seconds: number;
	ok: boolean;
	note?: string;
}

const stages: Stage[] = [];
const started = Date.now();
const since = (from: number) => Math.round((Date.now() - from) / 1000);

function command(cmd: string, args: string[]): Promise<boolean> {
	return new Promise((resolve) => {
		const child = spawn(cmd, args, { stdio: 'inherit' });
		child.on('close', (code) => resolve(code === 0));
	});
}

async function stage(name: string, cmd: string, args: string[]): Promise<boolean> {
	const from = Date.now();
	const cpuFrom = cpuTimes();
	process.stdout.write(`\n=== ${name}: ${cmd} ${args.join(' ')}\n`);
	const ok = await command(cmd, args);
	stages.push({ name, seconds: since(from), ok, note: busyNote(cpuFrom) });
	return ok;
}

/** Everything the end-to-end suites need that is not in node_modules, installed side by side. */
async function installRuntimes(): Promise<Stage> {
	const from = Date.now();
	const results = await Promise.allSettled([
		installN8nVersions(versionsToRun()),
		command('bash', ['scripts/ensure-chromium.sh']).then((ok) => {
			if (!ok) throw new Error('scripts/ensure-chromium.sh failed');
		}),
		command('bash', ['scripts/queue-services.sh', 'install']).then((ok) => {
			if (!ok) throw new Error('scripts/queue-services.sh install failed');
		}),
	]);
	const failed = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected').map((result) => String(result.reason));
	if (failed.length > 0) process.stderr.write(`${failed.join('\n')}\n`);
	return { name: 'install n8n versions, Chromium, PostgreSQL/Redis (background)', seconds: since(from), ok: failed.length === 0 };
}

/** The machine's CPU time so far (all cores), busy and total, from /proc/stat (undefined elsewhere). */
function cpuTimes(): { busy: number; total: number } | undefined {
	try {
		const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
		const idle = fields[3] + (fields[4] ?? 0);
		const total = fields.reduce((sum, value) => sum + value, 0);
		return { busy: total - idle, total };
	} catch {
		return undefined;
	}
}

/** How busy the cores were between two readings: whether a stage waits (timers, the network) or computes. */
function busyNote(from: ReturnType<typeof cpuTimes>): string {
	const to = cpuTimes();
	if (!from || !to || to.total === from.total) return '';
	return `CPU busy ${Math.round((100 * (to.busy - from.busy)) / (to.total - from.total))} %`;
}

function table(): string {
	const rows = stages.map((entry) => [entry.name, `${entry.seconds} s`, entry.ok ? 'passed' : 'FAILED', entry.note ?? '']);
	const ciStarted = Number(process.env.CI_STARTED_AT ?? 0);
	if (ciStarted > 0) rows.unshift(['npm ci (.ci/run)', `${Math.round(started / 1000 - ciStarted)} s`, 'passed', '']);
	const total = ciStarted > 0 ? Math.round(Date.now() / 1000 - ciStarted) : since(started);
	rows.push(['total', `${total} s (${(total / 60).toFixed(1)} min)`, stages.every((entry) => entry.ok) ? 'passed' : 'FAILED', '']);
	const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column].length)));
	return rows.map((row) => `  ${row[0].padEnd(widths[0])}  ${row[1].padStart(widths[1])}  ${row[2].padEnd(widths[2])}  ${row[3]}`.trimEnd()).join('\n');
}

/** The end-to-end runs of every version, `atOnce` jest runs at a time, as stages of the table. */
async function endToEnd(): Promise<Stage[]> {
	// Three jest runs at once (each with its own ports, n8n, cluster and Chromium), from eight (three
	// per version with every suite, two for the smoke set): measured on the 2-core machine (see README).
	const atOnce = Number(process.env.E2E_RUNS_AT_ONCE ?? 3);
	const from = Date.now();
	const cpuFrom = cpuTimes();
	process.stdout.write(`\n=== end to end: n8n ${versionsToRun().join(', ')}, ${atOnce} jest runs at once\n`);
	const runs = await runVersions(versionsToRun(), [], atOnce);
	return [
		...runs.map((run) => ({ name: `  end to end, ${runName(run)}`, seconds: run.seconds, ok: run.ok, note: run.summary })),
		{ name: `end to end (${atOnce} jest run${atOnce === 1 ? '' : 's'} at once)`, seconds: since(from), ok: runs.every((run) => run.ok), note: busyNote(cpuFrom) },
	];
}

async function main(): Promise<void> {
	const installing = installRuntimes();
	const built = await stage('build (clean, tsc, icons)', 'bash', ['-c', 'npm run --silent clean && npm run --silent build']);
	// The end-to-end runs need only the build and the installs: they start beside the type check,
	// lint and unit tests, whose cores would otherwise idle in the e2e's waits (CPU busy 69 % alone).
	let install: Stage | undefined;
	const endToEndRuns = built
		? installing.then(async (installed) => {
				install = installed;
				return installed.ok ? await endToEnd() : [];
			})
		: Promise.resolve([]);
	if (built) {
		await stage('type check', 'npm', ['run', '--silent', 'typecheck']);
		await stage('lint (n8n-node strict, scanner, cycles)', 'npm', ['run', '--silent', 'lint']);
		await stage('unit, node and emulator tests (beside the e2e)', 'npx', ['jest', 'test/unit', 'test/node', 'test/emulator']);
	}
	const e2eStages = await endToEndRuns;
	install ??= await installing;
	stages.push(install, ...e2eStages);
	process.stdout.write(`\nTime per stage (the e2e runs start after the build and the installs, beside the stages after the build):\n${table()}\n`);
	process.exitCode = stages.every((entry) => entry.ok) && built && install.ok ? 0 : 1;
}

void main();
