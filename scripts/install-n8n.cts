// `npm run n8n:install`: installs every tested n8n version (or only N8N_TEST_VERSION's) into its
// cache folder, once, and prints where.
import { installN8n, N8N_VERSION, N8N_VERSIONS } from './n8n.cjs';

for (const version of process.env.N8N_TEST_VERSION ? [N8N_VERSION] : N8N_VERSIONS) process.stdout.write(`${installN8n(version)}\n`);
