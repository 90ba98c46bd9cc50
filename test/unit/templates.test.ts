// Templates (shared/messenger-send-api.md, "Templates"): the exact payload each template type and
// button type builds, and every template limit at the limit (accepted) and one past (refused,
// naming field, item, size and limit), checked on the built request as the router does. The
// customer feedback template: customerFeedbackTemplate.test.ts.
import * as sendAttachment from '../../nodes/MessengerSend/actions/sendAttachment.operation';
import { buildButton, buildTemplate, parseTemplateJson, type ButtonInput, type MediaTemplateInput, type ReceiptInput } from '../../nodes/MessengerSend/templates';
import { buttons, phone, postback, problem, request, templateProblem, web } from '../helpers/templateInputs';

describe('buttons', () => {
	test('each button type builds its exact object', () => {
		expect(buildButton(web)).toEqual({ type: 'web_url', title: 'Track', url: 'https://example.com/t/1' });
		expect(buildButton(postback)).toEqual({ type: 'postback', title: 'Talk to us', payload: 'HELP' });
		expect(buildButton(phone)).toEqual({ type: 'phone_number', title: 'Call', payload: '+15105551234' });
	});

	const button = (b: ButtonInput) => templateProblem({ templateType: 'button', text: 'Hi', buttons: [b] });

	test('title at most 20 characters', () => {
		expect(button({ ...postback, title: 't'.repeat(20) })).toBeUndefined();
		expect(button({ ...postback, title: 't'.repeat(21) })).toBe(
			'Button 1 Title in item 0: 21 characters, more than the limit of 20 (a button title has at most 20 characters)',
		);
		expect(button({ ...postback, title: '' })).toBe('Button 1 Title in item 0 is empty: enter a value');
	});

	test('postback payload at most 1000 characters', () => {
		expect(button({ ...postback, payload: 'p'.repeat(1000) })).toBeUndefined();
		expect(button({ ...postback, payload: 'p'.repeat(1001) })).toBe(
			'Button 1 Payload in item 0: 1001 characters, more than the limit of 1000 (a postback button payload has at most 1000 characters)',
		);
	});

	test('a phone number starts with +; a web URL is http(s)', () => {
		expect(button({ ...phone, payload: '15105551234' })).toBe(
			'Button 1 Phone Number in item 0 is "15105551234": use + and the country code, then digits only (e.g. +15105551234)',
		);
		expect(button({ ...web, url: 'example.com' })).toBe('Button 1 URL in item 0 is not an http(s) URL: "example.com"');
		expect(problem(request({ template_type: 'button', text: 'Hi', buttons: [{ type: 'call', title: 'x' }] }))).toBe(
			'Button 1 Type in item 0 is "call": use one of web_url, postback, phone_number',
		);
	});
});

describe('generic template', () => {
	const element = { title: 'Blue shirt', subtitle: 'Size M', imageUrl: 'https://example.com/s.jpg', defaultActionUrl: 'https://example.com/p/1', buttons: [web, postback, phone] };

	test('builds a carousel with every element field and button type', () => {
		expect(buildTemplate({ templateType: 'generic', imageAspectRatio: 'square', elements: [element, { title: 'Red shirt', buttons: [] }] })).toEqual({
			type: 'template',
			payload: {
				template_type: 'generic',
				image_aspect_ratio: 'square',
				elements: [
					{
						title: 'Blue shirt',
						subtitle: 'Size M',
						image_url: 'https://example.com/s.jpg',
						default_action: { type: 'web_url', url: 'https://example.com/p/1' },
						buttons: [
							{ type: 'web_url', title: 'Track', url: 'https://example.com/t/1' },
							{ type: 'postback', title: 'Talk to us', payload: 'HELP' },
							{ type: 'phone_number', title: 'Call', payload: '+15105551234' },
						],
					},
					{ title: 'Red shirt' },
				],
			},
		});
	});

	const generic = (elements: object[]) => templateProblem({ templateType: 'generic', imageAspectRatio: 'horizontal', elements: elements as never });

	test('1 to 10 elements', () => {
		expect(generic(Array.from({ length: 10 }, () => ({ title: 'T', buttons: [] })))).toBeUndefined();
		expect(generic(Array.from({ length: 11 }, () => ({ title: 'T', buttons: [] }))), ).toBe(
			'Elements in item 0: 11 elements, more than the limit of 10 (a generic template has 1 to 10 elements)',
		);
		expect(generic([])).toBe('Elements in item 0 is empty: add at least 1 (a generic template has 1 to 10 elements)');
	});

	test('title and subtitle at most 80 characters; at most 3 buttons per element', () => {
		expect(generic([{ title: 't'.repeat(80), subtitle: 's'.repeat(80), buttons: buttons(3) }])).toBeUndefined();
		expect(generic([{ title: 'T', buttons: [] }, { title: 't'.repeat(81), buttons: [] }])).toBe(
			'Element 2 Title in item 0: 81 characters, more than the limit of 80 (an element title has at most 80 characters)',
		);
		expect(generic([{ title: 'T', subtitle: 's'.repeat(81), buttons: [] }])).toBe(
			'Element 1 Subtitle in item 0: 81 characters, more than the limit of 80 (an element subtitle has at most 80 characters)',
		);
		expect(generic([{ title: 'T', buttons: buttons(4) }])).toBe(
			'Element 1 Buttons in item 0: 4 buttons, more than the limit of 3 (a generic template element has at most 3 buttons)',
		);
		expect(generic([{ title: '', buttons: [] }])).toBe('Element 1 Title in item 0 is empty: enter a value');
		expect(generic([{ title: 'T', imageUrl: 'ftp://x', buttons: [] }])).toBe('Element 1 Image URL in item 0 is not an http(s) URL: "ftp://x"');
	});
});

describe('button template', () => {
	test('builds text and buttons', () => {
		expect(buildTemplate({ templateType: 'button', text: 'How can we help?', buttons: [postback, phone] })).toEqual({
			type: 'template',
			payload: {
				template_type: 'button',
				text: 'How can we help?',
				buttons: [
					{ type: 'postback', title: 'Talk to us', payload: 'HELP' },
					{ type: 'phone_number', title: 'Call', payload: '+15105551234' },
				],
			},
		});
	});

	test('text at most 640 characters, 1 to 3 buttons', () => {
		const template = (text: string, count: number) => templateProblem({ templateType: 'button', text, buttons: buttons(count) }, 4);
		expect(template('x'.repeat(640), 3)).toBeUndefined();
		expect(template('x'.repeat(641), 1)).toBe(
			'Template Text in item 4: 641 characters, more than the limit of 640 (a button template text has at most 640 characters)',
		);
		expect(template('Hi', 4)).toBe('Buttons in item 4: 4 buttons, more than the limit of 3 (a button template has 1 to 3 buttons)');
		expect(template('Hi', 0)).toBe('Buttons in item 4 is empty: add at least 1 (a button template has 1 to 3 buttons)');
		expect(template('', 1)).toBe('Template Text in item 4 is empty: enter a value');
	});
});

describe('media template', () => {
	test('by attachment ID, with a button', () => {
		expect(buildTemplate({ templateType: 'media', mediaType: 'image', source: 'attachmentId', value: ' 1857000000000001 ', buttons: [web] })).toEqual({
			type: 'template',
			payload: {
				template_type: 'media',
				elements: [
					{
						media_type: 'image',
						attachment_id: '1857000000000001',
						buttons: [{ type: 'web_url', title: 'Track', url: 'https://example.com/t/1' }],
					},
				],
			},
		});
	});

	test('by Facebook URL, without a button', () => {
		const input: MediaTemplateInput = { templateType: 'media', mediaType: 'video', source: 'url', value: 'https://www.facebook.com/shop/videos/123', buttons: [] };
		expect(buildTemplate(input).payload).toEqual({
			template_type: 'media',
			elements: [{ media_type: 'video', url: 'https://www.facebook.com/shop/videos/123' }],
		});
		expect(templateProblem(input)).toBeUndefined();
	});

	test('at most one button; only Facebook URLs; image or video', () => {
		const media = (extra: Partial<MediaTemplateInput>) =>
			templateProblem({ templateType: 'media', mediaType: 'image', source: 'attachmentId', value: '1', buttons: [], ...extra });
		expect(media({ buttons: buttons(1) })).toBeUndefined();
		expect(media({ buttons: buttons(2) })).toBe('Button in item 0: 2 buttons, more than the limit of 1 (a media template has at most one button)');
		expect(media({ source: 'url', value: 'https://example.com/a.jpg' })).toBe(
			'Media URL in item 0 is not a Facebook URL: "https://example.com/a.jpg" (a media template takes only media posted on Facebook; use an attachment ID for other files)',
		);
		expect(media({ mediaType: 'audio' })).toBe('Media Type in item 0 is "audio": use one of image, video');
		expect(problem(request({ template_type: 'media', elements: [{ media_type: 'image', url: 'https://www.facebook.com/a' }, { media_type: 'image', url: 'https://www.facebook.com/b' }] }))).toBe(
			'Media in item 0: 2 elements, more than the limit of 1 (a media template has exactly one element)',
		);
	});
});

describe('receipt template', () => {
	const receipt: ReceiptInput = {
		templateType: 'receipt',
		recipientName: 'Ann Lee',
		orderNumber: '1042',
		currency: 'USD',
		paymentMethod: 'Visa 2345',
		totalCost: 56.14,
		subtotal: 75,
		shippingCost: 4.95,
		totalTax: 6.19,
		merchantName: 'Test Shop',
		timestamp: '1428444852',
		address: { street1: '1 Main St', street2: '', city: 'Menlo Park', postalCode: '94025', state: 'CA', country: 'US' },
		adjustments: [{ name: 'New customer', amount: 20 }],
		elements: [{ title: 'Blue shirt', subtitle: 'Size M', quantity: 2, price: 50, currency: 'USD', imageUrl: 'https://example.com/s.jpg' }],
	};

	test('builds every field', () => {
		expect(buildTemplate(receipt).payload).toEqual({
			template_type: 'receipt',
			recipient_name: 'Ann Lee',
			merchant_name: 'Test Shop',
			order_number: '1042',
			currency: 'USD',
			payment_method: 'Visa 2345',
			timestamp: '1428444852',
			address: { street_1: '1 Main St', city: 'Menlo Park', postal_code: '94025', state: 'CA', country: 'US' },
			elements: [{ title: 'Blue shirt', subtitle: 'Size M', quantity: 2, price: 50, currency: 'USD', image_url: 'https://example.com/s.jpg' }],
			summary: { subtotal: 75, shipping_cost: 4.95, total_tax: 6.19, total_cost: 56.14 },
			adjustments: [{ name: 'New customer', amount: 20 }],
		});
		expect(templateProblem(receipt)).toBeUndefined();
	});

	test('only the required fields', () => {
		const minimal: ReceiptInput = { templateType: 'receipt', recipientName: 'Ann', orderNumber: '1', currency: 'EUR', paymentMethod: 'Cash', totalCost: 0, adjustments: [], elements: [] };
		expect(buildTemplate(minimal).payload).toEqual({
			template_type: 'receipt', recipient_name: 'Ann', order_number: '1', currency: 'EUR', payment_method: 'Cash', summary: { total_cost: 0 },
		});
		expect(templateProblem(minimal)).toBeUndefined();
	});

	test('at most 100 elements; required fields; numbers', () => {
		const items = (count: number) => Array.from({ length: count }, (_, i) => ({ title: `I${i}`, price: 1 }));
		expect(templateProblem({ ...receipt, elements: items(100) })).toBeUndefined();
		expect(templateProblem({ ...receipt, elements: items(101) })).toBe(
			'Items in item 0: 101 elements, more than the limit of 100 (a receipt template has at most 100 elements)',
		);
		expect(templateProblem({ ...receipt, orderNumber: '' })).toBe('Order Number in item 0 is empty: enter a value');
		expect(templateProblem({ ...receipt, totalCost: 'ten' })).toBe('Total Cost in item 0 must be a number, found "ten"');
		expect(templateProblem({ ...receipt, elements: [{ title: 'A', price: undefined }] })).toBe(
			'Receipt Item 1 Price in item 0 must be a number, found undefined',
		);
	});
});

describe('JSON template', () => {
	test('parsed from text or taken from an expression, then checked by the same rules', () => {
		const payload = { template_type: 'button', text: 'Hi', buttons: [{ type: 'postback', title: 'Yes', payload: 'Y' }] };
		expect(parseTemplateJson(JSON.stringify(payload), 0)).toEqual(payload);
		expect(parseTemplateJson(payload, 0)).toEqual(payload);
		expect(buildTemplate({ templateType: 'json', payload })).toEqual({ type: 'template', payload });
		expect(problem(request(payload))).toBeUndefined();
		expect(problem(request({ ...payload, text: 'x'.repeat(641) }), 2)).toBe(
			'Template Text in item 2: 641 characters, more than the limit of 640 (a button template text has at most 640 characters)',
		);
		expect(problem(request({ template_type: 'list' }))).toBe(
			'Template Type in item 0 is "list": use one of generic, button, media, receipt, customer_feedback',
		);
	});

	test('a parse error names the field and item', () => {
		expect(() => parseTemplateJson('{"template_type": ', 3)).toThrow(/^Template JSON in item 3 is not valid JSON: /);
		expect(() => parseTemplateJson('[1]', 3)).toThrow('Template JSON in item 3 must be a JSON object (the template payload)');
	});
});

test('Send Attachment builds a template message with its options', () => {
	const built = sendAttachment.build({
		recipient: { type: 'id', value: '42' },
		messagingType: 'RESPONSE',
		attachment: { type: 'template', source: 'template', template: { templateType: 'button', text: 'Hi', buttons: [postback] } },
		options: { quickReplies: [{ contentType: 'text', title: 'Later', payload: 'LATER' }], metadata: 'm', notificationType: 'NO_PUSH' },
	});
	expect(built).toEqual({
		body: {
			recipient: { id: '42' },
			messaging_type: 'RESPONSE',
			message: {
				attachment: { type: 'template', payload: { template_type: 'button', text: 'Hi', buttons: [{ type: 'postback', title: 'Talk to us', payload: 'HELP' }] } },
				quick_replies: [{ content_type: 'text', title: 'Later', payload: 'LATER' }],
				metadata: 'm',
			},
			notification_type: 'NO_PUSH',
		},
	});
	expect(problem(built)).toBeUndefined();
	expect(problem({ ...built, file: { data: Buffer.from('x'), fileName: 'a', mimeType: 'text/plain' } })).toBe(
		'Attachment in item 0 is a template: it cannot carry a file',
	);
});
