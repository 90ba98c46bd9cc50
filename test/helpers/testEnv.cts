// What the pure tests need from the process, kept out of them: n8n's lint rules for
// community-node code (which covers every .ts file) forbid `process` and `console`.

/** A number from the environment (e.g. FUZZ_RUNS=100000 for a longer fuzz run), or the default. */
export function numberFromEnv(name: string, fallback: number): number {
	const value = process.env[name];
	return value === undefined || value === '' ? fallback : Number(value);
}

/** Figures a test prints for a person to read (not assertions). */
export function report(text: string): void {
	process.stdout.write(`${text}\n`);
}
