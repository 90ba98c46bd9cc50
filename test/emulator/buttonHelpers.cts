// What the button tests (buttonTaps, buttonForms, buttonTranscript) share: a small web site standing
// in for n8n's waiting webhooks, a URL where nothing listens, button templates (as n8n's Send and
// Wait sends them), and the emulator's control endpoints.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { GraphEmulator } from '../../emulator/graphEmulator.cjs';
import { call, PSID, send, subscribed as subscribedTo } from './helpers.cjs';

// ---- A small web site standing in for n8n's waiting webhooks -------------------------------

export interface SiteRequest {
	method: string;
	url: string;
	headers: IncomingHttpHeaders;
	raw: Buffer;
}

export interface SiteAnswer {
	status?: number;
	headers?: Record<string, string>;
	body?: string | Buffer;
	/** Held this long before answering. */
	delayMs?: number;
}

export interface Site {
	origin: string;
	requests: SiteRequest[];
	/** Default: 200 text/html with a short page naming the path. */
	answer?: (request: SiteRequest) => SiteAnswer | Promise<SiteAnswer>;
	server: Server;
}

const sites: Site[] = [];

afterEach(async () => {
	await Promise.all(
		sites.splice(0).map(
			async (site) =>
				await new Promise<void>((resolve) => {
					site.server.close(() => resolve());
					site.server.closeAllConnections();
				}),
		),
	);
});

export async function startSite(answer?: Site['answer']): Promise<Site> {
	const site: Site = { origin: '', requests: [], answer, server: undefined as unknown as Server };
	site.server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', async () => {
			const request: SiteRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks) };
			site.requests.push(request);
			const given = (await site.answer?.(request)) ?? {};
			const { status = 200, headers = { 'content-type': 'text/html; charset=utf-8' }, body = `<html><body>${request.method} ${request.url}</body></html>`, delayMs = 0 } = given;
			setTimeout(() => {
				if (res.destroyed) return;
				res.writeHead(status, headers);
				res.end(body);
			}, delayMs);
		});
	});
	sites.push(site);
	await new Promise<void>((resolve) => site.server.listen(0, '127.0.0.1', resolve));
	site.origin = `http://127.0.0.1:${(site.server.address() as AddressInfo).port}`;
	return site;
}

/** A URL where nothing listens. */
export async function closedUrl(): Promise<string> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return `http://127.0.0.1:${port}/gone`;
}

// ---- Sends ---------------------------------------------------------------------------------

export type Button = Record<string, string>;

export function buttonTemplate(text: string, buttons: Button[], extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		recipient: { id: PSID },
		messaging_type: 'RESPONSE',
		message: { attachment: { type: 'template', payload: { template_type: 'button', text, buttons } }, ...extra },
	};
}

/** What n8n's "Send and Wait for Response" (approval) sends: two signed resume URLs. */
export function approvalButtons(origin: string, executionId = '123'): Button[] {
	const resume = `${origin}/webhook-waiting/${executionId}/node-1`;
	return [
		{ type: 'web_url', url: `${resume}?approved=true&signature=sig-approve-${executionId}`, title: 'Approve' },
		{ type: 'web_url', url: `${resume}?approved=false&signature=sig-decline-${executionId}`, title: 'Decline' },
	];
}

export async function sent(emulator: GraphEmulator, body: Record<string, unknown>): Promise<string> {
	const answer = await send(emulator, body);
	expect(answer.status).toBe(200);
	return answer.body.message_id as string;
}

/** An emulator and a receiver with the app and the Page subscribed to messages and postbacks (or `fields`). */
export async function subscribed(fields = 'messages,messaging_postbacks') {
	return await subscribedTo(fields);
}

/** POST /__emulator/… as a test over HTTP would (no token). */
export async function control(emulator: GraphEmulator, path: string, body: Record<string, unknown>) {
	return await call(emulator, `/__emulator/${path}`, body, { token: null });
}
