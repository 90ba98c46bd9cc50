import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	createDeferredPromise,
	ICredentialsHelper,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { MessengerPageApi } from '../../credentials/MessengerPageApi.credentials';
import { MessengerSend } from '../../nodes/MessengerSend/MessengerSend.node';
import { processedData } from './processedData';

/** n8n's deduplication store, as n8n sets it up at start (in memory here). */
export const processedStore = processedData();

export const NODE_TYPE = 'n8n-nodes-messenger-send.messengerSend';
export const NODE_NAME = 'Messenger Send';

const credentialType = new MessengerPageApi();

/**
 * Applies the credential exactly as n8n's CredentialsHelper does for a credential whose
 * `authenticate` is a function: it is called with the decrypted data and the request.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: ICredentialDataDecryptedObject) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	async authenticate(credentials: ICredentialDataDecryptedObject, typeName: string, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		if (typeName !== credentialType.name) throw new Error(`unexpected credential type ${typeName}`);
		const authenticate = credentialType.authenticate;
		return await authenticate(credentials, requestOptions);
	}

	async preAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by the node');
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		return { ...this.data };
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(): INodeProperties[] {
		return credentialType.properties;
	}
}

export class TestNodeTypes implements INodeTypes {
	private readonly node = new MessengerSend();

	getByName(): INodeType {
		return this.node;
	}

	getByNameAndVersion(): INodeType {
		return this.node;
	}

	getKnownTypes() {
		return {};
	}
}

export interface RunOptions {
	parameters: INodeParameters;
	items?: INodeExecutionData[];
	credentials: ICredentialDataDecryptedObject;
	continueOnFail?: boolean;
	/** The node's Retry On Fail setting (n8n runs it up to Max Tries times when it fails). */
	retryOnFail?: { maxTries: number };
	/** How the execution was started: `retry` when n8n retries a failed one. Default `manual`. */
	mode?: WorkflowExecuteMode;
	executionId?: string;
	/** The execution's custom data, e.g. what a retried execution inherits. */
	customData?: Record<string, string>;
}

export interface NodeRun {
	/** The node's output items, as the next node would receive them. */
	items: INodeExecutionData[];
	/** The error that stopped the node, as n8n recorded it. */
	error?: { message: string; description?: string | null; name?: string; context?: Record<string, unknown> };
	run: IRun;
}

/** The Messenger Send node of a test workflow, with these parameters and the credential. */
export function nodeWith(parameters: INodeParameters): INode {
	return {
		id: 'b6c5e3a0-0000-4000-8000-000000000001',
		name: NODE_NAME,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { messengerPageApi: { id: 'cred-1', name: 'Messenger Page API' } },
	};
}

/** Runs the Messenger Send node inside n8n-core's WorkflowExecute with n8n's real HTTP helpers. */
export async function runNode(options: RunOptions): Promise<NodeRun> {
	const node: INode = {
		...nodeWith(options.parameters),
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		...(options.retryOnFail ? { retryOnFail: true, maxTries: options.retryOnFail.maxTries, waitBetweenTries: 0 } : {}),
	};
	const mode = options.mode ?? 'manual';
	const executionId = options.executionId ?? 'test-execution';
	const workflow = new Workflow({
		id: 'test',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new TestNodeTypes(),
	});

	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		id: 'test',
		name: 'test',
		active: false,
		isArchived: false,
		nodes: [node],
		connections: {},
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	} as never);
	const finished = createDeferredPromise<IRun>();
	hooks.addHandler('workflowExecuteAfter', (run) => finished.resolve(run));

	const additionalData = {
		hooks,
		executionId,
		credentialsHelper: new TestCredentialsHelper(options.credentials),
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		variables: {},
		logAiEvent: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;

	const execute = new WorkflowExecute(additionalData, mode, {
		startData: {},
		resultData: { runData: {}, ...(options.customData ? { metadata: { ...options.customData } } : {}) },
		executionData: {
			contextData: {},
			metadata: {},
			nodeExecutionStack: [
				{ node, data: { main: [options.items ?? [{ json: {} }]] }, source: null },
			],
			waitingExecution: {},
			waitingExecutionSource: {},
		},
	} as never);
	await execute.processRunExecutionData(workflow);
	const run = await finished.promise;

	const task = run.data.resultData.runData[NODE_NAME]?.[0];
	const error = task?.error ?? run.data.resultData.error;
	return {
		items: task?.data?.main?.[0] ?? [],
		error: error
			? {
					message: error.message,
					description: (error as { description?: string | null }).description,
					name: error.name,
					context: (error as { context?: Record<string, unknown> }).context,
				}
			: undefined,
		run,
	};
}
