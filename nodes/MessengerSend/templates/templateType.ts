import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/**
 * A template type (`attachment.type = "template"`), whole in its own file: the Template Type
 * option, the editor fields, how an item is read, the payload it builds and the checks of that
 * payload. templates/index.ts lists them and derives the rest.
 */
export interface TemplateType<Type extends string, Input> {
	/** Its option in the Template Type selector. */
	option: INodePropertyOptions & { value: Type };
	/** Its editor fields; templates/index.ts shows them only when this template type is chosen. */
	fields: INodeProperties[];
	/** Offered only where this tag can be sent (Tagged Update), and refused without it. */
	onlyWithTag?: string;
	/** The item's fields as this template's input (parameters read through `ctx`, at the I/O edge). */
	read(ctx: IExecuteFunctions, item: number): Input;
	/** The Send API payload (`attachment.payload`) of the input: pure. */
	build(input: Input): IDataObject;
	/**
	 * The checks of a payload of this template type (built from fields or typed as JSON), with the
	 * field and the item in each error. Absent for JSON: its payload is checked as the type it names.
	 */
	validate?(payload: IDataObject, item: number): void;
}
