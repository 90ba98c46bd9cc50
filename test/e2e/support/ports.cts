// The ports of the end-to-end suites, in one table: a block per n8n version (so that two versions
// can run side by side), and in it a place per use. n8n's task broker listens on port + 1000 (N8n).
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { N8N_VERSION, type N8nVersion } from '../../../scripts/n8nInstall.cjs';

const VERSION_BLOCKS: Record<N8nVersion, number> = { '2.8.4': 5700, '2.40.7': 5750, '1.123.81': 5800 };

/**
 * Offsets in a version's block. `shared`: the n8n the single-process suites share; `cli`: the CLI
 * suite's `n8n execute` runs (each with a task broker of its own); `restart`: the trigger's restart
 * suite, an `n8n start` of its own (it stops and starts it); `cluster`: the queue-mode cluster's 8
 * ports (main, its broker, two workers' broker and health, Redis, PostgreSQL).
 */
const OFFSETS = {
	shared: 0,
	cli: 10,
	restart: 22,
	cluster: 30,
} as const;

export type PortUse = keyof typeof OFFSETS;

/**
 * E2E_PORT_SHIFT moves every block (e.g. 260): two checkouts can then run their suites on one
 * machine at the same time. Blocks and shifts stay under 1000 apart from the brokers' +1000.
 */
const SHIFT = Number(process.env.E2E_PORT_SHIFT ?? 0);

/** Ports in these blocks that Node's fetch refuses to connect to (the WHATWG "bad ports" list). */
const FETCH_BAD_PORTS = new Set([5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697]);

export function portOf(use: PortUse, version: N8nVersion = N8N_VERSION): number {
	const port = VERSION_BLOCKS[version] + OFFSETS[use] + SHIFT;
	if (FETCH_BAD_PORTS.has(port)) throw new Error(`E2E_PORT_SHIFT=${SHIFT} puts ${use} (n8n ${version}) on port ${port}, which fetch refuses: choose another shift`);
	return port;
}

export function portInUse(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1');
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

/**
 * The `n8n start` processes an aborted run left behind on `port` (n8n runs in a process group of
 * its own and outlives a killed jest): found by command line and N8N_PORT.
 */
function staleN8nProcesses(port: number): Array<{ pid: number; userFolder?: string }> {
	const found: Array<{ pid: number; userFolder?: string }> = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
		try {
			const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
			if (!args.some((arg) => arg.endsWith('/n8n')) || !args.includes('start')) continue;
			const environment = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
			if (!environment.includes(`N8N_PORT=${port}`)) continue;
			const userFolder = environment.find((variable) => variable.startsWith('N8N_USER_FOLDER='))?.slice('N8N_USER_FOLDER='.length);
			found.push({ pid: Number(entry), userFolder });
		} catch {
			// the process ended meanwhile, or is not ours to read
		}
	}
	return found;
}

/** Ends an n8n an aborted run left on `port` and waits until `port` and its broker port are free. */
export async function freeN8nPort(port: number): Promise<void> {
	const stale = staleN8nProcesses(port);
	// n8n was spawned as the leader of its own process group (with its task runner in it).
	const signal = (name: NodeJS.Signals) =>
		stale.forEach(({ pid }) => {
			try {
				process.kill(-pid, name);
			} catch {
				// already gone
			}
		});
	if (stale.length) {
		process.stderr.write(`Stopping n8n (pid ${stale.map(({ pid }) => pid).join(', ')}) left on port ${port} by an aborted run\n`);
		signal('SIGTERM');
	}
	const started = Date.now();
	let killed = false;
	const busy = async () => (await portInUse(port)) || (await portInUse(port + 1000));
	while (await busy()) {
		if (!killed && Date.now() - started > 10_000) {
			signal('SIGKILL');
			killed = true;
		}
		if (Date.now() - started > 20_000) throw new Error(`Port ${port} or ${port + 1000} on 127.0.0.1 is in use by another program: the end-to-end tests need them`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	// Its user folder, if it is one of N8n's temporary ones.
	for (const { userFolder } of stale) {
		if (userFolder && path.dirname(userFolder) === tmpdir() && path.basename(userFolder).startsWith('n8n-messenger-')) {
			rmSync(userFolder, { recursive: true, force: true });
		}
	}
}

/** Fails at once, naming the ports, when another program holds one of them. */
export async function requireFree(ports: number[], who: string): Promise<void> {
	for (const port of ports) {
		if (await portInUse(port)) throw new Error(`Port ${port} on 127.0.0.1 is in use: ${who} needs ${ports.join(', ')}`);
	}
}
