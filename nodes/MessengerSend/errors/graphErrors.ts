import type { IDataObject } from 'n8n-workflow';

import type { GraphError } from '../../shared/graph';
import { INSTAGRAM_RULES, RETIRED_TAGS, SEND_API_LIMITS, TAG_RETIREMENT_DATE } from '../rules';

/**
 * - `yes`: temporary; the same request may be sent again after a pause.
 * - `no`: sending again gives the same answer; the request or the setup must change.
 */
export type RetryAdvice = 'yes' | 'no';

export interface Explanation {
	/** What happened, in plain words. */
	title: string;
	/** What the user can do about it. */
	fix: string;
	retry: RetryAdvice;
}

const OUTSIDE_WINDOW: Explanation = {
	title: 'The person is outside the 24-hour messaging window',
	fix: 'Use the Tagged Update operation with the HUMAN_AGENT tag (within 7 days of their last message), or wait until the person writes to the Page again.',
	retry: 'no',
};

const RATE_LIMITED: Explanation = {
	title: 'Messenger’s rate limit was reached',
	fix: 'Send fewer messages per second (text: 300 calls per second per Page; audio and video: 10), or wait a few minutes.',
	retry: 'yes',
};

const TEMPORARY: Explanation = {
	title: 'Messenger had a temporary problem sending the message',
	fix: 'Try again in a moment.',
	retry: 'yes',
};

const MEDIA_UNUSABLE: Explanation = {
	title: 'Messenger could not use the attachment',
	fix: 'Check that the URL is public and answers quickly, that the file type matches the Attachment Type, and that the file is at most 25 MB (images from a URL: 8 MB).',
	retry: 'no',
};

const PERSON_UNAVAILABLE: Explanation = {
	title: 'This person is not available on Messenger',
	fix: 'They may have blocked the Page or deactivated their account. Remove them from your list.',
	retry: 'no',
};

const PERMISSION: Explanation = {
	title: 'The Page access token lacks a permission the Send API needs',
	fix: 'Generate the Page token with the pages_messaging permission, by a person who can message on behalf of the Page, for an app that passed App Review for it.',
	retry: 'no',
};

/** Keyed by "code/subcode" first, then "code", as the Send API reference classifies them. */
const EXPLANATIONS: Record<string, Explanation> = {
	'1200': TEMPORARY,
	'1': { ...TEMPORARY, title: 'The Graph API had an unknown error' },
	'1/99': { title: 'The Graph API had an unknown error', fix: 'Check the request and try again later.', retry: 'no' },
	'1/1357046': {
		title: 'Messenger gave an invalid answer, but the message may have been delivered',
		fix: 'Check the conversation before sending again, to avoid a duplicate.',
		retry: 'no',
	},
	'2': { ...TEMPORARY, title: 'The Graph API service is temporarily unavailable' },
	'4': RATE_LIMITED,
	'17': RATE_LIMITED,
	'32': RATE_LIMITED,
	'341': RATE_LIMITED,
	'613': RATE_LIMITED,
	'613/2018338': {
		title: 'Messenger flagged the sending pattern of this Page (policy warning)',
		fix: 'Review the Messenger Platform policy and slow down proactive messages.',
		retry: 'no',
	},
	'613/1893016': {
		title: 'Messenger flagged the sending pattern of this Page (policy warning)',
		fix: 'Review the Messenger Platform policy and slow down proactive messages.',
		retry: 'no',
	},
	'80006': RATE_LIMITED,
	'10/2018278': OUTSIDE_WINDOW,
	// Instagram's 2534xxx subcodes: this one is in the shared reference; the others are below.
	'10/2534022': {
		...OUTSIDE_WINDOW,
		fix: 'Use the Tagged Update operation with the HUMAN_AGENT tag (within 7 days of their last message; on Instagram it is the only tag accepted), or wait until the person writes again.',
	},
	'10/2018108': {
		title: 'This person can’t receive messages from the Page right now',
		fix: 'They may have turned off messages from the Page. Do not retry.',
		retry: 'no',
	},
	'100/2018001': {
		title: 'No matching user found for this recipient',
		fix: 'Check the ID: a PSID belongs to one Page, so an ID from another Page or app does not work here.',
		retry: 'no',
	},
	'100/2018014': {
		title: 'A message and a sender action were sent in one request',
		fix: 'Send the sender action on its own with the Sender Action operation.',
		retry: 'no',
	},
	'100/2018018': {
		title: 'The message has both text and an attachment',
		fix: 'Send the text and the attachment as two messages.',
		retry: 'no',
	},
	'100/2018034': {
		title: 'The message is empty',
		fix: 'Fill in the Text field, or choose an attachment.',
		retry: 'no',
	},
	'100/2018074': {
		title: 'This attachment ID cannot be used by this Page',
		fix: 'Attachment IDs belong to the Page that uploaded them and expire after 90 days: upload the file again.',
		retry: 'no',
	},
	'100/2018008': MEDIA_UNUSABLE,
	'100/2018047': { ...MEDIA_UNUSABLE, title: 'The attachment’s file type does not match the Attachment Type' },
	'100/2018109': { ...MEDIA_UNUSABLE, title: 'The attachment is too large' },
	'100/2018294': { ...MEDIA_UNUSABLE, title: 'Messenger timed out fetching the video' },
	'100/33': {
		title: 'The Page ID is not the Page of this access token',
		fix: 'Check the Page ID field: "me" is the Page the access token belongs to, or enter that Page’s own ID. The token of one Page cannot send as another, and an ID of a person or a post is not a Page.',
		retry: 'no',
	},
	'100': {
		title: 'The Graph API refused a parameter of the request',
		fix: 'Check the IDs and fields of this item.',
		retry: 'no',
	},
	'190': {
		title: 'The Page access token is invalid or expired',
		fix: 'Generate a new Page access token and paste it into the Messenger Page API credential.',
		retry: 'no',
	},
	'200': PERMISSION,
	'230': PERMISSION,
	'200/1545041': PERSON_UNAVAILABLE,
	'551': PERSON_UNAVAILABLE,
	'10900': {
		title: 'A private reply to this comment or post was already sent',
		fix: 'Only one private reply is allowed per comment or post. Continue in the conversation with the PSID from the webhook.',
		retry: 'no',
	},
	'10903': {
		title: 'A private reply is not allowed for this comment or post',
		fix: 'Private replies must be sent within 7 days, to comments on the Page’s own posts or visitor posts.',
		retry: 'no',
	},
	'2018300': {
		title: 'Another app controls this conversation (handover protocol)',
		fix: 'Take thread control back, or let the app that controls the conversation reply.',
		retry: 'no',
	},
};

/**
 * Instagram answers with 2534xxx subcodes, whatever the code. (uncertain) These and the rule that
 * none is worth sending again come from third-party summaries of Meta's Instagram docs.
 */
const INSTAGRAM_SUBCODES: Record<number, Explanation> = {
	2534014: {
		title: 'No Instagram user found for this recipient',
		fix: 'Check the ID: an IGSID belongs to one Instagram account, so an ID from another account or app, a Messenger PSID or a username does not work here.',
		retry: 'no',
	},
};

function isInstagramSubcode(subcode: number | undefined): subcode is number {
	return subcode !== undefined && subcode >= 2534000 && subcode <= 2534999;
}

/** Any other 2534xxx: Graph's own message (shown with the subcode in the error's description) says why. */
function instagramError(subcode: number): Explanation {
	return (
		INSTAGRAM_SUBCODES[subcode] ?? {
			title: `Instagram refused the message (subcode ${subcode})`,
			fix: 'An Instagram messaging error: Graph’s message below says why. Sending it again gives the same answer.',
			retry: 'no',
		}
	);
}

const REACTION_REFUSED: Explanation = {
	title: 'The reaction was refused',
	fix: `Check the Message ID (the mid from the webhook) and the Reaction: Messenger takes an emoji such as ❤, Instagram the reaction name "${INSTAGRAM_RULES.reaction}".`,
	retry: 'no',
};

const PROOF_REFUSED: Explanation = {
	title: 'The app secret proof was refused',
	fix: 'Check the App Secret in the credential: it must be the secret of the app the token belongs to (or leave it empty if the app does not require it). With App Secret Proof "Time-Stamped", the n8n server’s clock must be right to within 5 minutes.',
	retry: 'no',
};

const TEXT_TOO_LONG: Explanation = {
	title: 'The text is too long for Messenger',
	fix: `Messenger takes fewer than ${SEND_API_LIMITS.text.max + 1} characters (Instagram: ${SEND_API_LIMITS.instagramText.max} bytes of UTF-8). Shorten the Text, or send it as several messages.`,
	retry: 'no',
};

const RETIRED_TAG: Explanation = {
	title: `This message tag was retired by Meta on ${TAG_RETIREMENT_DATE}`,
	fix: 'Meta points to utility templates instead. Within 7 days of the person’s last message, a human agent can use the HUMAN_AGENT tag.',
	retry: 'no',
};

/** A refusal for the rate of sends (not a policy warning): sending slower helps. */
export function isRateLimit(error: GraphError): boolean {
	return explainGraphError(error) === RATE_LIMITED;
}

/** A plain explanation and fix for a Graph error, given the request that caused it. */
export function explainGraphError(error: GraphError, requestBody?: IDataObject): Explanation | undefined {
	const code = error.code;
	if (code === undefined) return undefined;
	if (code === 100 && RETIRED_TAGS.includes(String(requestBody?.tag))) return RETIRED_TAG;
	if (code === 100 && error.error_subcode === undefined && requestBody?.sender_action === 'react') return REACTION_REFUSED;
	// Graph answers a wrong proof with a bare 100; only its message tells it apart.
	if (code === 100 && /appsecret_proof/i.test(error.message ?? '')) return PROOF_REFUSED;
	if (code === 100 && /message\[text\]/i.test(error.message ?? '') && /length|fewer|less than|too long|characters/i.test(error.message ?? '')) return TEXT_TOO_LONG;
	const fromSubcode = error.error_subcode !== undefined ? EXPLANATIONS[`${code}/${error.error_subcode}`] : undefined;
	if (!fromSubcode && isInstagramSubcode(error.error_subcode)) return instagramError(error.error_subcode);
	const explanation = fromSubcode ?? EXPLANATIONS[String(code)];
	if (!explanation && code >= 80000 && code <= 80014) return RATE_LIMITED;
	return explanation;
}
