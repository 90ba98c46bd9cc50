import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type NodeApiError } from 'n8n-workflow';

import { graphActionNamed, operationNamed } from './index';
import { graphRouter, unknownOperation } from './graphRouter';
import { ExactlyOnceGuard, distinctKeys, type GuardedSend, type Skip } from '../transport/exactlyOnce';
import { readDeduplicationKey, readSenderSettings } from '../request/delivery';
import { sendResultError, errorItem, inputError, keptKeyNote, runSummary, tooManyKeysError } from '../errors/nodeErrors';
import { readOnce, readText } from '../request/parameters';
import { redactSecrets } from '../../shared/secrets';
import { platformOf } from '../../shared/platform';
import { validateSendRequest } from '../rules/validate';
import { CREDENTIAL_TYPE } from '../../shared/graph';
import type { GraphSend } from '../transport/graphApi';
import { FREE_TRIES, MAX_REMEMBERED } from '../transport/processedStore';
import { graphTransport, sendAll, type SendResult } from '../transport/sender';

/**
 * Builds and validates every item's request first, so bad input fails before anything is
 * sent; then hands them all to the sender and maps each answer back to the output item of its
 * input item. `attempts` on every output item says how often it was sent (0: never).
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const continueOnFail = this.continueOnFail();
	const resource = this.getNodeParameter('resource', 0, 'message') as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	if (resource !== 'message') {
		const action = graphActionNamed(resource, operationName);
		if (!action) throw unknownOperation(this, resource, operationName);
		return await graphRouter.call(this, action);
	}
	const operation = operationNamed(operationName);
	if (!operation) throw unknownOperation(this, resource, operationName);
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const redact = redactSecrets([credentials.accessToken, credentials.appSecret]);
	const platform = platformOf(credentials.platform);
	const settings = readSenderSettings(this);
	// Send and Wait asks one question: the first item's.
	const count = operation.wait ? Math.min(items.length, 1) : items.length;
	const output: INodeExecutionData[] = new Array(count);
	let waitTill: Date | undefined;

	const fail = (item: number, error: NodeApiError | NodeOperationError, attempts = 0) => {
		if (!continueOnFail) throw error;
		output[item] = errorItem(error, item, attempts);
	};

	const mains: Array<GuardedSend & { send: GraphSend }> = [];
	// Constant parameters are read once for all items; each item is still built and validated.
	const parameters = readOnce(this);
	for (let item = 0; item < count; item++) {
		try {
			if (operation.wait) waitTill = operation.wait.until(parameters, item);
			const request = await operation.prepare.call(parameters, item);
			validateSendRequest(request, item, platform);
			mains.push({ item, send: { request, pageId: readText(parameters, 'pageId', item, 'Page ID') }, key: readDeduplicationKey(parameters, item) });
		} catch (error) {
			fail(item, inputError(node, item, error));
		}
	}

	// More keys than the store remembers: a second run would send the first ones again.
	const keys = distinctKeys(mains);
	if (keys > MAX_REMEMBERED) throw tooManyKeysError(node, keys, MAX_REMEMBERED);
	const guard = new ExactlyOnceGuard(this);
	let skips: Map<number, Skip>;
	try {
		skips = await guard.skips(mains);
	} catch (error) {
		throw new NodeOperationError(node, `n8n's deduplication store could not be read: ${redact((error as Error).message ?? String(error))}`, {
			description: 'Nothing was sent. The node checks there what was delivered already, so that nothing is sent twice.',
		});
	}
	const toSend = mains.filter(({ item }) => !skips.has(item));
	const transport = graphTransport(this, credentials, settings);
	const sent = await sendAll(
		toSend.map(({ send }) => send),
		settings,
		transport,
	);
	const results = new Map<number, SendResult>();
	for (const [item, skip] of skips) {
		if ('result' in skip) results.set(item, skip.result);
		else output[item] = { json: skip.output, pairedItem: { item } };
	}
	sent.forEach((result, index) => results.set(toSend[index].item, result));

	// Before any error is shown: a key that stays claimed changes what the error must say.
	const keptKeys = await guard.freeKeys(results);
	const failures: Array<{ item: number; error: NodeApiError; attempts: number }> = [];
	for (const { item, send } of mains) {
		const result = results.get(item);
		if (!result) continue;
		const { outcome, attempts, lookup } = result;
		if (outcome.kind === 'sent') {
			output[item] = { json: { ...outcome.body, attempts, ...(lookup?.kind === 'found' ? { foundByLookup: true } : {}) }, pairedItem: { item } };
			continue;
		}
		const error = sendResultError(node, item, result, send.request, redact);
		const kept = keptKeys.get(item);
		if (kept) error.description = `${error.description ?? ''} ${keptKeyNote(kept.key, FREE_TRIES, redact(kept.problem))}`.trim();
		failures.push({ item, error, attempts });
	}
	if (failures.length > 0 && !continueOnFail) {
		const [first] = failures;
		const delivered = [...results.values()].filter((result) => result.status === 'delivered').length;
		const skipped = [...skips.values()].filter((skip) => 'output' in skip).length;
		first.error.description = `${first.error.description ?? ''} ${runSummary(delivered, failures.length, results.size, skipped)}`.trim();
		await guard.close(results, true, true);
		throw first.error;
	}
	for (const { item, error, attempts } of failures) fail(item, error, attempts);
	// n8n runs a node with Retry On Fail again when its first output item is an error.
	await guard.close(results, false, output[0]?.json.error !== undefined);
	if (operation.wait && waitTill) return await operation.wait.after(this, output, waitTill);
	return [output];
}
