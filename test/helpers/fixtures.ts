import type { ICredentialDataDecryptedObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { GraphEmulator } from '../../emulator/graphEmulator.cjs';
import { runNode, type NodeRun } from './runNode';

/** Dummy secrets: distinctive, so a leak anywhere is easy to search for. */
export const TOKEN = 'DUMMY-PAGE-TOKEN-5f1d2c';
export const APP_SECRET = 'DUMMY-APP-SECRET-8e7a41';

export const PAGE_ID = '1029384756';

/** The Graph API emulator, on 127.0.0.1: it checks token and proof, records every request. */
export const server = new GraphEmulator({ pages: [{ id: PAGE_ID, name: 'Test Shop', token: TOKEN, appSecret: APP_SECRET }] });
let baseUrl = '';

/** Starts the emulator for the test file and resets it (inbox, log, overrides) before each test. */
export function useGraphServer(): void {
	beforeAll(async () => {
		baseUrl = await server.start();
	});
	beforeEach(() => server.reset());
	afterAll(async () => await server.stop());
}

/** The credential of the Page whose token is TOKEN, as n8n decrypts it, for the emulator at `url`. */
export function credentialsFor(url: string, extra: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	return { accessToken: TOKEN, appSecret: '', apiVersion: 'v25.0', baseUrl: url, ...extra };
}

/** The credential for the shared emulator (`server`). */
export function credentials(extra: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	return credentialsFor(baseUrl, extra);
}

export async function send(
	parameters: INodeParameters,
	options: { items?: INodeExecutionData[]; continueOnFail?: boolean; credentials?: ICredentialDataDecryptedObject } = {},
): Promise<NodeRun> {
	return await runNode({
		parameters,
		items: options.items,
		continueOnFail: options.continueOnFail,
		credentials: options.credentials ?? credentials(),
	});
}

/** Every text n8n keeps of a run: output items and the recorded error. */
export function everythingRecorded(run: NodeRun): string {
	return JSON.stringify(run.run.data);
}
