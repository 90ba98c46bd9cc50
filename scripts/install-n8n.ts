// `npm run n8n:install`: installs the pinned n8n into its cache folder (once) and prints where.
import { installN8n } from './n8n';

process.stdout.write(`${installN8n()}\n`);
