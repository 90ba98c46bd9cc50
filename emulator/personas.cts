// The Pages' personas (a human agent's name and picture on sends): created, listed, deleted over
// Graph (edges/personas.cts); a send's persona_id is checked here.
import type { EmulatorPage, Persona } from './types.cjs';

/** Persona IDs are numeric strings, far from the test PSIDs and Page IDs. */
const FIRST_PERSONA_ID = 1_730_000_000_000_001;

export class Personas {
	/** By Page ID, oldest first. */
	private readonly byPage = new Map<string, Persona[]>();

	/** Pages that created a persona since the last reset (deleted ones count: their IDs stay invalid). */
	private readonly created = new Set<string>();

	/** Never restarted, so that an ID a client kept from before a reset() does not name a new persona. */
	private count = 0;

	create(pageId: string, name: string, pictureUrl: string): Persona {
		const persona = { id: String(FIRST_PERSONA_ID + this.count), name, profile_picture_url: pictureUrl };
		this.count += 1;
		this.byPage.set(pageId, [...this.of(pageId), persona]);
		this.created.add(pageId);
		return persona;
	}

	of(pageId: string): Persona[] {
		return this.byPage.get(pageId) ?? [];
	}

	find(pageId: string, id: string): Persona | undefined {
		return this.of(pageId).find((persona) => persona.id === id);
	}

	delete(pageId: string, id: string): void {
		this.byPage.set(
			pageId,
			this.of(pageId).filter((persona) => persona.id !== id),
		);
	}

	/**
	 * Whether a send's persona_id is refused. Tests written before personas existed send made-up
	 * IDs: they are taken unless the Page checks (`checkPersonas`, default: once it created one).
	 */
	refuses(page: EmulatorPage, id: string): boolean {
		const checks = page.checkPersonas ?? this.created.has(page.id);
		return checks && this.find(page.id, id) === undefined;
	}

	reset(): void {
		this.byPage.clear();
		this.created.clear();
	}
}
