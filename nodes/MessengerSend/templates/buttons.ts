import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { SEND_API_LIMITS, type Limit } from '../rules';
import { asText } from '../request/parameters';
import { BUTTON_TYPES, InvalidSendRequest } from '../rules';
import { checkText, requireList, requireObject, requireOneOf, requireText, requireUrl } from './checks';
import { listOf } from './values';

// Buttons, as the button, generic and media templates share them: fields, reading, building, checks.

export type ButtonType = 'web_url' | 'postback' | 'phone_number';

export interface ButtonInput {
	type: ButtonType;
	title: string;
	/** web_url only */
	url?: string;
	/** postback and phone_number only */
	payload?: string;
}

const limits = SEND_API_LIMITS;

/** A Buttons field holding at most `max` buttons (one button without "add more" when `max` is 1). */
export function buttonsField(name: string, displayName: string, max: number, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'fixedCollection',
		typeOptions: { multipleValues: max > 1 },
		default: {},
		placeholder: 'Add Button',
		description,
		options: [
			{
				displayName: 'Button',
				name: 'button',
				values: [
					{
						displayName: 'Payload',
						name: 'payload',
						type: 'string',
						default: '',
						description: `Sent to your webhook when tapped, at most ${limits.postbackPayload.max} characters`,
						displayOptions: { show: { type: ['postback'] } },
					},
					{
						displayName: 'Phone Number',
						name: 'phoneNumber',
						type: 'string',
						default: '',
						placeholder: '+15105551234',
						description: 'The number to call, starting with + and the country code',
						displayOptions: { show: { type: ['phone_number'] } },
					},
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						description: `The button text, at most ${limits.buttonTitle.max} characters`,
					},
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						options: [
							{ name: 'Phone Number', value: 'phone_number', description: 'Calls a phone number' },
							{ name: 'Postback', value: 'postback', description: 'Sends the payload to your webhook' },
							{ name: 'Web URL', value: 'web_url', description: 'Opens a web page' },
						],
						default: 'web_url',
					},
					{
						displayName: 'URL',
						name: 'url',
						type: 'string',
						default: '',
						placeholder: 'https://example.com/order/1042',
						displayOptions: { show: { type: ['web_url'] } },
					},
				],
			},
		],
	};
}

/** `label` names the buttons' place in errors: "Button" or "Element 2 Button"; each is numbered from 1. */
export function readButtons(value: unknown, item: number, label: string): ButtonInput[] {
	return listOf(value, 'button').map((button, index) => {
		const text = (name: string, field: string) => asText(button[name], item, `${label} ${index + 1} ${field}`);
		const type = (text('type', 'Type') || 'web_url') as ButtonType;
		if (type === 'web_url') return { type, title: text('title', 'Title'), url: text('url', 'URL') };
		if (type === 'phone_number') return { type, title: text('title', 'Title'), payload: text('phoneNumber', 'Phone Number') };
		return { type, title: text('title', 'Title'), payload: text('payload', 'Payload') };
	});
}

export function buildButton(button: ButtonInput): IDataObject {
	return button.type === 'web_url'
		? { type: 'web_url', title: button.title, url: (button.url ?? '').trim() }
		: { type: button.type, title: button.title, payload: button.type === 'phone_number' ? (button.payload ?? '').trim() : button.payload ?? '' };
}

/** The fields with their `buttons`, left out when there are none. */
export function withButtons(fields: IDataObject, buttons: ButtonInput[]): IDataObject {
	return buttons.length ? { ...fields, buttons: buttons.map(buildButton) } : fields;
}

/** `label` names the buttons' place: "Button" or "Element 2 Button"; each is numbered from 1. */
export function validateButtons(buttons: unknown, limit: Limit, min: number, label: string, item: number, field = limit.field): void {
	requireList(buttons, limit, min, item, field).forEach((button: unknown, index) => {
		const name = `${label} ${index + 1}`;
		const fields = requireObject(button, name, item);
		requireOneOf(fields.type, BUTTON_TYPES, `${name} Type`, item);
		checkText(fields.title, SEND_API_LIMITS.buttonTitle, `${name} Title`, item);
		if (fields.type === 'web_url') requireUrl(fields.url, `${name} URL`, item);
		else if (fields.type === 'postback') checkText(fields.payload, SEND_API_LIMITS.postbackPayload, `${name} Payload`, item);
		else {
			const number = requireText(fields.payload, `${name} Phone Number`, item);
			if (!/^\+\d+$/.test(number)) {
				throw new InvalidSendRequest(
					`${name} Phone Number in item ${item} is "${number}": use + and the country code, then digits only (e.g. +15105551234)`,
					`${name} Phone Number`,
				);
			}
		}
	});
}
