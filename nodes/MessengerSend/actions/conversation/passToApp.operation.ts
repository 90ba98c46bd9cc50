import { readTargetAppId, targetAppIdField, threadControlAction } from './threadControl';

/** `POST /{page-id}/pass_thread_control` with the Target App ID. */
export const passToApp = threadControlAction(
	'pass',
	'passToApp',
	{
		name: 'Pass to Another App',
		value: 'passToApp',
		action: 'Pass a conversation to another app',
		description: 'Hand the conversation with this person to another app connected to the Page, by its app ID. Already there: success with changed false.',
	},
	[targetAppIdField],
	readTargetAppId,
);
