// The Instagram choices of Send Attachment's Attachment Type, as the editor shows them (computed
// with n8n-workflow's own display logic, as in displayOptions.test.ts): a heart sticker has no
// field of its own, a post share only the post's ID; neither shows a Source.
import { MessengerSend } from '../../nodes/MessengerSend/MessengerSend.node';
import { shownFields } from '../helpers/editorDisplay';

const { description } = new MessengerSend();

const sendAttachment = ['delivery', 'messagingType', 'operation', 'options', 'pageId', 'psid', 'recipientType', 'attachmentType'];
const sourceFields = ['attachmentSource', 'attachmentUrl', 'attachmentId', 'binaryPropertyName', 'imageUrls', 'isReusable'];

test.each([
	['like_heart', []],
	['MEDIA_SHARE', ['instagramPostId']],
])('Attachment Type %s shows only its own fields, no Source', (attachmentType, own) => {
	expect(shownFields({ operation: 'sendAttachment', attachmentType })).toEqual([...sendAttachment, ...own].sort());
	for (const attachmentSource of ['url', 'attachmentId', 'binary', 'imageUrls']) {
		const shown = shownFields({ operation: 'sendAttachment', attachmentType, attachmentSource });
		expect(shown.filter((name) => sourceFields.includes(name))).toEqual([]);
	}
});

test('the Instagram Post ID is shown for no other attachment type or operation', () => {
	for (const values of [
		{ operation: 'sendAttachment', attachmentType: 'image' },
		{ operation: 'sendAttachment', attachmentType: 'like_heart' },
		{ operation: 'sendAttachment', attachmentType: 'template' },
		{ operation: 'taggedUpdate', contentType: 'attachment' },
		{ operation: 'uploadAttachment' },
		{ operation: 'sendMessage' },
	]) {
		expect(shownFields(values)).not.toContain('instagramPostId');
	}
});

test('the Instagram choices are offered by Send Attachment only, named for Instagram, in name order', () => {
	const attachmentTypes = (operation: string) =>
		description.properties
			.filter((p) => p.name === 'attachmentType' && p.displayOptions?.show?.operation?.includes(operation))
			.flatMap((p) => p.options ?? [])
			.map((option) => ('value' in option ? { name: option.name, value: option.value } : undefined));
	const offered = attachmentTypes('sendAttachment');
	expect(offered).toEqual(
		expect.arrayContaining([
			{ name: 'Heart Sticker (Instagram)', value: 'like_heart' },
			{ name: 'Instagram Post (Instagram)', value: 'MEDIA_SHARE' },
		]),
	);
	const names = offered.map((option) => option?.name ?? '');
	expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
	for (const operation of ['taggedUpdate', 'uploadAttachment']) {
		const values = attachmentTypes(operation).map((option) => option?.value);
		expect(values).toContain('image');
		expect(values).not.toContain('like_heart');
		expect(values).not.toContain('MEDIA_SHARE');
	}
});

test('a file type still shows its Source fields (image from a URL)', () => {
	expect(shownFields({ operation: 'sendAttachment', attachmentType: 'image', attachmentSource: 'url' })).toEqual(
		[...sendAttachment, 'attachmentSource', 'attachmentUrl', 'isReusable'].sort(),
	);
});
