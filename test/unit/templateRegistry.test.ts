// The template registry (nodes/MessengerSend/templates/): one file per template type, from which
// the selector, fields, reading, building and checks are derived.
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import type { SendRequest } from '../../nodes/MessengerSend/shared/types';
import { TEMPLATE_TYPES, validateSendRequest } from '../../nodes/MessengerSend/shared/validation';
import {
	buildTemplate,
	PAYLOAD_TEMPLATE_TYPES,
	TEMPLATES,
	templateFields,
	validateTemplate,
	type TemplateInput,
} from '../../nodes/MessengerSend/templates';

const messageOf = (check: () => void): string | undefined => {
	try {
		check();
		return undefined;
	} catch (error) {
		return (error as Error).message;
	}
};

describe('the registry', () => {
	test('each template type is listed under its own Template Type value', () => {
		for (const [key, type] of Object.entries(TEMPLATES)) expect(type.option.value).toBe(key);
	});

	test('the payload types are the ones validation names, in its order (JSON is none)', () => {
		expect(PAYLOAD_TEMPLATE_TYPES).toEqual(TEMPLATE_TYPES);
	});

	test('each field is shown for its own template type only, and the tagged-only ones only where a tag is sent', () => {
		const shownFor = (fields: ReturnType<typeof templateFields>) =>
			fields.slice(1).map((field) => [field.name, field.displayOptions?.show?.templateType]);
		const expected = (tagged: boolean) =>
			Object.values(TEMPLATES)
				.filter((type) => tagged || type.onlyWithTag === undefined)
				.flatMap((type) => type.fields.map((field) => [field.name, [type.option.value]]));
		expect(shownFor(templateFields(true))).toEqual(expected(true));
		expect(shownFor(templateFields(false))).toEqual(expected(false));
		expect(templateFields(false)[0].options?.map((option) => (option as { value: string }).value)).not.toContain('customer_feedback');
	});
});

// Until shared/validation.ts hands template payloads to the registry, both check them: they
// must agree on every payload, error text included.
describe('the registry’s checks agree with validateSendRequest', () => {
	const ITEM = 3;
	const button = { type: 'postback', title: 'Help', payload: 'HELP' };
	const inputs: TemplateInput[] = [
		{
			templateType: 'generic',
			imageAspectRatio: 'square',
			elements: [
				{ title: 'Shirt', subtitle: 'Blue', imageUrl: 'https://example.com/a.png', defaultActionUrl: 'https://example.com', buttons: [{ type: 'web_url', title: 'Buy', url: 'https://example.com/b' }] },
				{ title: 'Red shirt', buttons: [] },
			],
		},
		{ templateType: 'button', text: 'How can we help?', buttons: [{ type: 'phone_number', title: 'Call', payload: '+15105551234' }] },
		{ templateType: 'media', mediaType: 'video', source: 'url', value: 'https://www.facebook.com/v/1', buttons: [] },
		{ templateType: 'media', mediaType: 'image', source: 'attachmentId', value: '185', buttons: [{ type: 'postback', title: 'Go', payload: 'GO' }] },
		{
			templateType: 'receipt',
			recipientName: 'Ann',
			orderNumber: '1042',
			currency: 'EUR',
			paymentMethod: 'Visa',
			totalCost: 10,
			subtotal: 9,
			shippingCost: 1,
			totalTax: 0,
			merchantName: 'Acme',
			timestamp: '1700000000',
			address: { street1: 'Main 1', city: 'Berlin', postalCode: '10115', state: 'BE', country: 'DE' },
			adjustments: [{ name: 'Discount', amount: 1 }],
			elements: [{ title: 'Shirt', price: 9, quantity: 1, currency: 'EUR', imageUrl: 'https://example.com/a.png' }],
		},
		{ templateType: 'receipt', recipientName: 'Ann', orderNumber: '1', currency: 'EUR', paymentMethod: 'Cash', totalCost: 0, adjustments: [], elements: [] },
		{
			templateType: 'customer_feedback',
			title: 'Rate us',
			subtitle: 'Order 1042',
			buttonTitle: 'Rate',
			questionId: 'q',
			questionType: 'csat',
			questionTitle: 'How was it?',
			scoreOption: 'five_stars',
			commentPlaceholder: 'More?',
			privacyUrl: 'https://example.com/privacy',
			expiresInDays: 2,
		},
	];
	const payloads = inputs.map((input) => buildTemplate(input).payload as IDataObject);
	const VALUES: unknown[] = [
		undefined, null, '', ' ', 'x', 't'.repeat(20), 't'.repeat(21), 't'.repeat(81), 't'.repeat(641), 'p'.repeat(1001), 0, 1, 1.5, 7, '3',
		[], {}, [{}], [button], Array(4).fill(button), 'https://example.com/a', 'example.com', 'https://www.facebook.com/x', 'web_url',
		'postback', 'phone_number', '+15105551234', '15105551234', 'csat', 'nps', 'ces', 'stars', 'five_stars', 'zero_to_ten',
		'free_form', 'image', 'video', 'square', 'round', ...TEMPLATE_TYPES, 'json',
	];

	/** Every path in a payload, objects and lists included, so a mutation can hit any of them. */
	const pathsOf = (value: unknown, path: Array<string | number> = []): Array<Array<string | number>> => {
		if (value === null || typeof value !== 'object') return [path];
		const entries = Array.isArray(value) ? value.map((entry, index) => [index, entry] as const) : Object.entries(value);
		return [path, ...entries.flatMap(([key, entry]) => pathsOf(entry, [...path, key]))];
	};
	const mutate = (payload: IDataObject, path: Array<string | number>, value: unknown): IDataObject => {
		if (path.length === 0) return payload;
		const copy = structuredClone(payload);
		const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((node, key) => node[key] as Record<string | number, unknown>, copy);
		parent[path[path.length - 1]] = structuredClone(value);
		return copy;
	};
	/** A payload with 0 to 3 of its entries replaced or left out (also many copies of a list entry, past a limit). */
	const mutated = fc.constantFrom(...payloads).chain((base) =>
		fc
			.array(fc.tuple(
					fc.nat(),
					fc.oneof(
						{ arbitrary: fc.constant(undefined), weight: 3 },
						{ arbitrary: fc.constantFrom(...VALUES), weight: 6 },
						{ arbitrary: fc.integer({ min: 2, max: 101 }).map((count) => ({ many: count })), weight: 1 },
					),
				), { maxLength: 3 })
			.map((changes) =>
				changes.reduce((payload, [pick, value]) => {
					const paths = pathsOf(payload);
					const path = paths[pick % paths.length];
					if (value && typeof value === 'object' && 'many' in value) {
						const list = path.length ? path.slice(0, -1).reduce<unknown>((node, key) => (node as never)[key], payload) : undefined;
						return Array.isArray(list) ? mutate(payload, path.slice(0, -1), Array(value.many).fill(list[0])) : payload;
					}
					return mutate(payload, path, value);
				}, base),
			),
	);
	const request = (payload: IDataObject, tag: string | undefined): SendRequest => ({
		body: {
			recipient: { id: '42' },
			...(tag ? { messaging_type: 'MESSAGE_TAG', tag } : { messaging_type: 'RESPONSE' }),
			message: { attachment: { type: 'template', payload } },
		},
	});

	test('on valid payloads and on payloads with entries replaced', () => {
		fc.assert(
			fc.property(mutated, fc.constantFrom(undefined, 'HUMAN_AGENT', 'CUSTOMER_FEEDBACK'), (payload, tag) => {
				const sent = request(payload, tag);
				const node = messageOf(() => validateSendRequest(sent, ITEM));
				const registry = messageOf(() => validateTemplate(payload, sent, ITEM));
				// The tag's own check comes after the template's: it refuses CUSTOMER_FEEDBACK with any other template.
				if (registry === undefined && node?.startsWith(`Tag in item ${ITEM} is CUSTOMER_FEEDBACK`)) return;
				expect(registry).toBe(node);
			}),
			{ numRuns: 5000 },
		);
		for (const payload of payloads) expect(messageOf(() => validateTemplate(payload, request(payload, 'CUSTOMER_FEEDBACK'), ITEM))).toBeUndefined();
	});
});
