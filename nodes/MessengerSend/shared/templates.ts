import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { showOnlyFor } from './displayOptions';
import { FEEDBACK_SCORE_OPTIONS, SEND_API_LIMITS } from './limits';
import { asText, readText } from './parameters';
import { InvalidSendRequest } from './validation';

// Structured messages (`attachment.type = "template"`), built from editor fields or from JSON.
// The fields are read at the edge (`readTemplate`), the payload is built by a pure function
// (`buildTemplate`), and validation.ts checks the built payload like any other request.

export type ButtonType = 'web_url' | 'postback' | 'phone_number';

export interface ButtonInput {
	type: ButtonType;
	title: string;
	/** web_url only */
	url?: string;
	/** postback and phone_number only */
	payload?: string;
}

export interface GenericElementInput {
	title: string;
	subtitle?: string;
	imageUrl?: string;
	defaultActionUrl?: string;
	buttons: ButtonInput[];
}

export interface ReceiptElementInput {
	title: string;
	subtitle?: string;
	quantity?: unknown;
	price: unknown;
	currency?: string;
	imageUrl?: string;
}

export interface ReceiptAddressInput {
	street1: string;
	street2?: string;
	city: string;
	postalCode: string;
	state: string;
	country: string;
}

export interface ReceiptInput {
	templateType: 'receipt';
	recipientName: string;
	orderNumber: string;
	currency: string;
	paymentMethod: string;
	/** Numbers, or whatever an expression gave: validation refuses anything else. */
	totalCost: unknown;
	subtotal?: unknown;
	shippingCost?: unknown;
	totalTax?: unknown;
	merchantName?: string;
	timestamp?: string;
	address?: ReceiptAddressInput;
	adjustments: Array<{ name: string; amount: unknown }>;
	elements: ReceiptElementInput[];
}

export interface MediaTemplateInput {
	templateType: 'media';
	mediaType: string;
	source: 'attachmentId' | 'url';
	value: string;
	buttons: ButtonInput[];
}

export interface CustomerFeedbackInput {
	templateType: 'customer_feedback';
	title: string;
	subtitle?: string;
	buttonTitle: string;
	questionId: string;
	/** csat, nps or ces */
	questionType: string;
	/** Empty: Messenger shows its own question, translated for the person. */
	questionTitle?: string;
	scoreOption: string;
	/** Set when the person may add a comment after the score. */
	commentPlaceholder?: string;
	privacyUrl: string;
	expiresInDays: unknown;
}

export type TemplateInput =
	| { templateType: 'generic'; imageAspectRatio: string; elements: GenericElementInput[] }
	| { templateType: 'button'; text: string; buttons: ButtonInput[] }
	| MediaTemplateInput
	| ReceiptInput
	| CustomerFeedbackInput
	| { templateType: 'json'; payload: IDataObject };

// ---- Editor fields ------------------------------------------------------------------------

const limits = SEND_API_LIMITS;

function buttonsField(name: string, displayName: string, max: number, description: string): INodeProperties {
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

const genericFields: INodeProperties[] = [
	{
		displayName: 'Elements',
		name: 'elements',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Element',
		description: `The cards of the carousel, 1 to ${limits.genericElements.max}`,
		options: [
			{
				displayName: 'Element',
				name: 'element',
				values: [
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						description: `At most ${limits.elementTitle.max} characters`,
					},
					{
						displayName: 'Subtitle',
						name: 'subtitle',
						type: 'string',
						default: '',
						description: `Optional, at most ${limits.elementSubtitle.max} characters`,
					},
					{
						displayName: 'Image URL',
						name: 'imageUrl',
						type: 'string',
						default: '',
						description: 'Optional picture of the card',
					},
					{
						displayName: 'Default Action URL',
						name: 'defaultActionUrl',
						type: 'string',
						default: '',
						description: 'Optional page opened when the card itself is tapped',
					},
					buttonsField('buttons', 'Buttons', limits.elementButtons.max, `At most ${limits.elementButtons.max} buttons on the card`),
				],
			},
		],
	},
	{
		displayName: 'Image Aspect Ratio',
		name: 'imageAspectRatio',
		type: 'options',
		options: [
			{ name: 'Horizontal', value: 'horizontal', description: '1.91:1' },
			{ name: 'Square', value: 'square', description: '1:1' },
		],
		default: 'horizontal',
	},
];

const buttonTemplateFields: INodeProperties[] = [
	{
		displayName: 'Template Text',
		name: 'templateText',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: `The text above the buttons, at most ${limits.templateText.max} characters`,
	},
	buttonsField('buttons', 'Buttons', limits.templateButtons.max, `1 to ${limits.templateButtons.max} buttons`),
];

const mediaFields: INodeProperties[] = [
	{
		displayName: 'Media Type',
		name: 'mediaType',
		type: 'options',
		options: [
			{ name: 'Image', value: 'image' },
			{ name: 'Video', value: 'video' },
		],
		default: 'image',
	},
	{
		displayName: 'Media Source',
		name: 'mediaSource',
		type: 'options',
		options: [
			{ name: 'Attachment ID', value: 'attachmentId', description: 'An attachment_id from an earlier upload' },
			{ name: 'Facebook URL', value: 'url', description: 'The URL of a photo or video posted on Facebook' },
		],
		default: 'attachmentId',
	},
	{
		displayName: 'Media Attachment ID',
		name: 'mediaAttachmentId',
		type: 'string',
		default: '',
		displayOptions: { show: { mediaSource: ['attachmentId'] } },
	},
	{
		displayName: 'Media URL',
		name: 'mediaUrl',
		type: 'string',
		default: '',
		placeholder: 'https://www.facebook.com/photo.php?fbid=123',
		description: 'A Facebook URL of the media (any other URL is refused by Messenger)',
		displayOptions: { show: { mediaSource: ['url'] } },
	},
	buttonsField('mediaButton', 'Button', limits.mediaButtons.max, 'An optional button under the media'),
];

const receiptFields: INodeProperties[] = [
	{ displayName: 'Recipient Name', name: 'recipientName', type: 'string', default: '' },
	{ displayName: 'Order Number', name: 'orderNumber', type: 'string', default: '', description: 'Unique for each receipt' },
	{ displayName: 'Currency', name: 'currency', type: 'string', default: 'USD', description: 'ISO 4217 code, e.g. USD or EUR' },
	{ displayName: 'Payment Method', name: 'paymentMethod', type: 'string', default: '', placeholder: 'Visa 2345' },
	{ displayName: 'Total Cost', name: 'totalCost', type: 'number', typeOptions: { numberPrecision: 2 }, default: 0 },
	{
		displayName: 'Items',
		name: 'receiptElements',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Item',
		description: `The ordered items, at most ${limits.receiptElements.max}`,
		options: [
			{
				displayName: 'Item',
				name: 'element',
				values: [
					{ displayName: 'Currency', name: 'currency', type: 'string', default: '', description: 'Optional, e.g. USD' },
					{ displayName: 'Image URL', name: 'imageUrl', type: 'string', default: '' },
					{ displayName: 'Price', name: 'price', type: 'number', typeOptions: { numberPrecision: 2 }, default: 0 },
					{ displayName: 'Quantity', name: 'quantity', type: 'number', default: 1 },
					{ displayName: 'Subtitle', name: 'subtitle', type: 'string', default: '' },
					{ displayName: 'Title', name: 'title', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Receipt Options',
		name: 'receiptOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Address',
				name: 'address',
				type: 'fixedCollection',
				default: {},
				options: [
					{
						displayName: 'Address',
						name: 'address',
						values: [
							{ displayName: 'Street 1', name: 'street1', type: 'string', default: '' },
							{ displayName: 'Street 2', name: 'street2', type: 'string', default: '' },
							{ displayName: 'City', name: 'city', type: 'string', default: '' },
							{ displayName: 'Postal Code', name: 'postalCode', type: 'string', default: '' },
							{ displayName: 'State', name: 'state', type: 'string', default: '' },
							{ displayName: 'Country', name: 'country', type: 'string', default: '' },
						],
					},
				],
			},
			{
				displayName: 'Adjustments',
				name: 'adjustments',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				description: 'Discounts or other changes to the price',
				options: [
					{
						displayName: 'Adjustment',
						name: 'adjustment',
						values: [
							{ displayName: 'Name', name: 'name', type: 'string', default: '' },
							{ displayName: 'Amount', name: 'amount', type: 'number', typeOptions: { numberPrecision: 2 }, default: 0 },
						],
					},
				],
			},
			{ displayName: 'Merchant Name', name: 'merchantName', type: 'string', default: '' },
			{ displayName: 'Shipping Cost', name: 'shippingCost', type: 'number', typeOptions: { numberPrecision: 2 }, default: 0 },
			{ displayName: 'Subtotal', name: 'subtotal', type: 'number', typeOptions: { numberPrecision: 2 }, default: 0 },
			{ displayName: 'Timestamp', name: 'timestamp', type: 'string', default: '', description: 'Order time in Unix seconds' },
			{ displayName: 'Total Tax', name: 'totalTax', type: 'number', typeOptions: { numberPrecision: 2 }, default: 0 },
		],
	},
];

const feedbackFields: INodeProperties[] = [
	{
		displayName: 'Survey Title',
		name: 'feedbackTitle',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Rate your experience with Acme',
		description: 'The title of the survey card in the conversation',
	},
	{
		displayName: 'Survey Subtitle',
		name: 'feedbackSubtitle',
		type: 'string',
		default: '',
		placeholder: 'Tell us how we did with order 1042',
	},
	{
		displayName: 'Button Title',
		name: 'feedbackButtonTitle',
		type: 'string',
		required: true,
		default: 'Rate Experience',
		description: 'The button that opens the survey',
	},
	{
		displayName: 'Score Type',
		name: 'feedbackQuestionType',
		type: 'options',
		options: [
			{ name: 'CES (1 to 7)', value: 'ces', description: 'Customer effort: how easy was it to solve the problem' },
			{ name: 'CSAT (1 to 5)', value: 'csat', description: 'Customer satisfaction with the experience' },
			{ name: 'NPS (0 to 10)', value: 'nps', description: 'Net promoter score: how likely to recommend the business' },
		],
		default: 'csat',
	},
	{
		displayName: 'Score Display',
		name: 'feedbackScoreOption',
		type: 'options',
		options: [
			{ name: 'Five Emojis', value: 'five_emojis' },
			{ name: 'Five Stars', value: 'five_stars' },
			{ name: 'Numbers 1 to 5', value: 'one_to_five' },
		],
		default: 'five_stars',
		displayOptions: { show: { feedbackQuestionType: ['csat'] } },
	},
	{
		displayName: 'Question',
		name: 'feedbackQuestionTitle',
		type: 'string',
		default: '',
		description: 'Your own question. Leave empty for Messenger’s standard question of the score type, translated for each person.',
	},
	{
		displayName: 'Question ID',
		name: 'feedbackQuestionId',
		type: 'string',
		required: true,
		default: 'rating',
		description: 'Comes back with the answer in the messaging_feedback webhook, so you can tell the questions apart',
	},
	{
		displayName: 'Ask for a Comment',
		name: 'feedbackFollowUp',
		type: 'boolean',
		default: false,
		description: 'Whether the person can add a free-form comment after the score',
	},
	{
		displayName: 'Comment Placeholder',
		name: 'feedbackFollowUpPlaceholder',
		type: 'string',
		default: 'Give additional feedback',
		displayOptions: { show: { feedbackFollowUp: [true] } },
	},
	{
		displayName: 'Privacy Policy URL',
		name: 'feedbackPrivacyUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://example.com/privacy',
		description: 'Your business’s privacy policy, linked from the survey (required by Messenger)',
	},
	{
		displayName: 'Expires After (Days)',
		name: 'feedbackExpiresInDays',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 7 },
		default: 1,
		description: 'How long the person can answer, 1 to 7 days (Meta’s template page)',
	},
];

const jsonFields: INodeProperties[] = [
	{
		displayName: 'Template JSON',
		name: 'templateJson',
		type: 'json',
		default: '{\n  "template_type": "button",\n  "text": "",\n  "buttons": []\n}',
		description:
			'The template payload (with template_type), typed or from an expression. It is checked by the same rules as the other template types.',
	},
];

const TEMPLATE_TYPES = [
	{ name: 'Button', value: 'button', description: 'Text with 1 to 3 buttons' },
	{
		name: 'Customer Feedback',
		value: 'customer_feedback',
		description: 'A CSAT, NPS or CES survey (only with the Customer Feedback tag)',
	},
	{ name: 'Generic', value: 'generic', description: 'A card, or a carousel of up to 10 cards' },
	{ name: 'JSON', value: 'json', description: 'A template payload typed as JSON or from an expression' },
	{ name: 'Media', value: 'media', description: 'An image or video with an optional button' },
	{ name: 'Receipt', value: 'receipt', description: 'An order confirmation' },
];

/**
 * The template fields; show them with `showOnlyFor` where a template is chosen. The customer
 * feedback template is offered only where the CUSTOMER_FEEDBACK tag can be sent (Tagged Update).
 */
export function templateFields(withCustomerFeedback: boolean): INodeProperties[] {
	return [
		{
			displayName: 'Template Type',
			name: 'templateType',
			type: 'options',
			noDataExpression: true,
			options: TEMPLATE_TYPES.filter((type) => withCustomerFeedback || type.value !== 'customer_feedback'),
			default: 'generic',
		},
		...showOnlyFor({ templateType: ['generic'] }, genericFields),
		...showOnlyFor({ templateType: ['button'] }, buttonTemplateFields),
		...showOnlyFor({ templateType: ['media'] }, mediaFields),
		...showOnlyFor({ templateType: ['receipt'] }, receiptFields),
		...(withCustomerFeedback ? showOnlyFor({ templateType: ['customer_feedback'] }, feedbackFields) : []),
		...showOnlyFor({ templateType: ['json'] }, jsonFields),
	];
}

// ---- Reading the fields (I/O edge) ------------------------------------------------------------

type Raw = Record<string, unknown>;

/** A number field's value: numbers stay, numeric text becomes a number, anything else is kept for validation to refuse. */
function asNumber(value: unknown): unknown {
	if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
	return value;
}

function listOf(value: unknown, key: string): Raw[] {
	const list = (value as Raw | undefined)?.[key];
	if (Array.isArray(list)) return list as Raw[];
	return list && typeof list === 'object' ? [list as Raw] : [];
}

function readButtons(value: unknown, item: number, label: string): ButtonInput[] {
	return listOf(value, 'button').map((button, index) => {
		const text = (name: string, field: string) => asText(button[name], item, `${label} ${index + 1} ${field}`);
		const type = (text('type', 'Type') || 'web_url') as ButtonType;
		if (type === 'web_url') return { type, title: text('title', 'Title'), url: text('url', 'URL') };
		if (type === 'phone_number') return { type, title: text('title', 'Title'), payload: text('phoneNumber', 'Phone Number') };
		return { type, title: text('title', 'Title'), payload: text('payload', 'Payload') };
	});
}

/** Parses Template JSON: an object from an expression, or JSON text. */
export function parseTemplateJson(value: unknown, item: number): IDataObject {
	let parsed = value;
	let parseError: string | undefined;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			parseError = (error as Error).message;
		}
	}
	if (parseError !== undefined) {
		throw new InvalidSendRequest(`Template JSON in item ${item} is not valid JSON: ${parseError}`, 'Template JSON');
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new InvalidSendRequest(`Template JSON in item ${item} must be a JSON object (the template payload)`, 'Template JSON');
	}
	return parsed as IDataObject;
}

export function readTemplate(ctx: IExecuteFunctions, item: number): TemplateInput {
	const templateType = ctx.getNodeParameter('templateType', item) as TemplateInput['templateType'];
	const text = (name: string, label: string) => readText(ctx, name, item, label);
	switch (templateType) {
		case 'generic':
			return {
				templateType,
				imageAspectRatio: text('imageAspectRatio', 'Image Aspect Ratio'),
				elements: listOf(ctx.getNodeParameter('elements', item, {}), 'element').map((element, index) => {
					const label = `Element ${index + 1}`;
					return {
						title: asText(element.title, item, `${label} Title`),
						subtitle: asText(element.subtitle, item, `${label} Subtitle`),
						imageUrl: asText(element.imageUrl, item, `${label} Image URL`),
						defaultActionUrl: asText(element.defaultActionUrl, item, `${label} Default Action URL`),
						buttons: readButtons(element.buttons, item, `${label} Button`),
					};
				}),
			};
		case 'button':
			return {
				templateType,
				text: text('templateText', 'Template Text'),
				buttons: readButtons(ctx.getNodeParameter('buttons', item, {}), item, 'Button'),
			};
		case 'media': {
			const source = ctx.getNodeParameter('mediaSource', item) as 'attachmentId' | 'url';
			return {
				templateType,
				mediaType: text('mediaType', 'Media Type'),
				source,
				value: source === 'url' ? text('mediaUrl', 'Media URL') : text('mediaAttachmentId', 'Media Attachment ID'),
				buttons: readButtons(ctx.getNodeParameter('mediaButton', item, {}), item, 'Button'),
			};
		}
		case 'receipt': {
			const options = ctx.getNodeParameter('receiptOptions', item, {}) as Raw;
			const optionText = (name: string, label: string) => asText(options[name], item, label) || undefined;
			const [address] = listOf(options.address, 'address');
			const addressText = (name: string, label: string) => asText(address[name], item, `Address ${label}`);
			return {
				templateType,
				recipientName: text('recipientName', 'Recipient Name'),
				orderNumber: text('orderNumber', 'Order Number'),
				currency: text('currency', 'Currency'),
				paymentMethod: text('paymentMethod', 'Payment Method'),
				totalCost: asNumber(ctx.getNodeParameter('totalCost', item)),
				subtotal: asNumber(options.subtotal),
				shippingCost: asNumber(options.shippingCost),
				totalTax: asNumber(options.totalTax),
				merchantName: optionText('merchantName', 'Merchant Name'),
				timestamp: optionText('timestamp', 'Timestamp'),
				address: address && {
					street1: addressText('street1', 'Street 1'),
					street2: addressText('street2', 'Street 2'),
					city: addressText('city', 'City'),
					postalCode: addressText('postalCode', 'Postal Code'),
					state: addressText('state', 'State'),
					country: addressText('country', 'Country'),
				},
				adjustments: listOf(options.adjustments, 'adjustment').map((adjustment, index) => ({
					name: asText(adjustment.name, item, `Adjustment ${index + 1} Name`),
					amount: asNumber(adjustment.amount),
				})),
				elements: listOf(ctx.getNodeParameter('receiptElements', item, {}), 'element').map((element, index) => {
					const label = `Receipt Item ${index + 1}`;
					return {
						title: asText(element.title, item, `${label} Title`),
						subtitle: asText(element.subtitle, item, `${label} Subtitle`),
						quantity: asNumber(element.quantity),
						price: asNumber(element.price),
						currency: asText(element.currency, item, `${label} Currency`),
						imageUrl: asText(element.imageUrl, item, `${label} Image URL`),
					};
				}),
			};
		}
		case 'customer_feedback': {
			const questionType = text('feedbackQuestionType', 'Score Type');
			const followUp = ctx.getNodeParameter('feedbackFollowUp', item, false) === true;
			return {
				templateType,
				title: text('feedbackTitle', 'Survey Title'),
				subtitle: text('feedbackSubtitle', 'Survey Subtitle'),
				buttonTitle: text('feedbackButtonTitle', 'Button Title'),
				questionId: text('feedbackQuestionId', 'Question ID'),
				questionType,
				questionTitle: text('feedbackQuestionTitle', 'Question'),
				// Only CSAT has a choice of display; NPS and CES have one each.
				scoreOption:
					questionType === 'csat'
						? text('feedbackScoreOption', 'Score Display')
						: (FEEDBACK_SCORE_OPTIONS[questionType]?.[0] ?? ''),
				commentPlaceholder: followUp ? text('feedbackFollowUpPlaceholder', 'Comment Placeholder') : undefined,
				privacyUrl: text('feedbackPrivacyUrl', 'Privacy Policy URL'),
				expiresInDays: asNumber(ctx.getNodeParameter('feedbackExpiresInDays', item, 1)),
			};
		}
		default:
			return { templateType: 'json', payload: parseTemplateJson(ctx.getNodeParameter('templateJson', item), item) };
	}
}

// ---- Building the payload (pure) -----------------------------------------------------------------

/** Copies the entries whose value is not undefined or empty text, in order. */
function present(entries: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined && value !== ''));
}

export function buildButton(button: ButtonInput): IDataObject {
	return button.type === 'web_url'
		? { type: 'web_url', title: button.title, url: (button.url ?? '').trim() }
		: { type: button.type, title: button.title, payload: button.type === 'phone_number' ? (button.payload ?? '').trim() : button.payload ?? '' };
}

function withButtons(fields: IDataObject, buttons: ButtonInput[]): IDataObject {
	return buttons.length ? { ...fields, buttons: buttons.map(buildButton) } : fields;
}

function buildPayload(input: TemplateInput): IDataObject {
	switch (input.templateType) {
		case 'generic':
			return {
				template_type: 'generic',
				image_aspect_ratio: input.imageAspectRatio,
				elements: input.elements.map((element) =>
					withButtons(
						present({
							title: element.title,
							subtitle: element.subtitle,
							image_url: element.imageUrl?.trim(),
							default_action: element.defaultActionUrl?.trim()
								? { type: 'web_url', url: element.defaultActionUrl.trim() }
								: undefined,
						}),
						element.buttons,
					),
				),
			};
		case 'button':
			return { template_type: 'button', text: input.text, buttons: input.buttons.map(buildButton) };
		case 'media': {
			const source = input.source === 'url' ? { url: input.value.trim() } : { attachment_id: input.value.trim() };
			return { template_type: 'media', elements: [withButtons({ media_type: input.mediaType, ...source }, input.buttons)] };
		}
		case 'receipt':
			return present({
				template_type: 'receipt',
				recipient_name: input.recipientName,
				merchant_name: input.merchantName,
				order_number: input.orderNumber,
				currency: input.currency,
				payment_method: input.paymentMethod,
				timestamp: input.timestamp,
				address: input.address && present({
					street_1: input.address.street1,
					street_2: input.address.street2,
					city: input.address.city,
					postal_code: input.address.postalCode,
					state: input.address.state,
					country: input.address.country,
				}),
				elements: input.elements.length
					? input.elements.map((element) =>
							present({
								title: element.title,
								subtitle: element.subtitle,
								quantity: element.quantity as IDataObject[string],
								price: element.price as IDataObject[string],
								currency: element.currency,
								image_url: element.imageUrl?.trim(),
							}),
						)
					: undefined,
				summary: present({
					subtotal: input.subtotal as IDataObject[string],
					shipping_cost: input.shippingCost as IDataObject[string],
					total_tax: input.totalTax as IDataObject[string],
					total_cost: input.totalCost as IDataObject[string],
				}),
				adjustments: input.adjustments.length
					? input.adjustments.map((adjustment) => ({ name: adjustment.name, amount: adjustment.amount as IDataObject[string] }))
					: undefined,
			});
		case 'customer_feedback':
			return present({
				template_type: 'customer_feedback',
				title: input.title,
				subtitle: input.subtitle,
				button_title: input.buttonTitle,
				feedback_screens: [
					{
						questions: [
							present({
								id: input.questionId,
								type: input.questionType,
								title: input.questionTitle,
								score_option: input.scoreOption,
								follow_up:
									input.commentPlaceholder === undefined
										? undefined
										: present({ type: 'free_form', placeholder: input.commentPlaceholder }),
							}),
						],
					},
				],
				business_privacy: { url: input.privacyUrl.trim() },
				expires_in_days: input.expiresInDays as IDataObject[string],
			});
		case 'json':
			return input.payload;
	}
}

/** The `message.attachment` of a template message. */
export function buildTemplate(input: TemplateInput): IDataObject {
	return { type: 'template', payload: buildPayload(input) };
}
