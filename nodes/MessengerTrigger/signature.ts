import { createHmac, timingSafeEqual } from 'crypto';

export type SignatureCheck = 'valid' | 'missing' | 'malformed' | 'mismatch';

const SHA256_HEADER = /^sha256=([0-9a-f]{64})$/i;

/**
 * Whether `X-Hub-Signature-256` is the HMAC-SHA256 of the exact bytes received, keyed with the
 * app secret. Meta signs its own serialisation (unicode escaped), so only the raw body will
 * do; the comparison takes the same time wherever the first wrong byte is.
 */
export function checkSignature(raw: Buffer, header: unknown, appSecret: string): SignatureCheck {
	const value = Array.isArray(header) ? header[0] : header;
	if (typeof value !== 'string' || value === '') return 'missing';
	const match = SHA256_HEADER.exec(value.trim());
	if (!match) return 'malformed';
	const expected = createHmac('sha256', appSecret).update(raw).digest();
	const given = Buffer.from(match[1], 'hex');
	return timingSafeEqual(expected, given) ? 'valid' : 'mismatch';
}

/** What n8n's log says about a refused delivery: why, never the secret or the signature. */
export function refusalReason(check: Exclude<SignatureCheck, 'valid'>): string {
	switch (check) {
		case 'missing':
			return 'it has no X-Hub-Signature-256 header (Meta signs every delivery: the request did not come from Meta)';
		case 'malformed':
			return 'its X-Hub-Signature-256 header is not "sha256=" followed by 64 hex digits';
		case 'mismatch':
			return 'its X-Hub-Signature-256 does not match the body: the App Secret in the credential is not the secret of the app that sent it, or the body was changed on the way';
	}
}

/**
 * The verify token of an automatic subscription: derived from the app secret and the
 * webhook's ID, so the handshake that Meta makes while the subscription is being created can
 * be answered before anything has been stored.
 */
export function derivedVerifyToken(appSecret: string, webhookId: string): string {
	return createHmac('sha256', appSecret).update(`messenger-trigger-verify|${webhookId}`).digest('base64url').slice(0, 32);
}

/** Compares two tokens in constant time (different lengths are simply unequal). */
export function sameToken(given: unknown, expected: string): boolean {
	if (typeof given !== 'string' || expected === '') return false;
	const a = Buffer.from(given);
	const b = Buffer.from(expected);
	return a.length === b.length && timingSafeEqual(a, b);
}
