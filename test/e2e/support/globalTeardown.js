// Jest's global teardown: stops what this run's suites left running for each other (the shared n8n,
// the queue cluster, Chromium; each a process group named in a JSON file of E2E_RUN_DIR) and removes
// the folder. Plain JavaScript (jest loads it with Node's own resolution); it borrows
// stopProcessGroup from scripts/n8n.cts through tsx.
require('tsx/cjs');
const { existsSync, readdirSync, readFileSync, rmSync } = require('node:fs');
const path = require('node:path');

const { stopProcessGroup } = require('../../../scripts/n8n.cts');

module.exports = async function globalTeardown() {
	const dir = process.env.E2E_RUN_DIR;
	if (!dir || !existsSync(dir)) return;
	const states = readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.map((file) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
	// 30 s: the queue services stop PostgreSQL and Redis on SIGTERM before they exit.
	await Promise.all(states.filter((state) => typeof state.pid === 'number').map((state) => stopProcessGroup(state.pid, 30_000)));
	rmSync(dir, { recursive: true, force: true });
};
