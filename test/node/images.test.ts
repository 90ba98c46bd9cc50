// Send Attachment → Source "Several Image URLs": one message with up to 30 images, as
// `message.attachments` (shared/messenger-send-api.md: "an array of up to 30 attachments, images only").
import { server, send, useGraphServer } from '../helpers/fixtures';

useGraphServer();

const base = { operation: 'sendAttachment', recipientType: 'id', psid: '42', messagingType: 'RESPONSE', attachmentType: 'image', attachmentSource: 'imageUrls' };
const urls = (count: number) => Array.from({ length: count }, (_, i) => `https://example.com/p${i + 1}.jpg`);

test('one URL per line: one message with every image', async () => {
	const run = await send({ ...base, imageUrls: 'https://example.com/front.jpg\nhttps://example.com/back.jpg\n' });

	expect(run.error).toBeUndefined();
	expect(server.requests[0].body).toEqual({
		recipient: { id: '42' },
		messaging_type: 'RESPONSE',
		message: {
			attachments: [
				{ type: 'image', payload: { url: 'https://example.com/front.jpg' } },
				{ type: 'image', payload: { url: 'https://example.com/back.jpg' } },
			],
		},
	});
	expect(server.inbox).toHaveLength(1);
	expect(run.items[0].json.message_id).toBe('m_1');
});

test('30 images from an expression that gives a list are accepted; 31 are refused before sending', async () => {
	const ok = await send({ ...base, imageUrls: `={{ ${JSON.stringify(urls(30))} }}` });
	expect(ok.error).toBeUndefined();
	expect((server.inbox[0].message as { attachments: unknown[] }).attachments).toHaveLength(30);

	server.requests.length = 0;
	const tooMany = await send({ ...base, imageUrls: urls(31).join('\n') });
	expect(server.requests).toHaveLength(0);
	expect(tooMany.error?.message).toBe('Image URLs in item 0: 31 images, more than the limit of 30 (a message carries at most 30 images)');
});

test('only images, only http(s) URLs', async () => {
	const video = await send({ ...base, attachmentType: 'video', imageUrls: urls(2).join('\n') });
	const ftp = await send({ ...base, imageUrls: 'https://example.com/a.jpg\nftp://example.com/b.jpg' });

	expect(server.requests).toHaveLength(0);
	expect(video.error?.message).toBe('Image URLs in item 0 need Attachment Type Image: several attachments in one message must be images');
	expect(ftp.error?.message).toBe('Image URL 2 in item 0 is not an http(s) URL: "ftp://example.com/b.jpg"');
});
