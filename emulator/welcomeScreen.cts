// What Messenger shows a person who opens the chat with a Page, made from the Page's messenger
// profile (pure), and how the transcript writes it. people.cts does the acting (openChat, the taps).
import { entryFor } from './pageProfile.cjs';
import { isObject } from './ruleValues.cjs';
import type { MenuButton, MessengerProfile, ProfilePlatform, ScreenView, WelcomeScreen } from './types.cjs';

/** Who looks at the screen. */
export interface Viewer {
	pageId: string;
	psid: string;
	locale: string;
	firstName: string;
	lastName: string;
	/** Get Started is shown only to people who never wrote to the Page. */
	neverWrote: boolean;
}

const INDENT = '        ';

export function welcomeScreen(profile: MessengerProfile, platform: ProfilePlatform, viewer: Viewer): WelcomeScreen {
	const { locale } = viewer;
	const greeting = entryFor(profile.greeting, locale)?.text;
	const menu = entryFor(profile.persistent_menu, locale);
	return {
		pageId: viewer.pageId,
		psid: viewer.psid,
		platform,
		locale,
		...(typeof greeting === 'string' ? { greeting: withNames(greeting, viewer) } : {}),
		...(isObject(profile.get_started) && viewer.neverWrote ? { getStarted: { payload: String(profile.get_started.payload) } } : {}),
		iceBreakers: actionsOf(entryFor(profile.ice_breakers, locale)).map((item) => ({ question: String(item.question), payload: String(item.payload) })),
		menu: actionsOf(menu).map(menuButton),
		composerInputDisabled: menu?.composer_input_disabled === true,
	};
}

/** The greeting as Messenger fills it in for this person. */
function withNames(text: string, viewer: Viewer): string {
	const full = [viewer.firstName, viewer.lastName].filter(Boolean).join(' ');
	return text.replaceAll('{{user_first_name}}', viewer.firstName).replaceAll('{{user_last_name}}', viewer.lastName).replaceAll('{{user_full_name}}', full);
}

function actionsOf(entry: Record<string, unknown> | undefined): Array<Record<string, unknown>> {
	return Array.isArray(entry?.call_to_actions) ? entry.call_to_actions.filter(isObject) : [];
}

function menuButton(button: Record<string, unknown>): MenuButton {
	const title = String(button.title);
	return button.type === 'web_url' ? { type: 'web_url', title, url: String(button.url) } : { type: 'postback', title, payload: String(button.payload) };
}

/**
 * `Ana opens the chat` and what was on the screen, one line a part; a web_url menu item
 * `Ana taps menu [Shop] → opens https://…`.
 */
export function renderScreenView(view: ScreenView, person: string): string[] {
	if (view.link) return [`  ${person} taps menu [${view.link.title}] → opens ${view.link.url}`];
	const screen = view.screen!;
	const lines: string[] = [];
	if (screen.greeting !== undefined) lines.push(`greeting: ${screen.greeting}`);
	if (screen.getStarted) lines.push('[Get Started]');
	if (screen.iceBreakers.length > 0) lines.push(`ice breakers: ${screen.iceBreakers.map((item) => `[${item.question}]`).join(' ')}`);
	if (screen.menu.length > 0) {
		const items = screen.menu.map((button) => (button.type === 'web_url' ? `[${button.title} ↗]` : `[${button.title}]`)).join(' ');
		lines.push(`menu${screen.composerInputDisabled ? ' (typing disabled)' : ''}: ${items}`);
	}
	if (lines.length === 0) return [`  ${person} opens the chat: nothing set up`];
	return [`  ${person} opens the chat`, ...lines.map((line) => INDENT + line)];
}
