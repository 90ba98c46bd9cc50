// The editor as n8n shows it: the node's properties (names, order, defaults, options, display
// options) compared with the snapshot taken before the template registry (issue 13). A refactor
// of how the description is put together must leave this test passing; a change to the editor
// updates the snapshot on purpose.
import { MessengerSend } from '../../nodes/MessengerSend/MessengerSend.node';
import snapshot from './__fixtures__/nodeProperties.json';

test('the node’s properties are those of the snapshot', () => {
	expect(JSON.parse(JSON.stringify(new MessengerSend().description.properties))).toEqual(snapshot);
});
