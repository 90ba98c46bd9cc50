import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type NodeApiError } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../../shared/graph';
import { platformOf } from '../../shared/platform';
import { redactSecrets } from '../../shared/secrets';
import { failureError } from '../errors/conversationErrors';
import { errorItem, inputError } from '../errors/nodeErrors';
import { readSenderSettings } from '../request/delivery';
import { readOnce, readText } from '../request/parameters';
import { callAll, type CallSettings } from '../transport/graphCalls';
import type { GraphAction, RunContext, Step } from './graphAction';

/** `GET /app`: the app the Page token belongs to (take, request and release compare the thread's owner with it). */
async function tokenAppId(ctx: IExecuteFunctions, credentials: Record<string, unknown>, settings: CallSettings): Promise<string | undefined> {
	const [{ outcome }] = await callAll(ctx, credentials as never, [{ method: 'GET', path: 'app', qs: { fields: 'id' } }], settings);
	return outcome.kind === 'sent' && typeof outcome.body.id === 'string' && outcome.body.id !== '' ? outcome.body.id : undefined;
}

/**
 * The Conversation and Person actions: every item read and checked before anything is sent, then
 * all items' steps sent round by round (each round batched, see transport/graphCalls.ts), and
 * one output item per input item: its result, or with Continue On Fail its error.
 */
export async function graphRouter(this: IExecuteFunctions, action: GraphAction): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const continueOnFail = this.continueOnFail();
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const redact = redactSecrets([credentials.accessToken, credentials.appSecret]);
	const platform = platformOf(credentials.platform);
	const settings = readSenderSettings(this);
	// Per input item, its output items (in input order; Get Many gives several).
	const output: INodeExecutionData[][] = Array.from({ length: items.length }, () => []);
	const parameters = readOnce(this);

	const planned: Array<{ item: number; input: unknown; pageId: string }> = [];
	for (let item = 0; item < items.length; item++) {
		try {
			planned.push({ item, input: action.read(parameters, item), pageId: readText(parameters, 'pageId', item, 'Page ID') });
		} catch (error) {
			const refused = inputError(node, item, error);
			if (!continueOnFail) throw refused;
			output[item] = [errorItem(refused, item, 0)];
		}
	}

	const appId = action.needsAppId && planned.length > 0 ? await tokenAppId(this, credentials, settings) : undefined;
	const steps = new Map<number, Step>();
	const attempts = new Map<number, number>();
	const waves = action.oneItemAtATime ? planned.map((one) => [one]) : [planned];
	for (const wave of waves) {
		for (const { item, input, pageId } of wave) steps.set(item, action.plan(input, { pageId, platform, appId } satisfies RunContext));
		for (;;) {
			const waiting = [...steps].filter((entry): entry is [number, Extract<Step, { call: unknown }>] => 'call' in entry[1]);
			if (waiting.length === 0) break;
			const results = await callAll(this, credentials, waiting.map(([, step]) => step.call), settings);
			waiting.forEach(([item, step], index) => {
				attempts.set(item, Math.max(attempts.get(item) ?? 0, results[index].attempts));
				steps.set(item, step.next(results[index].outcome));
			});
		}
	}

	const failures: Array<{ item: number; error: NodeApiError | NodeOperationError }> = [];
	for (const [item, step] of steps) {
		if ('output' in step) output[item] = (Array.isArray(step.output) ? step.output : [step.output]).map((json) => ({ json, pairedItem: { item } }));
		else if ('failure' in step) failures.push({ item, error: failureError(node, item, step.failure, platform, redact) });
		else if ('refused' in step) failures.push({ item, error: inputError(node, item, step.refused) });
	}
	if (failures.length > 0 && !continueOnFail) {
		const [first] = failures;
		first.error.description = `${first.error.description ?? ''} ${failures.length} of ${items.length} items failed; the others were done. Turn on Continue On Fail (Settings → On Error) to get an output item for each.`.trim();
		throw first.error;
	}
	for (const { item, error } of failures) output[item] = [errorItem(error, item, attempts.get(item) ?? 0)];
	return [output.flat()];
}

/** An unknown operation of a resource (a workflow from a newer version of the node). */
export function unknownOperation(ctx: IExecuteFunctions, resource: string, operation: string): NodeOperationError {
	const of = resource === 'message' ? '' : ` of "${resource}"`;
	return new NodeOperationError(ctx.getNode(), `The operation "${operation}"${of} is not known to this version of the node`, {
		description: 'Choose an operation again in the node, or update the n8n-nodes-messenger-send package.',
	});
}
