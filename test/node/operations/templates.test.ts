// Templates built in the editor, run by n8n's engine against the Graph API emulator: for each
// template type the exact request body the emulator received, through Send Attachment (Attachment
// Type Template) and Send Message (Content Template); limit and parse errors refused before
// anything is sent. Through Tagged Update (customer feedback, HUMAN_AGENT): taggedUpdateTemplates.test.ts.
// Payloads follow shared/messenger-send-api.md ("Templates").
import { server, send, useGraphServer } from '../../helpers/fixtures';
import { receivedBody, recipient } from '../../helpers/operations';

useGraphServer();

const base = { operation: 'sendAttachment', recipientType: 'id', psid: '42', messagingType: 'RESPONSE', attachmentType: 'template' };

describe('Send Attachment, Attachment Type Template', () => {
	test('Generic: a carousel with every element field and each button type', async () => {
		const run = await send({
			...base,
			templateType: 'generic',
			imageAspectRatio: 'square',
			elements: {
				element: [
					{
						title: 'Blue shirt',
						subtitle: 'Size M',
						imageUrl: 'https://example.com/blue.jpg',
						defaultActionUrl: 'https://example.com/p/blue',
						buttons: {
							button: [
								{ type: 'web_url', title: 'View', url: 'https://example.com/p/blue' },
								{ type: 'postback', title: 'Buy', payload: 'BUY_BLUE' },
								{ type: 'phone_number', title: 'Call us', phoneNumber: '+15105551234' },
							],
						},
					},
					{ title: 'Red shirt' },
				],
			},
		});

		expect(run.error).toBeUndefined();
		expect(receivedBody()).toEqual({
			recipient,
			messaging_type: 'RESPONSE',
			message: {
				attachment: {
					type: 'template',
					payload: {
						template_type: 'generic',
						image_aspect_ratio: 'square',
						elements: [
							{
								title: 'Blue shirt',
								subtitle: 'Size M',
								image_url: 'https://example.com/blue.jpg',
								default_action: { type: 'web_url', url: 'https://example.com/p/blue' },
								buttons: [
									{ type: 'web_url', title: 'View', url: 'https://example.com/p/blue' },
									{ type: 'postback', title: 'Buy', payload: 'BUY_BLUE' },
									{ type: 'phone_number', title: 'Call us', payload: '+15105551234' },
								],
							},
							{ title: 'Red shirt' },
						],
					},
				},
			},
		});
		expect(run.items).toEqual([{ json: { recipient_id: '42', message_id: 'm_1', attempts: 1 }, pairedItem: { item: 0 } }]);
	});

	test('Button: text and buttons, with quick replies, metadata and notification type', async () => {
		const run = await send({
			...base,
			templateType: 'button',
			templateText: 'Your order #1042 has shipped',
			buttons: { button: [{ type: 'web_url', title: 'Track', url: 'https://example.com/t/1042' }, { type: 'postback', title: 'Help', payload: 'HELP' }] },
			options: { quickReplies: { reply: [{ contentType: 'text', title: 'Thanks', payload: 'THANKS' }] }, metadata: 'order-1042', notificationType: 'NO_PUSH' },
		});

		expect(run.error).toBeUndefined();
		expect(receivedBody()).toEqual({
			recipient,
			messaging_type: 'RESPONSE',
			message: {
				attachment: {
					type: 'template',
					payload: {
						template_type: 'button',
						text: 'Your order #1042 has shipped',
						buttons: [
							{ type: 'web_url', title: 'Track', url: 'https://example.com/t/1042' },
							{ type: 'postback', title: 'Help', payload: 'HELP' },
						],
					},
				},
				quick_replies: [{ content_type: 'text', title: 'Thanks', payload: 'THANKS' }],
				metadata: 'order-1042',
			},
			notification_type: 'NO_PUSH',
		});
	});

	test('Media: a Facebook URL with one button', async () => {
		const run = await send({
			...base,
			templateType: 'media',
			mediaType: 'video',
			mediaSource: 'url',
			mediaUrl: 'https://www.facebook.com/testshop/videos/1234567890',
			mediaButton: { button: { type: 'web_url', title: 'Shop now', url: 'https://example.com/shop' } },
		});

		expect(run.error).toBeUndefined();
		expect(receivedBody()).toEqual({
			recipient,
			messaging_type: 'RESPONSE',
			message: {
				attachment: {
					type: 'template',
					payload: {
						template_type: 'media',
						elements: [
							{
								media_type: 'video',
								url: 'https://www.facebook.com/testshop/videos/1234567890',
								buttons: [{ type: 'web_url', title: 'Shop now', url: 'https://example.com/shop' }],
							},
						],
					},
				},
			},
		});
	});

	test('Media: an attachment ID, no button', async () => {
		const run = await send({ ...base, templateType: 'media', mediaType: 'image', mediaSource: 'attachmentId', mediaAttachmentId: '1857000000000001' });

		expect(run.error).toBeUndefined();
		expect(receivedBody().message).toEqual({
			attachment: { type: 'template', payload: { template_type: 'media', elements: [{ media_type: 'image', attachment_id: '1857000000000001' }] } },
		});
	});

	test('Receipt: required fields, summary, address, adjustments and items', async () => {
		const run = await send({
			...base,
			templateType: 'receipt',
			recipientName: 'Ann Lee',
			orderNumber: '1042',
			currency: 'USD',
			paymentMethod: 'Visa 2345',
			totalCost: 56.14,
			receiptElements: { element: [{ title: 'Blue shirt', subtitle: 'Size M', quantity: 2, price: 50, currency: 'USD', imageUrl: 'https://example.com/blue.jpg' }] },
			receiptOptions: {
				merchantName: 'Test Shop',
				timestamp: '1428444852',
				subtotal: 75,
				shippingCost: 4.95,
				totalTax: 6.19,
				address: { address: { street1: '1 Main St', city: 'Menlo Park', postalCode: '94025', state: 'CA', country: 'US' } },
				adjustments: { adjustment: [{ name: 'New customer', amount: 20 }] },
			},
		});

		expect(run.error).toBeUndefined();
		expect(receivedBody().message).toEqual({
			attachment: {
				type: 'template',
				payload: {
					template_type: 'receipt',
					recipient_name: 'Ann Lee',
					merchant_name: 'Test Shop',
					order_number: '1042',
					currency: 'USD',
					payment_method: 'Visa 2345',
					timestamp: '1428444852',
					address: { street_1: '1 Main St', city: 'Menlo Park', postal_code: '94025', state: 'CA', country: 'US' },
					elements: [{ title: 'Blue shirt', subtitle: 'Size M', quantity: 2, price: 50, currency: 'USD', image_url: 'https://example.com/blue.jpg' }],
					summary: { subtotal: 75, shipping_cost: 4.95, total_tax: 6.19, total_cost: 56.14 },
					adjustments: [{ name: 'New customer', amount: 20 }],
				},
			},
		});
	});

	test('JSON: a payload from an expression, sent as given', async () => {
		const payload = { template_type: 'button', text: 'Hi Ann', buttons: [{ type: 'postback', title: 'Yes', payload: 'YES' }] };
		const run = await send({ ...base, templateType: 'json', templateJson: '={{ $json.template }}' }, { items: [{ json: { template: payload } }] });

		expect(run.error).toBeUndefined();
		expect(receivedBody().message).toEqual({ attachment: { type: 'template', payload } });
	});

	test('JSON: typed text, parsed', async () => {
		const run = await send({ ...base, templateType: 'json', templateJson: '{"template_type":"generic","elements":[{"title":"Hi"}]}' });

		expect(run.error).toBeUndefined();
		expect(receivedBody().message).toEqual({ attachment: { type: 'template', payload: { template_type: 'generic', elements: [{ title: 'Hi' }] } } });
	});
});

describe('Send Message, Content Template', () => {
	test('a button template as a UTILITY message, with quick replies from the options', async () => {
		const run = await send({
			operation: 'sendMessage',
			recipientType: 'id',
			psid: '42',
			messagingType: 'UTILITY',
			contentType: 'template',
			templateType: 'button',
			templateText: 'Your order #1042 has shipped',
			buttons: { button: [{ type: 'web_url', title: 'Track', url: 'https://example.com/t/1042' }] },
			options: { quickReplies: { reply: [{ contentType: 'text', title: 'Thanks', payload: 'THANKS' }] } },
		});

		expect(run.error).toBeUndefined();
		expect(receivedBody()).toEqual({
			recipient,
			messaging_type: 'UTILITY',
			message: {
				attachment: {
					type: 'template',
					payload: {
						template_type: 'button',
						text: 'Your order #1042 has shipped',
						buttons: [{ type: 'web_url', title: 'Track', url: 'https://example.com/t/1042' }],
					},
				},
				quick_replies: [{ content_type: 'text', title: 'Thanks', payload: 'THANKS' }],
			},
		});
	});

	test('a template limit is checked the same way as in Send Attachment', async () => {
		const run = await send({
			operation: 'sendMessage',
			recipientType: 'id',
			psid: '42',
			messagingType: 'RESPONSE',
			contentType: 'template',
			templateType: 'button',
			templateText: 'Pick one',
			buttons: { button: [{ type: 'postback', title: 'x'.repeat(21), payload: 'P' }] },
		});
		expect(run.error?.message).toBe('Button 1 Title in item 0: 21 characters, more than the limit of 20 (a button title has at most 20 characters)');
		expect(server.requests).toHaveLength(0);
	});
});

describe('refused before sending', () => {
	test.each([
		[
			'a 21-character button title',
			{ templateType: 'button', templateText: 'Hi', buttons: { button: [{ type: 'postback', title: 'x'.repeat(21), payload: 'P' }] } },
			'Button 1 Title in item 0: 21 characters, more than the limit of 20 (a button title has at most 20 characters)',
		],
		[
			'11 carousel elements',
			{ templateType: 'generic', elements: { element: Array.from({ length: 11 }, (_, i) => ({ title: `Card ${i}` })) } },
			'Elements in item 0: 11 elements, more than the limit of 10 (a generic template has 1 to 10 elements)',
		],
		[
			'a JSON payload past a limit',
			{ templateType: 'json', templateJson: JSON.stringify({ template_type: 'button', text: 'x'.repeat(641), buttons: [{ type: 'postback', title: 'Y', payload: 'Y' }] }) },
			'Template Text in item 0: 641 characters, more than the limit of 640 (a button template text has at most 640 characters)',
		],
		['JSON that does not parse', { templateType: 'json', templateJson: '{"template_type": "button",' }, /^Template JSON in item 0 is not valid JSON: /],
	])('%s', async (_name, parameters, message) => {
		const run = await send({ ...base, ...parameters });

		expect(run.error?.message).toMatch(message);
		expect(server.requests).toHaveLength(0);
	});

	test('with Continue On Fail: the item with the error, the others sent', async () => {
		const run = await send(
			{ ...base, templateType: 'button', templateText: '={{ $json.text }}', buttons: { button: [{ type: 'postback', title: 'OK', payload: 'OK' }] }, delivery: { batching: false } },
			{ items: [{ json: { text: 'Fine' } }, { json: { text: 'x'.repeat(641) } }], continueOnFail: true },
		);

		expect(run.items[1]).toEqual({
			json: { error: 'Template Text in item 1: 641 characters, more than the limit of 640 (a button template text has at most 640 characters)', attempts: 0 },
			pairedItem: { item: 1 },
		});
		expect(run.items[0].json.message_id).toBe('m_1');
		expect(server.requests).toHaveLength(1);
	});
});
