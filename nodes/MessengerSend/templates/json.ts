import type { IDataObject } from 'n8n-workflow';

import { InvalidSendRequest } from '../rules';
import type { TemplateType } from './templateType';

/** A template payload typed as JSON or given by an expression, checked as the template type it names. */
export interface JsonTemplateInput {
	templateType: 'json';
	payload: IDataObject;
}

/** Parses Template JSON: an object from an expression, or JSON text. */
export function parseTemplateJson(value: unknown, item: number): IDataObject {
	let parsed = value;
	let parseError: string | undefined;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			parseError = (error as Error).message;
		}
	}
	if (parseError !== undefined) {
		throw new InvalidSendRequest(`Template JSON in item ${item} is not valid JSON: ${parseError}`, 'Template JSON');
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new InvalidSendRequest(`Template JSON in item ${item} must be a JSON object (the template payload)`, 'Template JSON');
	}
	return parsed as IDataObject;
}

export const json: TemplateType<'json', JsonTemplateInput> = {
	option: { name: 'JSON', value: 'json', description: 'A template payload typed as JSON or from an expression' },

	fields: [
		{
			displayName: 'Template JSON',
			name: 'templateJson',
			type: 'json',
			default: '{\n  "template_type": "button",\n  "text": "",\n  "buttons": []\n}',
			description:
				'The template payload (with template_type), typed or from an expression. It is checked by the same rules as the other template types.',
		},
	],

	read(ctx, item) {
		return { templateType: 'json', payload: parseTemplateJson(ctx.getNodeParameter('templateJson', item), item) };
	},

	build(input) {
		return input.payload;
	},
};
