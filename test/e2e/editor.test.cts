// The node in the real n8n editor (2.8.4, 2.40.7 or 1.123.81 by N8N_TEST_VERSION, the package
// loaded as users install it) in a real browser (Chromium through playwright-core): what a user
// sees in the parameter panel for every operation and recipient type, a few real dropdown
// interactions, and the credential test through n8n's REST API against the Graph API emulator.
// Screenshots: test-results/editor/ on n8n 2.8.4 (the README's), a temporary folder on the other
// versions (see screenshotFolder).
import { MessengerPageApi } from '../../credentials/MessengerPageApi.credentials';
import { CREDENTIAL, PAGE, TRIGGER_NAME, WORKFLOW_ID } from './editorWorkflow.cjs';
import { EditorSession, useEditorSession } from './editorSession.cjs';
import { rlcInput } from './profileEditor.cjs';

jest.setTimeout(120_000);

const session = new EditorSession();

/** Every operation-specific field of the node: a case asserts which of these the panel shows. */
const FIELDS = [
	'psid',
	'userRef',
	'commentId',
	'postId',
	'messagingType',
	'text',
	'attachmentType',
	'attachmentSource',
	'attachmentUrl',
	'attachmentId',
	'binaryPropertyName',
	'isReusable',
	'senderAction',
	'messageId',
	'reaction',
	'personaId',
	'tag',
	'contentType',
	'templateType',
	'templateText',
] as const;

async function expectShown(expected: string[]): Promise<void> {
	expect(await session.shownOf(FIELDS, expected)).toEqual([...expected].sort());
}

useEditorSession(session);

test('the workflow opens on the canvas with every Messenger Send node', async () => {
	// start() signed in and opened /workflow/<id>.
	expect(new URL(session.page.url()).pathname).toBe(`/workflow/${WORKFLOW_ID}`);
	await session.canvasNode('Follow-up (after 24 h)').waitFor();

	expect((await session.canvasNodeNames()).sort()).toEqual(
		[
			TRIGGER_NAME,
			'Reply with quick replies',
			'Message to user ref',
			'Private reply to comment',
			'Private reply to post',
			'Photo from URL',
			'Saved attachment',
			'Invoice from binary',
			'Show typing',
			'React with a heart',
			'Follow-up (after 24 h)',
		].sort(),
	);
	// The subtitle under each node is its operation.
	await expect(session.canvasNode('Show typing').innerText()).resolves.toContain('senderAction');
	await session.screenshot('canvas');
});

describe('Send Message', () => {
	test('with quick replies: recipient, messaging type, text and the quick replies under Options', async () => {
		await session.openNode('Reply with quick replies');
		await expectShown(['psid', 'messagingType', 'contentType', 'text']);
		expect(await session.selectedOption('operation')).toBe('Send Message');
		expect(await session.selectedOption('recipientType')).toBe('PSID');
		expect(await session.selectedOption('messagingType')).toBe('Response');
		await expect(session.parameter('text').locator('textarea').inputValue()).resolves.toBe('Hi Ann! Your order #1042 has shipped 📦');
		await expect(session.ndv.locator('[data-test-id="node-credentials-select"] input').inputValue()).resolves.toBe(CREDENTIAL.name);

		const quickReplies = session.ndv.locator('[data-test-id="fixed-collection-quickReplies"]');
		await quickReplies.locator('[data-test-id="parameter-input-title"]').nth(1).waitFor();
		const titles = quickReplies.locator('[data-test-id="parameter-input-title"] input');
		expect(await titles.evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value))).toEqual(['Track parcel', 'Talk to a human']);
		await session.scrollTo('messagingType');
		await session.screenshot('send-message-quick-replies');
	});

	test('Content Template swaps the text for the template fields, and back', async () => {
		await session.openNode('Reply with quick replies');
		expect(await session.selectedOption('contentType')).toBe('Text');
		expect(await session.openDropdown('contentType')).toEqual(['Template', 'Text']);
		await session.closeDropdown();
		await session.choose('contentType', 'Template');
		await expectShown(['psid', 'messagingType', 'contentType', 'templateType']);
		await session.choose('templateType', 'Button');
		await expectShown(['psid', 'messagingType', 'contentType', 'templateType', 'templateText']);
		await session.choose('contentType', 'Text');
		await expectShown(['psid', 'messagingType', 'contentType', 'text']);
	});

	test.each([
		['Message to user ref', 'User Ref', 'userRef'],
		['Private reply to comment', 'Comment ID (Private Reply)', 'commentId'],
		['Private reply to post', 'Post ID (Private Reply)', 'postId'],
	])('%s: Recipient Type %s shows only its own ID field', async (node, recipientType, field) => {
		await session.openNode(node);
		await expectShown([field, 'messagingType', 'contentType', 'text']);
		expect(await session.selectedOption('recipientType')).toBe(recipientType);
	});

	test('the Recipient Type dropdown offers all four types, and picking one switches the ID field', async () => {
		await session.openNode('Message to user ref');
		await expectShown(['userRef', 'messagingType', 'contentType', 'text']);

		const options = await session.openDropdown('recipientType');
		expect(options).toEqual(['Comment ID (Private Reply)', 'Post ID (Private Reply)', 'PSID', 'User Ref']);
		await session.screenshot('send-message-recipient-types');
		await session.closeDropdown();

		await session.choose('recipientType', 'Comment ID (Private Reply)');
		await expectShown(['commentId', 'messagingType', 'contentType', 'text']);
		expect(await session.selectedOption('recipientType')).toBe('Comment ID (Private Reply)');

		await session.choose('recipientType', 'Post ID (Private Reply)');
		await expectShown(['postId', 'messagingType', 'contentType', 'text']);

		await session.choose('recipientType', 'PSID');
		await expectShown(['psid', 'messagingType', 'contentType', 'text']);
		await expect(session.parameter('psid').locator('input').getAttribute('placeholder')).resolves.toBe('e.g. 6789012345678901');
	});
});

describe('Send Attachment', () => {
	const common = ['psid', 'messagingType', 'attachmentType', 'attachmentSource'];

	test.each([
		['Photo from URL', 'URL', ['attachmentUrl', 'isReusable']],
		['Saved attachment', 'Saved Attachment ID', ['attachmentId']],
		['Invoice from binary', 'Binary Data From Input', ['binaryPropertyName', 'isReusable']],
	])('%s: Source %s shows only that source\'s field', async (node, source, sourceFields) => {
		await session.openNode(node);
		await expectShown([...common, ...sourceFields]);
		expect(await session.selectedOption('operation')).toBe('Send Attachment');
		expect(await session.selectedOption('attachmentSource')).toBe(source);
		if (node === 'Photo from URL') {
			await expect(session.parameter('attachmentUrl').locator('input').inputValue()).resolves.toBe('https://example.com/parcel-1042.jpg');
			expect(await session.selectedOption('attachmentType')).toBe('Image');
			await session.screenshot('send-attachment-url');
		}
	});

	test('picking another Source in the dropdown switches the field', async () => {
		await session.openNode('Photo from URL');
		await expectShown([...common, 'attachmentUrl', 'isReusable']);
		expect(await session.openDropdown('attachmentSource')).toEqual(['URL', 'Saved Attachment ID', 'Binary Data From Input', 'Several Image URLs']);
		await session.screenshot('send-attachment-sources');
		await session.closeDropdown();

		await session.choose('attachmentSource', 'Saved Attachment ID');
		await expectShown([...common, 'attachmentId']);

		await session.choose('attachmentSource', 'Binary Data From Input');
		await expectShown([...common, 'binaryPropertyName', 'isReusable']);
		await expect(session.parameter('binaryPropertyName').locator('input').inputValue()).resolves.toBe('data');
		await session.screenshot('send-attachment-binary');

		await session.choose('attachmentSource', 'URL');
		await expectShown([...common, 'attachmentUrl', 'isReusable']);
	});
});

describe('Sender Action', () => {
	test('Typing On: the action and a persona, no message fields; Recipient Type offers only PSID and User Ref', async () => {
		await session.openNode('Show typing');
		await expectShown(['psid', 'senderAction', 'personaId']);
		expect(await session.selectedOption('operation')).toBe('Sender Action');
		expect(await session.selectedOption('senderAction')).toBe('Typing On');
		// Persona ID is a resource locator: From list (the Page's personas) or By ID.
		const persona = session.parameter('personaId');
		const mode = persona.locator('[data-test-id="rlc-mode-selector"]');
		await expect(mode.locator('input').first().inputValue()).resolves.toBe('From list');
		await expect(rlcInput(persona).getAttribute('placeholder')).resolves.toBe('Select a persona…');
		await mode.click();
		await session.openPopper.waitFor();
		expect((await session.openPopper.locator('[role="option"]').allInnerTexts()).map((text) => text.trim())).toEqual(['From list', 'By ID']);
		await session.openPopper.locator('[role="option"]', { hasText: /^By ID$/ }).click();
		await session.openPopper.waitFor({ state: 'hidden' });
		await expect(rlcInput(persona).getAttribute('placeholder')).resolves.toBe('e.g. 1234567890123456');

		expect(await session.openDropdown('recipientType')).toEqual(['PSID', 'User Ref']);
		await session.closeDropdown();
		await session.choose('recipientType', 'User Ref');
		await expectShown(['userRef', 'senderAction', 'personaId']);
	});

	test('React: Message ID and Reaction appear, and go away for another action', async () => {
		await session.openNode('React with a heart');
		await expectShown(['userRef', 'senderAction', 'messageId', 'reaction']);
		expect(await session.selectedOption('senderAction')).toBe('React');
		await expect(session.parameter('reaction').locator('input').inputValue()).resolves.toBe('❤');
		await session.screenshot('sender-action-react');

		expect(await session.openDropdown('senderAction')).toEqual(['Mark Seen', 'React', 'Typing Off', 'Typing On', 'Unreact']);
		await session.closeDropdown();
		await session.choose('senderAction', 'Mark Seen');
		await expectShown(['userRef', 'senderAction']);
		await session.choose('senderAction', 'Unreact');
		await expectShown(['userRef', 'senderAction', 'messageId']);
	});
});

describe('Tagged Update', () => {
	test('the tag, the content and the text; Recipient Type offers only PSID and User Ref', async () => {
		await session.openNode('Follow-up (after 24 h)');
		await expectShown(['psid', 'tag', 'contentType', 'text']);
		expect(await session.selectedOption('operation')).toBe('Tagged Update');
		expect(await session.selectedOption('tag')).toBe('Human Agent');
		expect(await session.selectedOption('contentType')).toBe('Text');

		expect(await session.openDropdown('recipientType')).toEqual(['PSID', 'User Ref']);
		await session.closeDropdown();
	});

	test('the tag list: Human Agent, Customer Feedback and the three retired tags, marked', async () => {
		await session.openNode('Follow-up (after 24 h)');
		const tags = await session.openDropdown('tag');
		expect(tags).toEqual([
			'Account Update (Retired)',
			'Confirmed Event Update (Retired)',
			'Customer Feedback',
			'Human Agent',
			'Post Purchase Update (Retired)',
		]);
		expect(tags.filter((tag) => tag.endsWith('(Retired)'))).toHaveLength(3);
		const description = session.openPopper.locator('[role="option"]', { hasText: 'Account Update (Retired)' }).locator('.option-description');
		await expect(description.innerText()).resolves.toContain('Retired by Meta');
		await session.screenshot('tagged-update-tags');
		await session.closeDropdown();
	});

	test('Content: Attachment swaps the text for the attachment fields', async () => {
		await session.openNode('Follow-up (after 24 h)');
		await session.choose('contentType', 'Attachment');
		await expectShown(['psid', 'tag', 'contentType', 'attachmentType', 'attachmentSource', 'attachmentUrl', 'isReusable']);
		await session.choose('contentType', 'Text');
		await expectShown(['psid', 'tag', 'contentType', 'text']);
	});
});

describe('credential test (POST /rest/credentials/test)', () => {
	/** The readable message the credential defines for a refused token (HTTP 400, Graph code 190). */
	function refusedTokenMessage(): string {
		const rules = (new MessengerPageApi().test.rules ?? []) as Array<{ type: string; properties: { value?: unknown; message: string } }>;
		const rule = rules.find(
			(candidate) =>
				(candidate.type === 'responseCode' && candidate.properties.value === 400) ||
				(candidate.type === 'responseSuccessBody' && candidate.properties.value === 190),
		);
		if (!rule) throw new Error('The credential defines no message for a refused token');
		return rule.properties.message;
	}

	const testCredential = async (accessToken: string) =>
		await session.rest('POST', '/credentials/test', {
			credentials: { id: session.shared.credentialId(CREDENTIAL.id), name: CREDENTIAL.name, type: 'messengerPageApi', data: session.credentialData(accessToken) },
		});

	test('the Page token works: status OK, after a GET /me on the emulator', async () => {
		session.emulator.reset();
		const response = await testCredential(PAGE.token);

		expect(response.status).toBe(200);
		expect(response.json).toEqual({ data: { status: 'OK', message: 'Connection successful!' } });
		expect(session.emulator.requests).toHaveLength(1);
		expect(session.emulator.requests[0].method).toBe('GET');
		expect(session.emulator.requests[0].path).toBe('/v25.0/me');
		expect(session.emulator.requests[0].headers.authorization).toBe(`Bearer ${PAGE.token}`);
	});

	test('a wrong token: status Error with the credential\'s readable message', async () => {
		session.emulator.reset();
		const response = await testCredential('EDITOR-WRONG-TOKEN');

		expect(response.status).toBe(200);
		expect(response.json.data.status).toBe('Error');
		expect(response.json.data.message).toBe(refusedTokenMessage());
		expect(JSON.stringify(response.json)).not.toContain('EDITOR-WRONG-TOKEN');
	});
});
