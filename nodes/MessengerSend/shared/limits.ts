// The limits and allowed values live in ../rules (limits.ts, values.ts, platforms.ts). This module
// keeps the names other modules import from here, for the time they move to ../rules.
import { INSTAGRAM_ATTACHMENT_TYPE, PLATFORMS, RECIPIENT, type RecipientKey } from '../rules';

export {
	FEEDBACK_FOLLOW_UP_TYPES,
	FEEDBACK_SCORE_OPTIONS,
	MEGABYTE,
	RETIRED_TAGS,
	SEND_API_LIMITS,
	TAG_RETIREMENT_DATE,
	type Limit,
} from '../rules';

/** Each Send API recipient field by the name of the node's field that fills it. */
export const RECIPIENT_LABELS = Object.fromEntries(RECIPIENT.list.map((choice) => [choice.value, choice.name])) as Record<RecipientKey, string>;

const instagram = PLATFORMS.instagram;

/** What Instagram accepts where Messenger accepts more, as its platform profile says (../rules/platforms.ts). */
export const INSTAGRAM_RULES = {
	tags: [...(instagram.tags ?? [])],
	templateTypes: [...(instagram.templateTypes ?? [])],
	quickReplyTypes: [...(instagram.quickReplyTypes ?? [])],
	imageMimeTypes: [...(instagram.fileTypes?.image.mimeTypes ?? [])],
	fileMimeTypes: [...(instagram.fileTypes?.file.mimeTypes ?? [])],
	/** Attachments only Instagram has, by the name the Attachment Type field shows. Messenger has neither. */
	attachmentTypes: Object.fromEntries(INSTAGRAM_ATTACHMENT_TYPE.list.map((choice) => [choice.value, choice.name])) as Record<string, string>,
	// (uncertain) Instagram's reaction is named, not an emoji; not checked before sending (Graph answers).
	reaction: instagram.reaction ?? '',
};
