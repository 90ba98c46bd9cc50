// Before every test: the node's memory of what it delivered lately in this process is emptied.
// The Graph API emulator numbers message IDs anew (m_1, m_2…) after each reset, where Graph's
// are unique; a delivery of an earlier test must not pass for another execution's in this one.
// Its measurement of Graph's clock too: a test of slow answers must not lean on quick ones before it.
import { graphClock } from '../../nodes/MessengerSend/transport/graphClock';
import { forgetRecentDeliveries } from '../../nodes/MessengerSend/transport/sender';

beforeEach(() => {
	forgetRecentDeliveries();
	graphClock.clear();
});

// The end-to-end tests wait on a real n8n (and Chromium) on a busy 2-core CI machine, several
// suites at once: 30 s, right for a unit test, cut off healthy runs there (seen in CI at load 14).
if (/[\\/]test[\\/]e2e[\\/]/.test(expect.getState().testPath ?? '')) jest.setTimeout(120_000);
