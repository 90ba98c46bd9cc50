// The editor's nodes panel ("+" on the canvas) for the editor suites: search, the items it lists,
// a node's actions as it lists them, and closing it.
import type { Locator } from 'playwright-core';

import type { EditorSession } from './editorSession.cjs';

export class NodesPanel {
	constructor(private readonly session: EditorSession) {}

	get creator(): Locator {
		return this.session.page.locator('[data-test-id="node-creator"]');
	}

	/** Opens the nodes panel with the canvas's "+" button and searches. */
	async search(text: string): Promise<void> {
		await this.session.page.locator('[data-test-id="node-creator-plus-button"], [data-test-id="canvas-plus-button"]').filter({ visible: true }).first().click();
		await this.creator.locator('[data-test-id="node-creator-search-bar"]').fill(text);
	}

	/** The names of the items the nodes panel lists, once they include `expected`. */
	async itemsIncluding(expected: string[]): Promise<string[]> {
		let names: string[] = [];
		await this.session.until(true, async () => {
			names = (await this.creator.locator('[data-test-id="node-creator-item-name"]').allInnerTexts()).map((name) => name.trim());
			return expected.every((name) => names.includes(name));
		});
		return names;
	}

	/**
	 * A node's actions as the nodes panel lists them (after a click on the node): the group labels
	 * ("Conversation Actions") and each action's name, top to bottom, once they are `expected`.
	 */
	async actionListOf(expected: string[]): Promise<string[]> {
		const read = async () =>
			await this.creator
				.locator('[data-test-id="item-iterator-item"]')
				.evaluateAll((items) => items.filter((item) => (item as HTMLElement).checkVisibility()).map((item) => (item.textContent ?? '').trim()));
		return await this.session.until(expected, read);
	}

	async close(): Promise<void> {
		if (!(await this.creator.isVisible())) return;
		await this.session.page.keyboard.press('Escape');
		await this.creator.waitFor({ state: 'hidden' });
	}
}
