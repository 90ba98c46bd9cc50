// Jest's global teardown: stops what this run's suites left running for each other (the shared n8n,
// the queue cluster, Chromium; each a process group named in a JSON file of E2E_RUN_DIR) and removes
// the folder.
const { existsSync, readdirSync, readFileSync, rmSync } = require('node:fs');
const path = require('node:path');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

function signalGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
	} catch {
		// the group is gone
	}
}

/** SIGTERM to the group; SIGKILL after the grace time (the queue services stop PostgreSQL first: give them time). */
async function stopGroup(pid, graceMs) {
	signalGroup(pid, 'SIGTERM');
	const deadline = Date.now() + graceMs;
	while (alive(pid) && Date.now() < deadline) await sleep(200);
	signalGroup(pid, 'SIGKILL');
}

module.exports = async function globalTeardown() {
	const dir = process.env.E2E_RUN_DIR;
	if (!dir || !existsSync(dir)) return;
	const states = readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.map((file) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
	await Promise.all(states.filter((state) => typeof state.pid === 'number').map((state) => stopGroup(state.pid, 30_000)));
	rmSync(dir, { recursive: true, force: true });
};
