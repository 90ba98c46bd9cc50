// The Page Profile actions' editor fields: which properties, and for Set each property's fields
// (fixed collections, no JSON needed) or one JSON object for everything else.
import type { INodeProperties } from 'n8n-workflow';

import { PROFILE_LIMITS, PROFILE_PROPERTIES, PROFILE_PROPERTY_NAMES, type ProfileProperty } from '../../rules';

const { payload, greetingText, questions, question, menuItems, buttonTitle, domains } = PROFILE_LIMITS;

const forProfile = (operation: string[], more: Record<string, string[]> = {}): INodeProperties['displayOptions'] => ({
	show: { resource: ['pageProfile'], operation, ...more },
});
/** Set's fields of one property: shown when it is chosen and the input is the editor's fields. */
const forSetOf = (property: ProfileProperty): INodeProperties['displayOptions'] => forProfile(['set'], { inputMode: ['fields'], profileProperties: [property] });

const localeField: INodeProperties = {
	displayName: 'Locale',
	name: 'locale',
	type: 'string',
	default: 'default',
	placeholder: 'e.g. en_US',
	description: '"default" (required: shown to everyone whose locale has no entry of its own) or a locale such as en_US, de_DE',
};

const NAME_PLACEHOLDERS = '{{user_first_name}}, {{user_last_name}} and {{user_full_name}} are filled in by Messenger (type them as plain text, not in an expression)';

export const profilePropertiesField: INodeProperties = {
	displayName: 'Properties',
	name: 'profileProperties',
	type: 'multiOptions',
	options: PROFILE_PROPERTY_NAMES.map((value) => ({ name: PROFILE_PROPERTIES[value].name, value })),
	default: [],
	description:
		'Which of the Page’s entry points. Get: empty reads them all. Set: the ones to change (the others stay as they are). Delete: the ones to remove. An Instagram account has only Ice Breakers and Persistent Menu.',
	displayOptions: { ...forProfile(['get', 'set', 'delete']), hide: { inputMode: ['json'] } },
};

export const setFields: INodeProperties[] = [
	{
		displayName: 'Input',
		name: 'inputMode',
		type: 'options',
		options: [
			{ name: 'Using Fields Below', value: 'fields', description: 'Fill in each chosen property' },
			{ name: 'Using JSON', value: 'json', description: 'One JSON object with any of the properties, as the Messenger Profile API takes it' },
		],
		default: 'fields',
		displayOptions: forProfile(['set']),
	},
	{
		displayName: 'Profile (JSON)',
		name: 'profileJson',
		type: 'json',
		default: '{\n  "greeting": [{ "locale": "default", "text": "Hi {{user_first_name}}! How can we help?" }]\n}',
		description: `Any of get_started, greeting, ice_breakers, persistent_menu, whitelisted_domains in Graph's shape; only the ones given are changed. Checked like the fields: greeting ≤ ${greetingText.max}, question ≤ ${question.max}, ${questions.max} questions, ${menuItems.max} menu items, title ≤ ${buttonTitle.max}, payload ≤ ${payload.max}, ${domains.max} https domains.`,
		displayOptions: forProfile(['set'], { inputMode: ['json'] }),
	},
	{
		displayName: 'Get Started Payload',
		name: 'getStartedPayload',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. GET_STARTED',
		description: `What the Messenger Trigger receives (a postback) when a person taps Get Started on the welcome screen, at most ${payload.max} characters`,
		displayOptions: forSetOf('get_started'),
	},
	{
		displayName: 'Greeting',
		name: 'greetings',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Greeting',
		description: `The welcome screen’s text before a person writes, one per locale (a "default" one is required), at most ${greetingText.max} characters. ${NAME_PLACEHOLDERS}.`,
		displayOptions: forSetOf('greeting'),
		options: [
			{
				displayName: 'Greeting',
				name: 'greeting',
				values: [
					localeField,
					{ displayName: 'Text', name: 'text', type: 'string', default: '', placeholder: 'e.g. Hi {{user_first_name}}! How can we help?', description: `At most ${greetingText.max} characters` },
				],
			},
		],
	},
	{
		displayName: 'Ice Breakers',
		name: 'iceBreakers',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Question',
		description: `Questions a person can tap to start the conversation, at most ${questions.max} per locale; a tap reaches the Messenger Trigger as a postback with its payload`,
		displayOptions: forSetOf('ice_breakers'),
		options: [
			{
				displayName: 'Question',
				name: 'iceBreaker',
				values: [
					localeField,
					{ displayName: 'Question', name: 'question', type: 'string', default: '', placeholder: 'e.g. Where is my order?', description: `At most ${question.max} characters` },
					{ displayName: 'Payload', name: 'payload', type: 'string', default: '', placeholder: 'e.g. ORDER_STATUS', description: `At most ${payload.max} characters` },
				],
			},
		],
	},
	{
		displayName: 'Menu Items',
		name: 'menuItems',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Menu Item',
		description: `The persistent menu, at most ${menuItems.max} items per locale (a "default" one is required). On Messenger it needs Get Started: set both, or Get Started first.`,
		displayOptions: forSetOf('persistent_menu'),
		options: [
			{
				displayName: 'Menu Item',
				name: 'menuItem',
				values: [
					localeField,
					{
						displayName: 'Payload',
						name: 'payload',
						type: 'string',
						default: '',
						description: `At most ${payload.max} characters`,
						displayOptions: { show: { type: ['postback'] } },
					},
					{ displayName: 'Title', name: 'title', type: 'string', default: '', description: `At most ${buttonTitle.max} characters` },
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						options: [
							{ name: 'Postback', value: 'postback', description: 'Sends its payload to the Messenger Trigger' },
							{ name: 'URL', value: 'web_url', description: 'Opens a web page' },
						],
						default: 'postback',
					},
					{ displayName: 'URL', name: 'url', type: 'string', default: '', placeholder: 'e.g. https://shop.example/orders', displayOptions: { show: { type: ['web_url'] } } },
					{
						displayName: 'Webview Height',
						name: 'webviewHeightRatio',
						type: 'options',
						options: [
							{ name: 'Compact', value: 'compact' },
							{ name: 'Full', value: 'full' },
							{ name: 'Tall', value: 'tall' },
						],
						default: 'full',
						displayOptions: { show: { type: ['web_url'] } },
					},
				],
			},
		],
	},
	{
		displayName: 'Disable Typing',
		name: 'composerInputDisabled',
		type: 'boolean',
		default: false,
		description: 'Whether to hide the text box in every locale: people can then only tap the menu and buttons (JSON input sets it per locale)',
		displayOptions: forSetOf('persistent_menu'),
	},
	{
		displayName: 'Allowed Domains',
		name: 'allowedDomains',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Domain',
		description: `Domains the Messenger webview and extensions may open (Graph: whitelisted_domains), at most ${domains.max}, each https://`,
		displayOptions: forSetOf('whitelisted_domains'),
		options: [{ displayName: 'Domain', name: 'domain', values: [{ displayName: 'URL', name: 'url', type: 'string', default: '', placeholder: 'e.g. https://shop.example' }] }],
	},
];
