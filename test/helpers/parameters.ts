// The Messenger Send node's parameters as the editor stores them, for the tests that run the node
// (test/node). Only what several test files share; a test's own variations stay in it.
import type { INodeParameters } from 'n8n-workflow';

/** Send Message: one text to one PSID, as a response. */
export const textMessage = (text = 'Hello', psid = '42'): INodeParameters => ({ operation: 'sendMessage', recipientType: 'id', psid, messagingType: 'RESPONSE', text });

/**
 * Send Message to the PSID of each item (`$json.psid`) as an update, with `text` (usually an
 * expression); `extra` adds or overrides parameters (delivery, options, messagingType…).
 */
export const eachPerson = (text: string, extra: INodeParameters = {}): INodeParameters => ({
	operation: 'sendMessage',
	recipientType: 'id',
	psid: '={{ $json.psid }}',
	messagingType: 'UPDATE',
	text,
	...extra,
});
