// Signatures and verify tokens: the HMAC over the exact bytes received, in constant time.
import { createHmac } from 'crypto';

import { checkSignature, derivedVerifyToken, refusalReason, sameToken } from '../../../nodes/MessengerTrigger/signature';

const SECRET = 'dummy-app-secret';
// Meta signs its own serialisation: non-ASCII escaped, "/" escaped.
const RAW = Buffer.from('{"object":"page","entry":[{"id":"1","messaging":[{"message":{"mid":"m_1","text":"caf\\u00e9 \\ud83d\\ude00 a\\/b"}}]}]}');
const sign = (raw: Buffer | string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

test('a signature over the raw bytes is valid, upper-case hex and a header list too', () => {
	expect(checkSignature(RAW, sign(RAW), SECRET)).toBe('valid');
	expect(checkSignature(RAW, sign(RAW).toUpperCase().replace('SHA256=', 'sha256='), SECRET)).toBe('valid');
	expect(checkSignature(RAW, [sign(RAW)], SECRET)).toBe('valid');
});

test('the same JSON serialised again does not match: only the bytes received will do', () => {
	const reserialised = JSON.stringify(JSON.parse(RAW.toString('utf8')));
	expect(reserialised).not.toBe(RAW.toString('utf8'));
	expect(checkSignature(Buffer.from(reserialised), sign(RAW), SECRET)).toBe('mismatch');
});

test('missing, malformed, another key, a changed body and SHA-1 only are refused, each with its reason', () => {
	expect(checkSignature(RAW, undefined, SECRET)).toBe('missing');
	expect(checkSignature(RAW, '', SECRET)).toBe('missing');
	expect(checkSignature(RAW, 'sha1=abc', SECRET)).toBe('malformed');
	expect(checkSignature(RAW, 'sha256=xyz', SECRET)).toBe('malformed');
	expect(checkSignature(RAW, sign(RAW, 'dummy-other-secret'), SECRET)).toBe('mismatch');
	expect(checkSignature(Buffer.concat([RAW, Buffer.from(' ')]), sign(RAW), SECRET)).toBe('mismatch');
	expect(refusalReason('mismatch')).toContain('App Secret');
	for (const check of ['missing', 'malformed', 'mismatch'] as const) expect(refusalReason(check)).not.toContain(SECRET);
});

test('the derived verify token is stable per webhook and secret, and differs otherwise', () => {
	const token = derivedVerifyToken(SECRET, 'hook-1');
	expect(token).toHaveLength(32);
	expect(derivedVerifyToken(SECRET, 'hook-1')).toBe(token);
	expect(derivedVerifyToken(SECRET, 'hook-2')).not.toBe(token);
	expect(derivedVerifyToken('dummy-other-secret', 'hook-1')).not.toBe(token);
	expect(token).not.toContain(SECRET);
});

test('tokens compare equal only when identical; an empty expected token matches nothing', () => {
	expect(sameToken('abc', 'abc')).toBe(true);
	expect(sameToken('abd', 'abc')).toBe(false);
	expect(sameToken('abcd', 'abc')).toBe(false);
	expect(sameToken(undefined, 'abc')).toBe(false);
	expect(sameToken('', '')).toBe(false);
});
