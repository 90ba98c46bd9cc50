// `npm run test:e2e`: the real-n8n suites (test/e2e) once per tested n8n version, one after the
// other (they use the same ports). N8N_TEST_VERSION=<version> runs only that one; extra
// arguments go to jest (e.g. a test file).
import { spawnSync } from 'node:child_process';

import { N8N_VERSION, N8N_VERSIONS } from './n8n.cjs';

const versions = process.env.N8N_TEST_VERSION ? [N8N_VERSION] : N8N_VERSIONS;
const results: string[] = [];
let failed = false;
for (const version of versions) {
	const started = Date.now();
	const jest = spawnSync('npx', ['jest', 'test/e2e', ...process.argv.slice(2)], {
		env: { ...process.env, N8N_TEST_VERSION: version },
		stdio: 'inherit',
	});
	const ok = jest.status === 0;
	failed ||= !ok;
	results.push(`n8n ${version}: ${ok ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s`);
}
process.stdout.write(`\nEnd-to-end suites per n8n version:\n${results.map((line) => `  ${line}`).join('\n')}\n`);
process.exitCode = failed ? 1 : 0;
