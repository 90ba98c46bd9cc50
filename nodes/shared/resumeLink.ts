// The resume link: how a Send and Wait question's postback button carries n8n's signed resume URL,
// and how the Messenger Trigger hands a tap back to it and reads the answer. Both nodes keep to it.

/**
 * A postback button that resumes a waiting execution carries this before the signed resume URL;
 * the Messenger Trigger recognises it (and asks this n8n to check the signature).
 */
export const RESUME_PAYLOAD_PREFIX = 'n8n-resume:';

export function resumePayload(resumeUrl: string): string {
	return `${RESUME_PAYLOAD_PREFIX}${resumeUrl}`;
}

/** The path of n8n's waiting webhooks (N8N_ENDPOINT_WEBHOOK_WAIT's default), where a waiting execution resumes. */
export const WAITING_WEBHOOK_ENDPOINT = 'webhook-waiting';

/** n8n's resume URL of an execution: `<prefix>/webhook-waiting/<execution id>/<node id>`. */
const RESUME_PATH = new RegExp(`^(.*)/${WAITING_WEBHOOK_ENDPOINT}/(\\d+)/([A-Za-z0-9-]+)$`);

/** The part of a webhook URL's path before n8n's webhook endpoints (e.g. `/n8n` behind a proxy path; usually empty). */
function pathPrefixOf(url: URL): string {
	const match = /^(.*?)\/(?:webhook|webhook-test)\//.exec(url.pathname);
	return match ? match[1] : '';
}

/**
 * The resume URL a postback payload carries, when it is n8n's resume URL of a waiting Send and
 * Wait execution on this n8n: same origin and path prefix as the trigger's own webhook URL, the
 * waiting-webhook path of an execution, and exactly the parameters such a link has (`approved`,
 * `signature`). Anything else (n8n's REST API, another workflow's webhook, another host) is an
 * ordinary postback, never a request sent on.
 */
export function resumeUrlOf(payload: unknown, ownWebhookUrl: string): string | undefined {
	if (typeof payload !== 'string' || !payload.startsWith(RESUME_PAYLOAD_PREFIX)) return undefined;
	const text = payload.slice(RESUME_PAYLOAD_PREFIX.length);
	try {
		const url = new URL(text);
		// n8n writes the link as URL.toString(): one that parsing would change (`..`, escapes) is not one n8n wrote.
		if (url.toString() !== text) return undefined;
		const own = new URL(ownWebhookUrl);
		if (url.origin !== own.origin || url.username || url.password || url.hash) return undefined;
		const path = RESUME_PATH.exec(url.pathname);
		if (!path || path[1] !== pathPrefixOf(own)) return undefined;
		const keys = [...url.searchParams.keys()].sort();
		const approved = url.searchParams.get('approved');
		if (keys.join(',') !== 'approved,signature' || (approved !== 'true' && approved !== 'false') || !url.searchParams.get('signature')) return undefined;
		return url.toString();
	} catch {
		return undefined;
	}
}

/** Sent by the trigger with a handed-back tap: the PSID of the person who tapped. */
export const TAPPED_BY_HEADER = 'x-messenger-tapped-by';

/**
 * Sent by the Send and Wait node with its answer to a tap: `recorded` (resumed), `answered-before`
 * (another tap of the same question won; nothing resumed) or `not-asked`.
 */
export const ANSWER_HEADER = 'x-messenger-send-answer';

/** n8n's own page for a Send and Wait link whose execution has finished (answered before, or timed out). */
const NO_ACTION_REQUIRED = /<title>\s*No action required\s*<\/title>/i;

export type HandBackVerdict =
	/** The Send and Wait node recorded the answer (its header says `recorded`): the tap is swallowed. */
	| { outcome: 'resumed' }
	/** n8n says there is nothing to resume (the question was answered before, or timed out): swallowed too. */
	| { outcome: 'answeredBefore' }
	/** Nothing was resumed: the tap is an ordinary postback, and `why` goes to the log. */
	| { outcome: 'refused'; why: string };

/**
 * What n8n's answer to a handed-back tap means: `resumed` only for a 2xx that is the Send and
 * Wait node's own answer (its header says `recorded`), `answeredBefore` for the node's answer to
 * a tap that another tap beat (`answered-before`) and for n8n's "No action required" page of a
 * finished Send and Wait execution; anything else (a redirect, which is not
 * followed, a page of another kind, a refusal) resumed nothing.
 */
export function handBackVerdict(statusCode: number, headers: Record<string, unknown> | undefined, body?: unknown): HandBackVerdict {
	const answer = String(headers?.[ANSWER_HEADER] ?? '').toLowerCase();
	const ok = statusCode >= 200 && statusCode < 300;
	if (ok && answer === 'recorded') return { outcome: 'resumed' };
	if (ok && answer === 'answered-before') return { outcome: 'answeredBefore' };
	const page = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : '';
	if (ok && NO_ACTION_REQUIRED.test(page)) return { outcome: 'answeredBefore' };
	if (answer === 'not-asked') return { outcome: 'refused', why: `HTTP ${statusCode}: the person who tapped is not the person the question was sent to` };
	if (statusCode >= 300 && statusCode < 400) return { outcome: 'refused', why: `HTTP ${statusCode}: a redirect, not followed` };
	if (ok) return { outcome: 'refused', why: `HTTP ${statusCode}, but not the Send and Wait node's answer to a tap` };
	return { outcome: 'refused', why: `HTTP ${statusCode}: n8n refused the resume link` };
}
