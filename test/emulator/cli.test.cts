// The command line: npx tsx emulator/cli.cts prints one listening line, serves, stops on a signal.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

interface Started {
	child: ChildProcess;
	url: string;
	stdout: () => string;
	exited: Promise<number | null>;
}

/** Spawns the CLI in its own process group, so that npx, tsx and node can be signalled together. */
async function startCli(args: string[]): Promise<Started> {
	const child = spawn('npx', ['tsx', 'emulator/cli.cts', ...args], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	let stdout = '';
	let stderr = '';
	child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	const url = await new Promise<string>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no listening line within 15 s; stderr: ${stderr}`)), 15_000);
		child.stdout!.on('data', (chunk: Buffer) => {
			stdout += chunk.toString();
			const match = stdout.match(/^Graph API emulator listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
			if (match) {
				clearTimeout(timer);
				resolve(match[1]);
			}
		});
		void exited.then((code) => reject(new Error(`the CLI exited with ${code}; stderr: ${stderr}`)));
	});
	return { child, url, stdout: () => stdout, exited };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	try {
		process.kill(-child.pid!, signal);
	} catch {
		// already gone
	}
}

test('starts on port 0, prints exactly one line, serves the options given, stops on SIGTERM', async () => {
	const started = await startCli(['--port', '0', '--token', 'TEST-CLI-TOKEN', '--page-id', '4242', '--rate-cap', '5']);
	try {
		const me = await fetch(`${started.url}/v25.0/me`, { headers: { authorization: 'Bearer TEST-CLI-TOKEN' } });
		expect(me.status).toBe(200);
		expect(await me.json()).toEqual({ id: '4242', name: 'Demo Shop' });
		expect(JSON.parse(me.headers.get('x-business-use-case-usage')!)).toHaveProperty('4242');

		const sent = await fetch(`${started.url}/v25.0/me/messages`, {
			method: 'POST',
			headers: { authorization: 'Bearer TEST-CLI-TOKEN', 'content-type': 'application/json' },
			body: JSON.stringify({ recipient: { id: '42' }, messaging_type: 'RESPONSE', message: { text: 'from the CLI test' } }),
		});
		expect(await sent.json()).toEqual({ recipient_id: '42', message_id: 'm_1' });
		expect(await (await fetch(`${started.url}/__emulator/transcript`)).text()).toContain('Page: from the CLI test');
	} finally {
		signalGroup(started.child, 'SIGTERM');
	}
	await started.exited;
	expect(started.stdout().trimEnd().split('\n')).toHaveLength(1);
	await expect(fetch(`${started.url}/v25.0/me`)).rejects.toThrow();
}, 25_000);

test('refuses unknown options', async () => {
	const child = spawn('npx', ['tsx', 'emulator/cli.cts', '--bogus'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
	expect(code).toBe(2);
	expect(stderr).toContain('unknown option: --bogus');
}, 25_000);
