import { SEND_API_LIMITS, InvalidSendRequest, MEDIA_TEMPLATE_TYPES } from '../rules';
import { readText } from '../request/parameters';
import { buttonsField, readButtons, validateButtons, withButtons, type ButtonInput } from './buttons';
import { isFacebookUrl, requireList, requireObject, requireOneOf, requireText } from './checks';
import type { TemplateType } from './templateType';

/** An image or video posted on Facebook (or uploaded before), with an optional button. */
export interface MediaTemplateInput {
	templateType: 'media';
	mediaType: string;
	source: 'attachmentId' | 'url';
	value: string;
	buttons: ButtonInput[];
}

const limits = SEND_API_LIMITS;

export const media: TemplateType<'media', MediaTemplateInput> = {
	option: { name: 'Media', value: 'media', description: 'An image or video with an optional button' },

	fields: [
		{
			displayName: 'Media Type',
			name: 'mediaType',
			type: 'options',
			options: [
				{ name: 'Image', value: 'image' },
				{ name: 'Video', value: 'video' },
			],
			default: 'image',
		},
		{
			displayName: 'Media Source',
			name: 'mediaSource',
			type: 'options',
			options: [
				{ name: 'Attachment ID', value: 'attachmentId', description: 'An attachment_id from an earlier upload' },
				{ name: 'Facebook URL', value: 'url', description: 'The URL of a photo or video posted on Facebook' },
			],
			default: 'attachmentId',
		},
		{
			displayName: 'Media Attachment ID',
			name: 'mediaAttachmentId',
			type: 'string',
			default: '',
			displayOptions: { show: { mediaSource: ['attachmentId'] } },
		},
		{
			displayName: 'Media URL',
			name: 'mediaUrl',
			type: 'string',
			default: '',
			placeholder: 'https://www.facebook.com/photo.php?fbid=123',
			description: 'A Facebook URL of the media (any other URL is refused by Messenger)',
			displayOptions: { show: { mediaSource: ['url'] } },
		},
		buttonsField('mediaButton', 'Button', limits.mediaButtons.max, 'An optional button under the media'),
	],

	read(ctx, item) {
		const source = ctx.getNodeParameter('mediaSource', item) as 'attachmentId' | 'url';
		return {
			templateType: 'media',
			mediaType: readText(ctx, 'mediaType', item, 'Media Type'),
			source,
			value: source === 'url' ? readText(ctx, 'mediaUrl', item, 'Media URL') : readText(ctx, 'mediaAttachmentId', item, 'Media Attachment ID'),
			buttons: readButtons(ctx.getNodeParameter('mediaButton', item, {}), item, 'Button'),
		};
	},

	build(input) {
		const source = input.source === 'url' ? { url: input.value.trim() } : { attachment_id: input.value.trim() };
		return { template_type: 'media', elements: [withButtons({ media_type: input.mediaType, ...source }, input.buttons)] };
	},

	validate(payload, item) {
		const [element] = requireList(payload.elements, limits.mediaElements, 1, item);
		const fields = requireObject(element, 'Media', item);
		requireOneOf(fields.media_type, MEDIA_TEMPLATE_TYPES, 'Media Type', item);
		const sources = ['url', 'attachment_id'].filter((key) => fields[key] !== undefined);
		if (sources.length !== 1) {
			throw new InvalidSendRequest(
				`Media in item ${item} needs exactly one of an attachment ID or a Facebook URL, found ${sources.length ? sources.join(', ') : 'none'}`,
				'Media Source',
			);
		}
		if (fields.attachment_id !== undefined) requireText(fields.attachment_id, 'Media Attachment ID', item);
		else {
			const url = requireText(fields.url, 'Media URL', item);
			if (!isFacebookUrl(url)) {
				throw new InvalidSendRequest(
					`Media URL in item ${item} is not a Facebook URL: "${url}" (a media template takes only media posted on Facebook; use an attachment ID for other files)`,
					'Media URL',
				);
			}
		}
		validateButtons(fields.buttons, limits.mediaButtons, 0, 'Button', item);
	},
};
