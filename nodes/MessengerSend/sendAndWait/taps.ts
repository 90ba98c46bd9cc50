// Which tap answers a question: the first of simultaneous taps, only the person asked, never a
// link preview. Pure: the webhook (answer.ts) holds the claims and reads the request.

/**
 * How long a tap that answered a question keeps other taps of it from answering too. Taps that
 * arrive together all find the execution waiting (n8n reads its status before calling the node),
 * so the first one must hold the question until n8n has moved the execution on; after that n8n
 * itself answers later taps ("No action required"). Bounded, so that an answer n8n failed to
 * resume with does not leave the question unanswerable for longer than this.
 */
export const ANSWER_HOLD_MS = 60_000;

/** A question being answered: which answer won (a button's label; empty for a written answer), until when it holds. */
export interface AnswerClaim {
	answer: string;
	until: number;
}

/** One question: the waiting execution, the node, and the message that asked (a loop asks anew with a new message). */
export function answerKey(executionId: string, nodeId: string, messageId: unknown): string {
	return `${executionId}|${nodeId}|${String(messageId ?? '')}`;
}

/**
 * Which of several taps answers a question: the first to claim it. `claims` is what this n8n
 * process knows of questions being answered; expired claims are dropped on the way. Returns
 * undefined when this tap won (its claim is now recorded), or the claim that stands (another tap
 * answered first: this one must record nothing and send nothing). Synchronous: two taps cannot
 * both check before either records.
 */
export function claimAnswer(claims: Map<string, AnswerClaim>, key: string, answer: string, now: number, holdMs = ANSWER_HOLD_MS): AnswerClaim | undefined {
	for (const [other, claim] of claims) if (claim.until <= now) claims.delete(other);
	const standing = claims.get(key);
	if (standing) return standing;
	claims.set(key, { answer, until: now + holdMs });
	return undefined;
}

/**
 * Whether a tap may answer the question: a tap handed back by the trigger names who tapped, who
 * must be the person asked (a forwarded question, or a group, must not answer for them). A tap
 * in a browser (Link buttons) names nobody: the signed link is what counts there.
 */
export function tapAllowed(askedRecipientId: unknown, tappedBy: unknown): boolean {
	const tapper = Array.isArray(tappedBy) ? tappedBy[0] : tappedBy;
	if (tapper === undefined || tapper === '') return true;
	return typeof askedRecipientId === 'string' && askedRecipientId !== '' && tapper === askedRecipientId;
}

/**
 * User agents of link-preview fetchers: chat apps, social networks and search engines that GET a
 * link to show a card before (or without) anyone tapping it. Matched as case-insensitive
 * substrings of the User-Agent. Keep it maintained: a fetcher missing here records an answer
 * nobody gave. Sources: each service's published crawler documentation.
 */
export const LINK_PREVIEW_AGENTS: readonly string[] = [
	'facebookexternalhit', // Facebook, Messenger, Instagram (also iMessage pretends to be it)
	'facebot',
	'meta-externalagent',
	'whatsapp',
	'slackbot', // Slack's link expander
	'slack-imgproxy',
	'telegrambot',
	'discordbot',
	'twitterbot', // X / Twitter cards
	'linkedinbot',
	'bingbot', // Bing, also the preview of Microsoft apps
	'bingpreview',
	'microsoftpreview', // Teams, Outlook
	'skypeuripreview',
	'applebot', // Apple (Siri, Spotlight, iMessage)
	'googlebot',
	'google-inspectiontool',
	'googleother',
	'adsbot-google',
	'pinterestbot',
	'pinterest/',
	'redditbot',
	'embedly',
	'iframely',
	'mastodon', // every Mastodon server fetches the links of a post it receives
	'viber',
	'snapchat',
	'vkshare',
	'yandexbot',
	'duckduckbot',
	'bitlybot',
	'tumblr',
	'outbrain',
	'quora link preview',
	'nuzzel',
	'w3c_validator',
];

/** Substrings of the User-Agent too generic to list per service: crawlers name themselves so. */
const GENERIC_AGENT = /\bbot\b|crawler|spider|preview/i;

/** A header value as one lowercase text (n8n gives header lists as arrays). */
function headerText(value: unknown): string {
	return (Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : '').toLowerCase();
}

/**
 * Whether a request comes from a link-preview fetcher or a browser's prefetch rather than the
 * person: such a GET of an approval link must not count as a tap. Prefetches say so in
 * `Sec-Purpose: prefetch` (Chrome's speculation rules), `Purpose: prefetch` / `X-Purpose:
 * preview` (older Chrome, Safari) or `X-Moz: prefetch` (Firefox). `headers`: n8n's header data
 * (names in lowercase).
 */
export function isLinkPreview(headers: Record<string, unknown>): boolean {
	const agent = headerText(headers['user-agent']);
	if (agent && (LINK_PREVIEW_AGENTS.some((name) => agent.includes(name)) || GENERIC_AGENT.test(agent))) return true;
	const purposes = ['sec-purpose', 'purpose', 'x-purpose', 'x-moz'].map((name) => headerText(headers[name]));
	return purposes.some((purpose) => /\b(prefetch|preview|prerender)\b/.test(purpose));
}
