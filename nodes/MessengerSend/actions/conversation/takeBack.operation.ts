import { threadControlAction } from './threadControl';

/** `POST /{page-id}/take_thread_control`. */
export const takeBack = threadControlAction('take', 'takeBack', {
	name: 'Take Back',
	value: 'takeBack',
	action: 'Take back a conversation',
	description:
		'Take the conversation with this person back from the Page Inbox or another app, so this workflow gets their messages again. Only the Page’s default app for messaging may take. Already owned: success with changed false.',
});
