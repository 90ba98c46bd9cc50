// The Messenger Profile API's calls: `GET|POST|DELETE /{page}/messenger_profile`, with
// `platform=instagram` for an Instagram account's profile. Writes are never retried after the
// rate limit (about 10 per 10 minutes per Page): waiting seconds would only spend another.
import type { IDataObject } from 'n8n-workflow';

import type { Platform } from '../../../shared/platform';
import type { Profile, ProfileProperty } from '../../rules';
import type { GraphCall } from '../../transport/graphCalls';
import { pagePath } from '../conversation/threadControl';

const path = (pageId: string) => `${pagePath(pageId)}/messenger_profile`;
const platformQuery = (platform: Platform): Record<string, string> => (platform === 'instagram' ? { platform } : {});

export function readProfileCall(pageId: string, fields: ProfileProperty[], platform: Platform): GraphCall {
	return { method: 'GET', path: path(pageId), qs: { ...platformQuery(platform), fields: fields.join(',') } };
}

export function setProfileCall(pageId: string, profile: Profile, platform: Platform): GraphCall {
	return { method: 'POST', path: path(pageId), ...withQuery(platform), body: profile as IDataObject, rateLimitFinal: true };
}

export function deleteProfileCall(pageId: string, fields: ProfileProperty[], platform: Platform): GraphCall {
	return { method: 'DELETE', path: path(pageId), ...withQuery(platform), body: { fields }, rateLimitFinal: true };
}

function withQuery(platform: Platform): { qs?: Record<string, string> } {
	const qs = platformQuery(platform);
	return Object.keys(qs).length > 0 ? { qs } : {};
}
