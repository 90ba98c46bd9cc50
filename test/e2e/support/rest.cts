// n8n's REST API as the end-to-end suites use it (an owner's session, publishing, executions,
// production webhooks), polling for a state, and n8n's stored run data (the "flatted" format).
/**
 * n8n stores and serves run data in the "flatted" format (JSON with shared and circular references):
 * a JSON array whose first entry is the value; inside objects and arrays every string is the index
 * of another entry, which holds the string itself or the object.
 */
export function unflatten(text: string): unknown {
	const table = JSON.parse(text) as unknown[];
	const revived = new Map<number, unknown>();
	const revive = (index: number): unknown => {
		if (revived.has(index)) return revived.get(index);
		const raw = table[index];
		if (typeof raw !== 'object' || raw === null) return raw;
		const value: Record<string, unknown> | unknown[] = Array.isArray(raw) ? [] : {};
		revived.set(index, value);
		for (const [key, entry] of Object.entries(raw as Record<string, unknown>)) {
			(value as Record<string, unknown>)[key] = typeof entry === 'string' ? revive(Number(entry)) : entry;
		}
		return value;
	};
	return revive(0);
}

export interface OutputItem {
	json: Record<string, unknown>;
	pairedItem?: unknown;
	binary?: Record<string, unknown>;
}

/** The run data of an execution as stored (`data` of an execution, flatted or already parsed). */
export interface StoredRun {
	resultData: {
		error?: { message?: string; description?: string };
		lastNodeExecuted?: string;
		metadata?: Record<string, string>;
		runData: Record<string, Array<{ error?: { message?: string }; data?: { main: Array<OutputItem[] | null> } }>>;
	};
}

export function storedRun(data: unknown): StoredRun {
	return (typeof data === 'string' ? unflatten(data) : data) as StoredRun;
}

/** The output items of a node's last run. */
export function lastOutput(run: StoredRun, node: string): OutputItem[] {
	const runs = run.resultData.runData[node] ?? [];
	return runs[runs.length - 1]?.data?.main[0] ?? [];
}

// ---- n8n's REST API ----

/** The one owner of every n8n the suites start (REST and the editor sign in as them). */
export const OWNER = { email: 'owner@example.com', firstName: 'Olga', lastName: 'Owner', password: 'Exactly-Once-1' };

const BROWSER_ID = 'exactly-once-e2e';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function poll<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000, everyMs = 250): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	for (;;) {
		try {
			const result = await probe();
			if (result !== undefined) return result;
		} catch (error) {
			last = error;
		}
		if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s${last ? ` (${String(last)})` : ''}`);
		await sleep(everyMs);
	}
}

/** An answer's status and body: parsed JSON, or the text when it is not JSON. */
export async function answerOf(response: Response): Promise<{ status: number; json: any }> {
	const text = await response.text();
	try {
		return { status: response.status, json: JSON.parse(text) };
	} catch {
		return { status: response.status, json: text };
	}
}

/** Whether an execution has ended (success, error, crashed, canceled): its run data is complete. */
export const hasEnded = (status: string) => !['new', 'running', 'waiting', 'unknown'].includes(status);

export interface ExecutionSummary {
	id: string;
	status: string;
	mode: string;
	finished: boolean;
	retryOf?: string | null;
	retrySuccessId?: string | null;
}

/** A signed-in owner's session with a running `n8n start` (owner set up on first use). */
export class N8nRest {
	private cookie = '';

	constructor(readonly baseUrl: string) {}

	/** Sets the owner up, once per n8n (the REST routes can answer 404 for a few seconds after start). */
	async setUpOwner(): Promise<void> {
		await poll(
			'POST /rest/owner/setup',
			async () => {
				const response = await fetch(`${this.baseUrl}/rest/owner/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(OWNER) });
				return response.ok ? true : undefined;
			},
			60_000,
			500,
		);
	}

	/** Signs the owner in (set up by `setUpOwner`). */
	async signIn(): Promise<this> {
		// n8n ties the session to the browser ID the login came with. The login route can be mounted
		// after the owner-setup route (seen on 2.40.7): until then Express answers "Cannot POST".
		const login = await poll('POST /rest/login', async () => {
			const response = await fetch(`${this.baseUrl}/rest/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID },
				body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
			});
			if (response.status === 404 && (await response.clone().text()).includes('Cannot POST')) return undefined;
			return response;
		}, 30_000, 500);
		if (!login.ok) throw new Error(`POST /rest/login: ${login.status} ${await login.text()}`);
		this.cookie = login.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
		return this;
	}

	/**
	 * One REST call. n8n mounts its REST controllers one after another after start: until a route's
	 * controller is mounted, Express itself answers "Cannot GET …" (seen on 2.8.4 for /rest/workflows
	 * after login, and on 2.40.7 after a restart): that answer is waited out for up to 30 s, for every caller.
	 */
	async call(method: string, route: string, body?: unknown): Promise<{ status: number; json: any }> {
		const deadline = Date.now() + 30_000;
		for (;;) {
			const response = await fetch(`${this.baseUrl}/rest${route}`, {
				method,
				headers: { 'content-type': 'application/json', cookie: this.cookie, 'browser-id': BROWSER_ID },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			const answer = await answerOf(response);
			const notMountedYet = answer.status === 404 && typeof answer.json === 'string' && answer.json.includes(`Cannot ${method}`);
			if (!notMountedYet || Date.now() >= deadline) return answer;
			await sleep(500);
		}
	}

	private async ok(method: string, route: string, body?: unknown): Promise<any> {
		const { status, json } = await this.call(method, route, body);
		if (status < 200 || status >= 300) throw new Error(`${method} /rest${route}: ${status} ${JSON.stringify(json)}`);
		return json?.data ?? json;
	}

	/**
	 * Creates credentials and workflows as the editor saves them, in a running n8n. Much cheaper than
	 * `n8n import:*`, which boots a whole n8n per call (4–7 CPU seconds; a fifth of the end-to-end CPU
	 * time on the 2-core CI machine). Workflows keep their fixed IDs; credentials get n8n's, and the
	 * workflows' references are rewritten to them, also to those created earlier (`ids`, which gains
	 * the new ones; returned). A credential created earlier under the same fixed ID is updated instead,
	 * as the editor's credential dialog does (an editor already loaded knows it; a new one under that
	 * name would be news to it). n8n 1.x's REST drops a new workflow's `id`: there `byCli` imports the
	 * workflows (one CLI boot instead of two).
	 */
	async importAll(
		credentials: Credential[],
		workflows: Array<Record<string, unknown>>,
		ids = new Map<string, string>(),
		byCli?: (workflows: Array<Record<string, unknown>>) => Promise<void>,
	): Promise<Map<string, string>> {
		for (const { id, name, type, data } of credentials) {
			const known = ids.get(id);
			if (known !== undefined && (await this.call('PATCH', `/credentials/${known}`, { name, type, data })).status === 200) continue;
			ids.set(id, String((await this.created('/credentials', { name, type, data })).id));
		}
		const referenced = workflows.map((workflow) => withCredentialIds(workflow, ids));
		if (!byCli) for (const workflow of referenced) await this.created('/workflows', workflow);
		else if (referenced.length > 0) await byCli(referenced);
		return ids;
	}

	private async created(route: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
		const { status, json } = await this.call('POST', route, body);
		if (status !== 200) throw new Error(`POST /rest${route} (${String(body.name)}): ${status} ${JSON.stringify(json)}`);
		return json.data ?? json;
	}

	/** Publishes (activates) a workflow in the running n8n, as the editor's Publish button does: its webhooks register. */
	async activate(workflowId: string): Promise<void> {
		const workflow = await this.ok('GET', `/workflows/${workflowId}`);
		await this.ok('POST', `/workflows/${workflowId}/activate`, { versionId: workflow.versionId });
	}

	/** Whether a workflow is published (active). */
	async isActive(workflowId: string): Promise<boolean> {
		const workflow = await this.ok('GET', `/workflows/${workflowId}`);
		return Boolean(workflow.active ?? workflow.activeVersionId);
	}

	/** Unpublishes (deactivates) a workflow: n8n removes its webhooks, calling the trigger's `delete`. */
	async deactivate(workflowId: string): Promise<void> {
		await this.ok('POST', `/workflows/${workflowId}/deactivate`, {});
	}

	/** The workflow's executions, newest first. */
	async executions(workflowId: string): Promise<ExecutionSummary[]> {
		const data = await this.ok('GET', `/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=50`);
		return (data.results ?? []).map((row: any) => ({ ...row, id: String(row.id) }));
	}

	/** One execution with its run data. */
	async execution(id: string): Promise<ExecutionSummary & { run: StoredRun; customData?: unknown }> {
		const data = await this.ok('GET', `/executions/${id}`);
		return { ...data, id: String(data.id), run: storedRun(data.data) };
	}

	/** The workflow's executions in a line each (status, mode, the error if any): for a wait's timeout message. */
	async describeExecutions(workflowId: string): Promise<string> {
		const rows = await this.executions(workflowId).catch((error: Error) => error);
		if (rows instanceof Error) return `(executions unreadable: ${rows.message})`;
		if (rows.length === 0) return 'no executions';
		const lines = await Promise.all(
			rows.map(async (row) => {
				const { run } = await this.execution(row.id).catch(() => ({ run: undefined }));
				const nodeErrors = Object.entries(run?.resultData.runData ?? {}).flatMap(([node, runs]) => runs.flatMap((entry) => (entry.error ? [`${node}: ${entry.error.message}`] : [])));
				const errors = [run?.resultData.error?.message, ...nodeErrors].filter(Boolean);
				return `#${row.id} ${row.status} (${row.mode})${errors.length ? `: ${errors.join('; ')}` : ''}`;
			}),
		);
		return lines.join(' | ');
	}

	/** Retries a failed execution with the workflow as it was saved in it; answers when the retry has ended. */
	async retry(id: string): Promise<ExecutionSummary> {
		const data = await this.ok('POST', `/executions/${id}/retry`, { loadWorkflow: false });
		return { ...data, id: String(data.id) };
	}

	/** POSTs to a production webhook (404 while it is not registered yet: nothing ran then). */
	async webhook(path: string, body: unknown): Promise<{ status: number; json: any }> {
		return await poll(`POST /webhook/${path}`, async () => {
			const response = await fetch(`${this.baseUrl}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
			if (response.status === 404) return undefined;
			return await answerOf(response);
		});
	}
}

export interface Credential {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

/** Whether n8n's REST keeps a created workflow's `id` (2.x); 1.x needs `importAll`'s `byCli`. */
export const createsWithId = (version: string) => Number(version.split('.')[0]) >= 2;

/** `importAll`'s `byCli` for an n8n: its CLI import on 1.x, none on 2.x. */
export function byCliOn1x(n8n: { version: string; importWorkflows: (workflows: Array<Record<string, unknown>>) => Promise<void> }): ((workflows: Array<Record<string, unknown>>) => Promise<void>) | undefined {
	return createsWithId(n8n.version) ? undefined : async (workflows) => await n8n.importWorkflows(workflows);
}

/** The workflow with its nodes' credential references changed from the suite's fixed IDs to n8n's. */
function withCredentialIds(workflow: Record<string, unknown>, ids: Map<string, string>): Record<string, unknown> {
	const nodes = (workflow.nodes as Array<Record<string, unknown>>).map((node) => {
		if (!node.credentials) return node;
		const references = Object.entries(node.credentials as Record<string, { id?: string; name: string }>).map(([type, reference]) => [
			type,
			reference.id !== undefined && ids.has(reference.id) ? { ...reference, id: ids.get(reference.id) } : reference,
		]);
		return { ...node, credentials: Object.fromEntries(references) };
	});
	return { ...workflow, nodes };
}

/**
 * The HTTP methods n8n's production webhook `path` is registered for (OPTIONS left out), asked with a
 * CORS preflight: an OPTIONS request with an Origin makes n8n read its webhook table and answer 204 with
 * Access-Control-Allow-Methods, without running anything. The same on n8n 1.x and 2.x, whatever the
 * version logs or however it activates workflows; an empty list while the webhook is not registered.
 * (No Access-Control-Request-Method: with one, n8n 2.x also looks up the webhook's CORS options and
 * fails the request while it is missing.)
 */
export async function registeredWebhookMethods(baseUrl: string, path: string): Promise<string[]> {
	const response = await fetch(`${baseUrl}/webhook/${path}`, { method: 'OPTIONS', headers: { origin: baseUrl } });
	await response.arrayBuffer();
	if (response.status !== 204) return [];
	return (response.headers.get('access-control-allow-methods') ?? '')
		.split(',')
		.map((method) => method.trim().toUpperCase())
		.filter((method) => method !== '' && method !== 'OPTIONS');
}
