import { SEND_API_LIMITS } from '../rules';
import { readText } from '../request/parameters';
import { buildButton, buttonsField, readButtons, validateButtons, type ButtonInput } from './buttons';
import { checkText } from './checks';
import type { TemplateType } from './templateType';

/** Text with buttons under it. */
export interface ButtonTemplateInput {
	templateType: 'button';
	text: string;
	buttons: ButtonInput[];
}

const limits = SEND_API_LIMITS;

export const button: TemplateType<'button', ButtonTemplateInput> = {
	option: { name: 'Button', value: 'button', description: 'Text with 1 to 3 buttons' },

	fields: [
		{
			displayName: 'Template Text',
			name: 'templateText',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			description: `The text above the buttons, at most ${limits.templateText.max} characters`,
		},
		buttonsField('buttons', 'Buttons', limits.templateButtons.max, `1 to ${limits.templateButtons.max} buttons`),
	],

	read(ctx, item) {
		return {
			templateType: 'button',
			text: readText(ctx, 'templateText', item, 'Template Text'),
			buttons: readButtons(ctx.getNodeParameter('buttons', item, {}), item, 'Button'),
		};
	},

	build(input) {
		return { template_type: 'button', text: input.text, buttons: input.buttons.map(buildButton) };
	},

	validate(payload, item) {
		checkText(payload.text, limits.templateText, limits.templateText.field, item);
		validateButtons(payload.buttons, limits.templateButtons, 1, 'Button', item);
	},
};
