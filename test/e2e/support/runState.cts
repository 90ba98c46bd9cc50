// What a jest run's end-to-end fixtures (the shared n8n, the queue cluster, Chromium) leave for each
// other and for the global teardown: one JSON file per fixture in the run's folder, E2E_RUN_DIR,
// which support/globalSetup.cts creates.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function runDir(): string {
	// Without jest's global setup (a file run by hand with another config): a folder of this process.
	const dir = process.env.E2E_RUN_DIR ?? path.join(tmpdir(), `messenger-e2e-run-${process.pid}`);
	if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
	return dir;
}

export function fixtureState<T>(key: string): T | undefined {
	const file = path.join(runDir(), `${key}.json`);
	return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
}

export function writeFixtureState<T>(key: string, state: T): void {
	writeFileSync(path.join(runDir(), `${key}.json`), JSON.stringify(state));
}
