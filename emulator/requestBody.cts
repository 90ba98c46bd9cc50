// Request bodies as the Graph API accepts them: JSON, urlencoded form, or multipart form data.
import type { IncomingHttpHeaders } from 'node:http';

import type { ReceivedRequest } from './types.cjs';

/** Parses a body the way test/helpers/recordingServer.ts does; throws on malformed JSON or multipart. */
export async function parseBody(headers: IncomingHttpHeaders, raw: Buffer): Promise<Pick<ReceivedRequest, 'body' | 'files'>> {
	const type = headers['content-type'] ?? '';
	const body: Record<string, unknown> = {};
	const files: ReceivedRequest['files'] = {};
	if (type.startsWith('multipart/form-data')) {
		// undici's Request parses multipart exactly as a standard server would.
		const form = await new Request('http://local/', { method: 'POST', headers: { 'content-type': type }, body: raw as unknown as BodyInit }).formData();
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
		const parsed: unknown = JSON.parse(raw.toString('utf8'));
		if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) Object.assign(body, parsed);
		else throw new Error('JSON body is not an object');
	} else if (raw.length && type.includes('x-www-form-urlencoded')) {
		for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) body[key] = value;
	}
	return { body, files };
}

/** Fields of a urlencoded batch operation body (or an object body from a JSON client). */
export function parseOperationBody(body: unknown): Record<string, unknown> {
	if (typeof body === 'string') return Object.fromEntries(new URLSearchParams(body));
	if (typeof body === 'object' && body !== null && !Array.isArray(body)) return { ...(body as Record<string, unknown>) };
	return {};
}
