import { NodeApiError, type INode } from 'n8n-workflow';

import type { GraphError } from '../../shared/graph';
import type { Platform } from '../../shared/platform';
import type { Failure } from '../actions/graphAction';
import { explainGraphError, type Explanation } from './graphErrors';
import { graphWords } from './nodeErrors';

// What a refusal of a Conversation or Person action means and what to change; how it looks in n8n.
// Keyed on Graph's code (and subcode), never on its message text.

/** What a call was for, from its path. */
export type CallKind = 'pass' | 'take' | 'request' | 'release' | 'owner' | 'conversation' | 'profile' | 'pageProfileRead' | 'pageProfileWrite' | 'personas' | 'persona';

export function callKind(failure: Failure): CallKind {
	const { path, method } = failure.call;
	if (path.endsWith('/messenger_profile')) return method === 'GET' ? 'pageProfileRead' : 'pageProfileWrite';
	if (path.endsWith('/personas')) return 'personas';
	if (method === 'DELETE') return 'persona';
	for (const kind of ['pass', 'take', 'request', 'release'] as const) if (path.endsWith(`/${kind}_thread_control`)) return kind;
	if (path.endsWith('/thread_owner')) return 'owner';
	if (path.endsWith('/conversations') || path.endsWith('/messages')) return 'conversation';
	return 'profile';
}

const PERMISSION_CODES = [10, 200, 230];

const ROLE_FIX: Record<'pass' | 'take' | 'request' | 'release', string> = {
	pass: 'Only the app that owns the conversation can pass it. Take it back first, or check who owns it with Get Thread Owner. The target must be an app connected to the Page (Meta Business Suite → Settings → Advanced messaging), e.g. the Page Inbox.',
	take: 'Only the Page’s default app for messaging may take a conversation back. Make this app the default: Meta Business Suite → Settings → Advanced messaging → Conversation routing (or the App Dashboard → Messenger → Settings → the Page’s app roles); the token needs pages_messaging.',
	request: 'Only an app connected to the Page that does not own the conversation can request it. Connect the app to the Page (Meta Business Suite → Settings → Advanced messaging); the token needs pages_messaging.',
	release: 'Only the app that owns the conversation can release it. Check who owns it with Get Thread Owner.',
};

const READ_PERMISSIONS: Record<Platform, string> = {
	messenger: 'pages_messaging, pages_read_engagement and pages_manage_metadata',
	instagram: 'instagram_basic, instagram_manage_messages and pages_manage_metadata',
};

/** A plain explanation and fix for a refusal of one of these calls. */
export function explainConversationError(error: GraphError, kind: CallKind, platform: Platform): Explanation | undefined {
	const code = error.code;
	const permission = code !== undefined && PERMISSION_CODES.includes(code);
	if (kind === 'pageProfileRead' || kind === 'pageProfileWrite' || kind === 'personas' || kind === 'persona') return explainPageError(error, kind, platform, permission);
	if (kind === 'profile' && (permission || error.error_subcode === 2018218 || error.error_subcode === 2018247)) {
		return {
			title: 'The app may not read this person’s profile',
			fix: `The app needs the “Business Asset User Profile Access” feature (App Dashboard → App Review → Permissions and Features; approved by App Review for a live app) and the token ${platform === 'instagram' ? 'instagram_basic and instagram_manage_messages' : 'pages_messaging'}. The person must have written to the Page (a message, Get Started or a plugin) first.`,
			retry: 'no',
		};
	}
	if ((kind === 'conversation' || kind === 'owner') && permission) {
		return {
			title: kind === 'owner' ? 'The app may not read who owns this conversation' : 'The app may not read this conversation',
			fix: `Generate the Page token with ${kind === 'owner' ? 'pages_messaging' : READ_PERMISSIONS[platform]} (App Dashboard → App Review → Permissions and Features for a live app).`,
			retry: 'no',
		};
	}
	if (kind !== 'owner' && kind !== 'conversation' && kind !== 'profile') {
		if (permission || (code !== undefined && code >= 2018300 && code <= 2018399) || (error.error_subcode ?? 0) >= 2018300 && (error.error_subcode ?? 0) <= 2018399) {
			return { title: `This app may not ${kind} this conversation`, fix: ROLE_FIX[kind], retry: 'no' };
		}
		if (code === 100 && kind === 'pass') {
			return {
				title: 'Messenger refused the pass: unknown person or target app',
				fix: 'Check the PSID (it belongs to this Page) and the Target App ID: it must be an app connected to the Page (Meta Business Suite → Settings → Advanced messaging), e.g. the Page Inbox.',
				retry: 'no',
			};
		}
	}
	if (code === 100 && error.error_subcode === undefined && (kind === 'profile' || kind === 'owner' || kind === 'conversation' || kind === 'take' || kind === 'request' || kind === 'release')) {
		return {
			title: 'Messenger does not know this person for this Page',
			fix: 'Check the PSID: it must be the Page-scoped ID (Instagram: IGSID) from this Page’s webhook, of a person who wrote to the Page.',
			retry: 'no',
		};
	}
	return explainGraphError(error);
}

/** The Page's profile and personas: the rate limit of profile writes, permissions; else the general table. */
function explainPageError(error: GraphError, kind: 'pageProfileRead' | 'pageProfileWrite' | 'personas' | 'persona', platform: Platform, permission: boolean): Explanation | undefined {
	if (kind === 'pageProfileWrite' && error.code === 613) {
		return {
			title: 'Meta allows about 10 changes of the Page’s profile per 10 minutes',
			fix: 'Wait and run again; nothing else was changed. The node writes only what differs from what is live, so running again changes only what is still missing.',
			retry: 'no',
		};
	}
	if (permission) {
		const profile = kind === 'pageProfileRead' || kind === 'pageProfileWrite';
		return {
			title: profile ? 'The app may not change or read the Page’s profile' : 'The app may not manage the Page’s personas',
			fix: `Generate the Page token with ${platform === 'instagram' ? 'instagram_basic and instagram_manage_messages' : 'pages_messaging'} (the person generating it needs a task on the Page that allows messaging; App Review for a live app).`,
			retry: 'no',
		};
	}
	return explainGraphError(error);
}

const WHAT: Record<CallKind, string> = {
	pass: 'pass the conversation',
	take: 'take the conversation back',
	request: 'request the conversation',
	release: 'release the conversation',
	owner: 'read who owns the conversation',
	conversation: 'read the conversation',
	profile: 'read the person’s profile',
	pageProfileRead: 'read the Page’s profile',
	pageProfileWrite: 'change the Page’s profile',
	personas: 'list or create the Page’s personas',
	persona: 'delete the persona',
};

/** The item's error: explained, with Graph's ids, never the token (`redact`). */
export function failureError(node: INode, item: number, failure: Failure, platform: Platform, redact: (text: string) => string): NodeApiError {
	const { outcome, note } = failure;
	const kind = callKind(failure);
	if (outcome.kind !== 'refused') {
		const message =
			outcome.kind === 'noAnswer'
				? `No answer from the Graph API at ${outcome.host} (item ${item})`
				: outcome.kind === 'unreadable'
					? `The Graph API answered HTTP ${outcome.statusCode} with a body that is not a Graph answer (item ${item})`
					: `The Graph API did not run the call (item ${item})`;
		const connection = outcome.kind === 'noAnswer' ? (outcome.code ?? null) : null;
		return new NodeApiError(node, { message, connection_error: connection }, {
			message,
			description: [`Could not ${WHAT[kind]}: check the credential’s Graph API Base URL and the network, then run again (running again is safe).`, note].filter(Boolean).join(' '),
			itemIndex: item,
		});
	}
	const { error, statusCode } = outcome;
	const explanation = explainConversationError(error, kind, platform);
	const { said, quoted, safeError } = graphWords(error, redact);
	return new NodeApiError(node, safeError, {
		message: explanation ? `${explanation.title} (item ${item})` : `Messenger refused to ${WHAT[kind]} for item ${item}: ${said}`,
		description: [explanation?.fix, note, quoted].filter(Boolean).join(' '),
		httpCode: String(statusCode),
		itemIndex: item,
	});
}
