import { fieldsOf, isObject } from './combinators';
import { InvalidSendRequest, shown } from './errors';
import { checkLimits, limitsAt, SEND_API_LIMITS } from './limits';
import type { Platform } from '../../shared/platform';
import { ownerOfAttachment, PLATFORMS } from './platforms';
import { checkRequest, type RequestShape } from './schemas';

/** A MIME type worth checking: n8n says application/octet-stream when it does not know. */
function knownMimeType(mimeType: string | undefined): string | undefined {
	const type = (mimeType ?? '').split(';')[0].trim().toLowerCase();
	return type && type !== 'application/octet-stream' ? type : undefined;
}

/**
 * The platform's own rules, from its profile (platforms.ts) and its rows of SEND_API_LIMITS,
 * checked before the shared ones: they are stricter where they differ, so the error names them.
 */
function checkPlatform(platform: Platform, request: RequestShape, item: number): void {
	const profile = PLATFORMS[platform];
	const body = request.body;
	const message = fieldsOf(body.message);
	const attachment = fieldsOf(message.attachment);
	const own = ownerOfAttachment(attachment.type);
	if (own && own.platform !== profile) {
		throw new InvalidSendRequest(
			`Attachment Type in item ${item} is ${own.name}: only ${own.platform.name} has it, and this credential sends to ${profile.name}. Use a Messenger Page API credential with Platform ${own.platform.name}.`,
			'Attachment Type',
		);
	}
	if (profile.tags && body.tag !== undefined && !profile.tags.includes(String(body.tag))) {
		throw new InvalidSendRequest(
			`Tag in item ${item} is ${shown(body.tag)}: ${profile.name} accepts only the ${profile.tags.join(', ')} tag`,
			'Tag',
		);
	}
	if (typeof message.text === 'string') checkLimits(limitsAt('message.text', platform), message.text, item);
	const payload = fieldsOf(attachment.payload);
	if (profile.templateTypes && attachment.type === 'template' && !profile.templateTypes.includes(String(payload.template_type))) {
		throw new InvalidSendRequest(
			`Template Type in item ${item} is ${shown(payload.template_type)}: ${profile.name} accepts only ${profile.templateTypes.join(' and ')} templates`,
			'Template Type',
		);
	}
	if (request.file) {
		const field = SEND_API_LIMITS.fileSize.field;
		const mimeType = knownMimeType(request.file.mimeType);
		const allowed = profile.fileTypes?.[String(attachment.type)];
		if (mimeType && allowed && !allowed.mimeTypes.includes(mimeType)) {
			throw new InvalidSendRequest(
				`${field} in item ${item} is a ${mimeType} file: ${profile.name} accepts ${allowed.noun} of type ${allowed.mimeTypes.join(', ')} only`,
				field,
			);
		}
		checkLimits(limitsAt('file', platform, attachment.type), request.file.data, item);
	}
	const quickReplyTypes = profile.quickReplyTypes;
	if (quickReplyTypes && Array.isArray(message.quick_replies)) {
		message.quick_replies.forEach((reply: unknown, index) => {
			const type = isObject(reply) ? reply.content_type : undefined;
			if (type !== undefined && !quickReplyTypes.includes(String(type))) {
				throw new InvalidSendRequest(
					`Quick Reply ${index + 1} Type in item ${item} is ${shown(type)}: ${profile.name} accepts only ${quickReplyTypes.join(', ')} quick replies`,
					`Quick Reply ${index + 1} Type`,
				);
			}
		});
	}
}

/**
 * Checks a built request against the Send API's documented rules, so a request the platform
 * would refuse fails here, naming the field and the item, before anything is sent.
 * `platform` is the credential's: its own, stricter rules are checked first, so the error names
 * the platform's limit rather than a looser shared one.
 */
export function validateSendRequest(request: RequestShape, item: number, platform: Platform = 'messenger'): void {
	checkPlatform(platform, request, item);
	checkRequest(request, item);
}
