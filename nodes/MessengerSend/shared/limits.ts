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

/** Each Send API recipient field by the name of the node's field that fills it. */
export const RECIPIENT_LABELS = {
	id: 'PSID',
	user_ref: 'User Ref',
	comment_id: 'Comment ID',
	post_id: 'Post ID',
	phone_number: 'Phone Number',
} as const;

export const SEND_API_LIMITS = {
	text: { field: 'Text', max: 1999, unit: 'characters', rule: 'message text must be fewer than 2000 characters, counted as Unicode code points: an emoji is one, a flag or a family emoji several' },
	metadata: { field: 'Metadata', max: 999, unit: 'characters', rule: 'metadata must be fewer than 1000 characters' },
	quickReplies: { field: 'Quick Replies', max: 13, unit: 'quick replies', rule: 'a message carries at most 13 quick replies' },
	quickReplyTitle: { field: 'Quick Reply Title', max: 20, unit: 'characters', rule: 'a quick reply title has at most 20 characters' },
	quickReplyPayload: { field: 'Quick Reply Payload', max: 1000, unit: 'characters', rule: 'a quick reply payload has at most 1000 characters' },
	images: { field: 'Image URLs', max: 30, unit: 'images', rule: 'a message carries at most 30 images' },
	typingFirstSeconds: { field: 'Show Typing First (Seconds)', max: 20, unit: 'seconds', rule: 'Messenger shows the typing indicator for at most 20 seconds' },
	fileSize: { field: 'Input Binary Field', max: 25 * MEGABYTE, unit: 'bytes', rule: 'an attachment file is at most 25 MB' },
	// Templates. Where an element or button is meant, errors name it by its position ("Element 2 Title").
	genericElements: { field: 'Elements', max: 10, unit: 'elements', rule: 'a generic template has 1 to 10 elements' },
	elementTitle: { field: 'Element Title', max: 80, unit: 'characters', rule: 'an element title has at most 80 characters' },
	elementSubtitle: { field: 'Element Subtitle', max: 80, unit: 'characters', rule: 'an element subtitle has at most 80 characters' },
	elementButtons: { field: 'Element Buttons', max: 3, unit: 'buttons', rule: 'a generic template element has at most 3 buttons' },
	templateText: { field: 'Template Text', max: 640, unit: 'characters', rule: 'a button template text has at most 640 characters' },
	templateButtons: { field: 'Buttons', max: 3, unit: 'buttons', rule: 'a button template has 1 to 3 buttons' },
	mediaElements: { field: 'Media', max: 1, unit: 'elements', rule: 'a media template has exactly one element' },
	mediaButtons: { field: 'Button', max: 1, unit: 'buttons', rule: 'a media template has at most one button' },
	receiptElements: { field: 'Items', max: 100, unit: 'elements', rule: 'a receipt template has at most 100 elements' },
	buttonTitle: { field: 'Button Title', max: 20, unit: 'characters', rule: 'a button title has at most 20 characters' },
	postbackPayload: { field: 'Button Payload', max: 1000, unit: 'characters', rule: 'a postback button payload has at most 1000 characters' },
	// Instagram (a credential with Platform = Instagram): stricter than Messenger where they differ.
	instagramText: { field: 'Text', max: 1000, unit: 'bytes (UTF-8)', rule: 'Instagram message text is at most 1000 bytes in UTF-8' },
	instagramImageSize: { field: 'Input Binary Field', max: 8 * MEGABYTE, unit: 'bytes', rule: 'an Instagram image is at most 8 MB' },
	instagramFileSize: { field: 'Input Binary Field', max: 25 * MEGABYTE, unit: 'bytes', rule: 'an Instagram audio, video or PDF file is at most 25 MB' },
} satisfies Record<string, Limit>;

/**
 * Customer feedback questions: each score type and the score displays it accepts (the first is
 * Messenger's default), from Meta's template page. The shared reference names the template only;
 * the page's one screen, one question and 1 to 7 days are not checked before sending (uncertain).
 */
export const FEEDBACK_SCORE_OPTIONS: Record<string, string[]> = {
	csat: ['five_stars', 'one_to_five', 'five_emojis'],
	nps: ['zero_to_ten'],
	ces: ['one_to_seven'],
};
export const FEEDBACK_FOLLOW_UP_TYPES = ['free_form'];

/** What Instagram accepts where Messenger accepts more (lists, not sizes: those are above). */
export const INSTAGRAM_RULES = {
	tags: ['HUMAN_AGENT'],
	templateTypes: ['generic', 'button'],
	quickReplyTypes: ['text'],
	imageMimeTypes: ['image/png', 'image/jpeg', 'image/gif'],
	fileMimeTypes: ['application/pdf'],
	/** Attachments only Instagram has, by the name the Attachment Type field shows. Messenger has neither. */
	attachmentTypes: { like_heart: 'Heart Sticker (Instagram)', MEDIA_SHARE: 'Instagram Post (Instagram)' } as Record<string, string>,
	// (uncertain) Instagram's reaction is named, not an emoji; not checked before sending (Graph answers).
	reaction: 'love',
};

/** Tags Meta retired on 2026-04-27: the platform answers them with error 100. */
export const RETIRED_TAGS = ['ACCOUNT_UPDATE', 'CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE'];
export const TAG_RETIREMENT_DATE = '2026-04-27';
