// `POST {page}/message_attachments`: an upload checked like a send's attachment, answered with an
// attachment ID. The IDs are also issued for reusable attachments of sends (edges/messages.cts),
// so the register of who owns which ID lives here.
import { authenticate } from '../auth.cjs';
import type { CallResult, Credentials, FileUpload, Graph } from '../graph.cjs';
import { decodeJsonParams, validateUpload, type UploadedFile } from '../rules.cjs';
import type { ReceivedRequest } from '../types.cjs';

/** Issued attachment IDs look like the platform's: long digit strings. */
const ATTACHMENT_ID_BASE = 1_857_000_000_000_000;

export class Attachments {
	private count = 0;

	/** attachment_id → the Page it was issued to */
	private readonly owners = new Map<string, string>();

	issue(pageId: string): string {
		this.count += 1;
		const id = String(ATTACHMENT_ID_BASE + this.count);
		this.owners.set(id, pageId);
		return id;
	}

	/** An attachment ID works only for the Page it was issued to. */
	usableBy(id: string, pageId: string): boolean {
		return this.owners.get(id) === pageId;
	}

	reset(): void {
		this.count = 0;
		this.owners.clear();
	}
}

export function uploadCall(
	graph: Graph,
	attachments: Attachments,
	node: string,
	params: Record<string, unknown>,
	files: ReceivedRequest['files'],
	credentials: Credentials,
): CallResult {
	const auth = authenticate(graph, credentials, node);
	if ('result' in auth) return auth.result;
	const { page } = auth;
	const decoded = decodeJsonParams(params);
	if ('error' in decoded) return graph.errorResult(decoded.error, page.id);
	const error = validateUpload(decoded.params, fileInfo(files.filedata), page.platform === 'instagram');
	if (error) return graph.errorResult(error, page.id);
	return graph.success({ attachment_id: attachments.issue(page.id) }, page.id);
}

/** What the rules need to know of an uploaded file (not its bytes). */
export function fileInfo(file: FileUpload | undefined): UploadedFile | undefined {
	return file ? { fileName: file.fileName, mimeType: file.mimeType, size: file.data.length } : undefined;
}
