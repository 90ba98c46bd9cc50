// The pure tests' view of validation: the message a built request is refused with, or undefined.
import type { SendRequest } from '../../nodes/MessengerSend/request/types';
import { validateSendRequest } from '../../nodes/MessengerSend/rules/validate';

/** Why `request` (of item `item`) is refused before sending on `platform`, or undefined when it is accepted. */
export function problemOf(request: SendRequest, item = 0, platform?: 'messenger' | 'instagram'): string | undefined {
	try {
		validateSendRequest(request, item, platform);
		return undefined;
	} catch (error) {
		return (error as Error).message;
	}
}
