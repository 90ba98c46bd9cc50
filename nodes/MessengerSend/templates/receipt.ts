import type { IDataObject } from 'n8n-workflow';

import { SEND_API_LIMITS, InvalidSendRequest } from '../rules';
import { asText, readText } from '../request/parameters';
import { requireList, requireNumber, requireObject, requireText, requireUrl } from './checks';
import type { TemplateType } from './templateType';
import { asNumber, listOf, withoutEmpty, type Raw } from './values';

/** An order confirmation. */
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

const limits = SEND_API_LIMITS;

export const receipt: TemplateType<'receipt', ReceiptInput> = {
	option: { name: 'Receipt', value: 'receipt', description: 'An order confirmation' },

	fields: [
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
	],

	read(ctx, item) {
		const text = (name: string, label: string) => readText(ctx, name, item, label);
		const options = ctx.getNodeParameter('receiptOptions', item, {}) as Raw;
		const optionText = (name: string, label: string) => asText(options[name], item, label) || undefined;
		const [address] = listOf(options.address, 'address');
		const addressText = (name: string, label: string) => asText(address[name], item, `Address ${label}`);
		return {
			templateType: 'receipt',
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
	},

	build(input) {
		return withoutEmpty({
			template_type: 'receipt',
			recipient_name: input.recipientName,
			merchant_name: input.merchantName,
			order_number: input.orderNumber,
			currency: input.currency,
			payment_method: input.paymentMethod,
			timestamp: input.timestamp,
			address: input.address && withoutEmpty({
				street_1: input.address.street1,
				street_2: input.address.street2,
				city: input.address.city,
				postal_code: input.address.postalCode,
				state: input.address.state,
				country: input.address.country,
			}),
			elements: input.elements.length
				? input.elements.map((element) =>
						withoutEmpty({
							title: element.title,
							subtitle: element.subtitle,
							quantity: element.quantity as IDataObject[string],
							price: element.price as IDataObject[string],
							currency: element.currency,
							image_url: element.imageUrl?.trim(),
						}),
					)
				: undefined,
			summary: withoutEmpty({
				subtotal: input.subtotal as IDataObject[string],
				shipping_cost: input.shippingCost as IDataObject[string],
				total_tax: input.totalTax as IDataObject[string],
				total_cost: input.totalCost as IDataObject[string],
			}),
			adjustments: input.adjustments.length
				? input.adjustments.map((adjustment) => ({ name: adjustment.name, amount: adjustment.amount as IDataObject[string] }))
				: undefined,
		});
	},

	validate(payload, item) {
		requireText(payload.recipient_name, 'Recipient Name', item);
		requireText(payload.order_number, 'Order Number', item);
		requireText(payload.currency, 'Currency', item);
		requireText(payload.payment_method, 'Payment Method', item);
		if (payload.merchant_name !== undefined) requireText(payload.merchant_name, 'Merchant Name', item);
		if (payload.timestamp !== undefined) requireText(String(payload.timestamp), 'Timestamp', item);
		const summary = requireObject(payload.summary, 'Summary', item);
		requireNumber(summary.total_cost, 'Total Cost', item);
		if (summary.subtotal !== undefined) requireNumber(summary.subtotal, 'Subtotal', item);
		if (summary.shipping_cost !== undefined) requireNumber(summary.shipping_cost, 'Shipping Cost', item);
		if (summary.total_tax !== undefined) requireNumber(summary.total_tax, 'Total Tax', item);
		if (payload.address !== undefined) {
			const address = requireObject(payload.address, 'Address', item);
			const parts = { street_1: 'Street 1', city: 'City', postal_code: 'Postal Code', state: 'State', country: 'Country' };
			for (const [key, label] of Object.entries(parts)) requireText(address[key], `Address ${label}`, item);
		}
		if (payload.adjustments !== undefined) {
			if (!Array.isArray(payload.adjustments)) throw new InvalidSendRequest(`Adjustments in item ${item} must be a list`, 'Adjustments');
			payload.adjustments.forEach((adjustment: unknown, index) => {
				const label = `Adjustment ${index + 1}`;
				const fields = requireObject(adjustment, label, item);
				requireText(fields.name, `${label} Name`, item);
				requireNumber(fields.amount, `${label} Amount`, item);
			});
		}
		requireList(payload.elements, limits.receiptElements, 0, item).forEach((element: unknown, index) => {
			const label = `Receipt Item ${index + 1}`;
			const fields = requireObject(element, label, item);
			requireText(fields.title, `${label} Title`, item);
			requireNumber(fields.price, `${label} Price`, item);
			if (fields.quantity !== undefined) requireNumber(fields.quantity, `${label} Quantity`, item);
			if (fields.image_url !== undefined) requireUrl(fields.image_url, `${label} Image URL`, item);
		});
	},
};
