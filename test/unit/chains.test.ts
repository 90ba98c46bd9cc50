// Chained batch operations: the links of a batch made of chains, and what a link's answer means
// when the one before it did not go through.
import { brokenLinksNotRun, chainLinks } from '../../nodes/MessengerSend/transport/graphApi';
import type { GraphOutcome } from '../../nodes/shared/graph';

const sent: GraphOutcome = { kind: 'sent', statusCode: 200, body: { message_id: 'm_1' } };
const refused: GraphOutcome = { kind: 'refused', statusCode: 400, error: { code: 100, message: 'refused' } };
const cutOff: GraphOutcome = { kind: 'unreadable', statusCode: 200 };
const notRun: GraphOutcome = { kind: 'notRun' };

test('chains of 3, 1 and 2: each link after the first depends on the one before; only depended-on links are named', () => {
	expect(chainLinks([3, 1, 2])).toEqual([
		{ name: 'm0' },
		{ name: 'm1', dependsOn: 'm0' },
		{ dependsOn: 'm1' },
		{},
		{ name: 'm4' },
		{ dependsOn: 'm4' },
	]);
});

describe('brokenLinksNotRun', () => {
	const chain = chainLinks([3]);

	test('behind a refused link, the rest of the chain was not run, whatever its entries say', () => {
		expect(brokenLinksNotRun([refused, refused, cutOff], chain)).toEqual([refused, notRun, notRun]);
	});

	test('behind a link Graph did not run (a null entry), neither were the next', () => {
		expect(brokenLinksNotRun([notRun, refused, refused], chain)).toEqual([notRun, notRun, notRun]);
	});

	test('behind a cut-off answer (the link may have run), a link answers for itself; a refusal delivered nothing', () => {
		expect(brokenLinksNotRun([cutOff, sent, sent], chain)).toEqual([cutOff, sent, sent]);
		expect(brokenLinksNotRun([cutOff, cutOff, sent], chain)).toEqual([cutOff, cutOff, sent]);
		expect(brokenLinksNotRun([cutOff, refused, refused], chain)).toEqual([cutOff, notRun, notRun]);
	});

	test('independent operations and chains of one keep their own answers', () => {
		expect(brokenLinksNotRun([refused, cutOff, notRun], chainLinks([1, 1, 1]))).toEqual([refused, cutOff, notRun]);
		// A whole-batch answer comes without links: each operation keeps it.
		expect(brokenLinksNotRun([refused, refused], [])).toEqual([refused, refused]);
	});
});
