// `POST {page}/messages`: the send operation, the one call that faults, rate caps and the Send
// API's rules apply to. An accepted send goes into the inbox and the Page's webhook hears its echo.
import { createHash } from 'node:crypto';

import { authenticate } from '../auth.cjs';
import { withoutUndefined, type CallResult, type Credentials, type FileUpload, type Graph } from '../graph.cjs';
import { dispatchToConnected } from '../routing.cjs';
import { decodeJsonParams, graphError, isMediaSend, isObject, recipientOf, validateSend } from '../rules.cjs';
import type { EmulatorPage, InboxEntry, ReceivedRequest } from '../types.cjs';
import { deliveryEvent, echoEvent } from '../webhooks.cjs';
import { fileInfo, type Attachments } from './uploads.cjs';

export class Messages {
	private messageCount = 0;

	/** "pageId|recipientKey" of comments and posts that already got their private reply */
	private readonly replied = new Set<string>();

	constructor(
		private readonly graph: Graph,
		private readonly attachments: Attachments,
	) {}

	reset(): void {
		this.messageCount = 0;
		this.replied.clear();
	}

	/**
	 * A send operation: counted for fault ordinals and rate caps, checked, delivered. The order of
	 * the steps is the README's "order of checks"; the fault is drawn first so that the same seed
	 * gives the same faults whatever the answers.
	 */
	send(node: string, params: Record<string, unknown>, files: ReceivedRequest['files'], credentials: Credentials, viaBatch: boolean): CallResult {
		const { graph } = this;
		const { options } = graph;
		const { fault } = graph.faults.next(options.faults, viaBatch);
		const auth = authenticate(graph, credentials, node);
		if ('result' in auth) return auth.result;
		const { page, appId } = auth;

		switch (fault) {
			case 'dropBeforeDelivery':
				graph.countFault(fault);
				return { status: 0, body: null, headers: {}, disruption: 'drop' };
			case 'nullBatchEntry':
				graph.countFault(fault);
				return { status: 0, body: null, headers: {}, disruption: 'null' };
			case 'http5xx':
				graph.countFault(fault);
				return graph.errorResult(graphError(2, 'Service temporarily unavailable', { status: 500, transient: true }), page.id, { fault });
			case 'temporary1200':
				graph.countFault(fault);
				return graph.errorResult(
					graphError(1200, 'Temporary send message failure. Please try again later', { status: 500, subcode: 2018024, transient: true }),
					page.id,
					{ fault },
				);
			default:
		}

		const decoded = decodeJsonParams(params);
		if ('error' in decoded) return graph.errorResult(decoded.error, page.id);
		const send = decoded.params;

		const caps = { rateCapPerSecond: options.rateCapPerSecond, mediaRateCapPerSecond: options.mediaRateCapPerSecond };
		if (!graph.limiter.tryAdmit(page.id, isMediaSend(send), caps)) {
			return graph.errorResult(graphError(613, '(#613) Calls to this api have exceeded the rate limit.'), page.id, { limited: true });
		}

		const file = files.filedata;
		const error = validateSend(send, {
			file: fileInfo(file),
			isAttachmentUsable: (id) => this.attachments.usableBy(id, page.id),
			outsideWindow: options.outsideWindow ?? [],
			alreadyReplied: (recipientKey) => this.replied.has(`${page.id}|${recipientKey}`),
			instagram: page.platform === 'instagram',
		});
		if (error) return graph.errorResult(error, page.id);
		const personaId = send.persona_id === undefined || send.persona_id === '' ? undefined : String(send.persona_id);
		if (personaId !== undefined && graph.personas.refuses(page, personaId)) return graph.errorResult(graphError(100, '(#100) Invalid persona_id'), page.id);

		const result = graph.success(this.deliver(page, appId, send, file, viaBatch), page.id);
		// Faults that strike after delivery: the message is in the inbox whatever the client sees.
		if (fault === 'dropAfterDelivery' || fault === 'timeout' || fault === 'malformedJson') {
			graph.countFault(fault);
			result.disruption = fault === 'dropAfterDelivery' ? 'drop' : fault === 'timeout' ? 'hold' : 'malformed';
		}
		return result;
	}

	/** Puts an accepted send in the inbox and returns the platform's answer. */
	private deliver(page: EmulatorPage, appId: string, params: Record<string, unknown>, file: FileUpload | undefined, viaBatch: boolean): Record<string, string> {
		const recipient = recipientOf(params.recipient)!;
		const recipientId =
			recipient.field === 'id'
				? recipient.value
				: recipient.field === 'comment_id' || recipient.field === 'post_id'
					? `psid-for-${recipient.value}`
					: undefined;
		const answer: Record<string, string> = recipientId ? { recipient_id: recipientId } : {};
		const entry: Omit<InboxEntry, 'seq'> = {
			pageId: page.id,
			recipient: { [recipient.field]: recipient.value },
			recipientKey: recipient.key,
			...optionalStrings(params, ['notification_type', 'persona_id']),
			...withoutUndefined({ personaName: this.graph.personas.find(page.id, String(params.persona_id))?.name }),
			...(params.reply_to !== undefined ? { reply_to: params.reply_to } : {}),
			receivedAt: Date.now(),
			viaBatch,
		};

		if (params.sender_action !== undefined && params.sender_action !== '') {
			this.graph.store.add({
				...entry,
				sender_action: String(params.sender_action),
				...(params.payload !== undefined ? { payload: params.payload } : {}),
			});
			return answer;
		}

		this.messageCount += 1;
		const messageId = `${this.graph.options.messageIdPrefix ?? 'm_'}${this.messageCount}`;
		const message = params.message as Record<string, unknown>;
		const payload = isObject(message.attachment) && isObject(message.attachment.payload) ? message.attachment.payload : {};
		const reusable = (payload.is_reusable === true || payload.is_reusable === 'true') && (payload.url !== undefined || file !== undefined);
		const attachmentId = reusable ? this.attachments.issue(page.id) : undefined;
		if (recipient.field === 'comment_id' || recipient.field === 'post_id') this.replied.add(`${page.id}|${recipient.key}`);

		const added = this.graph.store.add({
			...entry,
			...optionalStrings(params, ['messaging_type', 'tag']),
			message,
			...(file
				? {
						file: {
							fileName: file.fileName,
							mimeType: file.mimeType,
							size: file.data.length,
							sha256: createHash('sha256').update(file.data).digest('hex'),
						},
					}
				: {}),
			message_id: messageId,
			...(attachmentId ? { attachment_id: attachmentId } : {}),
		});
		// Only a person (recipient id) has a thread an echo could belong to.
		if (recipient.field === 'id') this.echo(page, appId, added, file);
		return { ...answer, message_id: messageId, ...(attachmentId ? { attachment_id: attachmentId } : {}) };
	}

	/** The Page's webhook hears of its own send (and, with deliveryReceipts, of its delivery); never awaited. */
	private echo(page: EmulatorPage, appId: string, entry: InboxEntry, file: FileUpload | undefined): void {
		// The echo names the app whose token sent it: the default app's, or another connected app's.
		const app = this.graph.apps.find((candidate) => candidate.id === appId);
		if (!app || entry.message === undefined || entry.message_id === undefined) return;
		const psid = entry.recipient.id;
		const events = [
			echoEvent({ pageId: page.id, psid, timestamp: entry.receivedAt, mid: entry.message_id, appId: app.id, message: entry.message, fileName: file?.fileName }),
		];
		if (this.graph.options.deliveryReceipts) events.push(deliveryEvent(page.id, psid, entry.message_id, entry.receivedAt));
		for (const event of events) {
			dispatchToConnected(this.graph, page, event).catch((error: Error) => process.stderr.write(`Graph API emulator: a webhook delivery failed: ${error.stack ?? error.message}\n`));
		}
	}
}

function optionalStrings(params: Record<string, unknown>, names: string[]): Record<string, string> {
	const picked: Record<string, string> = {};
	for (const name of names) if (params[name] !== undefined && params[name] !== '') picked[name] = String(params[name]);
	return picked;
}
