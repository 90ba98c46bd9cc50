// Messenger or Instagram: which one a credential serves (its Platform field). Both nodes read it.
export type Platform = 'messenger' | 'instagram';

/** The credential's Platform field as a Platform: anything but "instagram" is Messenger (older credentials have none). */
export function platformOf(value: unknown): Platform {
	return value === 'instagram' ? 'instagram' : 'messenger';
}
