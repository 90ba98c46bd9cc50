/** A request the Send API would refuse, found before anything is sent. */
export class InvalidSendRequest extends Error {
	constructor(
		message: string,
		readonly field: string,
	) {
		super(message);
		this.name = 'InvalidSendRequest';
	}
}

/** A value as an error message quotes it; expressions can give objects (even without a prototype). */
export function shown(value: unknown): string {
	if (typeof value === 'string') return `"${value}"`;
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object' && value !== null) return 'an object';
	return String(value);
}
