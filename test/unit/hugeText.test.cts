// A text of 64 million characters is refused without first being copied into an array of its
// characters (that took 11 s and 1.6 GB): the check runs in a worker whose heap is 512 MB, which
// such a copy overflows (V8 aborts: the test run fails, checked against the old code); counting in
// place needs no more than the text. The deadline only bounds the test on a busy machine: memory decides, not time.
import { inWorker, modulePath } from '../helpers/inWorker.cjs';

test('a 64 M-character text is refused naming field, item, size and limit, in a heap of 512 MB', async () => {
	const result = await inWorker(
		`
		const { validateSendRequest } = require(${modulePath('nodes/MessengerSend/rules/validate.ts')});
		const text = 'a'.repeat(64_000_000);
		try {
			validateSendRequest({ body: { recipient: { id: '42' }, messaging_type: 'RESPONSE', message: { text } } }, 3);
			parentPort.postMessage('accepted');
		} catch (error) {
			parentPort.postMessage(error.message);
		}
	`,
		{ deadlineMs: 60_000, heapMb: 512 },
	);
	expect(result).toMatch(/^Text in item 3: 64000000 characters, more than the limit of 1999 \(/);
}, 90_000);
