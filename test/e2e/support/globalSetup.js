// Jest's global setup: a folder for this run's shared end-to-end fixtures (support/runState.cts).
// Plain JavaScript: jest loads it with Node's own resolution, before any test file.
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

module.exports = async function globalSetup() {
	if (!process.env.E2E_RUN_DIR) process.env.E2E_RUN_DIR = mkdtempSync(path.join(tmpdir(), 'messenger-e2e-run-'));
};
