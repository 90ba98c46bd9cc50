/**
 * The Send API's documented limits, in one place. Validation reads them from here and
 * error messages quote them, so a limit that changes is changed once.
 */
export interface Limit {
	/** The field's name as the user sees it in the node. */
	field: string;
	/** Largest accepted value, inclusive. */
	max: number;
	unit: string;
	/** How the platform words the rule, quoted in errors so users can look it up. */
	rule: string;
}

export const MEGABYTE = 1024 * 1024;

export const SEND_API_LIMITS = {
	text: { field: 'Text', max: 1999, unit: 'characters', rule: 'message text must be fewer than 2000 characters' },
	metadata: { field: 'Metadata', max: 999, unit: 'characters', rule: 'metadata must be fewer than 1000 characters' },
	quickReplies: { field: 'Quick Replies', max: 13, unit: 'quick replies', rule: 'a message carries at most 13 quick replies' },
	quickReplyTitle: { field: 'Quick Reply Title', max: 20, unit: 'characters', rule: 'a quick reply title has at most 20 characters' },
	quickReplyPayload: { field: 'Quick Reply Payload', max: 1000, unit: 'characters', rule: 'a quick reply payload has at most 1000 characters' },
	fileSize: { field: 'Input Binary Field', max: 25 * MEGABYTE, unit: 'bytes', rule: 'an attachment file is at most 25 MB' },
} satisfies Record<string, Limit>;

/** Tags Meta retired on 2026-04-27: the platform answers them with error 100. */
export const RETIRED_TAGS = ['ACCOUNT_UPDATE', 'CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE'];
export const TAG_RETIREMENT_DATE = '2026-04-27';
