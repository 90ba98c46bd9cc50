// What the editor suites need for the Page Profile and Persona resources: a saved Page Profile →
// Set node's parameters, and the Page's personas created in the suite's Graph API emulator (through
// its Graph API with the Page token, as a Persona → Create node would) for the Persona ID picker.
import type { Locator } from 'playwright-core';

import type { GraphEmulator } from '../../emulator/graphEmulator.cjs';
import type { EditorSession } from './editorSession.cjs';
import { PAGE } from './editorWorkflow.cjs';

/** Page Profile → Set as the editor saves it: Get Started, Greeting, Ice Breakers and Persistent Menu filled in. */
export const WELCOME_PARAMETERS = {
	resource: 'pageProfile',
	operation: 'set',
	profileProperties: ['get_started', 'greeting', 'ice_breakers', 'persistent_menu'],
	getStartedPayload: 'GET_STARTED',
	greetings: { greeting: [{ locale: 'default', text: 'Hi {{user_first_name}}! How can we help?' }] },
	iceBreakers: { iceBreaker: [{ locale: 'default', question: 'Where is my order?', payload: 'ORDER_STATUS' }] },
	menuItems: {
		menuItem: [
			{ locale: 'default', type: 'postback', title: 'Track my order', payload: 'TRACK_ORDER' },
			{ locale: 'default', type: 'web_url', title: 'Shop', url: 'https://shop.example', webviewHeightRatio: 'tall' },
		],
	},
};

/** The Page's personas, oldest first (Graph lists them so). */
export const PERSONAS = ['Sam from Support', 'Alex from Sales'];

/** Creates PERSONAS for the Page in `emulator` (`POST /me/personas` with the Page token). */
export async function createPersonas(emulator: GraphEmulator): Promise<void> {
	for (const name of PERSONAS) {
		const response = await fetch(`${emulator.url}/v25.0/me/personas`, {
			method: 'POST',
			headers: { authorization: `Bearer ${PAGE.token}`, 'content-type': 'application/json' },
			body: JSON.stringify({ name, profile_picture_url: `https://shop.example/team/${name.split(' ')[0].toLowerCase()}.png` }),
		});
		if (!response.ok) throw new Error(`Creating the persona ${name} in the emulator: HTTP ${response.status} ${await response.text()}`);
	}
}

/** The fields a fixed collection of the open panel shows (names, every entry's, top to bottom), once they are `expected`. */
export async function collectionFields(session: EditorSession, name: string, expected: string[]): Promise<string[]> {
	const read = async () =>
		await session.ndv
			.locator(`[data-test-id="fixed-collection-${name}"] [data-test-id^="parameter-input-"]`)
			.evaluateAll((inputs) =>
				inputs
					.map((input) => [input, (input.getAttribute('data-test-id') ?? '').replace('parameter-input-', '')] as const)
					// "field" and "item": the inner inputs n8n renders inside a field, not fields of their own.
					.filter(([input, name]) => name !== 'field' && name !== 'item' && (input as HTMLElement).checkVisibility())
					.map(([, name]) => name),
			);
	return await session.until(expected, read);
}

/** The value a field of a fixed collection's entry (`index`) shows. */
export async function collectionValue(session: EditorSession, collection: string, field: string, index = 0): Promise<string> {
	const input = session.ndv.locator(`[data-test-id="fixed-collection-${collection}"] [data-test-id="parameter-input-${field}"]`).nth(index);
	return await input.locator('input, textarea').first().inputValue();
}

/** The text input of a resource locator (`parameter`): n8n puts its test ID on the input or on its wrapper. */
export function rlcInput(parameter: Locator): Locator {
	return parameter.locator('input[data-test-id="rlc-input"], [data-test-id="rlc-input"] input').first();
}
