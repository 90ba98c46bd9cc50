// Drives a real n8n (installed by scripts/n8nInstall.cts) with this package loaded the
// way users load it: copied into <user folder>/.n8n/nodes/node_modules. Used by the end-to-end
// tests, the demo and `npm run dev`.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { compileCacheOf, installN8n, n8nBin, N8N_VERSION, pathFor, type N8nVersion } from './n8nInstall.cjs';

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

/**
 * For the end-to-end suites' n8n processes: no task runner. n8n 2.x starts one (a child process that
 * runs Code nodes) with every `n8n start`, worker and `n8n execute`, about 1 CPU-s each and some 45 per
 * test run; no test workflow has a Code node, and this package's nodes run in n8n's own process. In
 * "external" mode n8n only opens its broker for runners that would connect, and none does. (1.x runs
 * none unless N8N_RUNNERS_ENABLED.)
 */
export const NO_TASK_RUNNER = { N8N_RUNNERS_MODE: 'external', N8N_RUNNERS_AUTH_TOKEN: 'no-runner-connects-in-the-e2e-suites' };

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
			NODE_COMPILE_CACHE: compileCacheOf(this.version),
			// A jest run without the editor suites: n8n need not rewrite its editor's files at every start
			// (about 3 of the 11 CPU seconds an `n8n start` spends).
			...(process.env.E2E_N8N_UI === 'false' ? { N8N_DISABLE_UI: 'true' } : {}),
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
		// The log is appended to across restarts of the same folder: only what this start wrote counts.
		const logStart = this.log.length;
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
				// Taking the first start's line for a restart's let the restart's first sessions go 401 (2.40.7).
				if (this.log.slice(logStart).includes(STARTED_LINE) && (await fetch(`${url}/healthz`)).ok) return url;
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
