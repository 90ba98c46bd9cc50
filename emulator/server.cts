// The HTTP side: one request at a time in the order their bodies arrived (after any arrival
// jitter), the test's `respondWith` hook before the router, and answers sent after the
// configured latency, or changed as a fault says (dropped, held, cut off).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { JSON_TYPE, type CallResult, type Graph } from './graph.cjs';
import { parseBody } from './requestBody.cjs';
import { graphError } from './rules.cjs';
import type { ReceivedRequest, Reply } from './types.cjs';

export const DEFAULT_TIMEOUT_MS = 120_000;

export interface Handlers {
	/** A Graph request; a Promise when its answer waits for something (a verification call). */
	route(record: ReceivedRequest): CallResult | Promise<CallResult>;
	/** A `/__emulator/*` request: answers on its own, unrecorded. */
	control(record: ReceivedRequest, res: ServerResponse): void;
	/** The test's override of a Graph answer (`respondWith`), asked before the router. */
	override(record: ReceivedRequest, index: number): Reply | 'drop' | undefined;
}

export class GraphServer {
	private server?: Server;

	private baseUrl = '';

	private readonly timers = new Set<NodeJS.Timeout>();

	/** Requests are handled one at a time, in the order their bodies arrived. */
	private queue: Promise<void> = Promise.resolve();

	constructor(
		private readonly graph: Graph,
		private readonly handlers: Handlers,
	) {}

	get url(): string {
		return this.baseUrl;
	}

	async start(port: number, host: string): Promise<string> {
		if (this.server) throw new Error('The emulator is already running');
		const server = createServer((req, res) => this.receive(req, res));
		this.server = server;
		this.graph.hub.resume();
		this.graph.browser.resume();
		try {
			await new Promise<void>((resolve, reject) => {
				server.once('error', reject);
				server.listen(port, host, () => {
					server.off('error', reject);
					resolve();
				});
			});
		} catch (error) {
			this.server = undefined;
			throw error;
		}
		const address = server.address() as AddressInfo;
		const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
		this.baseUrl = `http://${shownHost}:${address.port}`;
		this.graph.baseUrl = this.baseUrl;
		return this.baseUrl;
	}

	async stop(): Promise<void> {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		this.graph.hub.stop();
		this.graph.browser.stop();
		const server = this.server;
		this.server = undefined;
		if (!server) return;
		await new Promise<void>((resolve) => {
			server.close(() => resolve());
			// Held (timeout) answers and keep-alive sockets would otherwise keep close() waiting.
			server.closeAllConnections();
		});
	}

	private receive(req: IncomingMessage, res: ServerResponse): void {
		const chunks: Buffer[] = [];
		let ended = false;
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('close', () => {
			if (!ended) this.graph.cutOffCount++;
		});
		req.on('end', () => {
			ended = true;
			const raw = Buffer.concat(chunks);
			const handle = () => (this.queue = this.queue.then(() => this.handle(req, res, raw)));
			// The way in to Graph varies too: requests sent one after another can be handled out of order.
			const { arrivalJitterMs } = this.graph.options;
			const arrival = arrivalJitterMs ? this.graph.jitterRandom() * arrivalJitterMs : 0;
			if (arrival > 0) setTimeout(handle, arrival);
			else handle();
		});
	}

	private async handle(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
		try {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			let parsed: Pick<ReceivedRequest, 'body' | 'files'> = { body: {}, files: {} };
			let unparsable = false;
			try {
				parsed = await parseBody(req.headers, raw);
			} catch {
				unparsable = true;
			}
			const record: ReceivedRequest = {
				method: req.method ?? '',
				url: req.url ?? '',
				path: url.pathname,
				query: Object.fromEntries(url.searchParams),
				headers: req.headers,
				raw,
				...parsed,
			};
			if (record.path === '/__emulator' || record.path.startsWith('/__emulator/')) {
				this.handlers.control(record, res);
				return;
			}

			const { requests } = this.graph;
			requests.push(record);
			const override = this.handlers.override(record, requests.length - 1);
			if (override === 'drop') {
				this.answer(req, res, { status: 0, body: null, headers: {}, disruption: 'drop' });
				return;
			}
			if (override) {
				this.answer(req, res, { status: override.status, body: override.body, headers: { 'content-type': JSON_TYPE, ...override.headers } });
				return;
			}
			const result = unparsable ? this.graph.errorResult(graphError(100, '(#100) The request body could not be parsed')) : this.handlers.route(record);
			if (result instanceof Promise) {
				// A subscription's verification call can take seconds: the requests behind it do not wait.
				result.then(
					(settled) => this.answer(req, res, settled),
					(error: Error) => emulatorBug(res, error),
				);
				return;
			}
			this.answer(req, res, result);
		} catch (error) {
			emulatorBug(res, error as Error);
		}
	}

	/** Sends the answer after the configured latency; a drop destroys the socket instead. */
	private answer(req: IncomingMessage, res: ServerResponse, result: CallResult): void {
		const { options } = this.graph;
		const jitter = options.jitterMs ? this.graph.jitterRandom() * options.jitterMs : 0;
		let delay = (options.latencyMs ?? 0) + jitter + (options.dateLagMs ?? 0);
		// Dated now, as Graph dates its answer when it has handled the request: the delays come after.
		const date = options.dateLagMs ? new Date().toUTCString() : undefined;
		if (result.disruption === 'hold') delay += options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			if (result.disruption === 'drop') {
				req.socket.destroy();
				return;
			}
			if (res.destroyed) return;
			let body = typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
			// A body cut off mid-way, as a proxy that lost the connection would pass it on.
			if (result.disruption === 'malformed') body = body.slice(0, Math.max(1, Math.floor(body.length / 2)));
			res.writeHead(result.status, date ? { ...result.headers, date } : result.headers);
			res.end(body);
		}, delay);
		this.timers.add(timer);
		res.on('close', () => {
			clearTimeout(timer);
			this.timers.delete(timer);
		});
	}
}

/** A bug in the emulator must be loud, not look like a platform answer. */
export function emulatorBug(res: ServerResponse, error: Error): void {
	if (res.headersSent || res.destroyed) return;
	res.writeHead(500, { 'content-type': JSON_TYPE });
	res.end(JSON.stringify({ error: { message: `Emulator bug: ${error.message}`, type: 'EmulatorError', code: -1 } }));
}
