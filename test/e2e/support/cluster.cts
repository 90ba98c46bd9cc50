// n8n's distributed engine on this machine, for the queue-mode suites: Redis and PostgreSQL 15
// (scripts/queue-services.sh), one n8n main in EXECUTIONS_MODE=queue and n8n workers, all sharing one
// user folder (with this package installed as users install it), one database and one encryption key.
// One cluster per n8n version and jest run (`sharedCluster()`): the first queue suite starts it, the
// others attach to it (each imports and publishes its own workflows), jest's global teardown stops it.
//
// Everything runs on 127.0.0.1 and stops when stop() is called — and also when the test process dies:
// the services script watches a pipe from this process and, when it closes, terminates the n8n
// process groups listed in its folder before stopping Redis and PostgreSQL. Each process writes its
// output to a file in that folder, so that a later suite reads the same logs.
// scripts/n8n.cts only starts `n8n start` on SQLite; the worker processes and the queue-mode
// environment are handled here instead, on top of its N8n class (env(), prepare(), the CLI).
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import { sleep } from 'n8n-workflow';

import { N8N_VERSION, n8nBin } from '../../../scripts/n8nInstall.cjs';
import { N8n, NO_TASK_RUNNER, ROOT, STARTED_LINE, stopProcessGroup } from '../../../scripts/n8n.cjs';
import { portInUse } from './ports.cjs';
import { byCliOn1x, N8nRest, poll, registeredWebhookMethods, type Credential } from './rest.cjs';
import { fixtureState, writeFixtureState } from './runState.cjs';
import { listeningSocketsOf, type ListeningSocket } from './sockets.cjs';
import { N8nProcess, queuePorts, type QueuePorts, type QueueServices } from './clusterProcess.cjs';

const SERVICES_SCRIPT = path.join(ROOT, 'scripts', 'queue-services.sh');
const PSQL = '/usr/lib/postgresql/15/bin/psql';

/** What a later suite needs to attach to a running cluster. */
interface ClusterState {
	/** The services script's pid: the global teardown ends its group, and it stops everything else. */
	pid: number;
	services: QueueServices;
	main: number;
	workers: number[];
}

export class QueueCluster {
	readonly ports: QueuePorts;

	private installation?: N8n;

	services?: QueueServices;

	main?: N8nProcess;

	workers: N8nProcess[] = [];

	servicesLog = '';

	private servicesProcess?: ChildProcess;

	/** The services script's pid when another suite started the cluster. */
	private servicesPid?: number;

	private logFileOf(name: string): string {
		if (!this.services) throw new Error('The queue services are not running');
		return path.join(this.services.dir, `${name.replace(/\s+/g, '-')}.log`);
	}

	/**
	 * The running cluster of this n8n version, started with two workers (concurrency 2) if this jest
	 * run has none yet, its owner set up. Each suite imports (`importByCli`) and publishes
	 * (`rest.activate`) its own workflows.
	 */
	static async shared(): Promise<QueueCluster> {
		const key = `cluster-${N8N_VERSION}`;
		const cluster = new QueueCluster({ workers: 2, concurrency: 2 });
		const state = fixtureState<ClusterState>(key);
		if (state) {
			cluster.attach(state);
			for (const process_ of cluster.processes) process_.markLog();
			const alive = cluster.processes.every((process_) => process_.running) && (await fetch(`${cluster.baseUrl}/healthz`).then((response) => response.ok, () => false));
			if (alive) return cluster;
			process.stderr.write(`The shared queue cluster of n8n ${N8N_VERSION} no longer answers: starting another\n`);
			await cluster.stop();
		}
		const fresh = new QueueCluster({ workers: 2, concurrency: 2 });
		try {
			await fresh.startServices();
			fresh.n8n.prepare();
			await fresh.startN8n();
			await new N8nRest(fresh.baseUrl).setUpOwner();
		} catch (error) {
			await fresh.stop().catch(() => undefined);
			throw error;
		}
		writeFixtureState<ClusterState>(key, {
			pid: Number(fresh.servicesProcess?.pid),
			services: fresh.services as QueueServices,
			main: Number(fresh.main?.pid),
			workers: fresh.workers.map((worker) => Number(worker.pid)),
		});
		return fresh;
	}

	private attach(state: ClusterState): void {
		this.services = state.services;
		this.servicesPid = state.pid;
		this.installation = new N8n({ userFolder: path.join(state.services.dir, 'n8n'), port: this.ports.main, env: { ...NO_TASK_RUNNER, N8N_RUNNERS_BROKER_PORT: String(this.ports.mainBroker) } });
		this.main = new N8nProcess('main', this.logFileOf('main'), { pid: state.main });
		this.workers = state.workers.map((pid, index) => new N8nProcess(`worker ${index + 1}`, this.logFileOf(`worker ${index + 1}`), { pid }));
	}

	/** An owner's REST session with the main. */
	async rest(): Promise<N8nRest> {
		return await new N8nRest(this.baseUrl).signIn();
	}

	constructor(readonly options: { workers?: number; concurrency?: number } = {}) {
		this.ports = queuePorts(options.workers ?? 2);
	}

	/**
	 * The shared user folder (this package installed in it) and the base environment. The folder is
	 * inside the services' temporary folder, so the services script removes it even if this process dies.
	 */
	get n8n(): N8n {
		if (!this.installation) throw new Error('The queue services are not running');
		return this.installation;
	}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.ports.main}`;
	}

	get processes(): N8nProcess[] {
		return [...(this.main ? [this.main] : []), ...this.workers];
	}

	/** Redis + PostgreSQL (installed with apt when missing: minutes, once), then n8n's folder. */
	async startServices(): Promise<QueueServices> {
		const { ports } = this;
		const all = [ports.main, ports.mainBroker, ...ports.workers.flatMap((worker) => [worker.broker, worker.health]), ports.redis, ports.postgres];
		for (const port of all) {
			if (await portInUse(port)) {
				throw new Error(`Port ${port} on 127.0.0.1 is in use: the queue-mode test needs ${all.join(', ')}`);
			}
		}
		const child = spawn('bash', [SERVICES_SCRIPT, 'run'], {
			env: { ...process.env, QUEUE_REDIS_PORT: String(ports.redis), QUEUE_PG_PORT: String(ports.postgres) },
			stdio: ['pipe', 'pipe', 'pipe'],
			detached: true,
		});
		this.servicesProcess = child;
		child.stderr?.on('data', (chunk: Buffer) => {
			this.servicesLog += chunk.toString();
		});
		this.services = await new Promise<QueueServices>((resolve, reject) => {
			let stdout = '';
			child.stdout?.on('data', (chunk: Buffer) => {
				stdout += chunk.toString();
				const line = /^QUEUE_SERVICES_READY (\{.*\})$/m.exec(stdout);
				if (line) resolve(JSON.parse(line[1]) as QueueServices);
			});
			child.once('exit', (code) => reject(new Error(`scripts/queue-services.sh exited (${code}) before it was ready:\n${this.servicesLog}`)));
		});
		const userFolder = path.join(this.services.dir, 'n8n');
		mkdirSync(userFolder, { mode: 0o700 });
		this.installation = new N8n({ userFolder, port: this.ports.main, env: { ...NO_TASK_RUNNER, N8N_RUNNERS_BROKER_PORT: String(this.ports.mainBroker) } });
		return this.services;
	}

	/** The environment every n8n process of the cluster shares (the CLI commands too). */
	sharedEnv(): NodeJS.ProcessEnv {
		const services = this.services;
		if (!services) throw new Error('The queue services are not running');
		return {
			...this.n8n.env(),
			EXECUTIONS_MODE: 'queue',
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: services.postgres.host,
			DB_POSTGRESDB_PORT: String(services.postgres.port),
			DB_POSTGRESDB_DATABASE: services.postgres.database,
			DB_POSTGRESDB_USER: services.postgres.user,
			DB_POSTGRESDB_PASSWORD: services.postgres.password,
			QUEUE_BULL_REDIS_HOST: services.redis.host,
			QUEUE_BULL_REDIS_PORT: String(services.redis.port),
			QUEUE_BULL_REDIS_PASSWORD: services.redis.password,
			QUEUE_HEALTH_CHECK_ACTIVE: 'false',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			N8N_LOG_LEVEL: 'info',
			// n8n 2.x always opens a task broker in each process; 1.x only when asked. The same processes and
			// ports on every version (no runner connects to them: NO_TASK_RUNNER).
			...(this.n8n.version.startsWith('1.') ? { N8N_RUNNERS_ENABLED: 'true' } : {}),
		};
	}

	/** An n8n CLI command against the shared database (import, publish…); throws on a non-zero exit. */
	async cli(args: string[]): Promise<string> {
		const child = spawn(n8nBin(), args, { env: this.sharedEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		const code = await new Promise<number>((resolve) => child.on('close', (exitCode) => resolve(exitCode ?? 1)));
		if (code !== 0) throw new Error(`n8n ${args.join(' ')} failed (${code}):\n${output}`);
		return output;
	}

	/** Imports workflows with the CLI (n8n 1.x, whose REST drops a new workflow's id). */
	async importByCli(workflows: unknown[]): Promise<void> {
		const folder = mkdtempSync(path.join(this.n8n.userFolder, 'import-'));
		try {
			workflows.forEach((workflow, index) => writeFileSync(path.join(folder, `${index}.json`), JSON.stringify(workflow)));
			await this.cli(['import:workflow', '--separate', `--input=${folder}`]);
		} finally {
			rmSync(folder, { recursive: true, force: true });
		}
	}

	/**
	 * Starts the main, then, once it has migrated the database, the workers; waits until all are
	 * healthy. (A main and workers that all find an empty database migrate it at once and fail:
	 * "duplicate key value".)
	 */
	async startN8n(): Promise<void> {
		const shared = this.sharedEnv();
		const concurrency = this.options.concurrency ?? 2;
		this.main = this.spawnN8n('main', ['start'], { ...shared, N8N_PORT: String(this.ports.main), N8N_RUNNERS_BROKER_PORT: String(this.ports.mainBroker) });
		// Ready: connected to the database, its migrations done.
		await this.main.waitForHttp(`${this.baseUrl}/healthz/readiness`, 120_000);
		this.workers = this.ports.workers.map((ports, index) =>
			this.spawnN8n(`worker ${index + 1}`, ['worker', `--concurrency=${concurrency}`], {
				...shared,
				N8N_RUNNERS_BROKER_PORT: String(ports.broker),
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(ports.health),
				// The worker's health server listens on every interface ("::") unless told otherwise.
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			}),
		);
		// Ready: connected to the database and to Redis.
		await Promise.all(this.workers.map((worker, index) => worker.waitForHttp(`http://127.0.0.1:${this.ports.workers[index].health}/healthz/readiness`, 120_000)));
		// An owner set up before the main has started can be lost again (see N8n.start).
		const main = this.main;
		await poll(`${main.name} started`, () => (main.log.includes(STARTED_LINE) ? true : undefined), 120_000);
	}

	private spawnN8n(name: string, args: string[], env: NodeJS.ProcessEnv): N8nProcess {
		const process_ = new N8nProcess(name, this.logFileOf(name), { args, env });
		// The services script terminates these groups if this process dies before stop().
		if (process_.pid !== undefined && this.services) appendFileSync(path.join(this.services.dir, 'pgids'), `${process_.pid}\n`);
		return process_;
	}

	/**
	 * Publishes (activates) an imported workflow in the database; run it before the main starts (a running
	 * n8n does not see it). n8n 2.x: `publish:workflow`; 1.x has no publishing, only
	 * `update:workflow --active=true`.
	 */
	async publish(workflowId: string): Promise<void> {
		await this.cli(this.n8n.version.startsWith('1.') ? ['update:workflow', `--id=${workflowId}`, '--active=true'] : ['publish:workflow', `--id=${workflowId}`]);
	}

	/**
	 * Waits until the main serves the production webhook `path` for `method`, asking the webhook route
	 * itself (a CORS preflight, which runs nothing): independent of what each n8n version logs and of
	 * how it activates (2.8 and 1.x at startup, 2.40 through its publication service a little later).
	 */
	async waitForWebhook(webhookPath: string, method: string, timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		let methods: string[] = [];
		for (;;) {
			if (this.main && !this.main.running) throw new Error(`The main exited:\n${this.main.log}`);
			try {
				methods = await registeredWebhookMethods(this.baseUrl, webhookPath);
			} catch {
				methods = []; // not listening (yet)
			}
			if (methods.includes(method.toUpperCase())) return;
			if (Date.now() > deadline) {
				throw new Error(`The main does not serve ${method} /webhook/${webhookPath} after ${timeoutMs / 1000} s (registered: ${methods.join(', ') || 'none'}):\n${this.main?.log}`);
			}
			await sleep(250);
		}
	}

	/** A query against n8n's database (as n8n's user, over TCP): rows of tab-separated fields. */
	async sql(query: string): Promise<string[][]> {
		const services = this.services;
		if (!services) throw new Error('The queue services are not running');
		const { stdout } = await promisify(execFile)(
			PSQL,
			['-h', services.postgres.host, '-p', String(services.postgres.port), '-U', services.postgres.user, '-d', services.postgres.database, '-X', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', query],
			{ env: { ...process.env, PGPASSWORD: services.postgres.password } },
		);
		return stdout
			.split('\n')
			.filter((line) => line !== '')
			.map((line) => line.split('\t'));
	}

	/**
	 * Every TCP socket listening in a process this cluster started (the services script with Redis and
	 * PostgreSQL, each n8n process, and all their descendants, e.g. the task runners).
	 */
	listeningSockets(): ListeningSocket[] {
		return listeningSocketsOf([this.servicesProcess?.pid ?? this.servicesPid, ...this.processes.map((process_) => process_.pid)].filter((pid): pid is number => pid !== undefined));
	}

	/** Stops the n8n processes (by process group), then Redis and PostgreSQL, and removes the folders. */
	async stop(): Promise<void> {
		await Promise.all(this.processes.map((process_) => process_.stop().catch(() => undefined)));
		this.installation?.remove();
		await this.stopServices();
	}

	private async stopServices(): Promise<void> {
		const child = this.servicesProcess;
		if (!child || child.pid === undefined) {
			// Started by another suite: its script stops PostgreSQL and Redis on SIGTERM.
			if (this.servicesPid !== undefined) await stopProcessGroup(this.servicesPid, 30_000);
			if (this.services) rmSync(this.services.dir, { recursive: true, force: true });
			return;
		}
		const pid = child.pid;
		if (child.exitCode === null && child.signalCode === null) {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.stdin?.end('stop\n');
			const timer = setTimeout(() => {
				try {
					process.kill(-pid, 'SIGKILL');
				} catch {
					// gone
				}
			}, 30_000);
			await exited;
			clearTimeout(timer);
		}
		// If the script had to be killed, what it started may be left: PostgreSQL runs as the postgres
		// user in the same process group, Redis too.
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			// the group is gone, as it should be
		}
		if (this.services) rmSync(this.services.dir, { recursive: true, force: true });
	}
}

export interface ClusterSuite {
	cluster: QueueCluster;
	rest: N8nRest;
}

/**
 * A queue suite's hooks around the shared cluster: before all, `before` (e.g. the suite's emulator
 * started) gives the credentials and workflows to import, then `publish` are published and their
 * webhooks waited for on the main; after all, whatever of the suite's is still published is
 * unpublished, and `after` runs.
 */
export function useSharedCluster(hooks: {
	before: () => Promise<{ credentials: Credential[]; workflows: Array<Record<string, unknown>> }>;
	publish: Array<{ id: string; webhook?: { path: string; method: string } }>;
	after?: () => Promise<void>;
}): () => ClusterSuite {
	let suite: ClusterSuite | undefined;
	let imported: string[] = [];
	beforeAll(async () => {
		if (!existsSync(path.join(ROOT, 'dist', 'nodes', 'MessengerSend', 'MessengerSend.node.js'))) {
			throw new Error('dist/ is missing: run `npm run build` before the queue-mode tests');
		}
		const cluster = await QueueCluster.shared();
		const { credentials, workflows } = await hooks.before();
		const rest = await cluster.rest();
		await rest.importAll(credentials, workflows, undefined, byCliOn1x({ version: cluster.n8n.version, importWorkflows: async (referenced) => await cluster.importByCli(referenced) }));
		imported = workflows.map((workflow) => String(workflow.id));
		for (const { id } of hooks.publish) await rest.activate(id);
		// n8n 2.40 registers webhooks through its publication service, after the REST call has answered.
		await Promise.all(hooks.publish.flatMap(({ webhook }) => (webhook ? [cluster.waitForWebhook(webhook.path, webhook.method, 90_000)] : [])));
		suite = { cluster, rest };
	}, 10 * 60_000);
	afterAll(async () => {
		try {
			// Every workflow of the suite still published (a test may have published one itself).
			for (const id of imported) {
				if (suite && (await suite.rest.isActive(id).catch(() => false))) await suite.rest.deactivate(id);
			}
		} finally {
			await hooks.after?.();
		}
	}, 120_000);
	return () => {
		if (!suite) throw new Error('The shared queue cluster has not started');
		return suite;
	};
}
