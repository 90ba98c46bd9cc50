import { PAGE_INBOX_APP_ID } from '../../../shared/handover';
import { threadControlAction } from './threadControl';

/** `POST /{page-id}/pass_thread_control` with target_app_id = the Page Inbox. */
export const passToPageInbox = threadControlAction(
	'pass',
	'passToPageInbox',
	{
		name: 'Pass to Page Inbox',
		value: 'passToPageInbox',
		action: 'Pass a conversation to the page inbox',
		description:
			'Hand the conversation with this person to the Page’s people (Meta Business Suite inbox): the bot stops getting their messages until the thread is handed back. Already there: success with changed false.',
	},
	[],
	() => ({ targetAppId: PAGE_INBOX_APP_ID }),
);
