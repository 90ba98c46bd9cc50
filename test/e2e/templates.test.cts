// Templates and Upload Attachment in the real n8n (the version's shared `n8n start`, the package
// installed as users have it; each workflow started by a POST to its webhook) against the Graph API emulator: every template type built from editor fields, JSON from
// an expression, the customer feedback survey built from its fields in a tagged update, and uploads from a URL and from
// a PDF read from disk whose attachment_ids are then used downstream through expressions.
// Assertions: the exact bodies the emulator received, in workflow order, and n8n's output items.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { GraphEmulator } from '../../emulator/graphEmulator.cjs';
import { EXAMPLE_FILES } from '../../scripts/n8n.cjs';
import { lastOutput as outputOf } from './support/rest.cjs';
import { useSharedN8n } from './support/sharedN8n.cjs';
import { runOk, startedByWebhook } from './support/webhookRuns.cjs';
import { chainWorkflow } from './workflows.cjs';

jest.setTimeout(120_000);

const PAGE = { id: '1029384756', name: 'Demo Shop', token: 'E2E-TEMPLATES-TOKEN', appSecret: 'E2E-TEMPLATES-SECRET', requireAppSecretProof: true };
const ANN = '6789012345678901';
const BO = '7000000000000002';

const emulator = new GraphEmulator({ pages: [PAGE] });
/** This suite's own (the shared n8n holds every suite's credentials). */
const CREDENTIAL = { id: 'msgrE2eTmplCred1', name: 'Messenger Page (templates e2e)' };

const send = { operation: 'sendAttachment', recipientType: 'id', psid: ANN, messagingType: 'RESPONSE', attachmentType: 'template' };

/** What the "JSON from an expression" node reads: a template that arrives as data, not typed in the node. */
const RATING_TEMPLATE = {
	template_type: 'button',
	text: 'Order 1042 arrived. How was the delivery?',
	buttons: [
		{ type: 'postback', title: 'Great', payload: 'RATE_1042_GOOD' },
		{ type: 'postback', title: 'Not great', payload: 'RATE_1042_BAD' },
	],
};
/** What the "Customer feedback" node's fields build (its unset fields keep the editor's defaults). */
const FEEDBACK_TEMPLATE = {
	template_type: 'customer_feedback',
	title: 'Rate your experience with Demo Shop',
	subtitle: 'Tell us how we did with order 1042',
	button_title: 'Rate Experience',
	feedback_screens: [{ questions: [{ id: 'rating', type: 'nps', score_option: 'zero_to_ten', follow_up: { type: 'free_form', placeholder: 'What could we do better?' } }] }],
	business_privacy: { url: 'https://example.com/privacy' },
	expires_in_days: 7,
};

const templates = chainWorkflow('msgrE2eTemplate1', 'e2e: every template type', [
	{ name: 'Order data', type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { mode: 'raw', jsonOutput: JSON.stringify({ order: '1042', rating: RATING_TEMPLATE }), options: {} } },
	{ name: 'Upload banner', parameters: { operation: 'uploadAttachment', attachmentType: 'image', attachmentSource: 'url', attachmentUrl: 'https://example.com/banner-1042.jpg' } },
	{
		name: 'Generic carousel',
		parameters: {
			...send,
			templateType: 'generic',
			imageAspectRatio: 'square',
			elements: {
				element: [
					{
						title: 'Blue shirt',
						subtitle: 'Size M, 100% cotton',
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
					{
						title: 'Red shirt',
						subtitle: 'Size L',
						imageUrl: 'https://example.com/red.jpg',
						buttons: { button: [{ type: 'postback', title: 'Buy', payload: 'BUY_RED' }] },
					},
					{ title: 'Gift card' },
				],
			},
			options: { metadata: 'carousel-1042' },
		},
	},
	{
		name: 'Button template',
		parameters: {
			...send,
			templateType: 'button',
			templateText: 'Your order #1042 has shipped',
			buttons: {
				button: [
					{ type: 'web_url', title: 'Track', url: 'https://example.com/t/1042' },
					{ type: 'postback', title: 'Help', payload: 'HELP_1042' },
					{ type: 'phone_number', title: 'Call support', phoneNumber: '+15105550000' },
				],
			},
		},
	},
	{
		name: 'Media by attachment ID',
		parameters: {
			...send,
			templateType: 'media',
			mediaType: 'image',
			mediaSource: 'attachmentId',
			mediaAttachmentId: "={{ $('Upload banner').item.json.attachment_id }}",
			mediaButton: { button: { type: 'web_url', title: 'Shop now', url: 'https://example.com/shop' } },
		},
	},
	{
		name: 'Media by Facebook URL',
		parameters: { ...send, templateType: 'media', mediaType: 'video', mediaSource: 'url', mediaUrl: 'https://www.facebook.com/testshop/videos/1234567890' },
	},
	{
		name: 'Receipt',
		parameters: {
			...send,
			templateType: 'receipt',
			recipientName: 'Ann Lee',
			orderNumber: "={{ $('Order data').item.json.order }}",
			currency: 'USD',
			paymentMethod: 'Visa 2345',
			totalCost: 56.14,
			receiptElements: {
				element: [
					{ title: 'Blue shirt', subtitle: 'Size M', quantity: 2, price: 50, currency: 'USD', imageUrl: 'https://example.com/blue.jpg' },
					{ title: 'Gift card', quantity: 1, price: 25 },
				],
			},
			receiptOptions: {
				merchantName: 'Demo Shop',
				timestamp: '1428444852',
				subtotal: 75,
				shippingCost: 4.95,
				totalTax: 6.19,
				address: { address: { street1: '1 Main St', city: 'Menlo Park', postalCode: '94025', state: 'CA', country: 'US' } },
				adjustments: { adjustment: [{ name: 'New customer', amount: 20 }] },
			},
		},
	},
	{ name: 'JSON from expression', parameters: { ...send, templateType: 'json', templateJson: "={{ $('Order data').item.json.rating }}" } },
	{
		name: 'Customer feedback',
		parameters: {
			operation: 'taggedUpdate',
			recipientType: 'id',
			psid: BO,
			tag: 'CUSTOMER_FEEDBACK',
			contentType: 'template',
			templateType: 'customer_feedback',
			feedbackTitle: 'Rate your experience with Demo Shop',
			feedbackSubtitle: "=Tell us how we did with order {{ $('Order data').item.json.order }}",
			feedbackQuestionType: 'nps',
			feedbackFollowUp: true,
			feedbackFollowUpPlaceholder: 'What could we do better?',
			feedbackPrivacyUrl: 'https://example.com/privacy',
			feedbackExpiresInDays: 7,
		},
	},
], CREDENTIAL);

const uploads = chainWorkflow('msgrE2eUploads01', 'e2e: upload once, send by ID', [
	{ name: 'Upload menu', parameters: { operation: 'uploadAttachment', attachmentType: 'file', attachmentSource: 'url', attachmentUrl: 'https://example.com/menu-1042.pdf' } },
	{ name: 'Read invoice', type: 'n8n-nodes-base.readWriteFile', typeVersion: 1, parameters: { operation: 'read', fileSelector: path.join(EXAMPLE_FILES, 'invoice-1042.pdf'), options: {} } },
	{ name: 'Upload invoice', parameters: { operation: 'uploadAttachment', attachmentType: 'file', attachmentSource: 'binary', binaryPropertyName: 'data' } },
	{
		name: 'Send invoice by ID',
		parameters: { operation: 'sendAttachment', recipientType: 'id', psid: ANN, messagingType: 'RESPONSE', attachmentType: 'file', attachmentSource: 'attachmentId', attachmentId: '={{ $json.attachment_id }}' },
	},
	{
		name: 'Send menu by ID',
		parameters: {
			operation: 'sendAttachment',
			recipientType: 'user_ref',
			userRef: 'checkbox-ref-42',
			messagingType: 'UPDATE',
			attachmentType: 'file',
			attachmentSource: 'attachmentId',
			attachmentId: "={{ $('Upload menu').item.json.attachment_id }}",
		},
	},
], CREDENTIAL);

const WORKFLOWS = [templates, uploads].map(startedByWebhook);

const shared = useSharedN8n({
	before: async () => {
		await emulator.start();
		return {
			credentials: [
				{ ...CREDENTIAL, type: 'messengerPageApi', data: { accessToken: PAGE.token, appSecret: PAGE.appSecret, apiVersion: 'v25.0', baseUrl: emulator.url } },
			],
			workflows: WORKFLOWS,
		};
	},
	after: () => emulator.stop(),
});
beforeAll(async () => {
	for (const workflow of WORKFLOWS) await shared().rest.activate(String(workflow.id));
}, 5 * 60_000);

beforeEach(() => emulator.reset());

const executeOk = (id: string) => runOk(shared().rest, id);

const template = (payload: Record<string, unknown>) => ({ attachment: { type: 'template', payload } });

test('every template type, built from fields, JSON and expressions: exact bodies in workflow order, output items', async () => {
	const run = await executeOk('msgrE2eTemplate1');

	const [banner] = outputOf(run, 'Upload banner');
	const bannerId = String(banner.json.attachment_id);
	expect(bannerId).toMatch(/^\d+$/);
	expect(banner).toEqual({ json: { attachment_id: bannerId, attempts: 1 }, pairedItem: { item: 0 } });

	expect(emulator.requests.map((request) => request.path)).toEqual([
		'/v25.0/me/message_attachments',
		...Array(7).fill('/v25.0/me/messages'),
	]);
	expect(emulator.requests.map((request) => request.body)).toEqual([
		{ message: { attachment: { type: 'image', payload: { url: 'https://example.com/banner-1042.jpg', is_reusable: true } } } },
		{
			recipient: { id: ANN },
			messaging_type: 'RESPONSE',
			message: {
				...template({
					template_type: 'generic',
					image_aspect_ratio: 'square',
					elements: [
						{
							title: 'Blue shirt',
							subtitle: 'Size M, 100% cotton',
							image_url: 'https://example.com/blue.jpg',
							default_action: { type: 'web_url', url: 'https://example.com/p/blue' },
							buttons: [
								{ type: 'web_url', title: 'View', url: 'https://example.com/p/blue' },
								{ type: 'postback', title: 'Buy', payload: 'BUY_BLUE' },
								{ type: 'phone_number', title: 'Call us', payload: '+15105551234' },
							],
						},
						{ title: 'Red shirt', subtitle: 'Size L', image_url: 'https://example.com/red.jpg', buttons: [{ type: 'postback', title: 'Buy', payload: 'BUY_RED' }] },
						{ title: 'Gift card' },
					],
				}),
				metadata: 'carousel-1042',
			},
		},
		{
			recipient: { id: ANN },
			messaging_type: 'RESPONSE',
			message: template({
				template_type: 'button',
				text: 'Your order #1042 has shipped',
				buttons: [
					{ type: 'web_url', title: 'Track', url: 'https://example.com/t/1042' },
					{ type: 'postback', title: 'Help', payload: 'HELP_1042' },
					{ type: 'phone_number', title: 'Call support', payload: '+15105550000' },
				],
			}),
		},
		{
			recipient: { id: ANN },
			messaging_type: 'RESPONSE',
			message: template({
				template_type: 'media',
				elements: [{ media_type: 'image', attachment_id: bannerId, buttons: [{ type: 'web_url', title: 'Shop now', url: 'https://example.com/shop' }] }],
			}),
		},
		{
			recipient: { id: ANN },
			messaging_type: 'RESPONSE',
			message: template({ template_type: 'media', elements: [{ media_type: 'video', url: 'https://www.facebook.com/testshop/videos/1234567890' }] }),
		},
		{
			recipient: { id: ANN },
			messaging_type: 'RESPONSE',
			message: template({
				template_type: 'receipt',
				recipient_name: 'Ann Lee',
				merchant_name: 'Demo Shop',
				order_number: '1042',
				currency: 'USD',
				payment_method: 'Visa 2345',
				timestamp: '1428444852',
				address: { street_1: '1 Main St', city: 'Menlo Park', postal_code: '94025', state: 'CA', country: 'US' },
				elements: [
					{ title: 'Blue shirt', subtitle: 'Size M', quantity: 2, price: 50, currency: 'USD', image_url: 'https://example.com/blue.jpg' },
					{ title: 'Gift card', quantity: 1, price: 25 },
				],
				summary: { subtotal: 75, shipping_cost: 4.95, total_tax: 6.19, total_cost: 56.14 },
				adjustments: [{ name: 'New customer', amount: 20 }],
			}),
		},
		{ recipient: { id: ANN }, messaging_type: 'RESPONSE', message: template(RATING_TEMPLATE) },
		{ recipient: { id: BO }, messaging_type: 'MESSAGE_TAG', tag: 'CUSTOMER_FEEDBACK', message: template(FEEDBACK_TEMPLATE) },
	]);
	for (const request of emulator.requests) {
		expect(request.method).toBe('POST');
		expect(request.headers['content-type']).toBe('application/json');
		expect(request.headers.authorization).toBe(`Bearer ${PAGE.token}`);
		expect(request.query.appsecret_proof).toMatch(/^[0-9a-f]{64}$/);
	}

	// The upload delivered nothing; the seven sends each delivered one message.
	expect(emulator.inbox.map((entry) => entry.recipientKey)).toEqual([...Array(6).fill(`id:${ANN}`), `id:${BO}`]);
	const sends = ['Generic carousel', 'Button template', 'Media by attachment ID', 'Media by Facebook URL', 'Receipt', 'JSON from expression'];
	sends.forEach((name, index) => {
		expect(outputOf(run, name)).toEqual([{ json: { recipient_id: ANN, message_id: `m_${index + 1}`, attempts: 1 }, pairedItem: { item: 0 } }]);
	});
	expect(outputOf(run, 'Customer feedback')).toEqual([{ json: { recipient_id: BO, message_id: 'm_7', attempts: 1 }, pairedItem: { item: 0 } }]);
	expect(run.resultData.lastNodeExecuted).toBe('Customer feedback');
});

test('upload from a URL and from a PDF read from disk, then send both by the returned attachment_id', async () => {
	const run = await executeOk('msgrE2eUploads01');
	const pdf = readFileSync(path.join(EXAMPLE_FILES, 'invoice-1042.pdf'));

	const [menu] = outputOf(run, 'Upload menu');
	const [invoice] = outputOf(run, 'Upload invoice');
	const menuId = String(menu.json.attachment_id);
	const invoiceId = String(invoice.json.attachment_id);
	expect(menuId).toMatch(/^\d+$/);
	expect(invoiceId).toMatch(/^\d+$/);
	expect(invoiceId).not.toBe(menuId);
	expect(menu).toEqual({ json: { attachment_id: menuId, attempts: 1 }, pairedItem: { item: 0 } });
	expect(invoice).toEqual({ json: { attachment_id: invoiceId, attempts: 1 }, pairedItem: { item: 0 } });
	// The Read/Write Files from Disk node handed the PDF on as binary data.
	expect(outputOf(run, 'Read invoice')[0].binary).toMatchObject({ data: { fileName: 'invoice-1042.pdf', mimeType: 'application/pdf' } });

	expect(emulator.requests.map((request) => request.path)).toEqual([
		'/v25.0/me/message_attachments',
		'/v25.0/me/message_attachments',
		'/v25.0/me/messages',
		'/v25.0/me/messages',
	]);
	const [menuUpload, invoiceUpload, invoiceSend, menuSend] = emulator.requests;
	expect(menuUpload.headers['content-type']).toBe('application/json');
	expect(menuUpload.body).toEqual({ message: { attachment: { type: 'file', payload: { url: 'https://example.com/menu-1042.pdf', is_reusable: true } } } });
	expect(invoiceUpload.headers['content-type']).toMatch(/^multipart\/form-data/);
	expect(invoiceUpload.body).toEqual({ message: JSON.stringify({ attachment: { type: 'file', payload: { is_reusable: true } } }) });
	expect(invoiceUpload.files.filedata.fileName).toBe('invoice-1042.pdf');
	expect(invoiceUpload.files.filedata.mimeType).toBe('application/pdf');
	expect(invoiceUpload.files.filedata.data.equals(pdf)).toBe(true);
	expect(invoiceSend.body).toEqual({ recipient: { id: ANN }, messaging_type: 'RESPONSE', message: { attachment: { type: 'file', payload: { attachment_id: invoiceId } } } });
	expect(menuSend.body).toEqual({
		recipient: { user_ref: 'checkbox-ref-42' },
		messaging_type: 'UPDATE',
		message: { attachment: { type: 'file', payload: { attachment_id: menuId } } },
	});

	expect(emulator.inbox.map((entry) => entry.message)).toEqual([
		{ attachment: { type: 'file', payload: { attachment_id: invoiceId } } },
		{ attachment: { type: 'file', payload: { attachment_id: menuId } } },
	]);
	expect(outputOf(run, 'Send invoice by ID')).toEqual([{ json: { recipient_id: ANN, message_id: 'm_1', attempts: 1 }, pairedItem: { item: 0 } }]);
	expect(outputOf(run, 'Send menu by ID')).toEqual([{ json: { message_id: 'm_2', attempts: 1 }, pairedItem: { item: 0 } }]);
});
