import { threadControlAction } from './threadControl';

/** `POST /{page-id}/request_thread_control`. */
export const requestControl = threadControlAction('request', 'requestControl', {
	name: 'Request Control',
	value: 'requestControl',
	action: 'Request control of a conversation',
	description: 'Ask the app that owns the conversation with this person to pass it to this app (it decides). Already owned by this app: success with changed false.',
});
