import { SEND_API_LIMITS, IMAGE_ASPECT_RATIOS } from '../rules';
import { asText, readText } from '../request/parameters';
import { buttonsField, readButtons, validateButtons, withButtons, type ButtonInput } from './buttons';
import { checkText, requireList, requireObject, requireOneOf, requireUrl } from './checks';
import type { TemplateType } from './templateType';
import { listOf, withoutEmpty } from './values';

/** A card, or a carousel of cards. */
export interface GenericTemplateInput {
	templateType: 'generic';
	imageAspectRatio: string;
	elements: GenericElementInput[];
}

export interface GenericElementInput {
	title: string;
	subtitle?: string;
	imageUrl?: string;
	defaultActionUrl?: string;
	buttons: ButtonInput[];
}

const limits = SEND_API_LIMITS;

export const generic: TemplateType<'generic', GenericTemplateInput> = {
	option: { name: 'Generic', value: 'generic', description: 'A card, or a carousel of up to 10 cards' },

	fields: [
		{
			displayName: 'Elements',
			name: 'elements',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			default: {},
			placeholder: 'Add Element',
			description: `The cards of the carousel, 1 to ${limits.genericElements.max}`,
			options: [
				{
					displayName: 'Element',
					name: 'element',
					values: [
						{
							displayName: 'Title',
							name: 'title',
							type: 'string',
							default: '',
							description: `At most ${limits.elementTitle.max} characters`,
						},
						{
							displayName: 'Subtitle',
							name: 'subtitle',
							type: 'string',
							default: '',
							description: `Optional, at most ${limits.elementSubtitle.max} characters`,
						},
						{
							displayName: 'Image URL',
							name: 'imageUrl',
							type: 'string',
							default: '',
							description: 'Optional picture of the card',
						},
						{
							displayName: 'Default Action URL',
							name: 'defaultActionUrl',
							type: 'string',
							default: '',
							description: 'Optional page opened when the card itself is tapped',
						},
						buttonsField('buttons', 'Buttons', limits.elementButtons.max, `At most ${limits.elementButtons.max} buttons on the card`),
					],
				},
			],
		},
		{
			displayName: 'Image Aspect Ratio',
			name: 'imageAspectRatio',
			type: 'options',
			options: [
				{ name: 'Horizontal', value: 'horizontal', description: '1.91:1' },
				{ name: 'Square', value: 'square', description: '1:1' },
			],
			default: 'horizontal',
		},
	],

	read(ctx, item) {
		return {
			templateType: 'generic',
			imageAspectRatio: readText(ctx, 'imageAspectRatio', item, 'Image Aspect Ratio'),
			elements: listOf(ctx.getNodeParameter('elements', item, {}), 'element').map((element, index) => {
				const label = `Element ${index + 1}`;
				return {
					title: asText(element.title, item, `${label} Title`),
					subtitle: asText(element.subtitle, item, `${label} Subtitle`),
					imageUrl: asText(element.imageUrl, item, `${label} Image URL`),
					defaultActionUrl: asText(element.defaultActionUrl, item, `${label} Default Action URL`),
					buttons: readButtons(element.buttons, item, `${label} Button`),
				};
			}),
		};
	},

	build(input) {
		return {
			template_type: 'generic',
			image_aspect_ratio: input.imageAspectRatio,
			elements: input.elements.map((element) =>
				withButtons(
					withoutEmpty({
						title: element.title,
						subtitle: element.subtitle,
						image_url: element.imageUrl?.trim(),
						default_action: element.defaultActionUrl?.trim()
							? { type: 'web_url', url: element.defaultActionUrl.trim() }
							: undefined,
					}),
					element.buttons,
				),
			),
		};
	},

	validate(payload, item) {
		if (payload.image_aspect_ratio !== undefined) {
			requireOneOf(payload.image_aspect_ratio, IMAGE_ASPECT_RATIOS, 'Image Aspect Ratio', item);
		}
		requireList(payload.elements, limits.genericElements, 1, item).forEach((element: unknown, index) => {
			const label = `Element ${index + 1}`;
			const fields = requireObject(element, label, item);
			checkText(fields.title, limits.elementTitle, `${label} Title`, item);
			if (fields.subtitle !== undefined) checkText(fields.subtitle, limits.elementSubtitle, `${label} Subtitle`, item);
			if (fields.image_url !== undefined) requireUrl(fields.image_url, `${label} Image URL`, item);
			if (fields.default_action !== undefined) {
				const action = requireObject(fields.default_action, `${label} Default Action`, item);
				requireOneOf(action.type, ['web_url'], `${label} Default Action Type`, item);
				requireUrl(action.url, `${label} Default Action URL`, item);
			}
			validateButtons(fields.buttons, limits.elementButtons, 0, `${label} Button`, item, `${label} Buttons`);
		});
	},
};
