// What the Conversations API tests (conversationLookup, conversationAccess) share: the clock frozen
// for `receivedAt`, the lookup and thread paths, a message as the thread lists it, many sends.
import type { EmulatorPage, GraphEmulator } from '../../emulator/graphEmulator.cjs';
import { call, messageOp, PAGE, PSID, TOKEN } from './helpers.cjs';

/** Every field of a message, as a field selection. */
export const ALL_FIELDS = '{id,created_time,from,to,message}';

/** Freezes the clock the emulator stamps `receivedAt` with. */
export function at(iso: string): void {
	jest.spyOn(Date, 'now').mockReturnValue(Date.parse(iso));
}

afterEach(() => jest.restoreAllMocks());

export const lookup = (psid = PSID, extra = '') => `/v25.0/me/conversations?platform=messenger&user_id=${psid}${extra}`;
export const thread = (id: string, fields = `messages${ALL_FIELDS}`) => `/v25.0/${id}?fields=${encodeURIComponent(fields)}`;

export function message(id: string, createdTime: string, text: string, psid = PSID, page: EmulatorPage = PAGE) {
	return { id, created_time: createdTime, from: { id: page.id, name: page.name }, to: { data: [{ id: psid }] }, message: text };
}

export async function sendMany(emulator: GraphEmulator, count: number, token = TOKEN): Promise<void> {
	for (let start = 0; start < count; start += 50) {
		const ops = Array.from({ length: Math.min(50, count - start) }, (_, i) => messageOp(`message ${start + i + 1}`));
		const answer = await call(emulator, '/v25.0/', new URLSearchParams({ batch: JSON.stringify(ops) }), { token });
		expect(answer.status).toBe(200);
	}
}
