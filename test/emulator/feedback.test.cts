// The customer feedback template in the emulator: accepted only with the CUSTOMER_FEEDBACK tag,
// the tag only with the template, and the survey's structure checked as the platform would.
import { PSID, send, startEmulator } from './helpers.cjs';

const SURVEY = {
	template_type: 'customer_feedback',
	title: 'Rate your experience with Demo Shop',
	subtitle: 'Order 1042',
	button_title: 'Rate Experience',
	feedback_screens: [{ questions: [{ id: 'csat1', type: 'csat', score_option: 'five_stars', follow_up: { type: 'free_form', placeholder: 'Anything else?' } }] }],
	business_privacy: { url: 'https://example.com/privacy' },
	expires_in_days: 3,
};

const survey = (payload: object, tag: string | null = 'CUSTOMER_FEEDBACK') => ({
	recipient: { id: PSID },
	...(tag ? { messaging_type: 'MESSAGE_TAG', tag } : { messaging_type: 'RESPONSE' }),
	message: { attachment: { type: 'template', payload } },
});

const refusal = async (body: Record<string, unknown>) => {
	const emulator = await startEmulator();
	const answer = await send(emulator, body);
	expect(emulator.inbox).toHaveLength(0);
	return { status: answer.status, code: answer.body?.error?.code, message: String(answer.body?.error?.message).replace(/^\(#100\) /, '') };
};

test('a survey with the CUSTOMER_FEEDBACK tag is delivered and shown in the transcript', async () => {
	const emulator = await startEmulator();
	const answer = await send(emulator, survey(SURVEY));
	expect(answer.status).toBe(200);
	expect(emulator.inbox[0]).toMatchObject({ tag: 'CUSTOMER_FEEDBACK', message: { attachment: { payload: SURVEY } } });
	expect(emulator.transcript()).toContain('🧩 customer feedback: Rate your experience with Demo Shop [Rate Experience] (CSAT)');
});

test('the survey without the tag, and the tag without the survey, are refused with 100', async () => {
	expect(await refusal(survey(SURVEY, null))).toEqual({
		status: 400,
		code: 100,
		message: 'The customer feedback template must be sent with messaging_type MESSAGE_TAG and tag CUSTOMER_FEEDBACK',
	});
	expect(await refusal(survey(SURVEY, 'HUMAN_AGENT'))).toMatchObject({ code: 100 });
	expect(await refusal({ recipient: { id: PSID }, messaging_type: 'MESSAGE_TAG', tag: 'CUSTOMER_FEEDBACK', message: { text: 'How did we do?' } })).toEqual({
		status: 400,
		code: 100,
		message: 'The CUSTOMER_FEEDBACK tag can only be used with the customer feedback template',
	});
});

const q = (fields: object) => ({ ...SURVEY, feedback_screens: [{ questions: [{ ...SURVEY.feedback_screens[0].questions[0], ...fields }] }] });
const at = 'message[attachment][payload]';

test.each([
	['no button title', { ...SURVEY, button_title: '' }, `Param ${at}[button_title] is required`],
	['two screens', { ...SURVEY, feedback_screens: [SURVEY.feedback_screens[0], SURVEY.feedback_screens[0]] }, `Param ${at}[feedback_screens] must have exactly one screen`],
	['two questions', { ...SURVEY, feedback_screens: [{ questions: [{ id: 'a', type: 'csat' }, { id: 'b', type: 'csat' }] }] }, `Param ${at}[feedback_screens][0][questions] must have exactly one question`],
	['no question id', q({ id: '' }), `Param ${at}[feedback_screens][0][questions][0][id] is required`],
	['an unknown type', q({ type: 'stars' }), `Param ${at}[feedback_screens][0][questions][0][type] must be one of {csat, nps, ces}`],
	['five stars for NPS', q({ type: 'nps' }), `Param ${at}[feedback_screens][0][questions][0][score_option] must be one of {zero_to_ten} for nps`],
	['a follow-up that is not free form', q({ follow_up: { type: 'text' } }), `Param ${at}[feedback_screens][0][questions][0][follow_up][type] must be free_form`],
	['no privacy policy', { ...SURVEY, business_privacy: undefined }, `Param ${at}[business_privacy][url] must be a valid URL`],
	['8 days', { ...SURVEY, expires_in_days: 8 }, `Param ${at}[expires_in_days] must be an integer from 1 to 7`],
])('%s is refused with 100', async (_name, payload, message) => {
	expect(await refusal(survey(payload))).toEqual({ status: 400, code: 100, message });
});
