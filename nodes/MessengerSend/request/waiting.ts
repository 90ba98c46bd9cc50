import { WAIT_INDEFINITELY, type IDataObject } from 'n8n-workflow';

import { InvalidSendRequest } from '../rules';

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

export type WaitLimit =
	| { type: 'none' }
	| { type: 'afterTimeInterval'; amount: number; unit: 'minutes' | 'hours' | 'days' }
	| { type: 'atSpecifiedTime'; dateTime: string };

const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

/** Until when the execution waits for the answer; a limit in the past or unreadable is refused, naming its field. */
export function waitUntil(limit: WaitLimit, item: number, now = Date.now()): Date {
	if (limit.type === 'none') return WAIT_INDEFINITELY;
	if (limit.type === 'afterTimeInterval') {
		if (!Number.isFinite(limit.amount) || limit.amount <= 0) {
			throw new InvalidSendRequest(`Limit Wait Time Amount in item ${item} is ${limit.amount}: it must be more than 0`, 'Amount');
		}
		return new Date(now + limit.amount * UNIT_MS[limit.unit]);
	}
	const until = new Date(limit.dateTime);
	if (Number.isNaN(until.getTime())) {
		throw new InvalidSendRequest(`Max Date and Time in item ${item} is "${limit.dateTime}": not a date and time`, 'Max Date and Time');
	}
	if (until.getTime() <= now) {
		throw new InvalidSendRequest(`Max Date and Time in item ${item} is ${until.toISOString()}, which has passed: the wait would end at once`, 'Max Date and Time');
	}
	return until;
}

/** What the node outputs: the answer (or that the time ran out) and the ids of the message that asked. */
export interface WaitOutcome {
	approved: boolean | null;
	answer: string | null;
	respondedAt: string | null;
	timedOut: boolean;
	recipient_id: string | null;
	message_id: string | null;
}

/** The output item while waiting: what comes out unchanged when the time runs out (n8n then passes it through). */
export function waitingOutcome(sent: IDataObject): WaitOutcome {
	return {
		approved: null,
		answer: null,
		respondedAt: null,
		timedOut: true,
		recipient_id: typeof sent.recipient_id === 'string' ? sent.recipient_id : null,
		message_id: typeof sent.message_id === 'string' ? sent.message_id : null,
	};
}

export function answeredOutcome(waiting: IDataObject, answer: { approved?: boolean; text?: string }, now = new Date()): WaitOutcome {
	return {
		...waitingOutcome(waiting),
		approved: answer.approved ?? null,
		answer: answer.text ?? null,
		respondedAt: now.toISOString(),
		timedOut: false,
	};
}

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);
}

function page(title: string, body: string): string {
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1c1e21}
textarea{width:100%;min-height:7rem;font:inherit;padding:.5rem;box-sizing:border-box}
button{font:inherit;padding:.6rem 1.2rem;margin-top:.8rem;border:0;border-radius:.4rem;background:#0866ff;color:#fff}
.problem{color:#b3261e}</style></head>
<body>${body}</body></html>`;
}

/** A page that only says something (e.g. to a link-preview fetcher: nothing was recorded). */
export function notePage(title: string, text: string): string {
	return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`);
}

/** The page a person sees after tapping an approval button. */
export function answeredPage(choice: string): string {
	return page('Answer recorded', `<h1>Thank you</h1><p>Your answer <strong>${escapeHtml(choice)}</strong> was recorded. You can close this page and go back to the chat.</p>`);
}

/**
 * The page of a tap that came too late: another tap (the other button, the same one twice, or
 * another person with the link) answered the question first, and only that answer counts.
 * `answer`: the answer that counts (a button's label), or empty (a written answer, not shown).
 */
export function alreadyAnsweredPage(answer: string): string {
	const which = answer ? ` <strong>${escapeHtml(answer)}</strong>` : '';
	return page(
		'Already answered',
		`<h1>Already answered</h1><p>This question was already answered${which}. Only that answer counts: nothing was changed. You can close this page and go back to the chat.</p>`,
	);
}

/** The short form a Free Text button opens; it posts back to the same signed URL. */
export function formPage(title: string, question: string, action: string, problem?: string): string {
	return page(
		title,
		`<h1>${escapeHtml(title)}</h1>${question ? `<p>${escapeHtml(question)}</p>` : ''}${problem ? `<p class="problem">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}"><label for="answer">Your answer</label>
<textarea id="answer" name="answer" required></textarea><button type="submit">Send</button></form>`,
	);
}
