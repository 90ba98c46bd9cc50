// Every relative link in the documentation leads somewhere: the file exists, and an anchor
// (`#section`) names a heading of the file it points into, as GitHub makes heading anchors. Links
// to the web (http, https, mailto) are not followed; links inside code are not links.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const DOCUMENTS = [
	'README.md',
	'ARCHITECTURE.md',
	'CHANGELOG.md',
	'emulator/README.md',
	'test/README.md',
	...readdirSync(path.join(ROOT, 'docs'))
		.filter((name) => name.endsWith('.md'))
		.map((name) => `docs/${name}`),
];

/** The text without fenced code blocks and inline code, which GitHub does not read as links. */
function withoutCode(markdown: string): string {
	return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, 'code');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2… */
function anchorsOf(markdown: string): Set<string> {
	const anchors = new Set<string>();
	const seen = new Map<string, number>();
	const text = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
	for (const [, heading] of text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
		const slug = heading
			.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
			.toLowerCase()
			.replace(/[^\p{L}\p{N}\s_-]/gu, '')
			.replace(/\s/g, '-');
		const count = seen.get(slug) ?? 0;
		seen.set(slug, count + 1);
		anchors.add(count === 0 ? slug : `${slug}-${count}`);
	}
	return anchors;
}

/** [text](target) and ![alt](target), with an optional "title"; the targets as written. */
function linksOf(markdown: string): string[] {
	const targets: string[] = [];
	for (const [, target] of withoutCode(markdown).matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
		targets.push(target);
	}
	return targets;
}

function brokenLinks(document: string): string[] {
	const markdown = readFileSync(path.join(ROOT, document), 'utf8');
	const broken: string[] = [];
	for (const target of linksOf(markdown)) {
		if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
		const [file, anchor] = target.split('#', 2) as [string, string | undefined];
		const resolved = file === '' ? path.join(ROOT, document) : path.resolve(path.dirname(path.join(ROOT, document)), decodeURI(file));
		if (!existsSync(resolved)) {
			broken.push(`${target}: no such file`);
			continue;
		}
		if (anchor !== undefined && resolved.endsWith('.md') && statSync(resolved).isFile()) {
			if (!anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)) broken.push(`${target}: no heading with that anchor`);
		}
	}
	return broken;
}

describe('relative links in the documentation', () => {
	test.each(DOCUMENTS)('%s', (document) => {
		expect(brokenLinks(document)).toEqual([]);
	});

	test('the checker sees links, anchors and broken ones', () => {
		const sample = '# Sending many messages: speed, order\n## The Graph API emulator (`emulator/`)\n[a](x.md) `[b](y.md)` ![c](d.png "t")';
		expect(linksOf(sample)).toEqual(['x.md', 'd.png']);
		expect([...anchorsOf(sample)]).toEqual(['sending-many-messages-speed-order', 'the-graph-api-emulator-emulator']);
	});
});
