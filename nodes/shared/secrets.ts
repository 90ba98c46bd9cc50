/**
 * Returns a function that blanks out the given secrets in a text. Graph error messages can
 * echo request parameters, so every text built from an answer passes through it.
 */
export function redactSecrets(secrets: unknown[]): (text: string) => string {
	const values = secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length >= 4);
	return (text) => values.reduce((result, secret) => result.split(secret).join('[redacted]'), text);
}
