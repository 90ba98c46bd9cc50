// Each template type's input, by its Template Type value: what the registry (index.ts) and the
// attachment input (../request/types.ts) know of the template files.

import type { GenericTemplateInput } from './generic';
import type { ButtonTemplateInput } from './button';
import type { MediaTemplateInput } from './media';
import type { ReceiptInput } from './receipt';
import type { CustomerFeedbackInput } from './customerFeedback';
import type { JsonTemplateInput } from './json';

export interface TemplateInputs {
	generic: GenericTemplateInput;
	button: ButtonTemplateInput;
	media: MediaTemplateInput;
	receipt: ReceiptInput;
	customer_feedback: CustomerFeedbackInput;
	json: JsonTemplateInput;
}

/** A template message's input (`templateType` says which template type). */
export type TemplateInput = TemplateInputs[keyof TemplateInputs];
