// Lints the package with the rules of n8n's community-package scanner
// (@n8n/scan-community-package: its own buildScanConfig), on the sources and on the
// packed package as npm would publish it. Any error or warning fails.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ESLint } from 'eslint';
import { buildScanConfig, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';
import glob from 'fast-glob';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

async function lint(cwd, patterns, label) {
	const eslint = new ESLint({
		cwd,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await buildScanConfig(),
	});
	const files = glob.sync(patterns, { cwd, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	if (files.length === 0) throw new Error(`${label}: no files to lint`);
	const results = await eslint.lintFiles(files);
	const errors = results.reduce((sum, r) => sum + r.errorCount, 0);
	const warnings = results.reduce((sum, r) => sum + r.warningCount, 0);
	const report = await (await eslint.loadFormatter('stylish')).format(results);
	if (report.trim()) process.stdout.write(report);
	console.log(`${label}: ${files.length} files, ${errors} errors, ${warnings} warnings`);
	return errors + warnings;
}

const packDir = mkdtempSync(path.join(tmpdir(), 'messenger-send-pack-'));
let problems = 0;
try {
	problems += await lint(root, SOURCE_FILE_PATTERNS, 'sources');
	const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: root, encoding: 'utf8' })
		.trim()
		.split('\n')
		.pop();
	execFileSync('tar', ['-xzf', path.join(packDir, tarball), '-C', packDir, '--strip-components=1']);
	problems += await lint(packDir, ['**/*.js', 'package.json'], 'packed package (dist)');
} finally {
	rmSync(packDir, { recursive: true, force: true });
}
process.exit(problems > 0 ? 1 : 0);
