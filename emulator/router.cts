// Which edge answers a Graph request: the version prefix, the batch root, the app edge, then one
// module per edge below `{node}`. A batch operation comes back through `call`, so it meets the
// same edges, checks and faults as a direct request.
import { authenticate, credentialsOf } from './auth.cjs';
import { batchCall } from './edges/batch.cjs';
import { conversationsCall, THREAD_PREFIX, threadCall, threadMessagesCall } from './edges/conversations.cjs';
import type { Messages } from './edges/messages.cjs';
import { messengerProfileCall } from './edges/messengerProfile.cjs';
import { appCall, pageCall } from './edges/page.cjs';
import { isPersonaOf, personaCall, personasCall } from './edges/personas.cjs';
import { isPersonOf, profileCall, type KnownPerson } from './edges/profiles.cjs';
import { appSubscriptionsCall, subscribedAppsCall } from './edges/subscriptions.cjs';
import { CONTROL_EDGES, THREAD_READ_EDGES, threadControlCall, threadReadCall } from './edges/threadControl.cjs';
import { uploadCall, type Attachments } from './edges/uploads.cjs';
import { pathSegments, unsupported, VERSION, type CallResult, type Credentials, type Graph } from './graph.cjs';
import { graphError } from './rules.cjs';
import type { ReceivedRequest } from './types.cjs';

export class Router {
	/** The version of the request being routed (requests are routed one at a time): `paging.next` URLs use it. */
	private version = 'v25.0';

	constructor(
		private readonly graph: Graph,
		private readonly messages: Messages,
		private readonly attachments: Attachments,
		/** What the people's actions said about a person (their name, a profile), for `GET {PSID}`. */
		private readonly personOf: (psid: string) => KnownPerson,
	) {}

	private readonly personName = (psid: string): string | undefined => this.personOf(psid).name;

	/** A direct request; a Promise only for an app subscription, which waits for its verification call. */
	route(record: ReceivedRequest): CallResult | Promise<CallResult> {
		const { graph } = this;
		const segments = pathSegments(record.path);
		const credentials = credentialsOf(record);
		const params = { ...record.query, ...record.body };
		if (segments.length === 0) return this.rootCall(record, credentials);
		const [version, ...rest] = segments;
		if (!VERSION.test(version)) {
			return graph.errorResult(graphError(100, `(#100) The path must start with a Graph API version such as v25.0, not '${version}'`));
		}
		this.version = version;
		if (rest.length === 0) return this.rootCall(record, credentials);
		if (rest.length === 2 && rest[1] === 'subscriptions') return appSubscriptionsCall(graph, record.method, rest[0], params, credentials, version);
		return this.call(record.method, rest, params, record.files, credentials, false);
	}

	private rootCall(record: ReceivedRequest, credentials: Credentials): CallResult {
		if (record.method !== 'POST') {
			return this.graph.errorResult(graphError(100, `(#100) Unsupported ${record.method.toLowerCase()} request: a batch is a POST to /{version}/`));
		}
		return batchCall(this.graph, record, credentials, (method, segments, params, files, operationCredentials) =>
			this.call(method, segments, params, files, operationCredentials, true),
		);
	}

	/**
	 * One call below the version prefix: `{node}` (a Page, a conversation `t_…`, or a person who
	 * wrote to the Page), `{node}/messages` (a conversation's: GET), `{node}/message_attachments`,
	 * `GET {node}/conversations`, `{node}/subscribed_apps`, the thread control edges, `{node}/messenger_profile`,
	 * `{node}/personas` and a persona `{persona-id}`. (`{app-id}/subscriptions` is routed before, except inside a batch.)
	 */
	private call(
		method: string,
		segments: string[],
		params: Record<string, unknown>,
		files: ReceivedRequest['files'],
		credentials: Credentials,
		viaBatch: boolean,
	): CallResult {
		const { graph } = this;
		const [node, edge] = segments;
		// Only GET reads conversations; other methods keep the unknown-edge answer they always had.
		const known =
			segments.length === 1 ||
			(segments.length === 2 &&
				(edge === 'messages' ||
					edge === 'message_attachments' ||
					edge === 'subscribed_apps' ||
					edge === 'subscriptions' ||
					edge === 'messenger_profile' ||
					edge === 'personas' ||
					CONTROL_EDGES.has(edge) ||
					THREAD_READ_EDGES.has(edge) ||
					(edge === 'conversations' && method === 'GET')));
		if (!known) return graph.errorResult(graphError(2500, `Unknown path components: /${segments.slice(1).join('/')}`));
		if (edge === 'subscribed_apps') return subscribedAppsCall(graph, method, node, params, credentials);
		// A batch carries Page tokens and runs its operations at once: no room for an app token and a verification call.
		if (edge === 'subscriptions') return graph.errorResult(graphError(100, '(#100) {app-id}/subscriptions cannot be called inside a batch: call it directly with the app access token'));
		if (edge === 'messenger_profile') return messengerProfileCall(graph, method, node, params, credentials);
		if (edge === 'personas') return personasCall(graph, method, node, params, credentials, this.version);
		if (edge === undefined && (method === 'GET' || method === 'DELETE') && isPersonaOf(graph, credentials, node)) return personaCall(graph, method, node, params, credentials);
		if (CONTROL_EDGES.has(edge)) return threadControlCall(graph, method, node, edge, params, credentials);
		if (THREAD_READ_EDGES.has(edge)) return threadReadCall(graph, method, node, edge, params, credentials);
		if (edge === 'messages' && method === 'GET' && node.startsWith(THREAD_PREFIX)) return threadMessagesCall(graph, node, params, credentials, this.version, this.personName);
		if (edge === 'messages' && method === 'POST') return this.messages.send(node, params, files, credentials, viaBatch);
		if (edge === 'message_attachments' && method === 'POST') return uploadCall(graph, this.attachments, node, params, files, credentials);
		if (edge === 'conversations') return conversationsCall(graph, node, params, credentials, this.personName, this.version);
		if (edge === undefined && method === 'GET' && node.startsWith(THREAD_PREFIX)) return threadCall(graph, node, params, credentials, this.version, this.personName);
		if (edge === undefined && method === 'GET' && node === 'app') return appCall(graph, credentials);
		if (edge === undefined && method === 'GET') {
			// A person who wrote to the token's Page has a profile; every other ID is answered as before.
			const auth = authenticate(graph, credentials);
			if (!('result' in auth) && isPersonOf(graph, auth.page, node)) return profileCall(graph, auth.page, node, params, this.personOf(node));
			return pageCall(graph, node, params, credentials);
		}
		return graph.errorResult(unsupported(method, node));
	}
}
