import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One HTTP request as the server received it. */
export interface ReceivedRequest {
	method: string;
	/** Path and query string, e.g. "/v25.0/me/messages?appsecret_proof=..." */
	url: string;
	path: string;
	query: Record<string, string>;
	headers: IncomingHttpHeaders;
	raw: Buffer;
	/** The JSON body, or for multipart requests the text fields. */
	body: Record<string, unknown>;
	/** Files of a multipart request, by field name. */
	files: Record<string, { fileName: string; mimeType: string; data: Buffer }>;
}

export interface Reply {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

export type Responder = (request: ReceivedRequest, index: number) => Reply | 'drop';

async function parseBody(headers: IncomingHttpHeaders, raw: Buffer) {
	const type = headers['content-type'] ?? '';
	const body: Record<string, unknown> = {};
	const files: ReceivedRequest['files'] = {};
	if (type.startsWith('multipart/form-data')) {
		// undici's Request parses multipart exactly as a standard server would.
		const form = await new Request('http://local/', { method: 'POST', headers: { 'content-type': type }, body: new Uint8Array(raw) }).formData();
		for (const [key, value] of form.entries()) {
			if (typeof value === 'string') body[key] = value;
			else {
				files[key] = {
					fileName: (value as File).name,
					mimeType: value.type,
					data: Buffer.from(await value.arrayBuffer()),
				};
			}
		}
	} else if (raw.length && type.includes('json')) {
		Object.assign(body, JSON.parse(raw.toString('utf8')));
	} else if (raw.length && type.includes('x-www-form-urlencoded')) {
		for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) body[key] = value;
	}
	return { body, files };
}

/** What the Send API answers for an accepted request. */
export const acceptSend: Responder = (request, index) => {
	const recipient = (typeof request.body.recipient === 'string' ? JSON.parse(request.body.recipient) : request.body.recipient) as
		| Record<string, string>
		| undefined;
	const body: Record<string, string> = {};
	if (recipient?.id) body.recipient_id = recipient.id;
	if (request.body.message !== undefined) body.message_id = `m_test_${index + 1}`;
	return { status: 200, body };
};

/** A real HTTP server on 127.0.0.1 (port 0) that records every request and answers via `respond`. */
export class RecordingServer {
	readonly requests: ReceivedRequest[] = [];

	respond: Responder = acceptSend;

	private server?: Server;

	async start(): Promise<string> {
		this.server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', async () => {
				const raw = Buffer.concat(chunks);
				const parsed = new URL(req.url ?? '/', 'http://127.0.0.1');
				const received: ReceivedRequest = {
					method: req.method ?? '',
					url: req.url ?? '',
					path: parsed.pathname,
					query: Object.fromEntries(parsed.searchParams),
					headers: req.headers,
					raw,
					...(await parseBody(req.headers, raw)),
				};
				this.requests.push(received);
				const reply = this.respond(received, this.requests.length - 1);
				if (reply === 'drop') {
					req.socket.destroy();
					return;
				}
				res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
				res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	reset(): void {
		this.requests.length = 0;
		this.respond = acceptSend;
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
	}
}
