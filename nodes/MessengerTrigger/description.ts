import type { INodeProperties } from 'n8n-workflow';

import type { EventType } from './events';

/**
 * The trigger's versions. 1.1 changed two defaults, so that a new trigger knows who is talking:
 * Handover is one of the default events (a person handed back from the Page Inbox starts the
 * workflow), and standby copies come only as Standby events (never as Other). A workflow saved
 * with version 1 keeps version 1 and so what it had: n8n saves no parameter that is at its
 * default, so a changed default in the same version would add events it never chose.
 */
export const TRIGGER_VERSIONS = [1, 1.1];
export const STANDBY_KIND_SINCE = 1.1;

type EventOption = { name: string; value: EventType; description: string };

const EVENT_OPTIONS: EventOption[] = [
	{ name: 'Delivery', value: 'delivery', description: 'Messenger delivered messages of the Page to the person (message_deliveries)' },
	{
		name: 'Echo (the Page’s Own Messages)',
		value: 'echo',
		description:
			'A message the Page sent, by this app or another (message_echoes); fromHuman is true for a reply the Page’s people wrote in the Page Inbox. Off by default so that a reply does not start the workflow again.',
	},
	{
		name: 'Handover',
		value: 'handover',
		description:
			'A conversation passed, taken or requested between apps, e.g. handed back from the Page Inbox (messaging_handovers): action, newOwnerAppId, previousOwnerAppId, toPageInbox, toThisApp. It has no text: check type before answering.',
	},
	{ name: 'Message', value: 'message', description: 'The person wrote: text, attachments, a reply to a message (messages)' },
	{ name: 'Opt-In', value: 'optin', description: 'The person opted in, e.g. to marketing messages (messaging_optins)' },
	{ name: 'Other', value: 'other', description: 'Anything else a delivery carries (changes, kinds this node does not know yet), with the event as received' },
	{ name: 'Postback', value: 'postback', description: 'The person tapped a postback button, the Get Started button or a persistent menu item (messaging_postbacks)' },
	{ name: 'Quick Reply', value: 'quick_reply', description: 'The person tapped a quick reply: its payload is in quickReplyPayload (messages)' },
	{ name: 'Reaction', value: 'reaction', description: 'The person reacted to a message or removed a reaction (message_reactions)' },
	{ name: 'Read', value: 'read', description: 'The person read the Page’s messages (message_reads; Instagram: messaging_seen)' },
	{ name: 'Referral', value: 'referral', description: 'The person came through an m.me link, an ad or a QR code (messaging_referrals)' },
	{
		name: 'Standby (Context Only)',
		value: 'standby',
		description:
			'What a person sends while another app owns the conversation, e.g. while the Page’s people answer in the Page Inbox (standby): context, not something to answer, the person is talking to someone else. standbyType says what it is.',
	},
];

/** Version 1's list: there, standby copies still come as Other when Standby is not chosen (events.ts asChosen). */
const EVENT_OPTIONS_V1: EventOption[] = EVENT_OPTIONS.map((option) =>
	option.value === 'other'
		? { ...option, description: 'Anything else a delivery carries (standby copies when Standby is not chosen, changes, kinds this node does not know yet), with the event as received' }
		: option,
);

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Subscription',
		name: 'subscription',
		type: 'options',
		options: [
			{
				name: 'Automatic',
				value: 'automatic',
				description: 'On activation, point the app’s webhook at this workflow and subscribe the Page; on deactivation, put both back as they were. Needs the App ID and App Secret in the credential.',
			},
			{
				name: 'Manual',
				value: 'manual',
				description: 'Paste the webhook URL and the verify token into the App Dashboard yourself',
			},
		],
		default: 'automatic',
	},
	{
		displayName:
			'In the App Dashboard (Messenger, or Instagram, → Webhooks): set the Callback URL to this node’s Production URL (Webhook URLs, above) and the Verify Token to the one below, then subscribe the Page to the fields of the events chosen below.',
		name: 'manualNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { subscription: ['manual'] } },
	},
	{
		displayName: 'Verify Token',
		name: 'verifyToken',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		displayOptions: { show: { subscription: ['manual'] } },
		description: 'A text of your choice, entered here and in the App Dashboard: Meta sends it back when it checks the URL, and the trigger answers only when it matches',
	},
	{
		displayName: 'Page ID',
		name: 'pageId',
		type: 'string',
		required: true,
		default: 'me',
		description: 'The Facebook Page (or Instagram account) whose events start the workflow. "me" is the one the access token belongs to.',
	},
	// Events, twice: one field per version, for the default of each (see TRIGGER_VERSIONS).
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: EVENT_OPTIONS_V1,
		default: ['message', 'quick_reply', 'postback'],
		required: true,
		description: 'Which events start the workflow; each event is one output item',
		displayOptions: { show: { '@version': [1] } },
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: EVENT_OPTIONS,
		default: ['message', 'quick_reply', 'postback', 'handover'],
		required: true,
		description: 'Which events start the workflow; each event is one output item, its kind in type (a workflow that answers messages checks it first)',
		displayOptions: { show: { '@version': [{ _cnd: { gte: STANDBY_KIND_SINCE } }] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Replace Another Callback URL',
				name: 'replaceOtherUrl',
				type: 'boolean',
				default: false,
				description:
					'Whether an automatic subscription may point the app’s webhook away from another URL. Meta keeps one callback URL per app; the other URL cannot be restored on deactivation (its verify token cannot be read back).',
			},
		],
	},
];
