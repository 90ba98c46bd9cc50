// The template registry (nodes/MessengerSend/templates/): one file per template type, from which
// the selector, fields, reading, building and checks are derived. validateSendRequest checks a
// template payload through the registry, so the template tests (templates.test.ts) test it.
import { TEMPLATE_TYPES } from '../../nodes/MessengerSend/rules';
import { PAYLOAD_TEMPLATE_TYPES, TEMPLATES, templateFields } from '../../nodes/MessengerSend/templates';

describe('the registry', () => {
	test('each template type is listed under its own Template Type value', () => {
		for (const [key, type] of Object.entries(TEMPLATES)) expect(type.option.value).toBe(key);
	});

	test('the payload types are the ones validation names, in its order (JSON is none)', () => {
		expect(PAYLOAD_TEMPLATE_TYPES).toEqual(TEMPLATE_TYPES);
	});

	test('each field is shown for its own template type only, and the tagged-only ones only where a tag is sent', () => {
		const shownFor = (fields: ReturnType<typeof templateFields>) =>
			fields.slice(1).map((field) => [field.name, field.displayOptions?.show?.templateType]);
		const expected = (tagged: boolean) =>
			Object.values(TEMPLATES)
				.filter((type) => tagged || type.onlyWithTag === undefined)
				.flatMap((type) => type.fields.map((field) => [field.name, [type.option.value]]));
		expect(shownFor(templateFields(true))).toEqual(expected(true));
		expect(shownFor(templateFields(false))).toEqual(expected(false));
		expect(templateFields(false)[0].options?.map((option) => (option as { value: string }).value)).not.toContain('customer_feedback');
	});
});
