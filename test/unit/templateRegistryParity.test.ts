// Until shared/validation.ts hands template payloads to the registry, both check them. This runs
// every case of test/unit/templates.test.ts with validateSendRequest wrapped: whenever it checks
// a template, the registry's validateTemplate must give the same answer, error text included.
import type { IDataObject } from 'n8n-workflow';

import type { SendRequest } from '../../nodes/MessengerSend/shared/types';

const messageOf = (check: () => void): string | undefined => {
	try {
		check();
		return undefined;
	} catch (error) {
		return (error as Error).message;
	}
};

let compared = 0;

jest.mock('../../nodes/MessengerSend/shared/validation', () => {
	const actual = jest.requireActual('../../nodes/MessengerSend/shared/validation');
	return {
		...actual,
		validateSendRequest(request: SendRequest, item: number, ...rest: unknown[]) {
			const attachment = (request.body.message as IDataObject | undefined)?.attachment as IDataObject | undefined;
			if (attachment?.type === 'template' && !request.file && typeof attachment.payload === 'object') {
				const { validateTemplate } = jest.requireActual('../../nodes/MessengerSend/templates');
				const node = messageOf(() => actual.validateSendRequest(request, item, ...rest));
				const registry = messageOf(() => validateTemplate(attachment.payload, request, item));
				// The tag's own check comes after the template's: it refuses CUSTOMER_FEEDBACK with any other template.
				if (!(registry === undefined && node?.startsWith(`Tag in item ${item} is CUSTOMER_FEEDBACK`))) expect(registry).toBe(node);
				compared++;
			}
			return actual.validateSendRequest(request, item, ...rest);
		},
	};
});

// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./templates.test');

afterAll(() => {
	expect(compared).toBeGreaterThan(50);
});
