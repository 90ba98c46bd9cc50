// The Graph API as both nodes reach it: the credential's target, its URLs, and how an answer reads.
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

export const CREDENTIAL_TYPE = 'messengerPageApi';

/** The Graph API as the credential describes it. */
export interface GraphTarget {
	baseUrl: string;
	version: string;
}

/** The `error` object of a Graph API error response. */
export interface GraphError {
	message?: string;
	type?: string;
	code?: number;
	error_subcode?: number;
	error_user_title?: string;
	error_user_msg?: string;
	fbtrace_id?: string;
	is_transient?: boolean;
}

export type GraphOutcome =
	| { kind: 'sent'; statusCode: number; body: IDataObject }
	| { kind: 'refused'; statusCode: number; error: GraphError; regainAccessMs?: number }
	/** An answer that is not a Graph JSON object (a proxy's error page, a cut-off body). */
	| { kind: 'unreadable'; statusCode: number }
	/** No answer. `requestLeft`: the request may have reached Messenger (reset, timeout). */
	| { kind: 'noAnswer'; host: string; code?: string; requestLeft: boolean }
	/** A batch operation that Graph did not run (a null entry): it can be sent again safely. */
	| { kind: 'notRun' };

/** The Graph API the credential points at (its defaults where a field was left empty). */
export function graphTarget(credentials: ICredentialDataDecryptedObject): GraphTarget {
	return { baseUrl: String(credentials.baseUrl || 'https://graph.facebook.com'), version: String(credentials.apiVersion || 'v25.0') };
}

/**
 * The text without the slashes at its end (and, with `leading`, at its start). A loop, not
 * /\/+$/: that regular expression starts a scan to the end at every slash of a long run, so a
 * Base URL of 100 000 slashes before a last character took seconds of n8n's event loop.
 */
export function withoutEdgeSlashes(text: string, leading = false): string {
	let start = 0;
	let end = text.length;
	while (end > 0 && text.charCodeAt(end - 1) === 0x2f) end--;
	while (leading && start < end && text.charCodeAt(start) === 0x2f) start++;
	return text.slice(start, end);
}

export function graphUrl(target: GraphTarget, path: string): string {
	const base = withoutEdgeSlashes(target.baseUrl.trim());
	const version = withoutEdgeSlashes(target.version.trim(), true);
	return `${base}/${version}/${path}`;
}

/** Minutes from `X-Business-Use-Case-Usage`, the longest any entry asks to wait. */
export function regainAccessMs(headers: IDataObject | undefined): number | undefined {
	const raw = headers?.['x-business-use-case-usage'];
	if (typeof raw !== 'string') return undefined;
	try {
		const usage = JSON.parse(raw) as Record<string, Array<{ estimated_time_to_regain_access?: number }>>;
		const minutes = Object.values(usage)
			.flat()
			.map((entry) => Number(entry.estimated_time_to_regain_access ?? 0));
		return Math.max(0, ...minutes) * 60_000;
	} catch {
		return undefined;
	}
}

/** Reads one Graph answer (a whole response, or one batch entry) into an outcome. */
export function readAnswer(statusCode: number, body: unknown, headers?: IDataObject): GraphOutcome {
	let parsed = body;
	if (typeof parsed === 'string') {
		try {
			parsed = JSON.parse(parsed);
		} catch {
			parsed = undefined;
		}
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { kind: 'unreadable', statusCode };
	const error = (parsed as { error?: unknown }).error;
	if (statusCode >= 400 || error) {
		const graphError = typeof error === 'object' && error !== null ? (error as GraphError) : {};
		return {
			kind: 'refused',
			statusCode,
			error: { message: `The Graph API answered HTTP ${statusCode}`, ...graphError },
			regainAccessMs: regainAccessMs(headers),
		};
	}
	return { kind: 'sent', statusCode, body: parsed as IDataObject };
}

export function safeParse(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
