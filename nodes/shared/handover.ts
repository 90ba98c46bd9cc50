// Conversation Routing (the Handover Protocol's successor) as both nodes meet it: the Send node
// passes and takes threads, the trigger reads who owns them now.

/** The Page Inbox (Meta Business Suite, where the Page's people reply by hand) is an app with this ID. */
export const PAGE_INBOX_APP_ID = '263902037430900';
