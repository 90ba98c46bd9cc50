import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import type { SendRequest } from '../request/types';
import type { TemplateInput, TemplateInputs } from './inputs';
import { InvalidSendRequest } from '../rules';
import { button } from './button';
import { requireOneOf } from './checks';
import { customerFeedback } from './customerFeedback';
import { generic } from './generic';
import { json } from './json';
import { media } from './media';
import { receipt } from './receipt';
import type { TemplateType } from './templateType';

// Structured messages (`attachment.type = "template"`). Each template type is one file; this
// registry derives the Template Type selector, the fields, reading, building and the checks.
// Adding a template type: its file, its input in inputs.ts, and one line here.

/** Every template type by its Template Type value, in the editor's order of fields. */
export const TEMPLATES: { [Type in keyof TemplateInputs]: TemplateType<Type, TemplateInputs[Type]> } = {
	generic,
	button,
	media,
	receipt,
	customer_feedback: customerFeedback,
	json,
};

type AnyTemplateType = TemplateType<keyof TemplateInputs, TemplateInput>;
const ALL: AnyTemplateType[] = Object.values(TEMPLATES);

function templateType(value: unknown): AnyTemplateType | undefined {
	return ALL.find((type) => type.option.value === value);
}

/**
 * The Template Type selector and each template type's fields, shown only for it. `taggedUpdate`
 * where the message carries a tag: only there are the templates offered that need one
 * (Customer Feedback needs the CUSTOMER_FEEDBACK tag).
 */
export function templateFields(taggedUpdate: boolean): INodeProperties[] {
	const offered = ALL.filter((type) => taggedUpdate || type.onlyWithTag === undefined);
	return [
		{
			displayName: 'Template Type',
			name: 'templateType',
			type: 'options',
			noDataExpression: true,
			options: offered.map((type) => type.option).sort((a, b) => a.name.localeCompare(b.name)),
			default: 'generic',
		},
		...offered.flatMap((type) => updateDisplayOptions({ show: { templateType: [type.option.value] } }, type.fields)),
	];
}

/** The chosen template's fields as its input. A value no template type has (an old workflow's) reads as JSON. */
export function readTemplate(ctx: IExecuteFunctions, item: number): TemplateInput {
	const type = templateType(ctx.getNodeParameter('templateType', item)) ?? TEMPLATES.json;
	return type.read(ctx, item);
}

/** The `message.attachment` of a template message. */
export function buildTemplate(input: TemplateInput): IDataObject {
	return { type: 'template', payload: (TEMPLATES[input.templateType] as AnyTemplateType).build(input) };
}

/** The template types a payload can name (JSON is a way to type a payload, not a type of its own). */
const PAYLOAD_TYPES = ALL.filter((type) => type.validate !== undefined);
export const PAYLOAD_TEMPLATE_TYPES: string[] = PAYLOAD_TYPES.map((type) => type.option.value);

/** The template payload, for every template type (also when it came as JSON). */
export function validateTemplate(payload: IDataObject, request: SendRequest, item: number): void {
	requireOneOf(payload.template_type, PAYLOAD_TEMPLATE_TYPES, 'Template Type', item);
	const type = templateType(payload.template_type) as AnyTemplateType;
	if (type.onlyWithTag !== undefined && request.body.tag !== type.onlyWithTag) {
		throw new InvalidSendRequest(
			`Template Type in item ${item} is ${type.option.value}: send it with Tagged Update and the tag ${type.onlyWithTag}`,
			'Template Type',
		);
	}
	type.validate?.(payload, item);
}

export type { TemplateInput } from './inputs';
export { buildButton, type ButtonInput, type ButtonType } from './buttons';
export type { ButtonTemplateInput } from './button';
export type { CustomerFeedbackInput } from './customerFeedback';
export type { GenericElementInput, GenericTemplateInput } from './generic';
export { parseTemplateJson, type JsonTemplateInput } from './json';
export type { MediaTemplateInput } from './media';
export type { ReceiptAddressInput, ReceiptElementInput, ReceiptInput } from './receipt';
export type { TemplateType } from './templateType';
