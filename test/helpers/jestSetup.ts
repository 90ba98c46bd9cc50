// Before every test: the node's memory of what it delivered lately in this process is emptied.
// The Graph API emulator numbers message IDs anew (m_1, m_2…) after each reset, where Graph's
// are unique; a delivery of an earlier test must not pass for another execution's in this one.
import { forgetRecentDeliveries } from '../../nodes/MessengerSend/transport/sender';

beforeEach(() => forgetRecentDeliveries());
