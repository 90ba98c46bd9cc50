import type { IDataObject } from 'n8n-workflow';

import { FEEDBACK_FOLLOW_UP_TYPES, FEEDBACK_SCORE_OPTIONS, InvalidSendRequest } from '../rules';
import { readText } from '../request/parameters';
import { requireEntries, requireObject, requireOneOf, requireText, requireUrl, shown } from './checks';
import type { TemplateType } from './templateType';
import { asNumber, withoutEmpty } from './values';

/** A CSAT, NPS or CES survey; it goes only with the CUSTOMER_FEEDBACK tag. */
export interface CustomerFeedbackInput {
	templateType: 'customer_feedback';
	title: string;
	subtitle?: string;
	buttonTitle: string;
	questionId: string;
	/** csat, nps or ces */
	questionType: string;
	/** Empty: Messenger shows its own question, translated for the person. */
	questionTitle?: string;
	scoreOption: string;
	/** Set when the person may add a comment after the score. */
	commentPlaceholder?: string;
	privacyUrl: string;
	expiresInDays: unknown;
}

export const customerFeedback: TemplateType<'customer_feedback', CustomerFeedbackInput> = {
	option: {
		name: 'Customer Feedback',
		value: 'customer_feedback',
		description: 'A CSAT, NPS or CES survey (only with the Customer Feedback tag)',
	},
	onlyWithTag: 'CUSTOMER_FEEDBACK',

	fields: [
		{
			displayName: 'Survey Title',
			name: 'feedbackTitle',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'Rate your experience with Acme',
			description: 'The title of the survey card in the conversation',
		},
		{
			displayName: 'Survey Subtitle',
			name: 'feedbackSubtitle',
			type: 'string',
			default: '',
			placeholder: 'Tell us how we did with order 1042',
		},
		{
			displayName: 'Button Title',
			name: 'feedbackButtonTitle',
			type: 'string',
			required: true,
			default: 'Rate Experience',
			description: 'The button that opens the survey',
		},
		{
			displayName: 'Score Type',
			name: 'feedbackQuestionType',
			type: 'options',
			options: [
				{ name: 'CES (1 to 7)', value: 'ces', description: 'Customer effort: how easy was it to solve the problem' },
				{ name: 'CSAT (1 to 5)', value: 'csat', description: 'Customer satisfaction with the experience' },
				{ name: 'NPS (0 to 10)', value: 'nps', description: 'Net promoter score: how likely to recommend the business' },
			],
			default: 'csat',
		},
		{
			displayName: 'Score Display',
			name: 'feedbackScoreOption',
			type: 'options',
			options: [
				{ name: 'Five Emojis', value: 'five_emojis' },
				{ name: 'Five Stars', value: 'five_stars' },
				{ name: 'Numbers 1 to 5', value: 'one_to_five' },
			],
			default: 'five_stars',
			displayOptions: { show: { feedbackQuestionType: ['csat'] } },
		},
		{
			displayName: 'Question',
			name: 'feedbackQuestionTitle',
			type: 'string',
			default: '',
			description: 'Your own question. Leave empty for Messenger’s standard question of the score type, translated for each person.',
		},
		{
			displayName: 'Question ID',
			name: 'feedbackQuestionId',
			type: 'string',
			required: true,
			default: 'rating',
			description: 'Comes back with the answer in the messaging_feedback webhook, so you can tell the questions apart',
		},
		{
			displayName: 'Ask for a Comment',
			name: 'feedbackFollowUp',
			type: 'boolean',
			default: false,
			description: 'Whether the person can add a free-form comment after the score',
		},
		{
			displayName: 'Comment Placeholder',
			name: 'feedbackFollowUpPlaceholder',
			type: 'string',
			default: 'Give additional feedback',
			displayOptions: { show: { feedbackFollowUp: [true] } },
		},
		{
			displayName: 'Privacy Policy URL',
			name: 'feedbackPrivacyUrl',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'https://example.com/privacy',
			description: 'Your business’s privacy policy, linked from the survey (required by Messenger)',
		},
		{
			displayName: 'Expires After (Days)',
			name: 'feedbackExpiresInDays',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 7 },
			default: 1,
			description: 'How long the person can answer, 1 to 7 days (Meta’s template page)',
		},
	],

	read(ctx, item) {
		const text = (name: string, label: string) => readText(ctx, name, item, label);
		const questionType = text('feedbackQuestionType', 'Score Type');
		const followUp = ctx.getNodeParameter('feedbackFollowUp', item, false) === true;
		return {
			templateType: 'customer_feedback',
			title: text('feedbackTitle', 'Survey Title'),
			subtitle: text('feedbackSubtitle', 'Survey Subtitle'),
			buttonTitle: text('feedbackButtonTitle', 'Button Title'),
			questionId: text('feedbackQuestionId', 'Question ID'),
			questionType,
			questionTitle: text('feedbackQuestionTitle', 'Question'),
			// Only CSAT has a choice of display; NPS and CES have one each.
			scoreOption:
				questionType === 'csat'
					? text('feedbackScoreOption', 'Score Display')
					: (FEEDBACK_SCORE_OPTIONS[questionType]?.[0] ?? ''),
			commentPlaceholder: followUp ? text('feedbackFollowUpPlaceholder', 'Comment Placeholder') : undefined,
			privacyUrl: text('feedbackPrivacyUrl', 'Privacy Policy URL'),
			expiresInDays: asNumber(ctx.getNodeParameter('feedbackExpiresInDays', item, 1)),
		};
	},

	build(input) {
		return withoutEmpty({
			template_type: 'customer_feedback',
			title: input.title,
			subtitle: input.subtitle,
			button_title: input.buttonTitle,
			feedback_screens: [
				{
					questions: [
						withoutEmpty({
							id: input.questionId,
							type: input.questionType,
							title: input.questionTitle,
							score_option: input.scoreOption,
							follow_up:
								input.commentPlaceholder === undefined
									? undefined
									: withoutEmpty({ type: 'free_form', placeholder: input.commentPlaceholder }),
						}),
					],
				},
			],
			business_privacy: { url: input.privacyUrl.trim() },
			expires_in_days: input.expiresInDays as IDataObject[string],
		});
	},

	/**
	 * Checked: what the node needs to build a sane request and the score types and displays of
	 * Meta's template page. Not checked (uncertain, not in the shared reference): one screen with
	 * one question, 1 to 7 days, a required privacy policy — Messenger answers those.
	 */
	validate(payload, item) {
		requireText(payload.title, 'Survey Title', item);
		for (const [key, field] of [['subtitle', 'Survey Subtitle'], ['button_title', 'Button Title']]) {
			if (payload[key] !== undefined) requireText(payload[key], field, item);
		}
		requireEntries(payload.feedback_screens, 'Feedback Screens', item).forEach((screen: unknown, screenIndex) => {
			const questions = requireObject(screen, `Feedback Screen ${screenIndex + 1}`, item).questions;
			requireEntries(questions, 'Questions', item).forEach((question: unknown, index) => {
				const fields = requireObject(question, `Question ${index + 1}`, item);
				if (fields.id !== undefined) requireText(fields.id, 'Question ID', item);
				requireOneOf(fields.type, Object.keys(FEEDBACK_SCORE_OPTIONS), 'Score Type', item);
				if (fields.title !== undefined) requireText(fields.title, 'Question', item);
				if (fields.score_option !== undefined) {
					requireOneOf(fields.score_option, FEEDBACK_SCORE_OPTIONS[fields.type as string], `Score Display (for ${String(fields.type)})`, item);
				}
				if (fields.follow_up !== undefined) {
					const followUp = requireObject(fields.follow_up, 'Comment', item);
					requireOneOf(followUp.type, FEEDBACK_FOLLOW_UP_TYPES, 'Comment Type', item);
					if (followUp.placeholder !== undefined) requireText(followUp.placeholder, 'Comment Placeholder', item);
				}
			});
		});
		if (payload.business_privacy !== undefined) {
			requireUrl(requireObject(payload.business_privacy, 'Privacy Policy', item).url, 'Privacy Policy URL', item);
		}
		if (payload.expires_in_days !== undefined) {
			const days = payload.expires_in_days;
			if (typeof days !== 'number' || !Number.isInteger(days) || days < 1) {
				throw new InvalidSendRequest(`Expires After (Days) in item ${item} is ${shown(days)}: use a whole number of days`, 'Expires After (Days)');
			}
		}
	},
};
