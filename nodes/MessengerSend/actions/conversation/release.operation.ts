import { threadControlAction } from './threadControl';

/** `POST /{page-id}/release_thread_control`. */
export const release = threadControlAction('release', 'release', {
	name: 'Release',
	value: 'release',
	action: 'Release a conversation',
	description: 'Give up the conversation with this person: it goes back to the Page’s default app for messaging. Not owned by this app: success with changed false.',
});
