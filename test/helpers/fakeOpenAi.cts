// A small local stand-in for OpenAI's Chat Completions API, so a real n8n AI Agent with n8n's
// OpenAI Chat Model node can run end to end without a network or a model. The test scripts the
// model's turns (a tool call, then a final text) and reads back every request the agent sent:
// the tools it offered and the tool results it passed back.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** A tool as the agent offers it to the model (OpenAI's `tools[]` entry). */
export interface OfferedTool {
	type: string;
	function: { name: string; description?: string; parameters?: JsonSchema; strict?: boolean };
}

export interface JsonSchema {
	type?: string;
	properties?: Record<string, JsonSchema & { description?: string }>;
	required?: string[];
	[key: string]: unknown;
}

export interface ChatMessage {
	role: string;
	content?: string | null | Array<{ type: string; text?: string }>;
	tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
	tool_call_id?: string;
	name?: string;
}

export interface ChatCompletionRequest {
	model: string;
	messages: ChatMessage[];
	tools?: OfferedTool[];
	stream?: boolean;
	[key: string]: unknown;
}

export interface RecordedRequest {
	method: string;
	path: string;
	headers: IncomingMessage['headers'];
	/** The parsed JSON body (undefined for a GET). */
	body?: ChatCompletionRequest;
}

/** What the model says on one turn: call tools, or answer with text. */
export type ModelTurn = { toolCalls: Array<{ name: string; arguments: Record<string, unknown> }> } | { text: string };

/** Decides a turn from the request (so a test can look at the offered tools first). */
export type TurnScript = (request: ChatCompletionRequest, turn: number) => ModelTurn;

export class FakeOpenAi {
	/** Every request received, in order (chat completions, model lists, anything else). */
	readonly requests: RecordedRequest[] = [];

	/** Tool call IDs issued, in order, so a test can match the tool results to them. */
	readonly toolCallIds: string[] = [];

	private server?: Server;

	private baseUrl = '';

	private turn = 0;

	constructor(
		private readonly script: TurnScript[],
		readonly modelId = 'fake-chat-model',
	) {}

	/** The base URL to put in the `openAiApi` credential (it ends in /v1, like OpenAI's). */
	get url(): string {
		return `${this.baseUrl}/v1`;
	}

	/** Only the chat completion requests, in order. */
	get chatRequests(): ChatCompletionRequest[] {
		return this.requests.flatMap((request) => (request.body && request.path.endsWith('/chat/completions') ? [request.body] : []));
	}

	async start(): Promise<string> {
		const server = createServer((req, res) => {
			this.receive(req, res).catch((error: Error) => this.send(res, 500, { error: { message: error.message, type: 'fake_error' } }));
		});
		this.server = server;
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(0, '127.0.0.1', () => resolve());
		});
		const address = server.address();
		if (address === null || typeof address === 'string') throw new Error('The fake OpenAI is not listening on a TCP port');
		this.baseUrl = `http://127.0.0.1:${address.port}`;
		return this.url;
	}

	async stop(): Promise<void> {
		const server = this.server;
		this.server = undefined;
		if (!server) return;
		// Keep-alive sockets from n8n's HTTP client would otherwise keep close() waiting.
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	reset(): void {
		this.requests.length = 0;
		this.toolCallIds.length = 0;
		this.turn = 0;
	}

	private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const path = (req.url ?? '/').split('?')[0];
		const raw = await readBody(req);
		const body = raw.length > 0 ? (JSON.parse(raw) as ChatCompletionRequest) : undefined;
		this.requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body });

		if (req.method === 'GET' && (path === '/models' || path === '/v1/models')) {
			this.send(res, 200, { object: 'list', data: [{ id: this.modelId, object: 'model', created: 0, owned_by: 'fake' }] });
			return;
		}
		if (req.method !== 'POST' || (path !== '/chat/completions' && path !== '/v1/chat/completions') || !body) {
			// OpenAI's shape for an unknown route: the client surfaces the message, so a wrong setup
			// (e.g. the Responses API left on) names itself in the failed execution.
			this.send(res, 404, { error: { message: `The fake OpenAI has no ${req.method} ${path}`, type: 'invalid_request_error' } });
			return;
		}
		if (body.stream === true) {
			// n8n 2.8.4's agent asks for `stream: false` outside a streaming chat trigger; a client that
			// streams would need server-sent events, which this fake does not speak: say so instead.
			this.send(res, 400, { error: { message: 'The fake OpenAI does not stream (stream: true)', type: 'invalid_request_error' } });
			return;
		}
		// 400, not 5xx: the OpenAI client retries 5xx answers, which would hide the extra turn.
		const step = this.script[this.turn];
		if (!step) {
			this.send(res, 400, { error: { message: `The fake OpenAI has no turn ${this.turn + 1} scripted`, type: 'fake_error' } });
			return;
		}
		const turn = step(body, this.turn);
		this.turn += 1;
		this.send(res, 200, this.completion(body, turn));
	}

	private completion(request: ChatCompletionRequest, turn: ModelTurn) {
		const message =
			'text' in turn
				? { role: 'assistant', content: turn.text }
				: {
						role: 'assistant',
						content: null,
						tool_calls: turn.toolCalls.map((call) => {
							const id = `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
							this.toolCallIds.push(id);
							return { id, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.arguments) } };
						}),
					};
		return {
			id: `chatcmpl-${randomUUID()}`,
			object: 'chat.completion',
			created: Math.floor(Date.now() / 1000),
			model: request.model,
			choices: [{ index: 0, message, logprobs: null, finish_reason: 'text' in turn ? 'stop' : 'tool_calls' }],
			usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
		};
	}

	private send(res: ServerResponse, status: number, body: unknown): void {
		const text = JSON.stringify(body);
		res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
		res.end(text);
	}
}

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

/** The text of a message's content, whether a string or a list of text parts. */
export function messageText(message: ChatMessage): string {
	if (typeof message.content === 'string') return message.content;
	if (Array.isArray(message.content)) return message.content.map((part) => part.text ?? '').join('');
	return '';
}
