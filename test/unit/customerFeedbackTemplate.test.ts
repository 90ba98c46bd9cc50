// The customer feedback template (shared/messenger-send-api.md, "Templates"): the exact payload its
// fields build, sent only by Tagged Update with the CUSTOMER_FEEDBACK tag (and that tag only with
// it), and what its rules refuse and accept, checked on the built request as the router does.
import * as taggedUpdate from '../../nodes/MessengerSend/actions/taggedUpdate.operation';
import type { SendRequest } from '../../nodes/MessengerSend/request/types';
import { buildButton, buildTemplate, type CustomerFeedbackInput } from '../../nodes/MessengerSend/templates';
import { postback, problem, request } from '../helpers/templateInputs';

describe('customer feedback template', () => {
	const input: CustomerFeedbackInput = {
		templateType: 'customer_feedback',
		title: 'Rate your experience with Acme',
		subtitle: 'Tell us how we did with order 1042',
		buttonTitle: 'Rate Experience',
		questionId: 'support_csat',
		questionType: 'csat',
		questionTitle: '',
		scoreOption: 'five_emojis',
		commentPlaceholder: 'Anything else?',
		privacyUrl: ' https://example.com/privacy ',
		expiresInDays: 3,
	};
	const payload = {
		template_type: 'customer_feedback',
		title: 'Rate your experience with Acme',
		subtitle: 'Tell us how we did with order 1042',
		button_title: 'Rate Experience',
		feedback_screens: [
			{
				questions: [
					{ id: 'support_csat', type: 'csat', score_option: 'five_emojis', follow_up: { type: 'free_form', placeholder: 'Anything else?' } },
				],
			},
		],
		business_privacy: { url: 'https://example.com/privacy' },
		expires_in_days: 3,
	};
	const tagged = (content: object, tag = 'CUSTOMER_FEEDBACK'): SendRequest =>
		taggedUpdate.build({ recipient: { type: 'id', value: '42' }, tag, content: content as never, options: {} });
	const feedback = (template: object) => tagged({ attachment: { type: 'template', source: 'template', template: { templateType: 'json', payload: template } } });
	const question = (fields: object) => ({ ...payload, feedback_screens: [{ questions: [{ ...payload.feedback_screens[0].questions[0], ...fields }] }] });

	test('the fields build the exact payload (empty question: Messenger’s own; no comment: no follow_up)', () => {
		expect(buildTemplate(input)).toEqual({ type: 'template', payload });
		const plain = buildTemplate({ ...input, subtitle: '', questionType: 'nps', scoreOption: 'zero_to_ten', questionTitle: 'Would you recommend us?', commentPlaceholder: undefined });
		expect(plain.payload).toEqual({
			template_type: 'customer_feedback',
			title: 'Rate your experience with Acme',
			button_title: 'Rate Experience',
			feedback_screens: [{ questions: [{ id: 'support_csat', type: 'nps', title: 'Would you recommend us?', score_option: 'zero_to_ten' }] }],
			business_privacy: { url: 'https://example.com/privacy' },
			expires_in_days: 3,
		});
	});

	test('Tagged Update sends it with the CUSTOMER_FEEDBACK tag', () => {
		const built = tagged({ attachment: { type: 'template', source: 'template', template: input } });
		expect(built.body).toEqual({
			recipient: { id: '42' },
			messaging_type: 'MESSAGE_TAG',
			tag: 'CUSTOMER_FEEDBACK',
			message: { attachment: { type: 'template', payload } },
		});
		expect(problem(built)).toBeUndefined();
	});

	test('the template only with the tag, and the tag only with the template', () => {
		expect(problem(request(payload))).toBe(
			'Template Type in item 0 is customer_feedback: send it with Tagged Update and the tag CUSTOMER_FEEDBACK',
		);
		expect(problem(tagged({ attachment: { type: 'template', source: 'template', template: input } }, 'HUMAN_AGENT'))).toBe(
			'Template Type in item 0 is customer_feedback: send it with Tagged Update and the tag CUSTOMER_FEEDBACK',
		);
		const tagOnly = 'Tag in item 4 is CUSTOMER_FEEDBACK: it goes only with the customer feedback template (Content: Template, Template Type: Customer Feedback)';
		expect(problem(tagged({ text: 'How did we do?' }), 4)).toBe(tagOnly);
		expect(problem(tagged({ attachment: { type: 'image', source: 'url', url: 'https://example.com/a.png' } }), 4)).toBe(tagOnly);
		expect(problem(feedback({ template_type: 'button', text: 'Rate us', buttons: [buildButton(postback)] }), 4)).toBe(tagOnly);
	});

	test.each([
		['no title', { ...payload, title: '' }, 'Survey Title in item 0 is empty: enter a value'],
		['a blank button title', { ...payload, button_title: ' ' }, 'Button Title in item 0 is empty: enter a value'],
		['no screens', { ...payload, feedback_screens: [] }, 'Feedback Screens in item 0 is empty: add at least 1'],
		['screens that are no list', { ...payload, feedback_screens: { questions: [] } }, 'Feedback Screens in item 0 must be a list'],
		['a screen without questions', { ...payload, feedback_screens: [{ questions: [] }] }, 'Questions in item 0 is empty: add at least 1'],
		['a blank question ID', question({ id: ' ' }), 'Question ID in item 0 is empty: enter a value'],
		['an unknown score type', question({ type: 'stars' }), 'Score Type in item 0 is "stars": use one of csat, nps, ces'],
		['a CSAT display for NPS', question({ type: 'nps' }), 'Score Display (for nps) in item 0 is "five_emojis": use one of zero_to_ten'],
		['a CSAT display for CES', question({ type: 'ces', score_option: 'five_stars' }), 'Score Display (for ces) in item 0 is "five_stars": use one of one_to_seven'],
		['a comment that is not free form', question({ follow_up: { type: 'text' } }), 'Comment Type in item 0 is "text": use one of free_form'],
		['a privacy policy that is no URL', { ...payload, business_privacy: { url: 'example.com/privacy' } }, 'Privacy Policy URL in item 0 is not an http(s) URL: "example.com/privacy"'],
		['0 days', { ...payload, expires_in_days: 0 }, 'Expires After (Days) in item 0 is 0: use a whole number of days'],
		['1.5 days', { ...payload, expires_in_days: 1.5 }, 'Expires After (Days) in item 0 is 1.5: use a whole number of days'],
		['days as text', { ...payload, expires_in_days: '3' }, 'Expires After (Days) in item 0 is "3": use a whole number of days'],
	])('%s is refused, naming the field', (_name, template, message) => {
		expect(problem(feedback(template))).toBe(message);
	});

	test.each([
		['7 days (the limit)', { ...payload, expires_in_days: 7 }],
		// Meta's page says one screen, one question, 1 to 7 days and a privacy policy; not in the shared
		// reference (uncertain), so Messenger answers them (the emulator does, see test/emulator/feedback.test.cts).
		['8 days', { ...payload, expires_in_days: 8 }],
		['two questions', { ...payload, feedback_screens: [{ questions: [{ id: 'a', type: 'csat' }, { id: 'b', type: 'nps' }] }] }],
		['no privacy policy or button title', { ...payload, business_privacy: undefined, button_title: undefined }],
		['no expiry (Messenger’s default)', { ...payload, expires_in_days: undefined }],
		['NPS 0 to 10', question({ type: 'nps', score_option: 'zero_to_ten' })],
		['CES without a display', question({ type: 'ces', score_option: undefined, follow_up: undefined })],
	])('%s is accepted', (_name, template) => {
		expect(problem(feedback(JSON.parse(JSON.stringify(template))))).toBeUndefined();
	});
});
