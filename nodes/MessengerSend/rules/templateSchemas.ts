import type { IDataObject } from 'n8n-workflow';

import {
	checkFields,
	fieldsOf,
	isFacebookUrl,
	list,
	matching,
	number,
	object,
	oneOf,
	required,
	shape,
	text,
	url,
	wholeNumber,
	type Check,
} from './combinators';
import { InvalidSendRequest } from './errors';
import {
	BUTTON_TYPES,
	FEEDBACK_FOLLOW_UP_TYPES,
	FEEDBACK_SCORE_OPTIONS,
	IMAGE_ASPECT_RATIOS,
	MEDIA_TEMPLATE_TYPES,
	TEMPLATE_TYPES,
} from './values';

/**
 * The template payloads' schemas, composed of the same checks as the message's. They check a
 * template's payload however it was made (fields or JSON). The templates' own folder may take
 * them over, one schema beside each template type; until then they live here.
 */

/** A button, named by its place: "Button 2", "Element 1 Button 3". */
function button(value: unknown, name: string, item: number): void {
	const fields = object(value, name, item);
	oneOf(BUTTON_TYPES)(fields.type, `${name} Type`, item);
	text('buttons[].title')(fields.title, `${name} Title`, item);
	if (fields.type === 'web_url') url(fields.url, `${name} URL`, item);
	else if (fields.type === 'postback') text('buttons[postback].payload')(fields.payload, `${name} Payload`, item);
	else {
		matching(/^\+\d+$/, 'use + and the country code, then digits only (e.g. +15105551234)')(fields.payload, `${name} Phone Number`, item);
	}
}

/** A list of buttons at `at`: the list's field ends in "Buttons" or "Button", each button is "<...> Button <n>". */
export function buttons(at: string, min: number): Check<void[]> {
	return list((value, position, item, field) => button(value, `${field.replace(/s$/, '')} ${position}`, item), { min, at });
}

const defaultAction = shape([
	['type', 'Type', oneOf(['web_url'])],
	['url', 'URL', url],
]);

const genericElement = shape([
	['title', 'Title', text('generic.elements[].title')],
	['subtitle?', 'Subtitle', text('generic.elements[].subtitle')],
	['image_url?', 'Image URL', url],
	['default_action?', 'Default Action', defaultAction],
	['buttons', 'Buttons', buttons('generic.elements[].buttons', 0)],
]);

function checkGeneric(payload: IDataObject, item: number): void {
	checkFields(
		[
			['image_aspect_ratio?', 'Image Aspect Ratio', oneOf(IMAGE_ASPECT_RATIOS)],
			['elements', 'Elements', list((value, position, at) => genericElement(value, `Element ${position}`, at), { min: 1, at: 'generic.elements' })],
		],
		payload,
		'',
		item,
	);
}

function checkMedia(payload: IDataObject, item: number): void {
	const [element] = list((value) => value, { min: 1, at: 'media.elements' })(payload.elements, 'Media', item);
	const fields = object(element, 'Media', item);
	oneOf(MEDIA_TEMPLATE_TYPES)(fields.media_type, 'Media Type', item);
	const sources = ['url', 'attachment_id'].filter((key) => fields[key] !== undefined);
	if (sources.length !== 1) {
		throw new InvalidSendRequest(
			`Media in item ${item} needs exactly one of an attachment ID or a Facebook URL, found ${sources.length ? sources.join(', ') : 'none'}`,
			'Media Source',
		);
	}
	if (fields.attachment_id !== undefined) required(fields.attachment_id, 'Media Attachment ID', item);
	else {
		const address = required(fields.url, 'Media URL', item);
		if (!isFacebookUrl(address)) {
			throw new InvalidSendRequest(
				`Media URL in item ${item} is not a Facebook URL: "${address}" (a media template takes only media posted on Facebook; use an attachment ID for other files)`,
				'Media URL',
			);
		}
	}
	buttons('media.elements[].buttons', 0)(fields.buttons, 'Button', item);
}

/** Fields of an object named on their own, not after the object ("Total Cost", not "Summary Total Cost"). */
function flat(fields: Parameters<typeof checkFields>[0]): Check<IDataObject> {
	return (value, field, item) => {
		const checked = object(value, field, item);
		checkFields(fields, checked, '', item);
		return checked;
	};
}

const receipt: Parameters<typeof checkFields>[0] = [
	['recipient_name', 'Recipient Name', required],
	['order_number', 'Order Number', required],
	['currency', 'Currency', required],
	['payment_method', 'Payment Method', required],
	['merchant_name?', 'Merchant Name', required],
	['timestamp?', 'Timestamp', (value, field, item) => required(String(value), field, item)],
	[
		'summary',
		'Summary',
		flat([
			['total_cost', 'Total Cost', number],
			['subtotal?', 'Subtotal', number],
			['shipping_cost?', 'Shipping Cost', number],
			['total_tax?', 'Total Tax', number],
		]),
	],
	[
		'address?',
		'Address',
		shape([
			['street_1', 'Street 1', required],
			['city', 'City', required],
			['postal_code', 'Postal Code', required],
			['state', 'State', required],
			['country', 'Country', required],
		]),
	],
	[
		'adjustments?',
		'Adjustments',
		list(
			(value, position, item) =>
				shape([
					['name', 'Name', required],
					['amount', 'Amount', number],
				])(value, `Adjustment ${position}`, item),
			{ min: 0 },
		),
	],
	[
		'elements',
		'Items',
		list(
			(value, position, item) =>
				shape([
					['title', 'Title', required],
					['price', 'Price', number],
					['quantity?', 'Quantity', number],
					['image_url?', 'Image URL', url],
				])(value, `Receipt Item ${position}`, item),
			{ min: 0, at: 'receipt.elements' },
		),
	],
];

/** A customer feedback question: its score type, and the score display that type accepts. */
function question(value: unknown, position: number, item: number): void {
	const fields = object(value, `Question ${position}`, item);
	checkFields(
		[
			['id?', 'Question ID', required],
			['type', 'Score Type', oneOf(Object.keys(FEEDBACK_SCORE_OPTIONS))],
			['title?', 'Question', required],
			['score_option?', `Score Display (for ${String(fields.type)})`, (option, field, at) => oneOf(FEEDBACK_SCORE_OPTIONS[fields.type as string])(option, field, at)],
			[
				'follow_up?',
				'Comment',
				flat([
					['type', 'Comment Type', oneOf(FEEDBACK_FOLLOW_UP_TYPES)],
					['placeholder?', 'Comment Placeholder', required],
				]),
			],
		],
		fields,
		'',
		item,
	);
}

/**
 * The customer feedback survey. Checked: what the node needs to build a sane request and the score
 * types and displays of Meta's template page. Not checked (uncertain, not in the shared reference):
 * one screen with one question, 1 to 7 days, a required privacy policy — Messenger answers those.
 */
const customerFeedback: Parameters<typeof checkFields>[0] = [
	['title', 'Survey Title', required],
	['subtitle?', 'Survey Subtitle', required],
	['button_title?', 'Button Title', required],
	[
		'feedback_screens',
		'Feedback Screens',
		list(
			(screen, position, item) =>
				list(question, { min: 1 })(object(screen, `Feedback Screen ${position}`, item).questions, 'Questions', item),
			{ min: 1 },
		),
	],
	['business_privacy?', 'Privacy Policy', (value, field, item) => url(object(value, field, item).url, `${field} URL`, item)],
	['expires_in_days?', 'Expires After (Days)', wholeNumber(1, 'use a whole number of days')],
];

/** The template payload, for every template type (also when it came as JSON). */
export function checkTemplate(payload: IDataObject, request: { body: IDataObject }, item: number): void {
	oneOf(TEMPLATE_TYPES)(payload.template_type, 'Template Type', item);
	switch (payload.template_type) {
		case 'generic':
			return checkGeneric(payload, item);
		case 'button':
			text('button.text')(payload.text, 'Template Text', item);
			buttons('button.buttons', 1)(payload.buttons, 'Buttons', item);
			return;
		case 'media':
			return checkMedia(payload, item);
		case 'receipt':
			return checkFields(receipt, payload, '', item);
		default:
			if (request.body.tag !== 'CUSTOMER_FEEDBACK') {
				throw new InvalidSendRequest(
					`Template Type in item ${item} is customer_feedback: send it with Tagged Update and the tag CUSTOMER_FEEDBACK`,
					'Template Type',
				);
			}
			return checkFields(customerFeedback, fieldsOf(payload), '', item);
	}
}
