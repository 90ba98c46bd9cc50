// Public types of the Page's entry points (the Messenger Profile API, personas) and of what a
// person sees of them on the welcome screen. types.cts re-exports them.
import type { PersonAction } from './conversationTypes.cjs';
import type { WebhookDelivery } from './webhookTypes.cjs';

/** `messenger` is a Page's own profile; `instagram` the one `platform=instagram` reaches. */
export type ProfilePlatform = 'messenger' | 'instagram';

export type ProfileField = 'get_started' | 'greeting' | 'ice_breakers' | 'persistent_menu' | 'whitelisted_domains';

/** The properties that are set, as the last write gave them. */
export type MessengerProfile = Partial<Record<ProfileField, unknown>>;

export interface Persona {
	id: string;
	name: string;
	profile_picture_url: string;
}

/** A person action on the welcome screen; `locale` (e.g. `en_US`) picks what they see and is kept for them. */
export interface WelcomeAction extends PersonAction {
	locale?: string;
}

export interface IceBreakerTap extends WelcomeAction {
	/** The question exactly as set. */
	question: string;
}

export interface MenuItemTap extends WelcomeAction {
	/** The menu item's title exactly as set. */
	title: string;
}

export interface MenuButton {
	type: 'postback' | 'web_url';
	title: string;
	payload?: string;
	url?: string;
}

/** What Messenger shows a person who opens the chat with the Page. */
export interface WelcomeScreen {
	pageId: string;
	psid: string;
	platform: ProfilePlatform;
	/** The person's locale (default `default`): each property shows its entry for it, else its `default` entry. */
	locale: string;
	/** With the name placeholders filled in. */
	greeting?: string;
	/** The Get Started button (its payload), shown only while the person never wrote to the Page. */
	getStarted?: { payload: string };
	iceBreakers: Array<{ question: string; payload: string }>;
	menu: MenuButton[];
	composerInputDisabled: boolean;
}

/** A tap that sent a `messaging_postbacks` event. */
export interface WelcomePostback {
	kind: 'postback';
	title: string;
	payload: string;
	mid: string;
	/** null: nobody is subscribed to `messaging_postbacks`. */
	delivery: WebhookDelivery | null;
}

/** A `web_url` menu item: Messenger opens the URL; no webhook. */
export interface WelcomeLink {
	kind: 'web_url';
	title: string;
	url: string;
}

/** A person opening the chat, or opening a menu link, as the transcript shows it. */
export interface ScreenView {
	seq: number;
	pageId: string;
	psid: string;
	screen?: WelcomeScreen;
	link?: { title: string; url: string };
	at: number;
}
