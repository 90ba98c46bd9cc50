// `POST /{version}/` with `batch`: up to 50 operations run in request order (an operation waits
// for the one it `depends_on`), each answered as an entry. The router hands in how one operation
// is called, so an operation goes through the same edges as a direct request.
import { authenticate } from '../auth.cjs';
import { pathSegments, VERSION, type CallResult, type Credentials, type Graph } from '../graph.cjs';
import { parseOperationBody } from '../requestBody.cjs';
import { graphError, isObject } from '../rules.cjs';
import type { ReceivedRequest } from '../types.cjs';

export const MAX_BATCH_OPERATIONS = 50;

/** One operation below the version prefix, as the router runs it (`viaBatch` true). */
export type OperationCall = (method: string, segments: string[], params: Record<string, unknown>, files: ReceivedRequest['files'], credentials: Credentials) => CallResult;

interface BatchEntry {
	code: number;
	headers?: Array<{ name: string; value: string }>;
	body: string;
}

export function batchCall(graph: Graph, record: ReceivedRequest, credentials: Credentials, call: OperationCall): CallResult {
	const auth = authenticate(graph, credentials, undefined, true);
	if ('result' in auth) return auth.result;
	const { page } = auth;

	const rawBatch = record.body.batch ?? record.query.batch;
	if (rawBatch === undefined || rawBatch === '') return graph.errorResult(graphError(100, '(#100) The parameter batch is required'), page.id);
	let operations: unknown = rawBatch;
	if (typeof rawBatch === 'string') {
		try {
			operations = JSON.parse(rawBatch);
		} catch {
			operations = undefined;
		}
	}
	if (!Array.isArray(operations) || operations.length === 0) {
		return graph.errorResult(graphError(100, '(#100) Param batch must be a JSON array of at least one operation'), page.id);
	}
	if (operations.length > MAX_BATCH_OPERATIONS) {
		return graph.errorResult(graphError(100, `(#100) Too many requests in batch message. Maximum batch size is ${MAX_BATCH_OPERATIONS}`), page.id);
	}
	const includeHeaders = String(record.body.include_headers ?? record.query.include_headers ?? 'true') !== 'false';
	const ops = operations as unknown[];

	const entries: Array<BatchEntry | null> = ops.map(() => null);
	const failed: boolean[] = ops.map(() => false);
	const state: Array<'todo' | 'running' | 'done'> = ops.map(() => 'todo');
	const byName = new Map<string, number>();
	ops.forEach((op, index) => {
		if (isObject(op) && typeof op.name === 'string' && !byName.has(op.name)) byName.set(op.name, index);
	});
	// Mutated inside run(); an object keeps TypeScript from narrowing it to its initial value.
	const batch: { disruption?: 'drop' | 'hold' } = {};
	let notRun = 0;
	const dropped = () => batch.disruption === 'drop';

	// Request order, except that an operation waits for the one it depends on.
	const run = (index: number): void => {
		if (state[index] !== 'todo' || dropped()) return;
		state[index] = 'running';
		const op = ops[index];
		const dependsOn = isObject(op) && op.depends_on !== undefined ? String(op.depends_on) : undefined;
		let result: CallResult | undefined;
		if (dependsOn !== undefined) {
			const parent = byName.get(dependsOn);
			if (parent === undefined) {
				result = graph.errorResult(graphError(100, `(#100) depends_on names an unknown operation '${dependsOn}'`), page.id);
			} else if (state[parent] === 'running') {
				result = graph.errorResult(graphError(100, `(#100) depends_on makes a cycle through operation '${dependsOn}'`), page.id);
			} else {
				run(parent);
				if (dropped()) return;
				if (failed[parent]) {
					// Not a refusal of its own: the operation never ran.
					notRun += 1;
					result = graph.errorResult(graphError(100, `(#100) This operation depends on operation '${dependsOn}', which failed`), page.id, { notRun: true });
				}
			}
		}
		result ??= runOperation(graph, op, record, credentials, call);
		state[index] = 'done';

		if (result.disruption === 'drop') {
			batch.disruption = 'drop';
			return;
		}
		if (result.disruption === 'hold') batch.disruption = 'hold';
		if (result.disruption === 'null') {
			failed[index] = true;
			return;
		}
		failed[index] = result.status !== 200;
		let body = JSON.stringify(result.body);
		if (result.disruption === 'malformed') body = body.slice(0, Math.max(1, Math.floor(body.length / 2)));
		entries[index] = {
			code: result.status,
			...(includeHeaders ? { headers: Object.entries(result.headers).map(([name, value]) => ({ name, value })) } : {}),
			body,
		};
	};
	for (let index = 0; index < ops.length && !dropped(); index += 1) run(index);
	// Counted where the client can see it: in an answer that reaches it whole.
	if (batch.disruption === undefined) graph.notRunCount += notRun;
	// Graph leaves out the answer of a successful operation that another one depends on, unless
	// it says omit_response_on_success: false (its message was delivered all the same).
	const dependedOn = new Set(ops.flatMap((op) => (isObject(op) && op.depends_on !== undefined ? [String(op.depends_on)] : [])));
	ops.forEach((op, index) => {
		if (!isObject(op) || typeof op.name !== 'string' || !dependedOn.has(op.name) || failed[index]) return;
		if (String(op.omit_response_on_success ?? 'true') !== 'false') entries[index] = null;
	});

	return { ...graph.success(entries, page.id), disruption: batch.disruption };
}

/** One operation: its URL, parameters, attached files and credentials, then the router's call. */
function runOperation(graph: Graph, op: unknown, record: ReceivedRequest, top: Credentials, call: OperationCall): CallResult {
	if (!isObject(op)) return graph.errorResult(graphError(100, '(#100) Each batch operation must be an object'));
	const relativeUrl = typeof op.relative_url === 'string' ? op.relative_url.trim() : '';
	if (!relativeUrl) return graph.errorResult(graphError(100, '(#100) Each batch operation needs a relative_url'));
	const method = String(op.method ?? 'GET').toUpperCase();
	const url = new URL(relativeUrl.replace(/^\/+/, ''), 'http://graph.local/');
	let segments = pathSegments(url.pathname);
	if (segments.length > 0 && VERSION.test(segments[0])) segments = segments.slice(1);
	if (segments.length === 0) return graph.errorResult(graphError(100, '(#100) A batch operation cannot be a batch'));
	const params = { ...Object.fromEntries(url.searchParams), ...parseOperationBody(op.body) };

	const files: ReceivedRequest['files'] = {};
	if (op.attached_files !== undefined) {
		for (const name of String(op.attached_files).split(',').map((part) => part.trim()).filter(Boolean)) {
			const file = record.files[name];
			if (!file) return graph.errorResult(graphError(100, `(#100) attached_files names '${name}', which was not uploaded`));
			files.filedata ??= file;
		}
	}

	// An operation may carry its own token; the top-level proof only vouches for the top-level token.
	const token = typeof params.access_token === 'string' ? params.access_token : top.token;
	const sameToken = token === top.token;
	// A proof and its appsecret_time are one pair: an operation's own proof never takes the top-level time.
	const proof =
		typeof params.appsecret_proof === 'string'
			? { proof: params.appsecret_proof, proofTime: typeof params.appsecret_time === 'string' ? params.appsecret_time : undefined }
			: sameToken
				? { proof: top.proof, proofTime: top.proofTime }
				: {};
	const credentials: Credentials = { token, ...proof };
	return call(method, segments, params, files, credentials);
}
