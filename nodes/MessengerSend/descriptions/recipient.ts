import type { INodeProperties } from 'n8n-workflow';

import { RECIPIENT, type Assert, type RecipientKey, type Same } from '../rules';
import type { RecipientType } from '../request/types';

interface RecipientTypeInfo {
	name: string;
	parameter: string;
	label: string;
	placeholder: string;
	description: string;
	fieldDescription: string;
}

/** The node's label of each recipient field, from the value list in ../rules. */
const RECIPIENT_LABELS = Object.fromEntries(RECIPIENT.list.map((choice) => [choice.value, choice.name])) as Record<RecipientKey, string>;

/** The editor offers every recipient but the phone number (request/types.ts spells the union out: this keeps it in step). */
export type RecipientTypesFollowValueList = Assert<Same<RecipientType, Exclude<RecipientKey, 'phone_number'>>>;

export const RECIPIENT_TYPES: Record<RecipientType, RecipientTypeInfo> = {
	id: {
		name: 'PSID',
		parameter: 'psid',
		label: RECIPIENT_LABELS.id,
		placeholder: 'e.g. 6789012345678901',
		description:
			'The Page-scoped ID of a person who wrote to the Page. Standard messages reach them for 24 hours after their last message.',
		fieldDescription:
			'The Page-scoped ID (PSID) of the person, as the Messenger webhook delivers it in sender.ID. On Instagram: the Instagram-scoped ID (IGSID) from the Instagram webhook.',
	},
	user_ref: {
		name: 'User Ref',
		parameter: 'userRef',
		label: RECIPIENT_LABELS.user_ref,
		placeholder: 'e.g. checkbox-ref-42',
		description:
			'The user_ref from the Checkbox or Customer Chat plugin, for the first message to a person who opted in on your website',
		fieldDescription: 'The user_ref your website passed to the Checkbox or Chat plugin',
	},
	comment_id: {
		name: 'Comment ID (Private Reply)',
		parameter: 'commentId',
		label: RECIPIENT_LABELS.comment_id,
		placeholder: 'e.g. 123456789_987654321',
		description:
			"A private reply in Messenger to a comment on one of the Page's posts: one reply per comment, within 7 days of the comment",
		fieldDescription: 'The ID of the comment to answer privately, as the feed webhook delivers it',
	},
	post_id: {
		name: 'Post ID (Private Reply)',
		parameter: 'postId',
		label: RECIPIENT_LABELS.post_id,
		placeholder: 'e.g. 123456789_987654321',
		description:
			"A private reply in Messenger to a visitor's post on the Page: one reply per post, within 7 days of the post",
		fieldDescription: "The ID of the visitor's post to answer privately",
	},
};

export const ALL_RECIPIENT_TYPES: RecipientType[] = ['id', 'user_ref', 'comment_id', 'post_id'];

/** Private replies go to comments and posts; follow-ups go to the person's PSID. */
export const PERSON_RECIPIENT_TYPES: RecipientType[] = ['id', 'user_ref'];

/** The recipient type selector and the one ID field that fits each type. */
export function recipientFields(types: RecipientType[]): INodeProperties[] {
	const selector: INodeProperties = {
		displayName: 'Recipient Type',
		name: 'recipientType',
		type: 'options',
		noDataExpression: true,
		options: types
			.map((type) => ({
				name: RECIPIENT_TYPES[type].name,
				value: type,
				description: RECIPIENT_TYPES[type].description,
			}))
			.sort((a, b) => a.name.localeCompare(b.name)),
		default: 'id',
		description: 'How the person who gets the message is identified',
	};
	const idFields: INodeProperties[] = types.map((type) => ({
		displayName: RECIPIENT_TYPES[type].label,
		name: RECIPIENT_TYPES[type].parameter,
		type: 'string',
		required: true,
		default: '',
		placeholder: RECIPIENT_TYPES[type].placeholder,
		description: RECIPIENT_TYPES[type].fieldDescription,
		displayOptions: { show: { recipientType: [type] } },
	}));
	return [selector, ...idFields];
}
