// Which fields the editor shows, computed with n8n-workflow's own display logic
// (getNodeParameters is what the editor uses to decide what a node's panel holds).
import { MessengerSend } from '../../nodes/MessengerSend/MessengerSend.node';
import { shownFields } from '../helpers/editorDisplay';

const { description } = new MessengerSend();

const idFields = ['psid', 'userRef', 'commentId', 'postId'];

describe('exactly the ID field of the chosen recipient type is shown', () => {
	test.each([
		['sendMessage', 'id', 'psid'],
		['sendMessage', 'user_ref', 'userRef'],
		['sendMessage', 'comment_id', 'commentId'],
		['sendMessage', 'post_id', 'postId'],
		['sendAttachment', 'id', 'psid'],
		['sendAttachment', 'comment_id', 'commentId'],
		['sendAttachment', 'post_id', 'postId'],
		['senderAction', 'id', 'psid'],
		['senderAction', 'user_ref', 'userRef'],
		['taggedUpdate', 'id', 'psid'],
		['taggedUpdate', 'user_ref', 'userRef'],
	])('%s with %s shows %s only', (operation, recipientType, field) => {
		const shown = shownFields({ operation, recipientType });
		expect(shown.filter((name) => idFields.includes(name))).toEqual([field]);
	});

	test('private replies (comment and post IDs) are offered for messages, not for sender actions or tagged updates', () => {
		const recipientOptions = (operation: string) =>
			description.properties
				.filter((p) => p.name === 'recipientType' && p.displayOptions?.show?.operation?.includes(operation))
				.flatMap((p) => (p.options ?? []).map((o) => ('value' in o ? o.value : undefined)));
		expect(recipientOptions('sendMessage')).toEqual(expect.arrayContaining(['id', 'user_ref', 'comment_id', 'post_id']));
		expect(recipientOptions('sendAttachment')).toHaveLength(4);
		expect(recipientOptions('senderAction').sort()).toEqual(['id', 'user_ref']);
		expect(recipientOptions('taggedUpdate').sort()).toEqual(['id', 'user_ref']);
	});
});

describe('each operation shows its own fields', () => {
	test('Send Message: text by default; Content Template swaps the text for the template fields', () => {
		expect(shownFields({ operation: 'sendMessage' })).toEqual(['contentType', 'delivery', 'messagingType', 'operation', 'options', 'pageId', 'psid', 'recipientType', 'text']);
		expect(shownFields({ operation: 'sendMessage', contentType: 'template', templateType: 'button' })).toEqual(
			['buttons', 'contentType', 'delivery', 'messagingType', 'operation', 'options', 'pageId', 'psid', 'recipientType', 'templateText', 'templateType'],
		);
	});

	test.each([
		['url', ['attachmentUrl', 'isReusable']],
		['attachmentId', ['attachmentId']],
		['binary', ['binaryPropertyName', 'isReusable']],
	])('Send Attachment from %s shows only that source’s fields', (attachmentSource, sourceFields) => {
		expect(shownFields({ operation: 'sendAttachment', attachmentSource })).toEqual(
			['attachmentSource', 'attachmentType', 'delivery', 'messagingType', 'operation', 'options', 'pageId', 'psid', 'recipientType', ...sourceFields].sort(),
		);
	});

	test.each([
		['typing_on', ['personaId']],
		['typing_off', ['personaId']],
		['mark_seen', []],
		['react', ['messageId', 'reaction']],
		['unreact', ['messageId']],
	])('Sender Action %s', (senderAction, extra) => {
		expect(shownFields({ operation: 'senderAction', senderAction })).toEqual(
			['delivery', 'operation', 'pageId', 'psid', 'recipientType', 'senderAction', ...extra].sort(),
		);
	});

	test('Tagged Update shows the tag list; text or attachment fields follow the content choice', () => {
		expect(shownFields({ operation: 'taggedUpdate', contentType: 'text' })).toEqual(
			['contentType', 'delivery', 'operation', 'options', 'pageId', 'psid', 'recipientType', 'tag', 'text'],
		);
		expect(shownFields({ operation: 'taggedUpdate', contentType: 'attachment' })).toEqual(
			['attachmentSource', 'attachmentType', 'attachmentUrl', 'contentType', 'delivery', 'isReusable', 'operation', 'options', 'pageId', 'psid', 'recipientType', 'tag'],
		);
	});

	const common = ['delivery', 'operation', 'options', 'pageId', 'psid', 'recipientType', 'templateType'];
	const templateOwn: Array<[string, string[]]> = [
		['generic', ['elements', 'imageAspectRatio']],
		['button', ['buttons', 'templateText']],
		['media', ['mediaAttachmentId', 'mediaButton', 'mediaSource', 'mediaType']],
		['receipt', ['currency', 'orderNumber', 'paymentMethod', 'receiptElements', 'receiptOptions', 'recipientName', 'totalCost']],
		['json', ['templateJson']],
	];

	test.each(templateOwn)('Send Attachment, Attachment Type Template, %s: the template fields, no Source', (templateType, own) => {
		expect(shownFields({ operation: 'sendAttachment', attachmentType: 'template', templateType })).toEqual(
			[...common, 'attachmentType', 'messagingType', ...own].sort(),
		);
	});

	test.each(templateOwn)('Tagged Update, Content Template, %s: the template fields only', (templateType, own) => {
		expect(shownFields({ operation: 'taggedUpdate', contentType: 'template', templateType })).toEqual(
			[...common, 'contentType', 'tag', ...own].sort(),
		);
	});

	test('Customer Feedback is a template type of Tagged Update only (its tag is there), with its own fields', () => {
		const templateTypes = (operation: string) =>
			description.properties
				.filter((p) => p.name === 'templateType' && p.displayOptions?.show?.operation?.includes(operation))
				.flatMap((p) => (p.options ?? []).map((o) => ('value' in o ? o.value : undefined)));
		expect(templateTypes('taggedUpdate')).toEqual(['button', 'customer_feedback', 'generic', 'json', 'media', 'receipt']);
		expect(templateTypes('sendAttachment')).toEqual(['button', 'generic', 'json', 'media', 'receipt']);
		expect(templateTypes('sendMessage')).toEqual(['button', 'generic', 'json', 'media', 'receipt']);
		const survey = ['feedbackButtonTitle', 'feedbackExpiresInDays', 'feedbackFollowUp', 'feedbackPrivacyUrl', 'feedbackQuestionId', 'feedbackQuestionTitle', 'feedbackQuestionType', 'feedbackSubtitle', 'feedbackTitle'];
		const tagged = { operation: 'taggedUpdate', contentType: 'template', templateType: 'customer_feedback' };
		// CSAT has a choice of display; NPS and CES have one each. The placeholder only when a comment is asked for.
		expect(shownFields({ ...tagged, feedbackQuestionType: 'csat' })).toEqual([...common, 'contentType', 'tag', ...survey, 'feedbackScoreOption'].sort());
		expect(shownFields({ ...tagged, feedbackQuestionType: 'nps' })).toEqual([...common, 'contentType', 'tag', ...survey].sort());
		expect(shownFields({ ...tagged, feedbackQuestionType: 'ces', feedbackFollowUp: true })).toEqual(
			[...common, 'contentType', 'tag', ...survey, 'feedbackFollowUpPlaceholder'].sort(),
		);
	});

	test('a media template shows the field of its source; template fields stay hidden elsewhere', () => {
		expect(shownFields({ operation: 'sendAttachment', attachmentType: 'template', templateType: 'media', mediaSource: 'url' })).toContain('mediaUrl');
		expect(shownFields({ operation: 'sendAttachment', attachmentType: 'template', templateType: 'media', mediaSource: 'url' })).not.toContain('mediaAttachmentId');
		for (const values of [
			{ operation: 'sendAttachment', attachmentType: 'image' },
			{ operation: 'taggedUpdate', contentType: 'attachment' },
			{ operation: 'taggedUpdate', contentType: 'text' },
			{ operation: 'sendMessage' },
		]) {
			expect(shownFields(values)).not.toContain('templateType');
		}
		// Tagged Update offers templates through Content, not through the attachment type.
		const attachmentTypes = (operation: string) =>
			description.properties
				.filter((p) => p.name === 'attachmentType' && p.displayOptions?.show?.operation?.includes(operation))
				.flatMap((p) => (p.options ?? []).map((o) => ('value' in o ? o.value : undefined)));
		expect(attachmentTypes('sendAttachment')).toContain('template');
		expect(attachmentTypes('taggedUpdate')).not.toContain('template');
	});

	test('only Tagged Update has a tag; it lists the five tags and marks the three retired ones', () => {
		expect(shownFields({ operation: 'sendMessage' })).not.toContain('tag');
		const tag = description.properties.find((p) => p.name === 'tag');
		const options = (tag?.options ?? []) as Array<{ name: string; value: string; description?: string }>;
		expect(options.map((o) => o.value).sort()).toEqual(
			['ACCOUNT_UPDATE', 'CONFIRMED_EVENT_UPDATE', 'CUSTOMER_FEEDBACK', 'HUMAN_AGENT', 'POST_PURCHASE_UPDATE'],
		);
		for (const retired of ['ACCOUNT_UPDATE', 'CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE']) {
			const option = options.find((o) => o.value === retired);
			expect(option?.name).toMatch(/\(Retired\)$/);
			expect(option?.description).toContain('Retired by Meta on 2026-04-27');
		}
		expect(options.find((o) => o.value === 'HUMAN_AGENT')?.name).toBe('Human Agent');
	});

	test('Reply To is offered inside the 24-hour window only (not on Tagged Update)', () => {
		const optionNames = (operation: string) =>
			description.properties
				.filter((p) => p.name === 'options' && p.displayOptions?.show?.operation?.includes(operation))
				.flatMap((p) => (p.options ?? []).map((o) => o.name));
		expect(optionNames('sendMessage')).toContain('replyTo');
		expect(optionNames('sendAttachment')).toContain('replyTo');
		expect(optionNames('taggedUpdate')).not.toContain('replyTo');
	});
});

test.each([
	['url', ['attachmentUrl']],
	['binary', ['binaryPropertyName']],
])('Upload Attachment from %s: no recipient, only the file fields', (attachmentSource, sourceFields) => {
	expect(shownFields({ operation: 'uploadAttachment', attachmentSource })).toEqual(
		['attachmentSource', 'attachmentType', 'delivery', 'operation', 'pageId', 'uploadNotice', ...sourceFields].sort(),
	);
});

test('the node is usable as an AI tool and names its credential', () => {
	expect(description.usableAsTool).toBe(true);
	expect(description.credentials).toEqual([{ name: 'messengerPageApi', required: true }]);
});
