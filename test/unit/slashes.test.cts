// A Base URL (or API Version) of many slashes must not make a regular expression backtrack: with
// /\/+$/ each of n slashes before a last character starts a scan to the end, n²/2 steps (100 000
// slashes: 6 s, and 8 s more for the version, blocking n8n's event loop). The trimming runs in a
// worker so that a quadratic one shows as a missing result instead of a test that only gets slow:
// 1 000 000 slashes take a quadratic trim about ten minutes, a linear one milliseconds, so the
// 60-second deadline (for loading the module on a busy machine) cannot be what decides.
import { inWorker, modulePath } from '../helpers/inWorker.cjs';

const SLASHES = '/'.repeat(1_000_000);
const LIMITS = { deadlineMs: 60_000 };

/** The long run of slashes named, so that a failure prints readably. */
const shown = (result: unknown) => (Array.isArray(result) ? result.map((text) => String(text).replace(SLASHES, '<1000000 slashes>')) : result);

const graph = modulePath('nodes/shared/graph.ts');
const credential = modulePath('credentials/MessengerPageApi.credentials.ts');

test('graphUrl with 1 000 000 slashes inside the Base URL and around the version', async () => {
	const result = await inWorker(`
		const { graphUrl } = require(${graph});
		parentPort.postMessage([
			graphUrl({ baseUrl: 'https://graph.example' + ${JSON.stringify(SLASHES)} + 'x', version: 'v25.0' }, 'me/messages'),
			graphUrl({ baseUrl: 'https://graph.example' + ${JSON.stringify(SLASHES)}, version: ${JSON.stringify(SLASHES)} + 'v25.0' + ${JSON.stringify(SLASHES)} + 'x' }, 'me'),
		]);
	`, LIMITS);
	expect(shown(result)).toEqual(['https://graph.example<1000000 slashes>x/v25.0/me/messages', 'https://graph.example/v25.0<1000000 slashes>x/me']);
}, 90_000);

test("the credential test's Base URL expression with 1 000 000 slashes before a last character", async () => {
	// n8n evaluates the expression as JavaScript with $credentials; the worker does the same with the expression's body.
	const result = await inWorker(`
		const { MessengerPageApi } = require(${credential});
		const expression = new MessengerPageApi().test.request.baseURL;
		const body = /^={{(.*)}}\\/{{\\$credentials\\.apiVersion}}$/.exec(expression)[1];
		const evaluate = new Function('$credentials', 'return ' + body);
		parentPort.postMessage([evaluate({ baseUrl: 'https://graph.example' + ${JSON.stringify(SLASHES)} + 'x' }), evaluate({ baseUrl: 'https://graph.example///' })]);
	`, LIMITS);
	expect(shown(result)).toEqual(['https://graph.example<1000000 slashes>x', 'https://graph.example']);
}, 90_000);
