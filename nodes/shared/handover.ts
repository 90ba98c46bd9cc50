// Conversation Routing (the Handover Protocol's successor) as both nodes meet it: the Send node
// passes and takes threads, the trigger reads who owns them now. Pure: names, IDs and answers.

/** The Page Inbox (Meta Business Suite, where the Page's people reply by hand) is an app with this ID. */
export const PAGE_INBOX_APP_ID = '263902037430900';

/** The thread control edges below `/{page-id}/`, by what they do. */
export const THREAD_CONTROL_EDGES = {
	pass: 'pass_thread_control',
	take: 'take_thread_control',
	request: 'request_thread_control',
	release: 'release_thread_control',
	owner: 'thread_owner',
} as const;

export type ThreadControlAction = Exclude<keyof typeof THREAD_CONTROL_EDGES, 'owner'>;

/** Whether an app ID is the Page Inbox's (a human of the Page answers there). */
export function isPageInbox(appId: unknown): boolean {
	return String(appId ?? '') === PAGE_INBOX_APP_ID;
}

/** The owner's app ID in an answer of `GET /{page-id}/thread_owner` ({data: [{thread_owner: {app_id}}]}); undefined when none. */
export function threadOwnerOf(body: unknown): string | undefined {
	const data = (body as { data?: unknown } | null | undefined)?.data;
	const first = Array.isArray(data) ? (data[0] as { thread_owner?: { app_id?: unknown } } | undefined) : undefined;
	const appId = first?.thread_owner?.app_id;
	return appId === undefined || appId === null || appId === '' ? undefined : String(appId);
}
