import { updateDisplayOptions, type IDataObject } from 'n8n-workflow';

import type { Platform } from '../../../shared/platform';
import { mediaTypeOf, timeOf, type ThreadMessage } from '../../transport/lookup';
import type { GraphCall } from '../../transport/graphCalls';
import { expectSent, type GraphAction, type Step } from '../graphAction';
import { checkLimit, CONVERSATION_LIMITS, psidField, readPsid } from './fields';
import { pagePath } from './threadControl';

// `GET /{page-id}/conversations?platform=…&user_id=PSID&fields=messages.limit(N){…}`, then
// `GET /{conversation-id}/messages?after=…` while more messages are wanted: newest first from
// Graph, oldest first in the output.

export interface GetConversationInput {
	psid: string;
	limit: number;
}

const MESSAGE_FIELDS = 'id,created_time,from,to,message,attachments{id,mime_type,name,image_data,video_data,file_url}';

const { pageSize, instagramWindow } = CONVERSATION_LIMITS;

/** How many messages are asked for on this platform: Instagram shows only the 20 most recent. */
export function wanted(limit: number, platform: Platform): number {
	return platform === 'instagram' ? Math.min(limit, instagramWindow) : limit;
}

export function conversationsCall(pageId: string, psid: string, platform: Platform, count: number): GraphCall {
	return {
		method: 'GET',
		path: `${pagePath(pageId)}/conversations`,
		qs: { platform, user_id: psid, fields: `messages.limit(${Math.min(count, pageSize)}){${MESSAGE_FIELDS}}` },
	};
}

export function nextPageCall(conversationId: string, after: string, count: number): GraphCall {
	return { method: 'GET', path: `${encodeURIComponent(conversationId)}/messages`, qs: { fields: MESSAGE_FIELDS, limit: String(Math.min(count, pageSize)), after } };
}

/** Graph's time (`2026-12-01T09:14:13+0000`) as ISO 8601; kept as it is when it does not read as a time. */
function isoTime(message: ThreadMessage): string {
	const ms = timeOf(message);
	return Number.isFinite(ms) ? new Date(ms).toISOString() : String(message.created_time ?? '');
}

/** One message as the output lists it: who wrote it (the person or the Page), its text, attachments, time and mid. */
export function toOutputMessage(message: ThreadMessage, psid: string): IDataObject {
	return {
		mid: message.id ?? null,
		from: message.from?.id === psid ? 'person' : 'page',
		text: typeof message.message === 'string' ? message.message : '',
		attachments: (message.attachments?.data ?? []).map((attachment) => ({
			type: mediaTypeOf(attachment),
			url: attachment.image_data?.url ?? attachment.video_data?.url ?? attachment.file_url ?? null,
			...(attachment.name ? { name: attachment.name } : {}),
		})),
		time: isoTime(message),
	};
}

/** The output item: the `count` newest of `messages` (newest first as Graph lists them), oldest first. */
export function conversationOutput(input: GetConversationInput, platform: Platform, messages: ThreadMessage[], conversationId?: string): IDataObject {
	const newest = messages.slice(0, wanted(input.limit, platform));
	const listed = newest.reverse().map((message) => toOutputMessage(message, input.psid));
	return { recipientId: input.psid, platform, ...(conversationId ? { conversationId } : {}), count: listed.length, messages: listed };
}

interface MessagePage {
	data?: ThreadMessage[];
	paging?: { cursors?: { after?: string }; next?: string };
}

/** The next page's cursor, when Graph says there is a next page. */
function cursorOf(page: MessagePage | undefined): string | undefined {
	return page?.paging?.next && page.paging.cursors?.after ? page.paging.cursors.after : undefined;
}

export function planConversation(input: GetConversationInput, pageId: string, platform: Platform): Step {
	const count = wanted(input.limit, platform);
	const more = (conversationId: string, collected: ThreadMessage[], page: MessagePage | undefined): Step => {
		const after = cursorOf(page);
		if (collected.length >= count || after === undefined) return { output: conversationOutput(input, platform, collected, conversationId) };
		return expectSent(nextPageCall(conversationId, after, count - collected.length), (body) => {
			const next = body as MessagePage;
			return more(conversationId, [...collected, ...(next.data ?? [])], next);
		});
	};
	return expectSent(conversationsCall(pageId, input.psid, platform, count), (body) => {
		const thread = (body.data as Array<{ id?: string; messages?: MessagePage }> | undefined)?.[0];
		// No conversation with this person yet: nothing to list.
		if (!thread) return { output: conversationOutput(input, platform, []) };
		return more(String(thread.id ?? ''), thread.messages?.data ?? [], thread.messages);
	});
}

export const getConversation: GraphAction<GetConversationInput> = {
	option: {
		name: 'Get Conversation',
		value: 'getConversation',
		action: 'Get the messages of a conversation',
		description:
			'The person’s recent messages with the Page, oldest first: each with from ("person" or "page"), text, attachments, time and mid. Use as context before answering.',
	},
	description: updateDisplayOptions({ show: { resource: ['conversation'], operation: ['getConversation'] } }, [
		psidField,
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: CONVERSATION_LIMITS.limit.min, maxValue: CONVERSATION_LIMITS.limit.max },
			default: 50,
			description: 'Max number of results to return',
			hint: `The most recent messages, from 1 to ${CONVERSATION_LIMITS.limit.max} (read in pages of ${pageSize}). Instagram shows only the ${instagramWindow} most recent messages of a conversation: on Instagram at most ${instagramWindow} come back.`,
		},
	]),
	read: (ctx, item) => ({ psid: readPsid(ctx, item), limit: checkLimit(ctx.getNodeParameter('limit', item, 50), item) }),
	plan: (input, run) => planConversation(input, run.pageId, run.platform),
};
