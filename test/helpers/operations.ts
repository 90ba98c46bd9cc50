// What the per-operation tests (test/node/operations/) share: each recipient type with its field
// and a sample ID, the check of the one JSON request an operation sends, and the template tests'
// recipient and received body.
import type { ReceivedRequest } from '../../emulator/graphEmulator.cjs';
import { server, TOKEN } from './fixtures';

/** Every recipient type: the node's field for it, a sample value and the Send API's recipient key. */
export const recipients = [
	{ recipientType: 'id', field: 'psid', value: '6789012345678901', key: 'id' },
	{ recipientType: 'user_ref', field: 'userRef', value: 'checkbox-ref-42', key: 'user_ref' },
	{ recipientType: 'comment_id', field: 'commentId', value: '111_222', key: 'comment_id' },
	{ recipientType: 'post_id', field: 'postId', value: '333_444', key: 'post_id' },
];

/** The recipient types of a person (PSID, User Ref): those of sender actions and tagged updates. */
export const personRecipients = recipients.slice(0, 2);

/** Exactly one request went out: a JSON POST to `path` with the token in the header; returns it. */
export function expectJsonPost(path = '/v25.0/me/messages'): ReceivedRequest {
	expect(server.requests).toHaveLength(1);
	const [request] = server.requests;
	expect(request.method).toBe('POST');
	expect(request.url).toBe(path);
	expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
	expect(request.headers['content-type']).toBe('application/json');
	expect(request.headers.accept).toBe('application/json');
	return request;
}

/** The recipient of the template tests' sends (templates.test.ts, taggedUpdateTemplates.test.ts). */
export const recipient = { id: '42' };

/** Exactly one request went out: a JSON POST to the Send API; returns its body. */
export function receivedBody() {
	expect(server.requests).toHaveLength(1);
	const [request] = server.requests;
	expect(request.url).toBe('/v25.0/me/messages');
	expect(request.headers['content-type']).toBe('application/json');
	return request.body;
}
