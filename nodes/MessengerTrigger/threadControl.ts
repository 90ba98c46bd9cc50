// Who is talking to the person: what the trigger reads of Conversation Routing's webhooks (the
// messaging_handovers events, and the Page Inbox's app ID on echoes). Pure, like events.ts.
import type { IDataObject } from 'n8n-workflow';

import { PAGE_INBOX_APP_ID } from '../shared/handover';

/** The handover events of `messaging_handovers`, by their key in the event, and the action an item names. */
const ACTIONS = {
	pass_thread_control: 'pass',
	take_thread_control: 'take',
	request_thread_control: 'request',
	app_roles: 'app_roles',
} as const;
export type HandoverAction = (typeof ACTIONS)[keyof typeof ACTIONS];

export const HANDOVER_KEYS = Object.keys(ACTIONS) as Array<keyof typeof ACTIONS>;

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An app ID as text. Meta's samples give app IDs as strings, but some payloads (and the emulator)
 * carry numbers, and a previous owner is null when the thread was idle.
 */
function appIdOf(value: unknown): string | null {
	if (typeof value === 'string' && value) return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return null;
}

function handoverOf(event: IDataObject): { key: keyof typeof ACTIONS; body: IDataObject } | undefined {
	const key = HANDOVER_KEYS.find((name) => isObject(event[name]));
	return key ? { key, body: event[key] as IDataObject } : undefined;
}

/**
 * The fields a handover item adds. `toThisApp` needs the app's own ID (the credential's App ID;
 * null without it): it is what tells a hand-back (pass to this app, take by this app) from the
 * other handovers without the workflow knowing its app's ID.
 */
export function handoverFields(event: IDataObject, ownAppId: string | undefined): IDataObject {
	const found = handoverOf(event);
	const body = found?.body ?? {};
	const newOwnerAppId = appIdOf(body.new_owner_app_id);
	const previousOwnerAppId = appIdOf(body.previous_owner_app_id);
	const requestedOwnerAppId = appIdOf(body.requested_owner_app_id);
	// Where the thread goes: the new owner, or for a request the app that asks for it.
	const goesTo = newOwnerAppId ?? requestedOwnerAppId;
	const fields: IDataObject = {
		action: found ? ACTIONS[found.key] : null,
		newOwnerAppId,
		previousOwnerAppId,
		requestedOwnerAppId,
		metadata: typeof body.metadata === 'string' ? body.metadata : null,
		toPageInbox: goesTo === PAGE_INBOX_APP_ID,
		fromPageInbox: previousOwnerAppId === PAGE_INBOX_APP_ID,
		toThisApp: ownAppId ? goesTo === ownAppId : null,
	};
	if (found?.key === 'app_roles') fields.appRoles = body;
	return fields;
}

/**
 * What makes a handover event this event and no other, for its key in the seen-events list: the
 * action, the person, the time and the apps (as text, so a number and a string are the same ID),
 * and the metadata. Read field by field rather than digested as received, so that a redelivery
 * whose JSON lists the same fields in another order is still the same event.
 */
export function handoverIdentity(event: IDataObject): string {
	const found = handoverOf(event);
	const body = found?.body ?? {};
	const sender = isObject(event.sender) ? event.sender : {};
	const recipient = isObject(event.recipient) ? event.recipient : {};
	const parts: unknown[] = [found?.key ?? '', sender.id ?? sender.user_ref ?? '', recipient.id ?? '', event.timestamp ?? ''];
	if (found?.key === 'app_roles') {
		// { "<app id>": ["primary_receiver"] }: in the order of the app IDs.
		parts.push(...Object.keys(body).sort().map((appId) => `${appId}=${JSON.stringify(body[appId])}`));
	} else {
		parts.push(appIdOf(body.new_owner_app_id), appIdOf(body.previous_owner_app_id), appIdOf(body.requested_owner_app_id), body.metadata ?? null);
	}
	return JSON.stringify(parts.map((part) => (part === null || part === undefined ? null : String(part))));
}

/**
 * Whether an echo is a person's reply from the Page Inbox (Meta Business Suite) rather than an
 * app's: Meta gives such echoes the Page Inbox's app ID, or none at all.
 */
export function isHumanEcho(appId: string | null): boolean {
	return appId === null || appId === PAGE_INBOX_APP_ID;
}
