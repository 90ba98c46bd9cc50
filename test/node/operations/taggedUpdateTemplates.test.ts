// Templates through Tagged Update, run by n8n's engine against the Graph API emulator: the customer
// feedback template with its CUSTOMER_FEEDBACK tag (from the fields and as JSON, what is refused
// before sending and what Messenger refuses), and a button template with the HUMAN_AGENT tag.
// Payloads follow shared/messenger-send-api.md ("Templates").
import { server, send, useGraphServer } from '../../helpers/fixtures';
import { receivedBody, recipient } from '../../helpers/operations';

useGraphServer();

describe('Tagged Update, Content Template', () => {
	const feedbackBase = { operation: 'taggedUpdate', recipientType: 'id', psid: '42', tag: 'CUSTOMER_FEEDBACK', contentType: 'template', templateType: 'customer_feedback' };
	const surveyFields = {
		feedbackTitle: 'Rate your experience with Demo Shop',
		feedbackSubtitle: 'Tell us how we did with order 1042',
		feedbackButtonTitle: 'Rate Experience',
		feedbackQuestionType: 'csat',
		feedbackScoreOption: 'five_emojis',
		feedbackQuestionTitle: 'How was our support today?',
		feedbackQuestionId: 'support_csat',
		feedbackFollowUp: true,
		feedbackFollowUpPlaceholder: 'What could we do better?',
		feedbackPrivacyUrl: 'https://example.com/privacy',
		feedbackExpiresInDays: 3,
	};

	test('Customer Feedback built from the fields (CSAT with a comment) with the CUSTOMER_FEEDBACK tag', async () => {
		const run = await send({ ...feedbackBase, ...surveyFields });

		expect(run.error).toBeUndefined();
		expect(receivedBody()).toEqual({
			recipient,
			messaging_type: 'MESSAGE_TAG',
			tag: 'CUSTOMER_FEEDBACK',
			message: {
				attachment: {
					type: 'template',
					payload: {
						template_type: 'customer_feedback',
						title: 'Rate your experience with Demo Shop',
						subtitle: 'Tell us how we did with order 1042',
						button_title: 'Rate Experience',
						feedback_screens: [
							{
								questions: [
									{
										id: 'support_csat',
										type: 'csat',
										title: 'How was our support today?',
										score_option: 'five_emojis',
										follow_up: { type: 'free_form', placeholder: 'What could we do better?' },
									},
								],
							},
						],
						business_privacy: { url: 'https://example.com/privacy' },
						expires_in_days: 3,
					},
				},
			},
		});
		expect(run.items[0].json).toMatchObject({ recipient_id: '42', attempts: 1 });
	});

	test.each([
		['nps', 'zero_to_ten'],
		['ces', 'one_to_seven'],
	])('Customer Feedback with %s sends its only score display; the defaults leave out what Messenger fills in', async (type, option) => {
		// Only the required fields: the editor's defaults for the rest (no subtitle, question or comment).
		const run = await send({
			...feedbackBase,
			feedbackTitle: 'Rate us',
			feedbackQuestionType: type,
			feedbackScoreOption: 'five_stars',
			feedbackPrivacyUrl: 'https://example.com/privacy',
		});

		expect(run.error).toBeUndefined();
		expect((receivedBody() as { message: { attachment: { payload: unknown } } }).message.attachment.payload).toEqual({
			template_type: 'customer_feedback',
			title: 'Rate us',
			button_title: 'Rate Experience',
			feedback_screens: [{ questions: [{ id: 'rating', type, score_option: option }] }],
			business_privacy: { url: 'https://example.com/privacy' },
			expires_in_days: 1,
		});
	});

	test('Customer Feedback refused before sending: a privacy policy that is no URL, or another tag', async () => {
		// (An empty required field n8n itself refuses before the run.)
		const noPolicy = await send({ ...feedbackBase, ...surveyFields, feedbackPrivacyUrl: 'example.com/privacy' });
		expect(noPolicy.error?.message).toBe('Privacy Policy URL in item 0 is not an http(s) URL: "example.com/privacy"');
		const otherTag = await send({ ...feedbackBase, ...surveyFields, tag: 'HUMAN_AGENT' });
		expect(otherTag.error?.message).toBe(
			'Template Type in item 0 is customer_feedback: send it with Tagged Update and the tag CUSTOMER_FEEDBACK',
		);
		expect(server.requests).toHaveLength(0);
	});

	test('8 days from an expression is sent (the 1 to 7 days of Meta’s page is uncertain); Messenger’s refusal is explained', async () => {
		const run = await send({ ...feedbackBase, ...surveyFields, feedbackExpiresInDays: '={{ 8 }}' }, { continueOnFail: true });
		expect(server.requests).toHaveLength(1);
		expect(run.items[0].json).toMatchObject({ code: 100, attempts: 1 });
		expect(run.items[0].json.description).toContain('Param message[attachment][payload][expires_in_days] must be an integer from 1 to 7');
	});

	test('the customer feedback template as JSON is checked by the same rules', async () => {
		const feedback = {
			template_type: 'customer_feedback',
			title: 'Rate your experience',
			button_title: 'Rate',
			feedback_screens: [{ questions: [{ id: 'q1', type: 'nps', score_option: 'zero_to_ten' }] }],
			business_privacy: { url: 'https://example.com/privacy' },
		};
		const run = await send({ ...feedbackBase, templateType: 'json', templateJson: JSON.stringify(feedback) });
		expect(run.error).toBeUndefined();
		expect(receivedBody()).toEqual({
			recipient,
			messaging_type: 'MESSAGE_TAG',
			tag: 'CUSTOMER_FEEDBACK',
			message: { attachment: { type: 'template', payload: feedback } },
		});
		server.requests.length = 0;
		const wrong = await send({ ...feedbackBase, templateType: 'json', templateJson: JSON.stringify({ ...feedback, feedback_screens: [{ questions: [{ id: 'q1', type: 'nps', score_option: 'five_stars' }] }] }) });
		expect(wrong.error?.message).toBe('Score Display (for nps) in item 0 is "five_stars": use one of zero_to_ten');
		expect(server.requests).toHaveLength(0);
	});

	test('the CUSTOMER_FEEDBACK tag with text is refused before sending', async () => {
		const run = await send({ operation: 'taggedUpdate', recipientType: 'id', psid: '42', tag: 'CUSTOMER_FEEDBACK', contentType: 'text', text: 'How did we do?' });
		expect(run.error?.message).toBe(
			'Tag in item 0 is CUSTOMER_FEEDBACK: it goes only with the customer feedback template (Content: Template, Template Type: Customer Feedback)',
		);
		expect(server.requests).toHaveLength(0);
	});

	test('a button template with the HUMAN_AGENT tag', async () => {
		const run = await send({
			operation: 'taggedUpdate',
			recipientType: 'id',
			psid: '42',
			tag: 'HUMAN_AGENT',
			contentType: 'template',
			templateType: 'button',
			templateText: 'Sam from support here',
			buttons: { button: [{ type: 'phone_number', title: 'Call Sam', phoneNumber: '+15105551234' }] },
		});

		expect(run.error).toBeUndefined();
		expect(receivedBody()).toEqual({
			recipient,
			messaging_type: 'MESSAGE_TAG',
			tag: 'HUMAN_AGENT',
			message: {
				attachment: {
					type: 'template',
					payload: { template_type: 'button', text: 'Sam from support here', buttons: [{ type: 'phone_number', title: 'Call Sam', payload: '+15105551234' }] },
				},
			},
		});
	});
});
