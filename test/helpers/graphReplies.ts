// Answers a test makes the emulator give instead of its own (`server.respondWith = () => …`).
import type { Reply } from '../../emulator/graphEmulator.cjs';

/** Fields of a Graph error besides message, code and subcode (Instagram's differ). */
export interface GraphErrorFields {
	type?: string;
	is_transient?: boolean;
	fbtrace_id?: string;
}

/** A Graph API error answer: HTTP 400, an OAuthException with fbtrace_id AbCdEf123 unless told. */
export function graphError(code: number, subcode?: number, text = 'Graph says no', status = 400, fields: GraphErrorFields = {}): Reply {
	return {
		status,
		body: { error: { message: text, type: 'OAuthException', code, error_subcode: subcode, fbtrace_id: 'AbCdEf123', ...fields } },
	};
}
