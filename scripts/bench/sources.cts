// The TypeScript sources the bench calls directly (the node's build, validation and trigger code,
// and test/helpers/runNode.ts), loaded in this one module so that tsx's hook is in place first.
import { existsSync } from 'node:fs';
import Module, { createRequire } from 'node:module';

import type * as SendMessageModule from '../../nodes/MessengerSend/actions/sendMessage.operation';
import type * as ValidationModule from '../../nodes/MessengerSend/rules/validate';
import type * as TriggerEventsModule from '../../nodes/MessengerTrigger/events';
import type * as SeenEventsModule from '../../nodes/MessengerTrigger/seenEvents';
import type * as SignatureModule from '../../nodes/MessengerTrigger/signature';
import type * as RunNodeModule from '../../test/helpers/runNode';

// tsx (4.23 on Node 20.20) hands a plain `import` of a .ts file from this .cts module to Node
// untransformed ("Cannot use import statement outside a module"): load the TypeScript sources
// through tsx's CommonJS hook instead. `X.node` would resolve to the codex file X.node.json
// before X.node.ts: prefer the .ts beside it.
const load = createRequire(__filename);
(load('tsx/cjs/api') as { register: () => unknown }).register();
const moduleInternals = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const resolveFilename = moduleInternals._resolveFilename;
moduleInternals._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
	const resolved = resolveFilename.call(this, request, ...rest);
	const source = resolved.replace(/\.node\.json$/, '.node.ts');
	return source !== resolved && existsSync(source) ? source : resolved;
};
export const { build: buildMessage } = load('../../nodes/MessengerSend/actions/sendMessage.operation') as typeof SendMessageModule;
export const { validateSendRequest } = load('../../nodes/MessengerSend/rules/validate') as typeof ValidationModule;
export const { runNode, NODE_NAME } = load('../../test/helpers/runNode') as typeof RunNodeModule;
export const { checkSignature } = load('../../nodes/MessengerTrigger/signature') as typeof SignatureModule;
export const { readWebhookPost, toItem, eventKey } = load('../../nodes/MessengerTrigger/events') as typeof TriggerEventsModule;
export const { claimEvents, REMEMBERED_EVENTS } = load('../../nodes/MessengerTrigger/seenEvents') as typeof SeenEventsModule;
