// Runs the Graph API emulator as its own process, for the demo and the benchmark:
//   npx tsx emulator/cli.cts [--port N] [--host 127.0.0.1] [--latency MS] [--jitter MS]
//     [--rate-cap N] [--media-rate-cap N] [--seed N] [--token T] [--page-id ID]
//     [--page-name NAME] [--app-id ID] [--app-secret S] [--require-proof]
//     [--outside-window PSID,PSID] [--no-conversations-permission] [--delivery-receipts]
//     [--profile-writes N]
// Prints exactly one line on stdout when ready; everything else goes to stderr.
import { DEFAULT_APP, DEFAULT_PAGE, GraphEmulator, type EmulatorApp, type EmulatorOptions, type EmulatorPage } from './graphEmulator.cjs';

const USAGE = `usage: npx tsx emulator/cli.cts [--port N] [--host 127.0.0.1] [--latency MS] [--jitter MS]
  [--rate-cap N] [--media-rate-cap N] [--seed N] [--token T] [--page-id ID] [--page-name NAME]
  [--app-id ID] [--app-secret S] [--require-proof] [--outside-window PSID,PSID]
  [--no-conversations-permission] [--delivery-receipts] [--profile-writes N]
  --app-id, --app-secret: the Page's app (app token "ID|S"; S also signs webhooks and checks appsecret_proof)
  --no-conversations-permission: the token cannot read conversations (403, Graph error 200)
  --delivery-receipts: every accepted message send is followed by a delivery event
  --profile-writes: Messenger Profile writes per Page and platform in 10 minutes (default 10; 0: no limit)`;

const VALUE_FLAGS = new Set([
	'port',
	'host',
	'latency',
	'jitter',
	'rate-cap',
	'media-rate-cap',
	'seed',
	'token',
	'page-id',
	'page-name',
	'app-id',
	'app-secret',
	'outside-window',
	'profile-writes',
]);
const SWITCHES = new Set(['require-proof', 'no-conversations-permission', 'delivery-receipts', 'help']);

function fail(message: string): never {
	process.stderr.write(`${message}\n${USAGE}\n`);
	process.exit(2);
}

function parseArgs(argv: string[]): Map<string, string> {
	const args = new Map<string, string>();
	for (let i = 0; i < argv.length; i += 1) {
		const [flag, inline] = argv[i].replace(/^--/, '').split(/=(.*)/s, 2);
		if (!argv[i].startsWith('--')) fail(`unexpected argument: ${argv[i]}`);
		if (SWITCHES.has(flag)) args.set(flag, 'true');
		else if (VALUE_FLAGS.has(flag)) {
			const value = inline ?? argv[++i];
			if (value === undefined) fail(`--${flag} needs a value`);
			args.set(flag, value);
		} else fail(`unknown option: --${flag}`);
	}
	return args;
}

function number(args: Map<string, string>, flag: string): number | undefined {
	const value = args.get(flag);
	if (value === undefined) return undefined;
	const parsed = Number(value);
	if (!Number.isFinite(parsed) || parsed < 0) fail(`--${flag} must be a non-negative number`);
	return parsed;
}

async function main(): Promise<void> {
	const args = parseArgs(process.argv.slice(2));
	if (args.has('help')) {
		process.stderr.write(`${USAGE}\n`);
		return;
	}
	// --app-secret is both the app's secret (app token, webhook signatures) and the Page's, for appsecret_proof.
	const app: EmulatorApp = { ...DEFAULT_APP, id: args.get('app-id') ?? DEFAULT_APP.id, secret: args.get('app-secret') ?? DEFAULT_APP.secret };
	const page: EmulatorPage = {
		id: args.get('page-id') ?? DEFAULT_PAGE.id,
		name: args.get('page-name') ?? DEFAULT_PAGE.name,
		token: args.get('token') ?? DEFAULT_PAGE.token,
		...(args.has('app-secret') ? { appSecret: args.get('app-secret') } : {}),
		...(args.has('require-proof') ? { requireAppSecretProof: true } : {}),
		...(args.has('no-conversations-permission') ? { canReadConversations: false } : {}),
	};
	const options: EmulatorOptions = {
		pages: [page],
		apps: [app],
		deliveryReceipts: args.has('delivery-receipts') || undefined,
		latencyMs: number(args, 'latency'),
		jitterMs: number(args, 'jitter'),
		rateCapPerSecond: number(args, 'rate-cap'),
		mediaRateCapPerSecond: number(args, 'media-rate-cap'),
		seed: number(args, 'seed'),
		outsideWindow: args.get('outside-window')?.split(',').filter(Boolean),
		profileWritesPer10Minutes: number(args, 'profile-writes'),
	};
	const emulator = new GraphEmulator(options);
	const url = await emulator.start(number(args, 'port') ?? 0, args.get('host') ?? '127.0.0.1');
	process.stdout.write(`Graph API emulator listening on ${url}\n`);

	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		process.stderr.write(`Graph API emulator: ${signal}, stopping\n`);
		void emulator.stop().then(() => process.exit(0));
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: Error) => {
	process.stderr.write(`Graph API emulator failed to start: ${error.message}\n`);
	process.exit(1);
});
