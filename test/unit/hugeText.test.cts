// A text of 64 million characters is refused without first being copied into an array of its
// characters (that took 11 s and 1.6 GB): the check runs in a worker that must answer within 5 s,
// which such a copy does not; counting without one takes a fraction of a second.
import { inWorker, modulePath } from '../helpers/inWorker.cjs';

test('a 64 M-character text is refused naming field, item, size and limit, within 5 s', async () => {
	const result = await inWorker(
		`
		const { validateSendRequest } = require(${modulePath('nodes/MessengerSend/shared/validation.ts')});
		const text = 'a'.repeat(64_000_000);
		try {
			validateSendRequest({ body: { recipient: { id: '42' }, messaging_type: 'RESPONSE', message: { text } } }, 3);
			parentPort.postMessage('accepted');
		} catch (error) {
			parentPort.postMessage(error.message);
		}
	`,
		{ deadlineMs: 5_000 },
	);
	expect(result).toMatch(/^Text in item 3: 64000000 characters, more than the limit of 1999 \(/);
});
