// fast-check generators shared by the fuzz suites (test/unit/fuzz.test.ts, test/node/fuzz.test.ts, and
// their runs in fuzzUnitRuns.ts and fuzzNodeRuns.ts):
// strings of every Unicode kind at lengths around each Send API limit, URLs, IDs, and the values
// of the wrong type that an n8n expression can give where the node expects text.
import fc from 'fast-check';

export const STRING_KINDS = [
	'ascii',
	'astral',
	'combining',
	'rtl',
	'zeroWidth',
	'control',
	'loneSurrogate',
	'whitespace',
	'mixed',
] as const;
export type StringKind = (typeof STRING_KINDS)[number];

const codePoint = (min: number, max: number) => fc.integer({ min, max }).map((value) => String.fromCodePoint(value));

/** One code point (or one lone UTF-16 surrogate) of each kind. */
const UNITS: Record<Exclude<StringKind, 'mixed'>, fc.Arbitrary<string>> = {
	ascii: codePoint(0x20, 0x7e),
	// emoji and other symbols outside the BMP: two UTF-16 units, one character
	astral: fc.oneof(codePoint(0x1f300, 0x1faff), codePoint(0x10000, 0x10ffff)),
	combining: fc.oneof(codePoint(0x300, 0x36f), codePoint(0x1ab0, 0x1aff), codePoint(0x20d0, 0x20ff)),
	rtl: fc.oneof(codePoint(0x590, 0x5ff), codePoint(0x600, 0x6ff), fc.constantFrom('\u200f', '\u202b', '\u202e', '\u061c')),
	zeroWidth: fc.constantFrom('\u200b', '\u200c', '\u200d', '\u2060', '\ufeff'),
	control: fc.oneof(codePoint(0x0, 0x1f), codePoint(0x7f, 0x9f)),
	loneSurrogate: codePoint(0xd800, 0xdfff),
	whitespace: fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\u1680', '\u2028', '\u3000'),
};
const ANY_UNIT = fc.oneof(...Object.values(UNITS));

/** Characters as the Send API counts them (code points; a lone surrogate counts once). */
export const codePoints = (value: string): number => [...value].length;

/**
 * A string of exactly `length` characters, cycling through `units`. A lone high surrogate
 * followed by a lone low one pairs up into one character, so the string is padded back with "a".
 */
export function fill(units: string[], length: number): string {
	const parts = new Array<string>(length);
	for (let index = 0; index < length; index++) parts[index] = units[index % units.length];
	let value = parts.join('');
	for (let count = codePoints(value); count < length; count++) value += 'a';
	return value;
}

/** A string of the given kind and length. */
export function textOf(kind: StringKind, length: fc.Arbitrary<number>): fc.Arbitrary<string> {
	const unit = kind === 'mixed' ? ANY_UNIT : UNITS[kind];
	return fc
		.tuple(fc.array(unit, { minLength: 1, maxLength: 6 }), length)
		.map(([units, size]) => fill(units, size));
}

/**
 * Text of any kind, mostly around the limit `max` (inclusive): max - 1, max, max + 1, max + 2;
 * also short, empty, and (rarely) far over the limit.
 */
export function textAround(max: number, kinds: readonly StringKind[] = STRING_KINDS): fc.Arbitrary<string> {
	const length = fc.oneof(
		{ arbitrary: fc.constantFrom(max - 1, max, max + 1, max + 2), weight: 4 },
		{ arbitrary: fc.integer({ min: 1, max: Math.min(40, max) }), weight: 4 },
		{ arbitrary: fc.integer({ min: Math.max(0, max - 30), max: max + 30 }), weight: 1 },
		{ arbitrary: fc.constantFrom(0, 1), weight: 1 },
		{ arbitrary: fc.constant(max * 5 + 7), weight: 1 },
	);
	return fc.constantFrom(...kinds).chain((kind) => textOf(kind, length));
}

/** A short string of any kind (IDs, names, garbage in option fields). */
export const shortText = fc.constantFrom(...STRING_KINDS).chain((kind) => textOf(kind, fc.integer({ min: 0, max: 24 })));

/** Text that reads as content: ASCII and emoji first, every other kind too. */
export const readableKinds: StringKind[] = ['ascii', 'ascii', 'ascii', 'astral', 'mixed', 'rtl', 'combining'];

/** Surrounds a value with spaces, tabs or line breaks (which the node trims from IDs and URLs). */
export const padded = (value: fc.Arbitrary<string>) =>
	fc.tuple(fc.constantFrom(' ', '\t', '\n', ' \n '), value, fc.constantFrom(' ', '\r\n', '')).map(([a, b, c]) => a + b + c);

/** Values an expression can give where the node expects text. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
	fc.constant(null),
	fc.boolean(),
	fc.integer(),
	fc.double(),
	fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 0, Number.MAX_SAFE_INTEGER + 2),
	fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
	fc.constantFrom({ a: 1 }, {}, [1, 2], [], ['text'], [{ a: 1 }]),
	fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
	fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
	fc.date({ noInvalidDate: true }),
);

/** Marks a parameter the workflow does not hold (the reader's fallback or n8n's default applies). */
export const MISSING = undefined;

/**
 * Mostly `good`; sometimes a value of the wrong type (as expressions give them), sometimes
 * missing. Weights: good 16, wrong type 2, missing 1.
 */
export function param<T>(good: fc.Arbitrary<T>, weights = { good: 16, wrong: 2, missing: 1 }): fc.Arbitrary<unknown> {
	return fc.oneof(
		{ arbitrary: good, weight: weights.good },
		{ arbitrary: wrongType, weight: weights.wrong },
		{ arbitrary: fc.constant(MISSING), weight: weights.missing },
	);
}

/** Mostly one of `values`, sometimes a near miss (case, spaces) or any short text. */
export function choice(values: readonly string[], nearMisses: readonly string[] = []): fc.Arbitrary<string> {
	const misses = [...nearMisses, ...values.map((value) => value.toLowerCase()), ...values.map((value) => ` ${value}`), ''];
	return fc.oneof(
		{ arbitrary: fc.constantFrom(...values), weight: 12 },
		{ arbitrary: fc.constantFrom(...misses), weight: 1 },
		{ arbitrary: shortText, weight: 1 },
	);
}

/** IDs as webhooks deliver them (digits), padded, and odd ones of every kind. */
export const idText: fc.Arbitrary<string> = fc.oneof(
	{ arbitrary: fc.stringMatching(/^[1-9][0-9]{5,16}$/), weight: 10 },
	{ arbitrary: fc.stringMatching(/^[1-9][0-9]{3,10}_[1-9][0-9]{3,10}$/), weight: 2 },
	{ arbitrary: padded(fc.stringMatching(/^[1-9][0-9]{5,16}$/)), weight: 2 },
	{ arbitrary: fc.constantFrom('', ' ', '\u3000', '\u200b'), weight: 1 },
	{ arbitrary: shortText, weight: 2 },
);

/** A message ID (mid) as the webhook delivers it, or odd ones. */
export const midText: fc.Arbitrary<string> = fc.oneof(
	{ arbitrary: fc.stringMatching(/^m_[A-Za-z0-9_-]{4,40}$/), weight: 10 },
	{ arbitrary: padded(fc.stringMatching(/^m_[A-Za-z0-9]{4,12}$/)), weight: 2 },
	{ arbitrary: fc.constantFrom('', '  ', '\t\n'), weight: 1 },
	{ arbitrary: shortText, weight: 2 },
);

/** Whether the emulator treats the URL as one the platform cannot fetch (a host ending in .invalid). */
export function isUnfetchableByConvention(value: string): boolean {
	try {
		return new URL(value.trim()).hostname.endsWith('.invalid');
	} catch {
		return false;
	}
}

const VALID_URLS = [
	'https://example.com/photo.jpg',
	'http://127.0.0.1:8080/a%20b.png',
	'https://bücher.example/ü.pdf',
	'HTTPS://EXAMPLE.COM/X.PNG',
	'https://example.com/😀.gif?size=large#top',
	'https://example.com/\u05e9\u05dc\u05d5\u05dd.mp4',
	'https://[::1]:8443/v.mp4',
	'https://user:pass@example.com/a.mp3',
	'\u0001https://example.com/leading-control.png',
];
const INVALID_URLS = [
	'ftp://example.com/a.png',
	'example.com/a.png',
	'//example.com/a.png',
	'javascript:alert(1)',
	'data:image/png;base64,iVBORw0KGgo=',
	'file:///etc/passwd',
	'mailto:someone@example.com',
	'https://',
	'http://[::1',
	'https://exa mple.com/a.png',
	'https://example.com:99999/a.png',
	'http:/\u0000',
	'https://\ud800.example/a.png',
	'',
	'   ',
];

/**
 * URLs valid and invalid. Left out: hosts ending in `.invalid`, the emulator's stand-in for a
 * URL the platform cannot fetch: the node cannot know whether a public URL answers.
 */
export const urlText: fc.Arbitrary<string> = fc
	.oneof(
		{ arbitrary: fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true, withFragments: true }), weight: 6 },
		{ arbitrary: fc.constantFrom(...VALID_URLS), weight: 4 },
		{ arbitrary: padded(fc.constantFrom(...VALID_URLS)), weight: 1 },
		{ arbitrary: fc.constantFrom(...INVALID_URLS), weight: 2 },
		{ arbitrary: fc.webUrl({ validSchemes: ['ftp', 'ws', 'file'] }), weight: 1 },
		{ arbitrary: shortText, weight: 1 },
	)
	.filter((url) => !isUnfetchableByConvention(url));

/** Quick reply counts around the limit of 13. */
export const quickReplyCount = fc.oneof(
	{ arbitrary: fc.constantFrom(1, 12, 13, 14), weight: 3 },
	{ arbitrary: fc.integer({ min: 0, max: 5 }), weight: 6 },
	{ arbitrary: fc.constantFrom(15, 20), weight: 1 },
);

// CUSTOMER_FEEDBACK is active too, but only with its template, which these generators do not build:
// with text or a file it is a refusal, so it is among the near misses.
export const TAGS_ACTIVE = ['HUMAN_AGENT'];
export const TAGS_RETIRED = ['ACCOUNT_UPDATE', 'CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE'];
