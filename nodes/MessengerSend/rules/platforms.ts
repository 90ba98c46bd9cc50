import { INSTAGRAM_ATTACHMENT_TYPE, type Choice } from './values';
import type { Platform } from '../../shared/platform';

/** What a platform accepts where another accepts more. Sizes are rows of SEND_API_LIMITS (`platform`). */
export interface PlatformProfile {
	/** As error messages name it. */
	name: string;
	/** The tags it accepts (absent: every documented tag). */
	tags?: readonly string[];
	/** The template types it accepts (absent: all). */
	templateTypes?: readonly string[];
	/** The quick reply types it accepts (absent: all). */
	quickReplyTypes?: readonly string[];
	/** The MIME types of a file it accepts, by attachment type, and the plural error messages use. */
	fileTypes?: Readonly<Record<string, { mimeTypes: readonly string[]; noun: string }>>;
	/** Attachments only this platform has, as the Attachment Type field names them. */
	ownAttachments: readonly Choice[];
	/** (uncertain) Its reaction, where it names one instead of taking an emoji; not checked before sending. */
	reaction?: string;
}

export const PLATFORMS: Record<Platform, PlatformProfile> = {
	messenger: { name: 'Messenger', ownAttachments: [] },
	instagram: {
		name: 'Instagram',
		tags: ['HUMAN_AGENT'],
		templateTypes: ['generic', 'button'],
		quickReplyTypes: ['text'],
		fileTypes: {
			image: { mimeTypes: ['image/png', 'image/jpeg', 'image/gif'], noun: 'images' },
			file: { mimeTypes: ['application/pdf'], noun: 'files' },
		},
		ownAttachments: INSTAGRAM_ATTACHMENT_TYPE.list,
		// Reportedly (uncertain, not in the shared reference) Instagram also takes at most 10 images,
		// web_url and postback buttons only, and text-only private replies to comments. Uncertain rules
		// are not written here: Instagram answers, and the node explains its answer.
		reaction: 'love',
	},
};


/** The platform that alone has an attachment type, and the type's name, if any. */
export function ownerOfAttachment(type: unknown): { platform: PlatformProfile; name: string } | undefined {
	for (const platform of Object.values(PLATFORMS)) {
		const choice = platform.ownAttachments.find((own) => own.value === type);
		if (choice) return { platform, name: choice.name ?? choice.value };
	}
	return undefined;
}

const instagram = PLATFORMS.instagram;

/** What Instagram accepts where Messenger accepts more, as its platform profile says (above). */
export const INSTAGRAM_RULES = {
	tags: [...(instagram.tags ?? [])],
	templateTypes: [...(instagram.templateTypes ?? [])],
	quickReplyTypes: [...(instagram.quickReplyTypes ?? [])],
	imageMimeTypes: [...(instagram.fileTypes?.image.mimeTypes ?? [])],
	fileMimeTypes: [...(instagram.fileTypes?.file.mimeTypes ?? [])],
	/** Attachments only Instagram has, by the name the Attachment Type field shows. Messenger has neither. */
	attachmentTypes: Object.fromEntries(INSTAGRAM_ATTACHMENT_TYPE.list.map((choice) => [choice.value, choice.name])) as Record<string, string>,
	// (uncertain) Instagram's reaction is named, not an emoji; not checked before sending (Graph answers).
	reaction: instagram.reaction ?? '',
};
