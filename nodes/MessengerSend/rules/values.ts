import type { INodePropertyOptions } from 'n8n-workflow';

/**
 * Every allowed value of the Send API, one list per enum. The TypeScript unions, the editor's
 * options and the checks are derived from these lists: a new value is one line here.
 * A list keeps the order error messages quote ("use one of ..."); the editor shows it sorted by name.
 */
export interface Choice {
	readonly value: string;
	/** The editor's name; a choice without one is allowed but not offered in the editor. */
	readonly name?: string;
	readonly description?: string;
}

export interface Choices<T extends readonly Choice[]> {
	readonly list: T;
	/** The allowed values, in the list's order. */
	readonly values: ReadonlyArray<T[number]['value']>;
	/** The editor's options: the named choices, sorted by name. */
	readonly options: INodePropertyOptions[];
}

export function optionsOf(list: readonly Choice[]): INodePropertyOptions[] {
	return list
		.filter((choice): choice is Choice & { name: string } => choice.name !== undefined)
		.map(({ name, value, description }) => (description === undefined ? { name, value } : { name, value, description }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

export function choices<const T extends readonly Choice[]>(list: T): Choices<T> {
	return { list, values: list.map((choice) => choice.value), options: optionsOf(list) };
}

/** Whether two types are the same; with Assert, a compile-time check that a hand-written union follows a value list. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type Assert<T extends true> = T;

/** The value type of a list of choices. */
export type ValueOf<C extends Choices<readonly Choice[]>> = C['values'][number];

export const MESSAGING_TYPE = choices([
	{ value: 'RESPONSE', name: 'Response', description: 'A reply to a message the person sent in the last 24 hours' },
	{
		value: 'UPDATE',
		name: 'Update',
		description: 'A message you start (not a reply), still within 24 hours of the person’s last message',
	},
	// Set by the Tagged Update operation, not chosen in the Messaging Type field.
	{ value: 'MESSAGE_TAG' },
	{
		value: 'UTILITY',
		name: 'Utility',
		description:
			'A utility message (an order or account update, usually a template), also outside the 24-hour window. Needs the pages_utility_messaging permission.',
	},
] as const);
export type MessagingType = ValueOf<typeof MESSAGING_TYPE>;

export const NOTIFICATION_TYPE = choices([
	{ value: 'REGULAR', name: 'Regular', description: 'Sound or vibration' },
	{ value: 'SILENT_PUSH', name: 'Silent Push', description: 'On-screen notification only' },
	{ value: 'NO_PUSH', name: 'No Push', description: 'No notification' },
] as const);
export type NotificationType = ValueOf<typeof NOTIFICATION_TYPE>;

/** Tags Meta retired on this date: the platform answers them with error 100. */
export const TAG_RETIREMENT_DATE = '2026-04-27';

/** A message tag; `retired` ones are sent anyway, so Messenger's answer can be explained. */
interface TagChoice extends Choice {
	readonly retired?: true;
}

const TAG_LIST = [
	{
		value: 'HUMAN_AGENT',
		name: 'Human Agent',
		description:
			'A human agent answers within 7 days of the person’s last message. Needs the Human Agent permission (App Review). The only tag Instagram accepts.',
	},
	{
		value: 'CUSTOMER_FEEDBACK',
		name: 'Customer Feedback',
		description: 'A customer feedback survey (feedback template only), within 7 days of the person’s last message',
	},
	{ value: 'ACCOUNT_UPDATE', name: 'Account Update', description: 'A non-recurring update to an account or application', retired: true },
	{
		value: 'CONFIRMED_EVENT_UPDATE',
		name: 'Confirmed Event Update',
		description: 'A reminder or update for an event the person registered for',
		retired: true,
	},
	{
		value: 'POST_PURCHASE_UPDATE',
		name: 'Post Purchase Update',
		description: 'A receipt, shipping status or needed action on an order',
		retired: true,
	},
] as const satisfies readonly TagChoice[];

/** Every documented tag; the editor marks the retired ones. */
export const MESSAGE_TAG: Choices<typeof TAG_LIST> = {
	...choices(TAG_LIST),
	options: optionsOf(
		TAG_LIST.map((tag: TagChoice) =>
			tag.retired
				? {
						value: tag.value,
						name: `${tag.name} (Retired)`,
						description: `${tag.description}. Retired by Meta on ${TAG_RETIREMENT_DATE}: the platform refuses it.`,
					}
				: tag,
		),
	),
};
export type MessageTag = ValueOf<typeof MESSAGE_TAG>;
export const RETIRED_TAGS: string[] = TAG_LIST.filter((tag: TagChoice) => tag.retired).map((tag) => tag.value);

export const SENDER_ACTION = choices([
	{
		value: 'typing_on',
		name: 'Typing On',
		description: 'Show the typing indicator (for up to 20 seconds, or until the next message)',
	},
	{ value: 'typing_off', name: 'Typing Off', description: 'Hide the typing indicator' },
	{ value: 'mark_seen', name: 'Mark Seen', description: 'Show the person’s last message as seen' },
	{ value: 'react', name: 'React', description: 'Add an emoji reaction to a message' },
	{ value: 'unreact', name: 'Unreact', description: 'Remove the Page’s reaction from a message' },
] as const);
export type SenderAction = ValueOf<typeof SENDER_ACTION>;

/** Files an attachment can carry (the editor's list everywhere a file is sent or uploaded). */
export const MEDIA_TYPE = choices([
	{ value: 'image', name: 'Image', description: 'JPG, PNG or GIF' },
	{ value: 'audio', name: 'Audio' },
	{ value: 'video', name: 'Video' },
	{ value: 'file', name: 'File', description: 'Any document, such as a PDF' },
] as const);
export type MediaType = ValueOf<typeof MEDIA_TYPE>;

/** The attachment types both platforms accept: a file, or a template. */
export const ATTACHMENT_TYPE = choices([
	...MEDIA_TYPE.list,
	{
		value: 'template',
		name: 'Template',
		description: 'A structured message built from fields: buttons, a carousel, media, a receipt, or JSON',
	},
] as const);

/** Attachments only Instagram has (its platform profile accepts them), named as the Send API names them. */
export const INSTAGRAM_ATTACHMENT_TYPE = choices([
	{ value: 'like_heart', name: 'Heart Sticker (Instagram)', description: 'A heart sticker. Needs a credential with Platform Instagram.' },
	{
		value: 'MEDIA_SHARE',
		name: 'Instagram Post (Instagram)',
		description: 'Shares a post of the Instagram account that sends. Needs a credential with Platform Instagram.',
	},
] as const);
export type InstagramAttachmentType = ValueOf<typeof INSTAGRAM_ATTACHMENT_TYPE>;

export const QUICK_REPLY_TYPE = choices([
	{ value: 'text', name: 'Text', description: 'A button with a title; tapping it sends the payload to your webhook' },
	{ value: 'user_phone_number', name: 'User Phone Number', description: 'Offers the phone number from the person’s profile' },
	{ value: 'user_email', name: 'User Email', description: 'Offers the email address from the person’s profile' },
] as const);
export type QuickReplyContentType = ValueOf<typeof QUICK_REPLY_TYPE>;

/** Each Send API recipient field, named as the node's field that fills it. */
export const RECIPIENT = choices([
	{ value: 'id', name: 'PSID' },
	{ value: 'user_ref', name: 'User Ref' },
	{ value: 'comment_id', name: 'Comment ID' },
	{ value: 'post_id', name: 'Post ID' },
	{ value: 'phone_number', name: 'Phone Number' },
] as const);
export type RecipientKey = ValueOf<typeof RECIPIENT>;

// Templates: the values their checks accept (the editor's template fields are the templates' own).
export const TEMPLATE_TYPES = ['generic', 'button', 'media', 'receipt', 'customer_feedback'] as const;
export const BUTTON_TYPES = ['web_url', 'postback', 'phone_number'] as const;
export const MEDIA_TEMPLATE_TYPES = ['image', 'video'] as const;
export const IMAGE_ASPECT_RATIOS = ['horizontal', 'square'] as const;
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
