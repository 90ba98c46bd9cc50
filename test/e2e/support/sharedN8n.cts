// One `n8n start` per n8n version, shared by the single-process suites and the editor suites of a
// jest run: the first suite that asks starts it, the others attach to it, jest's global teardown
// (support/globalTeardown.cts) stops it. Each suite imports its own credentials and workflows into it
// (fixed IDs, distinct across suites), publishes what it needs and unpublishes it again afterwards.
// A suite run alone starts it itself: nothing else changes.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

import { N8N_VERSION, type N8nVersion } from '../../../scripts/n8nInstall.cjs';
import { N8n, NO_TASK_RUNNER } from '../../../scripts/n8n.cjs';
import { freeN8nPort, portOf } from './ports.cjs';
import { byCliOn1x, N8nRest, type Credential } from './rest.cjs';
import { fixtureState, runDir, writeFixtureState } from './runState.cjs';

/** What every suite's workflows may need of the shared n8n (n8n's defaults, said once). */
const SHARED_ENV = { ...NO_TASK_RUNNER, EXECUTIONS_DATA_SAVE_ON_ERROR: 'all', EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all' };

/** A suite's view of the shared n8n. */
export class SharedN8n {
	private readonly logStart: number;

	readonly imported: string[] = [];

	constructor(
		readonly n8n: N8n,
		readonly rest: N8nRest,
		/** The run-state key of this shared n8n (its process). */
		private readonly stateKey = `n8n-${n8n.version}-${String(n8n.pid)}`,
	) {
		this.logStart = n8n.log.length;
	}

	get url(): string {
		return this.n8n.url;
	}

	get port(): number {
		return this.n8n.port;
	}

	/** What n8n logged since this suite attached (other suites' lines left out). */
	get log(): string {
		return this.n8n.log.slice(this.logStart);
	}

	/** Imports credentials and workflows into the running n8n (see `N8nRest.importAll`). */
	async import(credentials: Credential[], workflows: Array<Record<string, unknown>> = []): Promise<void> {
		// The IDs n8n gave the run's suites' credentials, kept for the run: a suite's credential with
		// the fixed ID of an earlier suite's is that credential, updated (see `N8nRest.importAll`).
		const key = `${this.stateKey}-credentials`;
		const ids = new Map(Object.entries(fixtureState<Record<string, string>>(key) ?? {}));
		await this.rest.importAll(credentials, workflows, ids, byCliOn1x(this.n8n));
		writeFixtureState(key, Object.fromEntries(ids));
		for (const { id } of credentials) this.credentialIds.set(id, ids.get(id) as string);
		this.imported.push(...workflows.map((workflow) => String(workflow.id)));
	}

	/** n8n's ID of a credential this suite imported under `fixedId`. */
	credentialId(fixedId: string): string {
		return this.credentialIds.get(fixedId) ?? fixedId;
	}

	private readonly credentialIds = new Map<string, string>();

	/** Unpublishes every workflow this suite imported that is still published: the next suite finds n8n as it was. */
	async cleanUp(): Promise<void> {
		for (const id of this.imported) {
			if (await this.rest.isActive(id).catch(() => false)) await this.rest.deactivate(id);
		}
	}
}

interface SharedState {
	pid: number;
	userFolder: string;
	port: number;
}

/**
 * Whether the running n8n answers /healthz within a minute (on the busy CI machine one slow answer
 * is not a dead n8n); the reason when it does not.
 */
async function unhealthy(n8n: N8n): Promise<string | undefined> {
	let reason = '';
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		try {
			const response = await fetch(`${n8n.url}/healthz`, { signal: AbortSignal.timeout(15_000) });
			if (response.ok) return undefined;
			reason = `/healthz answered ${response.status}`;
		} catch (error) {
			reason = `/healthz: ${String((error as { cause?: unknown }).cause ?? error)}`;
		}
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
	return reason;
}

/** The running shared n8n of `version`, started if there is none yet; signed in as the owner. */
export async function sharedN8n(version: N8nVersion = N8N_VERSION): Promise<SharedN8n> {
	const key = `n8n-${version}`;
	const state = fixtureState<SharedState>(key);
	let folder = path.join(runDir(), key);
	if (state) {
		const n8n = new N8n({ userFolder: state.userFolder, port: state.port, env: SHARED_ENV, version }).attach(state.pid);
		const reason = await unhealthy(n8n);
		if (!reason) return new SharedN8n(n8n, await new N8nRest(n8n.url).signIn());
		process.stderr.write(`The shared n8n ${version} (pid ${state.pid}) does not answer (${reason}): starting another\n${n8n.log.slice(-3000)}\n`);
		await n8n.stop();
		// A new user folder: the old one has an owner already, and whatever broke the old n8n.
		folder = `${folder}-${Date.now()}`;
	}
	const port = portOf('shared', version);
	await freeN8nPort(port);
	if (!existsSync(folder)) mkdirSync(folder, { recursive: true });
	const n8n = new N8n({ userFolder: folder, port, env: SHARED_ENV, version }).prepare();
	try {
		await n8n.start();
	} catch (error) {
		// Not yet in the run's state, so the global teardown would not stop it.
		await n8n.stop();
		throw error;
	}
	writeFixtureState<SharedState>(key, { pid: Number(n8n.pid), userFolder: n8n.userFolder, port });
	const rest = new N8nRest(n8n.url);
	await rest.setUpOwner();
	return new SharedN8n(n8n, await rest.signIn());
}

export interface SuiteImports {
	credentials: Credential[];
	workflows?: Array<Record<string, unknown>>;
}

/**
 * A suite's hooks around the shared n8n: before all, `before` (e.g. the suite's emulator started)
 * gives what to import, and it is imported; after all, the suite's workflows are unpublished, then
 * `after` runs (e.g. the emulator stopped: unpublishing a trigger still talks to it). Returns the
 * suite's view, for use inside tests and hooks.
 */
export function useSharedN8n(hooks: { before: () => Promise<SuiteImports> | SuiteImports; after?: () => Promise<void> }): () => SharedN8n {
	let shared: SharedN8n | undefined;
	beforeAll(async () => {
		shared = await sharedN8n();
		const { credentials, workflows } = await hooks.before();
		await shared.import(credentials, workflows ?? []);
	}, 20 * 60_000);
	afterAll(async () => {
		try {
			await shared?.cleanUp();
		} finally {
			await hooks.after?.();
		}
	}, 120_000);
	return () => {
		if (!shared) throw new Error('The shared n8n has not started');
		return shared;
	};
}
