// Instagram's rules (shared/messenger-send-api.md, "Instagram differences"), checked on built
// requests when the credential's platform is Instagram: at each limit accepted, past it refused.
import { MessengerSend } from '../../nodes/MessengerSend/MessengerSend.node';
import { build as buildAttachmentSend } from '../../nodes/MessengerSend/actions/sendAttachment.operation';
import { build as buildSenderAction } from '../../nodes/MessengerSend/actions/senderAction.operation';
import { dispose } from '../../nodes/MessengerSend/transport/retryPolicy';
import { explainGraphError } from '../../nodes/MessengerSend/errors/graphErrors';
import { INSTAGRAM_RULES, MEGABYTE, SEND_API_LIMITS } from '../../nodes/MessengerSend/rules';
import type { AttachmentInput, SendRequest } from '../../nodes/MessengerSend/request/types';
import { platformOf } from '../../nodes/shared/platform';
import { problemOf } from '../helpers/validationProblems';

const body = (message: object, extra: object = {}) => ({ recipient: { id: '42' }, messaging_type: 'RESPONSE', message, ...extra });
const text = (value: string, extra: object = {}): SendRequest => ({ body: body({ text: value }, extra) });
const tagged = (tag: string): SendRequest => text('An agent replies', { messaging_type: 'MESSAGE_TAG', tag });
const binary = (type: string, size: number, mimeType: string): SendRequest => ({
	body: body({ attachment: { type, payload: {} } }),
	file: { data: Buffer.alloc(size), fileName: 'file', mimeType },
});
const template = (payload: object): SendRequest => ({ body: body({ attachment: { type: 'template', payload } }) });

const problem = (request: SendRequest, platform: 'messenger' | 'instagram' = 'instagram', item = 0) => problemOf(request, item, platform);

describe('text: at most 1000 bytes of UTF-8', () => {
	test('1000 bytes accepted, 1001 refused naming bytes, item and the limit', () => {
		expect(problem(text('a'.repeat(1000)))).toBeUndefined();
		expect(problem(text('a'.repeat(1001)), 'instagram', 3)).toBe(
			'Text in item 3: 1001 bytes (UTF-8), more than the limit of 1000 (Instagram message text is at most 1000 bytes in UTF-8)',
		);
	});

	test('multi-byte characters count by their bytes: é is 2, € is 3, an emoji is 4', () => {
		expect(problem(text('é'.repeat(500)))).toBeUndefined();
		expect(problem(text(`${'é'.repeat(500)}a`))).toMatch(/^Text in item 0: 1001 bytes/);
		expect(problem(text(`${'€'.repeat(333)}a`))).toBeUndefined(); // 999 + 1
		expect(problem(text('€'.repeat(334)))).toMatch(/^Text in item 0: 1002 bytes/);
		expect(problem(text('😀'.repeat(250)))).toBeUndefined();
		expect(problem(text('😀'.repeat(251)))).toMatch(/^Text in item 0: 1004 bytes/);
	});

	test('Messenger keeps its own limit: 1001 bytes (501 characters) are fine there', () => {
		expect(problem(text('é'.repeat(501)), 'messenger')).toBeUndefined();
		expect(problem(text('é'.repeat(501)))).toBeDefined();
	});

	test('a text too long for Messenger too gets the Instagram message (the stricter rule first)', () => {
		expect(problem(text('a'.repeat(2500)))).toMatch(/^Text in item 0: 2500 bytes \(UTF-8\)/);
	});
});

describe('tags: only HUMAN_AGENT', () => {
	test('HUMAN_AGENT accepted', () => {
		expect(problem(tagged('HUMAN_AGENT'))).toBeUndefined();
	});

	test.each(['CUSTOMER_FEEDBACK', 'ACCOUNT_UPDATE', 'CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE'])('%s refused, naming the tag', (tag) => {
		expect(problem(tagged(tag), 'instagram', 2)).toBe(`Tag in item 2 is "${tag}": Instagram accepts only the HUMAN_AGENT tag`);
		expect(problem(tagged(tag), 'messenger')).toBe(tag === 'CUSTOMER_FEEDBACK' ? 'Tag in item 0 is CUSTOMER_FEEDBACK: it goes only with the customer feedback template (Content: Template, Template Type: Customer Feedback)' : undefined);
	});
});

describe('files', () => {
	test('images: 8 MB accepted, 8 MB + 1 byte refused', () => {
		expect(problem(binary('image', 8 * MEGABYTE, 'image/png'))).toBeUndefined();
		expect(problem(binary('image', 8 * MEGABYTE + 1, 'image/png'))).toBe(
			`Input Binary Field in item 0: ${8 * MEGABYTE + 1} bytes, more than the limit of ${8 * MEGABYTE} (an Instagram image is at most 8 MB)`,
		);
		expect(problem(binary('image', 8 * MEGABYTE + 1, 'image/png'), 'messenger')).toBeUndefined();
	});

	test('images: png, jpeg and gif only, by the binary MIME type (unknown types are left to Instagram)', () => {
		for (const mimeType of INSTAGRAM_RULES.imageMimeTypes) expect(problem(binary('image', 10, mimeType))).toBeUndefined();
		expect(problem(binary('image', 10, 'image/webp'))).toBe(
			'Input Binary Field in item 0 is a image/webp file: Instagram accepts images of type image/png, image/jpeg, image/gif only',
		);
		expect(problem(binary('image', 10, 'application/octet-stream'))).toBeUndefined();
		expect(problem(binary('image', 10, 'image/webp'), 'messenger')).toBeUndefined();
	});

	test('audio, video and PDF files: 25 MB accepted, 25 MB + 1 refused', () => {
		for (const [type, mimeType] of [['audio', 'audio/mpeg'], ['video', 'video/mp4'], ['file', 'application/pdf']]) {
			expect(problem(binary(type, 25 * MEGABYTE, mimeType))).toBeUndefined();
			expect(problem(binary(type, 25 * MEGABYTE + 1, mimeType))).toMatch(/more than the limit of 26214400 \(an Instagram audio, video or PDF file is at most 25 MB\)$/);
		}
	});

	test('a file attachment must be a PDF when its type is known', () => {
		expect(problem(binary('file', 10, 'application/zip'))).toBe(
			'Input Binary Field in item 0 is a application/zip file: Instagram accepts files of type application/pdf only',
		);
	});

	test('uploads to message_attachments follow the same limits', () => {
		const upload = (size: number): SendRequest => ({ ...binary('image', size, 'image/gif'), edge: 'message_attachments', body: { message: { attachment: { type: 'image', payload: { is_reusable: true } } } } });
		expect(problem(upload(8 * MEGABYTE))).toBeUndefined();
		expect(problem(upload(8 * MEGABYTE + 1))).toMatch(/an Instagram image is at most 8 MB/);
	});
});

describe('templates and quick replies', () => {
	test('generic and button templates accepted', () => {
		expect(problem(template({ template_type: 'generic', elements: [{ title: 'Blue shirt' }] }))).toBeUndefined();
		expect(problem(template({ template_type: 'button', text: 'Track', buttons: [{ type: 'postback', title: 'Track', payload: 'T' }] }))).toBeUndefined();
	});

	test.each(['media', 'receipt', 'customer_feedback'])('a %s template is refused', (type) => {
		expect(problem(template({ template_type: type }), 'instagram', 1)).toBe(
			`Template Type in item 1 is "${type}": Instagram accepts only generic and button templates`,
		);
	});

	test('quick replies: text only', () => {
		const yes = { content_type: 'text', title: 'Yes', payload: 'Y' };
		const quickReplies = (second: object): SendRequest => ({ body: body({ text: 'Pick', quick_replies: [yes, second] }) });
		expect(problem(quickReplies({ ...yes, title: 'No', payload: 'N' }))).toBeUndefined();
		expect(problem(quickReplies({ content_type: 'text' }))).toMatch(/^Quick Reply 2 Title in item 0 is empty/); // the common rules still run
		expect(problem(quickReplies({ content_type: 'user_email' }))).toBe('Quick Reply 2 Type in item 0 is "user_email": Instagram accepts only text quick replies');
		expect(problem(quickReplies({ content_type: 'user_phone_number' }), 'messenger')).toBeUndefined();
	});
});

describe('one table of limits', () => {
	test('the Instagram limits live in SEND_API_LIMITS', () => {
		expect(SEND_API_LIMITS.instagramText.max).toBe(1000);
		expect(SEND_API_LIMITS.instagramImageSize.max).toBe(8 * MEGABYTE);
		expect(SEND_API_LIMITS.instagramFileSize.max).toBe(25 * MEGABYTE);
		expect(INSTAGRAM_RULES.tags).toEqual(['HUMAN_AGENT']);
	});

	test('platformOf: only "instagram" is Instagram; older credentials without the field are Messenger', () => {
		expect(platformOf('instagram')).toBe('instagram');
		expect(platformOf('messenger')).toBe('messenger');
		expect(platformOf(undefined)).toBe('messenger');
	});
});

describe('Graph errors', () => {
	test('10/2534022 is explained as outside the window, pointing to HUMAN_AGENT', () => {
		const explanation = explainGraphError({ code: 10, error_subcode: 2534022 });
		expect(explanation?.title).toBe('The person is outside the 24-hour messaging window');
		expect(explanation?.fix).toContain('HUMAN_AGENT');
		expect(explanation?.retry).toBe('no');
	});

	test('2534014 is "no Instagram user found", whatever the code', () => {
		for (const code of [100, 10]) {
			const explanation = explainGraphError({ code, error_subcode: 2534014 });
			expect(explanation?.title).toBe('No Instagram user found for this recipient');
			expect(explanation?.fix).toContain('IGSID');
			expect(explanation?.retry).toBe('no');
		}
	});

	test('any other 2534xxx subcode is an Instagram error naming the subcode, even under a code that is otherwise retried', () => {
		for (const code of [10, 100, 1, 4, 613]) {
			expect(explainGraphError({ code, error_subcode: 2534099 })).toEqual({
				title: 'Instagram refused the message (subcode 2534099)',
				fix: 'An Instagram messaging error: Graph’s message below says why. Sending it again gives the same answer.',
				retry: 'no',
			});
		}
		// Outside the family, codes keep their own explanation.
		expect(explainGraphError({ code: 100, error_subcode: 2535000 })?.title).toBe('The Graph API refused a parameter of the request');
		expect(explainGraphError({ code: 613, error_subcode: 2533999 })?.retry).toBe('yes');
	});

	test.each([
		['10/2534022 outside the window', 10, 2534022, {}],
		['100/2534014 no user', 100, 2534014, {}],
		['10/2534099 any other', 10, 2534099, {}],
		['613/2534001 under a rate-limit code', 613, 2534001, {}],
		['1200/2534002 under a temporary code, marked transient', 1200, 2534002, { is_transient: true }],
	])('%s is never sent again (final)', (_name, code, error_subcode, extra) => {
		expect(dispose({ kind: 'refused', statusCode: 400, error: { code, error_subcode, message: 'x', ...extra } })).toBe('final');
	});
});

describe('heart sticker and post share (Send Attachment, Instagram only)', () => {
	const attachmentSend = (attachment: AttachmentInput): SendRequest =>
		buildAttachmentSend({ recipient: { type: 'id', value: '42' }, messagingType: 'RESPONSE', attachment, options: {} });
	const heart = attachmentSend({ type: 'like_heart', source: 'sticker' });
	const post = (postId: string) => attachmentSend({ type: 'MEDIA_SHARE', source: 'post', postId });

	test('the request bodies: like_heart without payload, MEDIA_SHARE with the post ID (trimmed)', () => {
		expect(heart).toEqual({ body: body({ attachment: { type: 'like_heart' } }) });
		expect(post(' 17895695668004550\n')).toEqual({ body: body({ attachment: { type: 'MEDIA_SHARE', payload: { id: '17895695668004550' } } }) });
	});

	test('accepted on Instagram', () => {
		expect(problem(heart)).toBeUndefined();
		expect(problem(post('17895695668004550'))).toBeUndefined();
	});

	test('refused on Messenger, naming the field, the item and the credential setting they need', () => {
		expect(problem(heart, 'messenger', 4)).toBe(
			'Attachment Type in item 4 is Heart Sticker (Instagram): only Instagram has it, and this credential sends to Messenger. Use a Messenger Page API credential with Platform Instagram.',
		);
		expect(problem(post('1789'), 'messenger')).toBe(
			'Attachment Type in item 0 is Instagram Post (Instagram): only Instagram has it, and this credential sends to Messenger. Use a Messenger Page API credential with Platform Instagram.',
		);
	});

	test('a post share needs the post ID', () => {
		expect(problem(post('  '), 'instagram', 2)).toBe('Instagram Post ID in item 2 is empty: enter a value');
	});

	test('neither takes a source, a file or an upload (as an expression could give)', () => {
		expect(problem({ body: body({ attachment: { type: 'like_heart', payload: { url: 'https://example.com/a.png' } } }) })).toBe(
			'Attachment Type in item 0 is Heart Sticker (Instagram): it takes no URL or attachment ID',
		);
		expect(problem({ ...post('1789'), file: { data: Buffer.alloc(3), fileName: 'a.png', mimeType: 'image/png' } })).toBe(
			'Attachment Type in item 0 is Instagram Post (Instagram): it cannot carry a file',
		);
		expect(problem({ edge: 'message_attachments', body: { message: { attachment: { type: 'like_heart' } } } })).toBe(
			'Attachment Type in item 0 is Heart Sticker (Instagram): it is sent with Send Attachment, not uploaded',
		);
	});

	test('the names the error uses are the Attachment Type option names', () => {
		const { description } = new MessengerSend();
		const field = description.properties.find((p) => p.name === 'attachmentType' && p.displayOptions?.show?.operation?.includes('sendAttachment'));
		const names = (field?.options ?? []).map((option) => ('name' in option ? option.name : ''));
		expect(names).toEqual(expect.arrayContaining(Object.values(INSTAGRAM_RULES.attachmentTypes)));
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
	});
});

describe('rules reported for Instagram but uncertain are left to Instagram (shared reference: do not block on them)', () => {
	const images = (count: number): SendRequest => ({
		body: body({ attachments: Array.from({ length: count }, (_, index) => ({ type: 'image', payload: { url: `https://example.com/${index}.jpg` } })) }),
	});
	const toComment = (message: object): SendRequest => ({ body: { recipient: { comment_id: '178_42' }, messaging_type: 'RESPONSE', message } });

	test('11 images, a phone_number button, an image as a private reply: sent (Instagram answers); 31 images still refused', () => {
		expect(problem(images(11))).toBeUndefined();
		expect(problem(images(30))).toBeUndefined();
		expect(problem(images(31), 'instagram', 1)).toBe('Image URLs in item 1: 31 images, more than the limit of 30 (a message carries at most 30 images)');
		const call = template({ template_type: 'button', text: 'How can we help?', buttons: [{ type: 'phone_number', title: 'Call', payload: '+15105551234' }] });
		expect(problem(call)).toBeUndefined();
		expect(problem(toComment({ attachment: { type: 'image', payload: { url: 'https://example.com/a.jpg' } } }))).toBeUndefined();
	});
});

describe('reactions', () => {
	const react = (reaction: string) => buildSenderAction({ recipient: { type: 'id', value: '42' }, action: 'react', messageId: ' m_abc ', reaction });

	test('react and unreact bodies, accepted on Instagram whatever the reaction (sent as typed)', () => {
		expect(react('love')).toEqual({ body: { recipient: { id: '42' }, sender_action: 'react', payload: { message_id: 'm_abc', reaction: 'love' } } });
		const unreact = buildSenderAction({ recipient: { type: 'id', value: '42' }, action: 'unreact', messageId: 'm_abc' });
		expect(unreact).toEqual({ body: { recipient: { id: '42' }, sender_action: 'unreact', payload: { message_id: 'm_abc' } } });
		for (const request of [react('love'), react('❤'), unreact]) expect(problem(request)).toBeUndefined();
	});

	test('a refused reaction is explained: an emoji on Messenger, "love" on Instagram', () => {
		const explanation = explainGraphError({ code: 100, message: 'x' }, react('❤').body);
		expect(explanation?.title).toBe('The reaction was refused');
		expect(explanation?.fix).toContain('Instagram the reaction name "love"');
		expect(explanation?.retry).toBe('no');
		// Other refusals keep their own explanation.
		expect(explainGraphError({ code: 100, error_subcode: 2018001 }, react('❤').body)?.title).toBe('No matching user found for this recipient');
		expect(explainGraphError({ code: 100 }, { sender_action: 'unreact' })?.title).toBe('The Graph API refused a parameter of the request');
	});

	test('the Reaction field tells Instagram users what to enter', () => {
		const { description } = new MessengerSend();
		const reaction = description.properties.find((p) => p.name === 'reaction');
		expect(reaction?.default).toBe('❤');
		expect(reaction?.description).toContain(`On Instagram, enter ${INSTAGRAM_RULES.reaction}`);
	});
});

describe('display', () => {
	test('the PSID field tells Instagram users to put the IGSID there (the parameter keeps its name)', () => {
		const { description } = new MessengerSend();
		const psid = description.properties.filter((p) => p.name === 'psid');
		expect(psid.length).toBeGreaterThan(0);
		for (const field of psid) expect(field.description).toContain('IGSID');
	});
});
