// The editor's calls into the node (a resource locator's list, `methods.listSearch`): n8n-core's
// own LoadOptionsContext with n8n's real HTTP helpers and the credential's real `authenticate`.
import { LoadOptionsContext } from 'n8n-core';
import { Workflow, type ICredentialDataDecryptedObject, type ILoadOptionsFunctions, type INodeParameters, type IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import { nodeWith, TestCredentialsHelper, TestNodeTypes } from './runNode';

/** The context n8n gives a list search of the parameter at `path`, for a node with these parameters. */
export function loadOptionsContext(parameters: INodeParameters, credentials: ICredentialDataDecryptedObject, path = 'parameters.personaId'): ILoadOptionsFunctions {
	const node = nodeWith(parameters);
	const workflow = new Workflow({ id: 'test', nodes: [node], connections: {}, active: false, nodeTypes: new TestNodeTypes() });
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(credentials),
		currentNodeParameters: parameters,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
	return new LoadOptionsContext(workflow, node, additionalData, path);
}
