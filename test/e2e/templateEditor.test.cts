// The template editor and Upload Attachment in the real n8n editor (2.8.4, 2.40.7 or 1.123.81 by
// N8N_TEST_VERSION, the package loaded as users install it) in Chromium through playwright-core:
// Send Attachment → Template shows the template fields and hides the Source fields, the template's
// values are shown as imported, Tagged Update → Content Template → Customer Feedback shows the
// survey fields, Upload Attachment shows no recipient fields.
// Screenshots: test-results/template-editor/ on n8n 2.8.4 (the best ones are copied to
// docs/screenshots/), a temporary folder on the other versions (see screenshotFolder).
import path from 'node:path';

import { EditorSession, useEditorSession } from './editorSession.cjs';
import { editorWorkflow, TRIGGER_NAME, type EditorNodeSpec } from './editorWorkflow.cjs';
import { ROOT } from '../../scripts/n8n.cjs';

jest.setTimeout(120_000);

const PSID = '6789012345678901';

const ROWS: EditorNodeSpec[][] = [
	[
		{
			name: 'Product carousel',
			parameters: {
				operation: 'sendAttachment',
				recipientType: 'id',
				psid: PSID,
				messagingType: 'RESPONSE',
				attachmentType: 'template',
				templateType: 'generic',
				imageAspectRatio: 'square',
				elements: {
					element: [
						{
							title: 'Blue shirt',
							subtitle: 'Size M, 100% cotton',
							imageUrl: 'https://example.com/blue.jpg',
							buttons: {
								button: [
									{ type: 'web_url', title: 'View', url: 'https://example.com/p/blue' },
									{ type: 'postback', title: 'Buy', payload: 'BUY_BLUE' },
								],
							},
						},
						{
							title: 'Red shirt',
							subtitle: 'Size L',
							imageUrl: 'https://example.com/red.jpg',
							buttons: { button: [{ type: 'phone_number', title: 'Call us', phoneNumber: '+15105551234' }] },
						},
					],
				},
			},
		},
		{
			name: 'Shipping notice',
			parameters: {
				operation: 'sendAttachment',
				recipientType: 'id',
				psid: PSID,
				messagingType: 'UPDATE',
				attachmentType: 'template',
				templateType: 'button',
				templateText: 'Your order #1042 has shipped',
				buttons: {
					button: [
						{ type: 'web_url', title: 'Track', url: 'https://example.com/t/1042' },
						{ type: 'postback', title: 'Help', payload: 'HELP_1042' },
					],
				},
			},
		},
	],
	[
		{
			name: 'Feedback survey',
			parameters: {
				operation: 'taggedUpdate',
				recipientType: 'id',
				psid: PSID,
				tag: 'CUSTOMER_FEEDBACK',
				contentType: 'template',
				templateType: 'customer_feedback',
				feedbackTitle: 'Rate your experience with Demo Shop',
				feedbackSubtitle: 'Tell us how we did with order 1042',
				feedbackQuestionType: 'csat',
				feedbackScoreOption: 'five_emojis',
				feedbackQuestionId: 'support_csat',
				feedbackFollowUp: true,
				feedbackFollowUpPlaceholder: 'What could we do better?',
				feedbackPrivacyUrl: 'https://example.com/privacy',
				feedbackExpiresInDays: 3,
			},
		},
	],
	[
		{
			name: 'Upload menu',
			parameters: { operation: 'uploadAttachment', attachmentType: 'file', attachmentSource: 'url', attachmentUrl: 'https://example.com/menu-1042.pdf' },
		},
	],
];

const session = new EditorSession({
	workflow: editorWorkflow(ROWS, 'msgrTemplateEdit1', 'Messenger Send: templates and uploads'),
	screenshots: path.join(ROOT, 'test-results', 'template-editor'),
});

/** The top-level fields a case asserts on: recipient, message, source and template fields. */
const FIELDS = [
	'recipientType',
	'psid',
	'messagingType',
	'text',
	'tag',
	'contentType',
	'attachmentType',
	'attachmentSource',
	'attachmentUrl',
	'attachmentId',
	'binaryPropertyName',
	'isReusable',
	'templateType',
	'imageAspectRatio',
	'templateText',
	'mediaType',
	'mediaSource',
	'mediaAttachmentId',
	'mediaUrl',
	'recipientName',
	'orderNumber',
	'currency',
	'paymentMethod',
	'totalCost',
	'templateJson',
	'feedbackTitle',
	'feedbackSubtitle',
	'feedbackButtonTitle',
	'feedbackQuestionType',
	'feedbackScoreOption',
	'feedbackQuestionTitle',
	'feedbackQuestionId',
	'feedbackFollowUp',
	'feedbackFollowUpPlaceholder',
	'feedbackPrivacyUrl',
	'feedbackExpiresInDays',
] as const;

const SOURCE_FIELDS = ['attachmentSource', 'attachmentUrl', 'attachmentId', 'binaryPropertyName', 'isReusable'];

/** Takes a screenshot with the pointer parked on the empty output pane (no hover toolbars on fields). */
async function screenshot(name: string): Promise<void> {
	await session.page.mouse.move(1300, 1100);
	await session.screenshot(name);
}

async function expectShown(expected: string[]): Promise<void> {
	expect(await session.shownOf(FIELDS, expected)).toEqual([...expected].sort());
}

/** A fixed collection of the open panel (`fixed-collection-<name>`), the first one if nested ones share the name. */
const collection = (name: string) => session.ndv.locator(`[data-test-id="fixed-collection-${name}"]`).first();

/** The values of the `name` inputs in `scope`, leaving out those nested in a `fixed-collection-<exclude>`. */
async function inputValues(scope: ReturnType<typeof collection>, name: string, exclude?: string): Promise<string[]> {
	return await scope.locator(`[data-test-id="parameter-input-${name}"] input, [data-test-id="parameter-input-${name}"] textarea`).evaluateAll(
		(inputs, skip) =>
			inputs
				.filter((input) => !skip || !input.closest(`[data-test-id="fixed-collection-${skip}"]`))
				.map((input) => (input as HTMLInputElement).value),
		exclude,
	);
}

useEditorSession(session, async () => {
	// Taller than editor.test.ts: a template with its buttons fits in one screenshot.
	await session.page.setViewportSize({ width: 1440, height: 1200 });
});

test('the workflow opens with the template and upload nodes', async () => {
	await session.canvasNode('Upload menu').waitFor();
	expect((await session.canvasNodeNames()).sort()).toEqual(
		[TRIGGER_NAME, 'Product carousel', 'Shipping notice', 'Feedback survey', 'Upload menu'].sort(),
	);
	await screenshot('canvas');
});

test('Send Attachment → Template → Generic: the template fields with two elements and their buttons, no Source fields', async () => {
	await session.openNode('Product carousel');
	await expectShown(['recipientType', 'psid', 'messagingType', 'attachmentType', 'templateType', 'imageAspectRatio']);
	expect(await session.selectedOption('operation')).toBe('Send Attachment');
	expect(await session.selectedOption('attachmentType')).toBe('Template');
	expect(await session.selectedOption('templateType')).toBe('Generic');
	expect(await session.selectedOption('imageAspectRatio')).toBe('Square');
	for (const field of SOURCE_FIELDS) expect(await session.parameter(field).count()).toBe(0);

	const elements = collection('elements');
	await elements.waitFor();
	await elements.locator('[data-test-id="parameter-input-title"]').nth(4).waitFor();
	expect(await inputValues(elements, 'title', 'buttons')).toEqual(['Blue shirt', 'Red shirt']);
	expect(await inputValues(elements, 'subtitle', 'buttons')).toEqual(['Size M, 100% cotton', 'Size L']);
	const buttonTitles = await elements.locator('[data-test-id="fixed-collection-buttons"] [data-test-id="parameter-input-title"] input').evaluateAll((inputs) =>
		inputs.map((input) => (input as HTMLInputElement).value),
	);
	expect(buttonTitles).toEqual(['View', 'Buy', 'Call us']);
	expect(await inputValues(elements, 'url')).toEqual(['https://example.com/p/blue']);
	expect(await inputValues(elements, 'payload')).toEqual(['BUY_BLUE']);
	expect(await inputValues(elements, 'phoneNumber')).toEqual(['+15105551234']);

	await session.scrollTo('attachmentType');
	await screenshot('template-generic');

	// Switching back to a file type brings the Source fields back and hides the template.
	await session.choose('attachmentType', 'Image');
	await expectShown(['recipientType', 'psid', 'messagingType', 'attachmentType', 'attachmentSource', 'attachmentUrl', 'isReusable']);
	expect(await collection('elements').count()).toBe(0);
	await session.choose('attachmentType', 'Template');
	await expectShown(['recipientType', 'psid', 'messagingType', 'attachmentType', 'templateType', 'imageAspectRatio']);
});

test('the Template Type dropdown offers all five types, and each shows only its own fields', async () => {
	await session.openNode('Product carousel');
	expect(await session.openDropdown('templateType')).toEqual(['Button', 'Generic', 'JSON', 'Media', 'Receipt']);
	await screenshot('template-types');
	await session.closeDropdown();

	const common = ['recipientType', 'psid', 'messagingType', 'attachmentType', 'templateType'];
	await session.choose('templateType', 'Media');
	await expectShown([...common, 'mediaType', 'mediaSource', 'mediaAttachmentId']);
	await session.choose('mediaSource', 'Facebook URL');
	await expectShown([...common, 'mediaType', 'mediaSource', 'mediaUrl']);
	await session.choose('templateType', 'Receipt');
	await expectShown([...common, 'recipientName', 'orderNumber', 'currency', 'paymentMethod', 'totalCost']);
	await screenshot('template-receipt');
	await session.choose('templateType', 'JSON');
	await expectShown([...common, 'templateJson']);
	await session.choose('templateType', 'Button');
	await expectShown([...common, 'templateText']);
});

test('Button template: the text and its buttons', async () => {
	await session.openNode('Shipping notice');
	await expectShown(['recipientType', 'psid', 'messagingType', 'attachmentType', 'templateType', 'templateText']);
	expect(await session.selectedOption('templateType')).toBe('Button');
	await expect(session.parameter('templateText').locator('textarea').inputValue()).resolves.toBe('Your order #1042 has shipped');
	const buttons = collection('buttons');
	await buttons.locator('[data-test-id="parameter-input-title"]').nth(1).waitFor();
	expect(await inputValues(buttons, 'title')).toEqual(['Track', 'Help']);
	expect(await inputValues(buttons, 'url')).toEqual(['https://example.com/t/1042']);
	expect(await inputValues(buttons, 'payload')).toEqual(['HELP_1042']);
	for (const field of SOURCE_FIELDS) expect(await session.parameter(field).count()).toBe(0);
	await session.scrollTo('attachmentType');
	await screenshot('template-button');
});

test('Tagged Update → Content Template → Customer Feedback: the survey built from fields, no JSON, text or Source fields', async () => {
	await session.openNode('Feedback survey');
	const survey = ['feedbackTitle', 'feedbackSubtitle', 'feedbackButtonTitle', 'feedbackQuestionType', 'feedbackQuestionTitle', 'feedbackQuestionId', 'feedbackFollowUp', 'feedbackPrivacyUrl', 'feedbackExpiresInDays'];
	const tagged = ['recipientType', 'psid', 'tag', 'contentType', 'templateType'];
	await expectShown([...tagged, ...survey, 'feedbackScoreOption', 'feedbackFollowUpPlaceholder']);
	expect(await session.selectedOption('operation')).toBe('Tagged Update');
	expect(await session.selectedOption('tag')).toBe('Customer Feedback');
	expect(await session.selectedOption('contentType')).toBe('Template');
	expect(await session.selectedOption('templateType')).toBe('Customer Feedback');
	expect(await session.selectedOption('feedbackQuestionType')).toBe('CSAT (1 to 5)');
	expect(await session.selectedOption('feedbackScoreOption')).toBe('Five Emojis');
	const value = async (name: string) => await session.parameter(name).locator('input').first().inputValue();
	expect(await value('feedbackTitle')).toBe('Rate your experience with Demo Shop');
	expect(await value('feedbackButtonTitle')).toBe('Rate Experience');
	expect(await value('feedbackPrivacyUrl')).toBe('https://example.com/privacy');
	expect(await value('feedbackFollowUpPlaceholder')).toBe('What could we do better?');
	for (const field of [...SOURCE_FIELDS, 'templateJson', 'text']) expect(await session.parameter(field).count()).toBe(0);
	await session.scrollTo('templateType');
	await screenshot('template-customer-feedback');

	// Tagged Update offers the survey among its template types (Send Attachment does not: it has no tag).
	expect(await session.openDropdown('templateType')).toEqual(['Button', 'Customer Feedback', 'Generic', 'JSON', 'Media', 'Receipt']);
	await session.closeDropdown();
	expect(await session.openDropdown('feedbackQuestionType')).toEqual(['CES (1 to 7)', 'CSAT (1 to 5)', 'NPS (0 to 10)']);
	await session.closeDropdown();
	// NPS and CES have one score display each: the choice goes away.
	await session.choose('feedbackQuestionType', 'NPS (0 to 10)');
	await expectShown([...tagged, ...survey, 'feedbackFollowUpPlaceholder']);
	await session.choose('feedbackQuestionType', 'CSAT (1 to 5)');
	await expectShown([...tagged, ...survey, 'feedbackScoreOption', 'feedbackFollowUpPlaceholder']);
});

test('Upload Attachment: type, source and URL with the notice, and no recipient or message fields', async () => {
	await session.openNode('Upload menu');
	await expectShown(['attachmentType', 'attachmentSource', 'attachmentUrl']);
	expect(await session.selectedOption('operation')).toBe('Upload Attachment');
	expect(await session.selectedOption('attachmentType')).toBe('File');
	expect(await session.selectedOption('attachmentSource')).toBe('URL');
	await expect(session.parameter('attachmentUrl').locator('input').inputValue()).resolves.toBe('https://example.com/menu-1042.pdf');
	for (const field of ['recipientType', 'psid', 'userRef', 'commentId', 'postId', 'messagingType', 'isReusable', 'templateType']) {
		expect(await session.parameter(field).count()).toBe(0);
	}
	await expect(session.ndv.locator('[data-test-id="node-parameters"]').innerText()).resolves.toContain('Returns an attachment_id');
	await screenshot('upload-attachment');

	expect(await session.openDropdown('attachmentSource')).toEqual(['Binary Data From Input', 'URL']);
	await session.closeDropdown();
	await session.choose('attachmentSource', 'Binary Data From Input');
	await expectShown(['attachmentType', 'attachmentSource', 'binaryPropertyName']);
	await screenshot('upload-attachment-binary');
});
