/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	// n8n-core keeps a few handles (loggers, timers) open after a workflow ran.
	forceExit: true,
	testTimeout: 30000,
	reporters: ['default', '<rootDir>/test/helpers/summaryReporter.js'],
};
