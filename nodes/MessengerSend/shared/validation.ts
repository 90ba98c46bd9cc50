// The rules live in ../rules (values, limits, platform profiles, schemas). This module keeps the
// names other modules import from here, for the time they move to ../rules.
import { ATTACHMENT_TYPE, MESSAGE_TAG, MESSAGING_TYPE, NOTIFICATION_TYPE, QUICK_REPLY_TYPE, RECIPIENT, SENDER_ACTION } from '../rules';

export {
	BUTTON_TYPES,
	countCharacters,
	IMAGE_ASPECT_RATIOS,
	InvalidSendRequest,
	MEDIA_TEMPLATE_TYPES,
	platformOf,
	TEMPLATE_TYPES,
	type Platform,
} from '../rules';
export { validateSendRequest } from '../rules/validate';

export const RECIPIENT_KEYS: string[] = [...RECIPIENT.values];
export const MESSAGING_TYPES: string[] = [...MESSAGING_TYPE.values];
export const NOTIFICATION_TYPES: string[] = [...NOTIFICATION_TYPE.values];
/** Every documented tag; the retired ones are sent anyway, so Messenger's answer can be explained. */
export const MESSAGE_TAGS: string[] = [...MESSAGE_TAG.values];
export const SENDER_ACTIONS: string[] = [...SENDER_ACTION.values];
export const ATTACHMENT_TYPES: string[] = [...ATTACHMENT_TYPE.values];
export const QUICK_REPLY_TYPES: string[] = [...QUICK_REPLY_TYPE.values];
