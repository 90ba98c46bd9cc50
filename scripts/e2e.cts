// `npm run test:e2e`: the real-n8n suites (test/e2e) per tested n8n version, as E2E_MATRIX says
// (every suite on 2.40.7 and 2.8.4, the smoke set on 1.123.81), one jest run per version (in band:
// its suites share one n8n, one queue cluster and one Chromium). N8N_TEST_VERSION=<version> runs
// only that one; extra arguments go to jest (e.g. a test file: then it runs on every version, or on
// N8N_TEST_VERSION's, whatever the matrix says).
import { spawn } from 'node:child_process';

import { E2E_MATRIX, N8N_VERSION, N8N_VERSIONS, type N8nVersion } from './n8n.cjs';

export interface VersionRun {
	version: N8nVersion;
	ok: boolean;
	seconds: number;
	summary: string;
}

function suitesOf(version: N8nVersion, extra: string[]): string[] {
	if (extra.some((arg) => !arg.startsWith('-'))) return extra;
	const matrix = E2E_MATRIX[version];
	const files = matrix === 'all' ? ['test/e2e'] : matrix.map((name) => `test/e2e/${name}.test.cts`);
	return [...files, ...extra];
}

/** One version's suites in a jest process of their own; resolves with its result line. */
export function runVersion(version: N8nVersion, extra: string[] = []): Promise<VersionRun> {
	const started = Date.now();
	return new Promise((resolve) => {
		const jest = spawn('npx', ['jest', '--runInBand', ...suitesOf(version, extra)], {
			env: { ...process.env, N8N_TEST_VERSION: version },
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		let out = '';
		jest.stdout.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			process.stdout.write(chunk);
		});
		jest.on('close', (code) => {
			const summary = /^jest: .*$/m.exec(out)?.[0] ?? 'jest: no summary';
			resolve({ version, ok: code === 0, seconds: Math.round((Date.now() - started) / 1000), summary });
		});
	});
}

export function versionsToRun(): N8nVersion[] {
	return process.env.N8N_TEST_VERSION ? [N8N_VERSION] : N8N_VERSIONS;
}

/**
 * The versions' jest runs, `atOnce` at a time (E2E_VERSIONS_AT_ONCE; each version has its own
 * ports, n8n, cluster and Chromium, so they can run side by side).
 */
export async function runVersions(versions: N8nVersion[], extra: string[] = [], atOnce = Number(process.env.E2E_VERSIONS_AT_ONCE ?? 1)): Promise<VersionRun[]> {
	const results: VersionRun[] = [];
	const queue = [...versions];
	const lane = async () => {
		for (let version = queue.shift(); version; version = queue.shift()) results.push(await runVersion(version, extra));
	};
	await Promise.all(Array.from({ length: Math.max(1, atOnce) }, lane));
	return versions.map((version) => results.find((run) => run.version === version) as VersionRun);
}

async function main(): Promise<void> {
	const results = await runVersions(versionsToRun(), process.argv.slice(2));
	const lines = results.map((run) => `  n8n ${run.version}: ${run.ok ? 'passed' : 'FAILED'} in ${run.seconds} s (${run.summary})`);
	process.stdout.write(`\nEnd-to-end suites per n8n version:\n${lines.join('\n')}\n`);
	process.exitCode = results.every((run) => run.ok) ? 0 : 1;
}

if (require.main === module) void main();
