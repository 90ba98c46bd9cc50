// Get Conversation, Get Person and the checks of the new actions' fields, as pure functions; and
// that a workflow saved before resources existed (no `resource`) still means the same operation.
import { NodeHelpers, type IDataObject } from 'n8n-workflow';

import type { GraphOutcome } from '../../../nodes/shared/graph';
import { checkId, checkLimit, checkMetadata } from '../../../nodes/MessengerSend/actions/conversation/fields';
import { conversationOutput, planConversation } from '../../../nodes/MessengerSend/actions/conversation/getConversation.operation';
import { personOutput, profileCall, PROFILE_PIC_NOTE } from '../../../nodes/MessengerSend/actions/person/getPerson.operation';
import { graphActionNamed, operationNamed, OPERATIONS } from '../../../nodes/MessengerSend/actions/index';
import { explainConversationError } from '../../../nodes/MessengerSend/errors/conversationErrors';
import { MessengerSend } from '../../../nodes/MessengerSend/MessengerSend.node';
import type { Step } from '../../../nodes/MessengerSend/actions/graphAction';
import { shownFields } from '../../helpers/editorDisplay';

describe('checks: the field, the item and the limit', () => {
	test('metadata: 1000 characters pass, 1001 do not; empty is none', () => {
		expect(checkMetadata('x'.repeat(1000), 0)).toHaveLength(1000);
		expect(checkMetadata('', 0)).toBeUndefined();
		expect(() => checkMetadata('😀'.repeat(1001), 3)).toThrow('Metadata in item 3 has 1001 characters, more than the 1000 Messenger accepts');
	});

	test('limit: a whole number from 1 to 100', () => {
		expect(checkLimit(1, 0)).toBe(1);
		expect(checkLimit('100', 0)).toBe(100);
		for (const bad of [0, 101, 2.5, '', 'ten', undefined]) expect(() => checkLimit(bad, 2)).toThrow(/^Limit in item 2 must be a whole number from 1 to 100/);
	});

	test('IDs: not empty, digits only', () => {
		expect(checkId('6789012345678901', 0, 'PSID')).toBe('6789012345678901');
		expect(() => checkId('', 1, 'PSID')).toThrow('PSID in item 1 is empty');
		expect(() => checkId('12 34', 4, 'Target App ID')).toThrow('Target App ID in item 4 must be a numeric ID, not "12 34"');
	});
});

const sent = (body: IDataObject): GraphOutcome => ({ kind: 'sent', statusCode: 200, body });
const message = (id: string, fromId: string, text: string, time: string, extra: IDataObject = {}) => ({ id, created_time: time, from: { id: fromId }, message: text, ...extra });

describe('Get Conversation', () => {
	test('follows the paging past 25, then lists the most recent messages oldest first', () => {
		const newest = Array.from({ length: 25 }, (_, i) => message(`m_${40 - i}`, i % 2 ? '42' : '1029384756', `t${40 - i}`, `2026-12-01T10:${String(40 - i).padStart(2, '0')}:00+0000`));
		const older = Array.from({ length: 15 }, (_, i) => message(`m_${15 - i}`, '42', `t${15 - i}`, `2026-12-01T10:${String(15 - i).padStart(2, '0')}:00+0000`));
		let step: Step = planConversation({ psid: '42', limit: 30 }, 'me', 'messenger');
		const calls: unknown[] = [];
		const answers = [
			sent({ data: [{ id: 't_1', messages: { data: newest, paging: { cursors: { after: 'CUR' }, next: 'https://graph/next' } } }] }),
			sent({ data: older, paging: { cursors: { after: 'CUR2' } } }),
		];
		while ('call' in step) {
			calls.push(step.call);
			step = step.next(answers.shift()!);
		}
		expect(calls).toEqual([
			{ method: 'GET', path: 'me/conversations', qs: { platform: 'messenger', user_id: '42', fields: 'messages.limit(25){id,created_time,from,to,message,attachments{id,mime_type,name,image_data,video_data,file_url}}' } },
			{ method: 'GET', path: 't_1/messages', qs: { fields: 'id,created_time,from,to,message,attachments{id,mime_type,name,image_data,video_data,file_url}', limit: '5', after: 'CUR' } },
		]);
		const output = (step as { output: IDataObject }).output;
		expect(output.count).toBe(30);
		const messages = output.messages as IDataObject[];
		expect(messages[0]).toEqual({ mid: 'm_11', from: 'person', text: 't11', attachments: [], time: '2026-12-01T10:11:00.000Z' });
		expect(messages.at(-1)).toEqual({ mid: 'm_40', from: 'page', text: 't40', attachments: [], time: '2026-12-01T10:40:00.000Z' });
	});

	test('attachments: type, url and name; no conversation yet: no messages', () => {
		const withFile = message('m_1', '42', '', '2026-12-01T10:00:00+0000', {
			attachments: { data: [{ id: 'a', mime_type: 'image/jpeg', image_data: { url: 'https://cdn/x.jpg' } }, { id: 'b', mime_type: 'application/pdf', name: 'invoice.pdf', file_url: 'https://cdn/i.pdf' }] },
		});
		expect(conversationOutput({ psid: '42', limit: 5 }, 'messenger', [withFile], 't_1')).toEqual({
			recipientId: '42',
			platform: 'messenger',
			conversationId: 't_1',
			count: 1,
			messages: [{ mid: 'm_1', from: 'person', text: '', time: '2026-12-01T10:00:00.000Z', attachments: [{ type: 'image', url: 'https://cdn/x.jpg' }, { type: 'file', url: 'https://cdn/i.pdf', name: 'invoice.pdf' }] }],
		});
		const none = planConversation({ psid: '42', limit: 5 }, 'me', 'messenger');
		expect('call' in none && none.next(sent({ data: [] }))).toEqual({ output: { recipientId: '42', platform: 'messenger', count: 0, messages: [] } });
	});

	test('Instagram: at most the 20 most recent', () => {
		const step = planConversation({ psid: '42', limit: 100 }, 'me', 'instagram');
		expect('call' in step && step.call.qs).toMatchObject({ platform: 'instagram', fields: expect.stringMatching(/^messages\.limit\(20\)/) });
	});
});

describe('Get Person', () => {
	test('Messenger: first and last name, picture, and that its URL expires', () => {
		expect(profileCall('42', 'messenger')).toEqual({ method: 'GET', path: '42', qs: { fields: 'first_name,last_name,profile_pic' } });
		expect(personOutput('42', 'messenger', { id: '42', first_name: 'Ann', last_name: 'Lee', profile_pic: 'https://cdn/p.jpg' })).toEqual({
			id: '42', platform: 'messenger', firstName: 'Ann', lastName: 'Lee', name: 'Ann Lee', profilePic: 'https://cdn/p.jpg', profilePicExpires: PROFILE_PIC_NOTE,
		});
	});

	test('Instagram: name, username, picture, follows; a field left out is null', () => {
		expect(profileCall('42', 'instagram').qs).toEqual({ fields: 'name,username,profile_pic,follower_count,is_user_follow_business,is_business_follow_user' });
		expect(personOutput('42', 'instagram', { name: 'Ann', username: 'ann.l', follower_count: 12, is_user_follow_business: true })).toEqual({
			id: '42', platform: 'instagram', name: 'Ann', username: 'ann.l', profilePic: null, profilePicExpires: PROFILE_PIC_NOTE, followerCount: 12, isUserFollowBusiness: true, isBusinessFollowUser: null,
		});
	});
});

describe('errors explained by what was asked', () => {
	test.each([
		[{ code: 10 }, 'take', 'This app may not take this conversation', /default app for messaging/],
		[{ code: 10 }, 'pass', 'This app may not pass this conversation', /Only the app that owns/],
		[{ code: 100 }, 'pass', 'Messenger refused the pass: unknown person or target app', /Target App ID/],
		[{ code: 10, error_subcode: 2018218 }, 'profile', 'The app may not read this person’s profile', /Business Asset User Profile Access/],
		[{ code: 200 }, 'conversation', 'The app may not read this conversation', /pages_read_engagement/],
		[{ code: 190 }, 'owner', 'The Page access token is invalid or expired', /new Page access token/],
	] as const)('%j on %s', (error, kind, title, fix) => {
		const explanation = explainConversationError(error, kind, 'messenger');
		expect(explanation?.title).toBe(title);
		expect(explanation?.fix).toMatch(fix);
	});
});

describe('workflows saved before resources existed', () => {
	const { description } = new MessengerSend();
	const resolved = (values: IDataObject) => NodeHelpers.getNodeParameters(description.properties, values as never, true, false, { typeVersion: 1 }, description)!;

	test.each(Object.keys(OPERATIONS))('%s without a resource is still that Message operation', (operation) => {
		const parameters = resolved({ operation });
		expect(parameters.resource).toBe('message');
		expect(parameters.operation).toBe(operation);
		expect(operationNamed(String(parameters.operation))).toBe(OPERATIONS[operation as keyof typeof OPERATIONS]);
	});

	test('no operation at all: Send Message, as before', () => {
		expect(resolved({})).toMatchObject({ resource: 'message', operation: 'sendMessage' });
	});

	test('the new resources have their own operations (and their defaults)', () => {
		expect(resolved({ resource: 'conversation' })).toMatchObject({ operation: 'passToPageInbox', psid: '', metadata: '' });
		expect(resolved({ resource: 'person' })).toMatchObject({ operation: 'getPerson', psid: '' });
		expect(graphActionNamed('conversation', 'getPerson')).toBeUndefined();
		expect(graphActionNamed('person', 'getPerson')?.option.name).toBe('Get Person');
	});
});

describe('the panel of each new action', () => {
	test.each([
		['passToPageInbox', ['metadata', 'operation', 'pageId', 'psid']],
		['passToApp', ['metadata', 'operation', 'pageId', 'psid', 'targetAppId']],
		['takeBack', ['metadata', 'operation', 'pageId', 'psid']],
		['requestControl', ['metadata', 'operation', 'pageId', 'psid']],
		['release', ['metadata', 'operation', 'pageId', 'psid']],
		['getThreadOwner', ['operation', 'pageId', 'psid']],
		['getConversation', ['limit', 'operation', 'pageId', 'psid']],
	])('%s shows %j (no Delivery Options of the Message resource)', (operation, fields) => {
		expect(shownFields({ resource: 'conversation', operation })).toEqual(fields);
	});

	test('getPerson', () => expect(shownFields({ resource: 'person', operation: 'getPerson' })).toEqual(['operation', 'pageId', 'psid']));
});
