import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/**
 * Shows a group of fields only when `show` matches, keeping each field's own conditions,
 * so an operation states its display options once instead of on every field.
 */
export function showOnlyFor(
	show: NonNullable<IDisplayOptions['show']>,
	properties: INodeProperties[],
): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { ...show, ...property.displayOptions?.show },
		},
	}));
}
