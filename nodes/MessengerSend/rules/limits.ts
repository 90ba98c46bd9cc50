import { InvalidSendRequest } from './errors';

/** Which platform the credential sends to: Messenger (a Facebook Page) or Instagram. */
import type { Platform } from '../../shared/platform';

/**
 * One documented limit. `at` says what it applies to: the place in the payload, as the schemas
 * (schemas.ts) and the platform checks (platforms.ts) name the places they check. A limit applies
 * wherever its place is checked: adding a limit is adding a row to SEND_API_LIMITS.
 */
export interface Limit {
	/** The field's name as the user sees it in the node. */
	field: string;
	/** Largest accepted value, inclusive. */
	max: number;
	/** What is counted; also how: "characters" (code points), "bytes (UTF-8)", "bytes" (a file), a list's entries, seconds. */
	unit: string;
	/** How the platform words the rule, quoted in errors so users can look it up. */
	rule: string;
	/** The place it applies to, e.g. `message.quick_replies[].title`. */
	at?: string;
	/** Only on this platform (checked before the rules both platforms share, as they are stricter). */
	platform?: Platform;
	/** Only for these attachment types (a file's limit). */
	of?: readonly string[];
}

export const MEGABYTE = 1024 * 1024;

/** The Send API's documented limits, in one place; error messages quote them. */
export const SEND_API_LIMITS = {
	text: { field: 'Text', max: 1999, unit: 'characters', rule: 'message text must be fewer than 2000 characters, counted as Unicode code points: an emoji is one, a flag or a family emoji several', at: 'message.text' },
	metadata: { field: 'Metadata', max: 999, unit: 'characters', rule: 'metadata must be fewer than 1000 characters', at: 'message.metadata' },
	quickReplies: { field: 'Quick Replies', max: 13, unit: 'quick replies', rule: 'a message carries at most 13 quick replies', at: 'message.quick_replies' },
	quickReplyTitle: { field: 'Quick Reply Title', max: 20, unit: 'characters', rule: 'a quick reply title has at most 20 characters', at: 'message.quick_replies[].title' },
	quickReplyPayload: { field: 'Quick Reply Payload', max: 1000, unit: 'characters', rule: 'a quick reply payload has at most 1000 characters', at: 'message.quick_replies[].payload' },
	images: { field: 'Image URLs', max: 30, unit: 'images', rule: 'a message carries at most 30 images', at: 'message.attachments' },
	typingFirstSeconds: { field: 'Show Typing First (Seconds)', max: 20, unit: 'seconds', rule: 'Messenger shows the typing indicator for at most 20 seconds', at: 'typing first' },
	fileSize: { field: 'Input Binary Field', max: 25 * MEGABYTE, unit: 'bytes', rule: 'an attachment file is at most 25 MB', at: 'file' },
	// Templates. Where an element or button is meant, errors name it by its position ("Element 2 Title").
	genericElements: { field: 'Elements', max: 10, unit: 'elements', rule: 'a generic template has 1 to 10 elements', at: 'generic.elements' },
	elementTitle: { field: 'Element Title', max: 80, unit: 'characters', rule: 'an element title has at most 80 characters', at: 'generic.elements[].title' },
	elementSubtitle: { field: 'Element Subtitle', max: 80, unit: 'characters', rule: 'an element subtitle has at most 80 characters', at: 'generic.elements[].subtitle' },
	elementButtons: { field: 'Element Buttons', max: 3, unit: 'buttons', rule: 'a generic template element has at most 3 buttons', at: 'generic.elements[].buttons' },
	templateText: { field: 'Template Text', max: 640, unit: 'characters', rule: 'a button template text has at most 640 characters', at: 'button.text' },
	templateButtons: { field: 'Buttons', max: 3, unit: 'buttons', rule: 'a button template has 1 to 3 buttons', at: 'button.buttons' },
	mediaElements: { field: 'Media', max: 1, unit: 'elements', rule: 'a media template has exactly one element', at: 'media.elements' },
	mediaButtons: { field: 'Button', max: 1, unit: 'buttons', rule: 'a media template has at most one button', at: 'media.elements[].buttons' },
	receiptElements: { field: 'Items', max: 100, unit: 'elements', rule: 'a receipt template has at most 100 elements', at: 'receipt.elements' },
	buttonTitle: { field: 'Button Title', max: 20, unit: 'characters', rule: 'a button title has at most 20 characters', at: 'buttons[].title' },
	postbackPayload: { field: 'Button Payload', max: 1000, unit: 'characters', rule: 'a postback button payload has at most 1000 characters', at: 'buttons[postback].payload' },
	// Instagram (a credential with Platform = Instagram): stricter than Messenger where they differ.
	instagramText: { field: 'Text', max: 1000, unit: 'bytes (UTF-8)', rule: 'Instagram message text is at most 1000 bytes in UTF-8', at: 'message.text', platform: 'instagram' },
	instagramImageSize: { field: 'Input Binary Field', max: 8 * MEGABYTE, unit: 'bytes', rule: 'an Instagram image is at most 8 MB', at: 'file', platform: 'instagram', of: ['image'] },
	instagramFileSize: { field: 'Input Binary Field', max: 25 * MEGABYTE, unit: 'bytes', rule: 'an Instagram audio, video or PDF file is at most 25 MB', at: 'file', platform: 'instagram' },
} satisfies Record<string, Limit>;

const ROWS: readonly Limit[] = Object.values(SEND_API_LIMITS);

/**
 * The limits at a place, in the table's order: without `platform` those every platform shares,
 * with it that platform's own. `type` (an attachment type) picks a file's limits.
 */
export function limitsAt(at: string, platform?: Platform, type?: unknown): Limit[] {
	return ROWS.filter(
		(limit) => limit.at === at && limit.platform === platform && (limit.of === undefined || limit.of.includes(String(type))),
	);
}

/**
 * Characters as a person counts them: emoji and other astral symbols count once (a surrogate
 * pair is one code point). Counted in place: `[...value]` first copied a 64 M-character text into
 * an array of 64 M strings (11 s, 1.6 GB) just to refuse it.
 */
export function countCharacters(value: string): number {
	let count = value.length;
	for (let i = 0; i < value.length - 1; i++) {
		const unit = value.charCodeAt(i);
		// A high surrogate followed by a low one is one character.
		if (unit >= 0xd800 && unit <= 0xdbff) {
			const next = value.charCodeAt(i + 1);
			if (next >= 0xdc00 && next <= 0xdfff) {
				count--;
				i++;
			}
		}
	}
	return count;
}

/** A value's size in the limit's unit: text in characters or UTF-8 bytes, a list's entries, a file's bytes, a number. */
export function sizeOf(value: unknown, limit: Limit): number {
	if (typeof value === 'string') return limit.unit === 'bytes (UTF-8)' ? Buffer.byteLength(value, 'utf8') : countCharacters(value);
	if (Array.isArray(value) || Buffer.isBuffer(value)) return value.length;
	return Number(value);
}

/** Refuses a size over the limit, naming the field (as placed: "Quick Reply 2 Title"), item, size and limit. */
export function checkMax(limit: Limit, size: number, item: number, field = limit.field): void {
	if (size > limit.max) {
		throw new InvalidSendRequest(
			`${field} in item ${item}: ${size} ${limit.unit}, more than the limit of ${limit.max} (${limit.rule})`,
			field,
		);
	}
}

/** Checks a value against every limit at its place; `field` names it as placed, else each limit's own field. */
export function checkLimits(limits: readonly Limit[], value: unknown, item: number, field?: string): void {
	for (const limit of limits) checkMax(limit, sizeOf(value, limit), item, field ?? limit.field);
}
