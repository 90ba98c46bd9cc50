/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	// `.cts`: the tooling and tests that need Node's I/O (servers, processes, files), which n8n's
	// community-node lint rules forbid in `.ts` (see docs/development.md).
	testMatch: ['**/*.test.ts', '**/*.test.cts'],
	moduleFileExtensions: ['ts', 'cts', 'js', 'cjs', 'json'],
	resolver: '<rootDir>/test/helpers/ctsResolver.js',
	transform: { '^.+\\.c?ts$': '<rootDir>/test/helpers/esbuildTransform.js' },
	// n8n-core keeps a few handles (loggers, timers) open after a workflow ran.
	forceExit: true,
	// The end-to-end suites share one n8n (and queue cluster, Chromium) per run: stopped at the end.
	globalSetup: '<rootDir>/test/e2e/support/globalSetup.js',
	globalTeardown: '<rootDir>/test/e2e/support/globalTeardown.js',
	testTimeout: 30000,
	// Jest's default (cores - 1) runs the unit files one at a time on the 2-core CI machine: 155 s
	// against 83 s with both cores.
	maxWorkers: '100%',
	// What every test starts from (test/helpers/jestSetup.ts says what and why).
	setupFilesAfterEnv: ['<rootDir>/test/helpers/jestSetup.ts'],
	reporters: ['default', '<rootDir>/test/helpers/summaryReporter.js'],
};
