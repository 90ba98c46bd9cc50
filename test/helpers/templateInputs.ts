// What the template tests (test/unit/templates.test.ts, test/unit/customerFeedbackTemplate.test.ts)
// share: the message a built request is refused with, a template payload in a Send Attachment
// request, and buttons of each type.
import type { SendRequest } from '../../nodes/MessengerSend/request/types';
import { validateSendRequest } from '../../nodes/MessengerSend/rules/validate';
import { buildTemplate, type ButtonInput, type TemplateInput } from '../../nodes/MessengerSend/templates';

export const problem = (request: SendRequest, item = 0): string | undefined => {
	try {
		validateSendRequest(request, item);
		return undefined;
	} catch (error) {
		return (error as Error).message;
	}
};

/** A template payload in a Send Attachment request, as the router validates it. */
export const request = (payload: object, extra: object = {}): SendRequest => ({
	body: { recipient: { id: '42' }, messaging_type: 'RESPONSE', message: { attachment: { type: 'template', payload }, ...extra } },
});
export const templateProblem = (input: TemplateInput, item = 0) => problem(request(buildTemplate(input).payload as object), item);

export const web: ButtonInput = { type: 'web_url', title: 'Track', url: ' https://example.com/t/1 ' };
export const postback: ButtonInput = { type: 'postback', title: 'Talk to us', payload: 'HELP' };
export const phone: ButtonInput = { type: 'phone_number', title: 'Call', payload: '+15105551234' };
export const buttons = (count: number): ButtonInput[] => Array.from({ length: count }, (_, i) => ({ type: 'postback', title: `B${i}`, payload: `P${i}` }));
