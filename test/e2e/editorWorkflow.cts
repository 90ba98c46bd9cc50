// The workflow the editor suites open: one row of Messenger Send nodes per operation, each row
// chained from a Manual Trigger, with the editor suites' credential.
import { randomUUID } from 'node:crypto';

import { messengerSendNode } from './workflows.cjs';

export const PAGE = { id: '1029384756', name: 'Demo Shop', token: 'EDITOR-PAGE-TOKEN' };
export const CREDENTIAL = { id: 'msgrEditorCred01', name: 'Messenger Page (local emulator)' };
export const WORKFLOW_ID = 'msgrEditorTest01';

const PSID = '6789012345678901';

export interface EditorNodeSpec {
	name: string;
	parameters: Record<string, unknown>;
}
type NodeSpec = EditorNodeSpec;

/** One row of the canvas per operation, each row chained from the trigger. */
const ROWS: NodeSpec[][] = [
	[
		{
			name: 'Reply with quick replies',
			parameters: {
				operation: 'sendMessage',
				recipientType: 'id',
				psid: PSID,
				messagingType: 'RESPONSE',
				text: 'Hi Ann! Your order #1042 has shipped 📦',
				options: {
					quickReplies: {
						reply: [
							{ contentType: 'text', title: 'Track parcel', payload: 'TRACK_1042' },
							{ contentType: 'text', title: 'Talk to a human', payload: 'HUMAN' },
						],
					},
				},
			},
		},
		{
			name: 'Message to user ref',
			parameters: { operation: 'sendMessage', recipientType: 'user_ref', userRef: 'checkbox-ref-42', messagingType: 'UPDATE', text: 'Thanks for opting in' },
		},
		{
			name: 'Private reply to comment',
			parameters: { operation: 'sendMessage', recipientType: 'comment_id', commentId: '1029384756_111', messagingType: 'RESPONSE', text: 'We sent you the details' },
		},
		{
			name: 'Private reply to post',
			parameters: { operation: 'sendMessage', recipientType: 'post_id', postId: '1029384756_222', messagingType: 'RESPONSE', text: 'Thanks for your post' },
		},
	],
	[
		{
			name: 'Photo from URL',
			parameters: { operation: 'sendAttachment', recipientType: 'id', psid: PSID, messagingType: 'RESPONSE', attachmentType: 'image', attachmentSource: 'url', attachmentUrl: 'https://example.com/parcel-1042.jpg', isReusable: true },
		},
		{
			name: 'Saved attachment',
			parameters: { operation: 'sendAttachment', recipientType: 'id', psid: PSID, messagingType: 'RESPONSE', attachmentType: 'image', attachmentSource: 'attachmentId', attachmentId: '1857000000000001' },
		},
		{
			name: 'Invoice from binary',
			parameters: { operation: 'sendAttachment', recipientType: 'id', psid: PSID, messagingType: 'RESPONSE', attachmentType: 'file', attachmentSource: 'binary', binaryPropertyName: 'data' },
		},
	],
	[
		{ name: 'Show typing', parameters: { operation: 'senderAction', recipientType: 'id', psid: PSID, senderAction: 'typing_on' } },
		{
			name: 'React with a heart',
			parameters: { operation: 'senderAction', recipientType: 'user_ref', userRef: 'checkbox-ref-42', senderAction: 'react', messageId: 'm_AbC123', reaction: '❤' },
		},
	],
	[
		{
			name: 'Follow-up (after 24 h)',
			parameters: { operation: 'taggedUpdate', recipientType: 'id', psid: PSID, tag: 'HUMAN_AGENT', contentType: 'text', text: 'Hi Ann, this is Sam from support: did the parcel arrive safely?' },
		},
	],
];

export const TRIGGER_NAME = 'When clicking ‘Execute workflow’';

/** The workflow to import: one row of Messenger Send nodes per entry of `rows`, each row chained from the trigger. */
export function editorWorkflow(rows: NodeSpec[][] = ROWS, id = WORKFLOW_ID, name = 'Messenger Send: every operation'): Record<string, unknown> {
	const trigger = { id: randomUUID(), name: TRIGGER_NAME, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 240], parameters: {} };
	const nodes: object[] = [trigger];
	const connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }> = {};
	const link = (from: string, to: string) => {
		connections[from] ??= { main: [[]] };
		connections[from].main[0].push({ node: to, type: 'main', index: 0 });
	};
	rows.forEach((row, rowIndex) => {
		row.forEach((spec, column) => {
			nodes.push({ id: randomUUID(), position: [260 * (column + 1), 160 * rowIndex], ...messengerSendNode(spec.name, spec.parameters, CREDENTIAL) });
			link(column === 0 ? TRIGGER_NAME : row[column - 1].name, spec.name);
		});
	});
	return { id, name, nodes, connections, settings: { executionOrder: 'v1' }, pinData: {} };
}
