// Who owns a person's thread under Conversation Routing (/work/shared/messenger-conversations.md):
// one owner per (Page, person), the Page's default app until someone passes or takes it. The
// edges (edges/threadControl.cts), the test's Page Inbox controls and the routing of the people's
// events (messaging or standby) all read and change it here, so there is one answer to "who owns it".
import type { EmulatorApp, EmulatorPage } from './types.cjs';

/** The Page Inbox (Meta Business Suite, where the Page's people answer by hand) is an app with this ID. */
export const PAGE_INBOX_APP_ID = '263902037430900';
export const PAGE_INBOX_NAME = 'Page Inbox';

export class ThreadOwners {
	/** By `pageId|psid`; a thread not in here is idle, which counts as owned by the default app. */
	private readonly owners = new Map<string, string>();

	ownerOf(pageId: string, psid: string, defaultAppId: string): string {
		return this.owners.get(`${pageId}|${psid}`) ?? defaultAppId;
	}

	/** Back to the default app: the thread is idle again (not remembered). */
	set(pageId: string, psid: string, appId: string, defaultAppId: string): void {
		if (appId === defaultAppId) this.owners.delete(`${pageId}|${psid}`);
		else this.owners.set(`${pageId}|${psid}`, appId);
	}

	reset(): void {
		this.owners.clear();
	}
}

/** The Page's default app for conversations: its `appId`, else the first app (as `Graph.appOf`). */
export function defaultAppId(page: EmulatorPage, apps: readonly EmulatorApp[]): string {
	return page.appId ?? apps[0]?.id ?? '';
}

/** Every app connected to the Page, the default app first, then the Page Inbox, then the secondary receivers. */
export function connectedAppIds(page: EmulatorPage, apps: readonly EmulatorApp[]): string[] {
	return [...new Set([defaultAppId(page, apps), PAGE_INBOX_APP_ID, ...(page.secondaryReceivers ?? []).map(String)])];
}

/** An app's name as Graph lists it (the Page Inbox has its own; an app the emulator does not know: "App …"). */
export function appName(appId: string, apps: readonly EmulatorApp[]): string {
	if (appId === PAGE_INBOX_APP_ID) return PAGE_INBOX_NAME;
	return apps.find((app) => app.id === appId)?.name ?? `App ${appId}`;
}
