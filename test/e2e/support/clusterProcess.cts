// The parts of a queue-mode cluster (support/cluster.cts): the services' addresses, the block of
// ports, and one n8n process (main or worker) in a process group of its own, logging to a file.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

import { sleep } from 'n8n-workflow';

import { n8nBin } from '../../../scripts/n8nInstall.cjs';
import { stopProcessGroup } from '../../../scripts/n8n.cjs';
import { portOf } from './ports.cjs';

export interface QueueServices {
	dir: string;
	redis: { host: string; port: number; password: string };
	postgres: { host: string; port: number; database: string; user: string; password: string; socketDir: string };
}

export interface QueuePorts {
	main: number;
	mainBroker: number;
	workers: Array<{ broker: number; health: number }>;
	redis: number;
	postgres: number;
}

/**
 * A block of ports from `base` (the version's `cluster` place in support/ports.cts): main, its task
 * broker, a broker and a health port per worker, Redis, PostgreSQL (8 for two workers).
 */
export function queuePorts(workers: number, base = portOf('cluster')): QueuePorts {
	return {
		main: base,
		mainBroker: base + 1,
		workers: Array.from({ length: workers }, (_, index) => ({ broker: base + 2 + 2 * index, health: base + 3 + 2 * index })),
		redis: base + 2 + 2 * workers,
		postgres: base + 3 + 2 * workers,
	};
}

/** One n8n process (main or worker), the leader of its own process group, writing to `logFile`. */
export class N8nProcess {
	private readonly child?: ChildProcess;

	private readonly attachedPid?: number;

	/** Starts `n8n <args>`, or (`args` undefined) takes over the one another suite started (`pid`). */
	constructor(
		readonly name: string,
		readonly logFile: string,
		start: { args: string[]; env: NodeJS.ProcessEnv } | { pid: number },
	) {
		if ('pid' in start) {
			this.attachedPid = start.pid;
			return;
		}
		const log = openSync(logFile, 'a');
		this.child = spawn(n8nBin(), start.args, { env: start.env, stdio: ['ignore', log, log], detached: true });
		closeSync(log);
	}

	/** Where this suite's part of the log starts (a process another suite started has lines of its own). */
	private logStart = 0;

	get log(): string {
		return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8').slice(this.logStart) : '';
	}

	/** From now on, `log` holds only what comes next. */
	markLog(): void {
		this.logStart += this.log.length;
	}

	get pid(): number | undefined {
		return this.child?.pid ?? this.attachedPid;
	}

	get running(): boolean {
		if (this.child) return this.child.exitCode === null && this.child.signalCode === null;
		try {
			process.kill(Number(this.attachedPid), 0);
			return true;
		} catch {
			return false;
		}
	}

	/** Polls `url` until it answers 2xx; fails early when the process exits. */
	async waitForHttp(url: string, timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (!this.running) throw new Error(`${this.name} exited (${this.child?.exitCode ?? this.child?.signalCode}):\n${this.log}`);
			try {
				if ((await fetch(url)).ok) return;
			} catch {
				// not listening yet
			}
			await sleep(500);
		}
		throw new Error(`${this.name}: ${url} did not answer within ${timeoutMs / 1000} s:\n${this.log}`);
	}

	/** SIGTERM to the process group (n8n and its task runners), SIGKILL after `graceMs`. */
	async stop(graceMs = 20_000): Promise<void> {
		const pid = this.pid;
		if (pid !== undefined) await stopProcessGroup(pid, graceMs);
	}
}
