// The release workflows (.github/workflows/ci.yml and publish.yml) read by GitHub's own workflow
// parser, @actions/workflow-parser (the parser and workflow schema of GitHub's Actions language
// services), offline; then the things n8n asks of a community package's publishing: published from a
// GitHub Action, on a version tag, with an npm provenance statement, after the tests.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const WORKFLOWS = path.join(ROOT, '.github', 'workflows');
const PACKAGE = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
	version: string;
	engines: { node: string };
};

/**
 * The parser is an ES module that imports its schema JSON without an import attribute, which
 * neither Jest's CommonJS runtime nor plain Node loads; tsx's loader does. So it runs in a child
 * Node: stdin is [{ name, content }], stdout is [{ name, errors, workflow }], where errors are the
 * parser's schema and conversion errors and workflow is the parsed document as plain data (an
 * expression becomes the string "${{ <expression> }}", as the parser normalised it).
 */
const PARSER_SCRIPT = `
import { readFileSync } from 'node:fs';
import {
	convertWorkflowTemplate, parseWorkflow, NoOperationTraceWriter,
	isMapping, isSequence, isBasicExpression, isString, isNumber, isBoolean,
} from '@actions/workflow-parser';
const plain = (t) =>
	t === undefined ? undefined
	: isMapping(t) ? Object.fromEntries([...t].map((p) => [p.key.toString(), plain(p.value)]))
	: isSequence(t) ? [...t].map(plain)
	: isBasicExpression(t) ? '\${{ ' + t.expression + ' }}'
	: isString(t) || isNumber(t) || isBoolean(t) ? t.value
	: null;
const out = [];
for (const { name, content } of JSON.parse(readFileSync(0, 'utf8'))) {
	const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
	if (result.value) await convertWorkflowTemplate(result.context, result.value);
	out.push({ name, errors: result.context.errors.getErrors().map(String), workflow: plain(result.value) ?? null });
}
process.stdout.write(JSON.stringify(out));
`;

type Value = string | number | boolean | null | Value[] | { [key: string]: Value };
interface Step {
	name?: string;
	uses?: string;
	run?: string;
	with?: Record<string, Value>;
	env?: Record<string, Value>;
}
interface Job {
	'runs-on'?: Value;
	'timeout-minutes'?: number;
	container?: string | { image: string; options?: string };
	permissions?: Value;
	steps: Step[];
}
interface Workflow {
	on: Value;
	permissions?: Value;
	jobs: Record<string, Job>;
}
interface Parsed {
	name: string;
	errors: string[];
	workflow: Workflow | null;
}

function parseWorkflows(files: Array<{ name: string; content: string }>): Parsed[] {
	const stdout = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', PARSER_SCRIPT], {
		cwd: ROOT,
		input: JSON.stringify(files),
		encoding: 'utf8',
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	return JSON.parse(stdout) as Parsed[];
}

const source = (file: string) => readFileSync(path.join(WORKFLOWS, file), 'utf8');

let parsed: Record<string, Parsed>;
beforeAll(() => {
	parsed = Object.fromEntries(
		parseWorkflows(['ci.yml', 'publish.yml'].map((name) => ({ name, content: source(name) }))).map((p) => [p.name, p]),
	);
});

function workflow(file: string): Workflow {
	const w = parsed[file].workflow;
	if (!w) throw new Error(`${file} did not parse: ${parsed[file].errors.join('\n')}`);
	return w;
}
const onlyJob = (w: Workflow): Job => {
	const jobs = Object.values(w.jobs);
	expect(jobs).toHaveLength(1);
	return jobs[0];
};
const stepIndex = (job: Job, test: (step: Step) => boolean, what: string): number => {
	const index = job.steps.findIndex(test);
	if (index < 0) throw new Error(`no step ${what}`);
	return index;
};
const runs = (pattern: RegExp) => (step: Step) => typeof step.run === 'string' && pattern.test(step.run);
const usesAction = (action: string) => (step: Step) => typeof step.uses === 'string' && step.uses.startsWith(`${action}@`);

/** The Node major of a job: its container image (node:<major>-...) and setup-node's node-version agree. */
function nodeMajors(job: Job): string[] {
	const majors: string[] = [];
	const image = typeof job.container === 'string' ? job.container : job.container?.image;
	if (image?.startsWith('node:')) majors.push(/^node:(\d+)/.exec(image)![1]);
	for (const step of job.steps.filter(usesAction('actions/setup-node'))) majors.push(String(step.with?.['node-version']));
	return majors;
}

/** GitHub's filter patterns: `*` matches any characters except `/`. */
const matchesFilter = (pattern: string, ref: string) =>
	new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`).test(ref);

describe("the workflows against GitHub's workflow schema (@actions/workflow-parser)", () => {
	test.each(['ci.yml', 'publish.yml'])('%s parses and validates with 0 errors', (file) => {
		expect(parsed[file].errors).toEqual([]);
		expect(parsed[file].workflow).not.toBeNull();
	});

	// A validator that finds nothing wrong in anything would pass the test above: these broken
	// copies of publish.yml must each be refused. Each edit changes exactly one YAML line (not a comment).
	const edit = (line: RegExp, replacement: string) => () => {
		const content = source('publish.yml');
		const hits = content.match(new RegExp(line.source, 'gm')) ?? [];
		if (hits.length !== 1) throw new Error(`${line} matches ${hits.length} lines of publish.yml`);
		return content.replace(new RegExp(line.source, 'm'), replacement);
	};
	const broken: Array<[string, () => string]> = [
		['a misspelt job key (runs_on)', edit(/^    runs-on:/, '    runs_on:')],
		['an unknown permission level (id-token: writ)', edit(/^      id-token: write$/, '      id-token: writ')],
		['an unknown permission (id_token)', edit(/^      id-token: write$/, '      id_token: write')],
		['a step with both uses and run', edit(/^        uses: actions\/checkout@.*$/, '$&\n        run: echo hi')],
		['an unknown event (tag)', edit(/^  push:$/, '  tag:')],
		['a timeout that is not a number', edit(/^    timeout-minutes: 90$/, '    timeout-minutes: ninety')],
		['an unclosed expression', edit(/\$\{\{ secrets\.NPM_TOKEN \}\}$/, '${{ secrets.NPM_TOKEN }')],
		['broken YAML indentation', edit(/^    steps:$/, '  steps:\n   - run: x')],
	];
	let refused: Parsed[];
	beforeAll(() => {
		refused = parseWorkflows(broken.map(([what, mutate]) => ({ name: `publish.yml (${what})`, content: mutate() })));
	});
	test.each(broken.map(([what], index) => [what, index] as const))('a broken workflow is refused: %s', (what, index) => {
		expect(refused[index].name).toBe(`publish.yml (${what})`);
		expect(refused[index].errors.length).toBeGreaterThan(0);
	});
});

describe('ci.yml', () => {
	test('runs on every push and pull request', () => {
		const on = workflow('ci.yml').on as Record<string, Value>;
		expect(Object.keys(on).sort()).toEqual(['pull_request', 'push']);
		// No branch, tag or path filter: every push and pull request is tested.
		expect(on.push ?? {}).toEqual({});
		expect(on.pull_request ?? {}).toEqual({});
	});

	test('runs bash .ci/run (npm ci && npm test) on Ubuntu with Node 20, within 90 minutes', () => {
		const job = onlyJob(workflow('ci.yml'));
		expect(String(job['runs-on'])).toMatch(/^ubuntu-/);
		expect(job['timeout-minutes']).toBe(90);
		const majors = nodeMajors(job);
		expect(majors.length).toBeGreaterThan(0);
		expect(new Set(majors)).toEqual(new Set(['20']));
		expect(PACKAGE.engines.node).toMatch(/^>=20\b/);
		const ciRun = stepIndex(job, runs(/^bash \.ci\/run\s*$/), 'running bash .ci/run');
		expect(ciRun).toBe(job.steps.length - 1);
		expect(readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8')).toMatch(/^npm test\b/m);
	});

	test('caches the n8n install, keyed on the n8n pin (scripts/n8n.cts) and package-lock.json', () => {
		const job = onlyJob(workflow('ci.yml'));
		const cache = job.steps[stepIndex(job, usesAction('actions/cache'), 'with actions/cache')];
		expect(cache.with?.path).toBe('~/.cache/n8n-nodes-messenger-send');
		const key = String(cache.with?.key);
		expect(key).toContain("hashFiles('scripts/n8n.cts')");
		expect(key).toContain("hashFiles('package-lock.json')");
		// The folder scripts/n8n.cts installs into is the one cached.
		expect(readFileSync(path.join(ROOT, 'scripts', 'n8n.cts'), 'utf8')).toContain("'n8n-nodes-messenger-send'");
		expect(job.steps.indexOf(cache)).toBeLessThan(job.steps.findIndex(runs(/\.ci\/run/)));
	});
});

describe('publish.yml (what n8n asks: a GitHub Action, npm provenance)', () => {
	test('runs on version tags v*.*.* only', () => {
		const on = workflow('publish.yml').on as Record<string, Record<string, Value>>;
		expect(Object.keys(on)).toEqual(['push']);
		expect(Object.keys(on.push)).toEqual(['tags']);
		expect(on.push.tags).toEqual(['v*.*.*']);
		const pattern = 'v*.*.*';
		for (const tag of [`v${PACKAGE.version}`, 'v1.2.3', 'v10.20.30', 'v1.0.0-rc.1']) expect(matchesFilter(pattern, tag)).toBe(true);
		for (const tag of ['0.2.0', 'v1', 'v1.2', 'release', 'latest']) expect(matchesFilter(pattern, tag)).toBe(false);
	});

	test('permissions: contents read and id-token write, nothing more', () => {
		const w = workflow('publish.yml');
		const job = onlyJob(w);
		const permissions = job.permissions ?? w.permissions;
		expect(permissions).toEqual({ contents: 'read', 'id-token': 'write' });
		if (job.permissions !== undefined && w.permissions !== undefined) expect(w.permissions).toEqual({});
	});

	test('checks out, sets up Node 20 with the npm registry, runs npm ci and npm test, then npm publish --provenance', () => {
		const job = onlyJob(workflow('publish.yml'));
		expect(job['timeout-minutes']).toBe(90);
		expect(new Set(nodeMajors(job))).toEqual(new Set(['20']));
		const checkout = stepIndex(job, usesAction('actions/checkout'), 'with actions/checkout');
		const setupNode = stepIndex(job, usesAction('actions/setup-node'), 'with actions/setup-node');
		expect(job.steps[setupNode].with?.['registry-url']).toBe('https://registry.npmjs.org');
		const install = stepIndex(job, runs(/^npm ci\s*$/m), 'running npm ci');
		const tests = stepIndex(job, runs(/^(npm test|bash \.ci\/run)\s*$/m), 'running npm test');
		const publish = stepIndex(job, runs(/npm publish --provenance --access public/), 'running npm publish --provenance');
		expect(checkout).toBeLessThan(setupNode);
		expect(setupNode).toBeLessThan(install);
		expect(install).toBeLessThan(tests);
		expect(tests).toBeLessThan(publish);
		// Every npm publish in the job has --provenance and comes after the tests.
		job.steps.forEach((step, index) => {
			for (const line of (step.run ?? '').split('\n').filter((l) => /\bnpm publish\b/.test(l))) {
				expect(line).toMatch(/npm publish --provenance --access public/);
				expect(index).toBeGreaterThan(tests);
			}
		});
		// The NPM_TOKEN fallback reaches npm through setup-node's .npmrc; trusted publishing needs npm >= 11.5.1.
		expect(job.steps[publish].env?.NODE_AUTH_TOKEN).toBe('${{ secrets.NPM_TOKEN }}');
		const npm11 = stepIndex(job, runs(/npm install -g npm@\^11\.5\.1/), 'installing npm >= 11.5.1');
		expect(npm11).toBeGreaterThan(tests);
		expect(npm11).toBeLessThan(publish);
	});

	test('stops before installing anything when the tag is not v + package.json version (or CHANGELOG.md lacks it)', () => {
		const job = onlyJob(workflow('publish.yml'));
		const check = stepIndex(job, runs(/GITHUB_REF_NAME/), 'comparing the tag with package.json');
		expect(check).toBeLessThan(stepIndex(job, runs(/^npm ci\s*$/m), 'running npm ci'));
		const script = job.steps[check].run!;
		const run = (tag: string) => spawnSync('bash', ['-e', '-c', script], { cwd: ROOT, env: { ...process.env, GITHUB_REF_NAME: tag }, encoding: 'utf8' });
		const right = run(`v${PACKAGE.version}`);
		expect({ status: right.status, stdout: right.stdout }).toEqual({ status: 0, stdout: '' });
		for (const tag of ['v0.0.1', PACKAGE.version, `v${PACKAGE.version}-rc.1`]) {
			const wrong = run(tag);
			expect(wrong.status).toBe(1);
			expect(wrong.stdout).toContain(`::error::Tag ${tag} does not match package.json version ${PACKAGE.version}`);
		}
	});
});

describe('CHANGELOG.md', () => {
	test("has a dated section for package.json's version, the newest first", () => {
		const changelog = readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
		const releases = [...changelog.matchAll(/^## \[(\d+\.\d+\.\d+[^\]]*)\] - (\d{4}-\d{2}-\d{2})$/gm)].map((m) => m[1]);
		expect(releases[0]).toBe(PACKAGE.version);
		expect(new Set(releases).size).toBe(releases.length);
	});
});
