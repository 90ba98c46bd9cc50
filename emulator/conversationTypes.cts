// Public types of the emulator's Conversation Routing side (people's profiles, handovers, the
// Page Inbox's replies). types.cts re-exports them.

/** A person's profile as the User Profile API (or Instagram's user fields) shows it. */
export interface PersonProfile {
	firstName?: string;
	lastName?: string;
	profilePic?: string;
	/** Instagram */
	username?: string;
	followerCount?: number;
	isUserFollowBusiness?: boolean;
	isBusinessFollowUser?: boolean;
}

/** What a person action names: who acts, on which Page (default: the first), and optionally their name for the transcript. */
export interface PersonAction {
	psid: string;
	pageId?: string;
	/** Shown for the person in the transcript from now on (default "PSID …"); also their profile's name. */
	name?: string;
	/** What their profile shows (`GET {PSID}`), over what `name` gives; kept from then on. */
	profile?: PersonProfile;
}

/** A change of a thread's owner, or a request for it, as the transcript and `handovers` show it. */
export interface HandoverEntry {
	seq: number;
	pageId: string;
	psid: string;
	action: 'pass' | 'take' | 'request' | 'release';
	/** The app that called (the Page Inbox's ID for the test's Page Inbox controls). */
	byAppId: string;
	previousOwnerAppId: string;
	/** The owner after the call (for a request: unchanged). */
	newOwnerAppId: string;
	/** A request: the app that asked. */
	requestedOwnerAppId?: string;
	metadata?: string;
	at: number;
}

/** A human's reply from the Page Inbox (test control `pageInboxReply`): in the thread, never a Graph send. */
export interface PageInboxReply {
	seq: number;
	pageId: string;
	psid: string;
	mid: string;
	text: string;
	receivedAt: number;
}
