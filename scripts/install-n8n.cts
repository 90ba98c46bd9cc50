// `npm run n8n:install`: installs every tested n8n version (or only N8N_TEST_VERSION's, or the
// versions given as arguments) into its cache folder from its committed lockfile, once, side by side
// (`--sequential`: one after the other), and prints how long it took.
import { installN8nVersions, N8N_VERSION, N8N_VERSIONS, n8nHome, type N8nVersion } from './n8nInstall.cjs';

const args = process.argv.slice(2);
const named = args.filter((arg) => !arg.startsWith('--')) as N8nVersion[];
const versions = named.length > 0 ? named : process.env.N8N_TEST_VERSION ? [N8N_VERSION] : N8N_VERSIONS;
const started = Date.now();
installN8nVersions(versions, !args.includes('--sequential')).then(
	() => {
		for (const version of versions) process.stdout.write(`${n8nHome(version)}\n`);
		process.stdout.write(`n8n ${versions.join(', ')} ready in ${Math.round((Date.now() - started) / 1000)} s\n`);
	},
	(error: unknown) => {
		process.stderr.write(`${String(error)}\n`);
		process.exitCode = 1;
	},
);
