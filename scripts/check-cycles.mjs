// Fails when the shipped code (nodes/, credentials/) has an import cycle, or when a node's folder
// imports from another node's folder (what two nodes share lives in nodes/shared/), and prints each.
// Part of `npm run lint`. Relative imports only: n8n-workflow and Node's modules cannot be in a cycle.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const FOLDERS = ['nodes', 'credentials'];

function sourceFiles(folder) {
	return readdirSync(folder).flatMap((name) => {
		const file = path.join(folder, name);
		if (statSync(file).isDirectory()) return sourceFiles(file);
		return file.endsWith('.ts') && !file.endsWith('.d.ts') ? [file] : [];
	});
}

/** The files a module imports or re-exports (type-only imports count: they still tie the modules). */
export function importsOf(file, text) {
	const targets = [];
	const pattern = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;
	for (const match of text.matchAll(pattern)) {
		const target = path.resolve(path.dirname(file), match[1] ?? match[2]);
		for (const candidate of [`${target}.ts`, path.join(target, 'index.ts')]) {
			try {
				if (statSync(candidate).isFile()) {
					targets.push(candidate);
					break;
				}
			} catch {
				// not this one
			}
		}
	}
	return targets;
}

export function findCycles(graph) {
	const cycles = [];
	const state = new Map();
	const stack = [];
	const visit = (file) => {
		state.set(file, 'open');
		stack.push(file);
		for (const next of graph.get(file) ?? []) {
			if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
			else if (!state.has(next)) visit(next);
		}
		stack.pop();
		state.set(file, 'done');
	};
	for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
	return cycles;
}

const files = FOLDERS.flatMap((folder) => sourceFiles(path.join(ROOT, folder)));
const graph = new Map(files.map((file) => [file, importsOf(file, readFileSync(file, 'utf8'))]));
const cycles = findCycles(graph);
const relative = (file) => path.relative(ROOT, file);

/** The node folder a file is in (nodes/<Node>/…), or undefined for nodes/shared and the credentials. */
function nodeFolderOf(file) {
	const [top, folder] = relative(file).split(path.sep);
	return top === 'nodes' && folder !== 'shared' && !folder.endsWith('.ts') ? folder : undefined;
}

export function crossings(importGraph) {
	const found = [];
	for (const [file, targets] of importGraph) {
		const own = nodeFolderOf(file);
		for (const target of targets) {
			const other = nodeFolderOf(target);
			if (own && other && own !== other) found.push([file, target]);
		}
	}
	return found;
}

const crossed = crossings(graph);
if (cycles.length > 0 || crossed.length > 0) {
	if (cycles.length > 0) console.error(`Import cycles in ${FOLDERS.join('/, ')}/ (${cycles.length}):`);
	for (const cycle of cycles) console.error(`  ${cycle.map(relative).join(' → ')}`);
	if (crossed.length > 0) console.error(`Imports from another node's folder (move what both use to nodes/shared/):`);
	for (const [file, target] of crossed) console.error(`  ${relative(file)} → ${relative(target)}`);
	process.exit(1);
}
console.log(`No import cycles in ${files.length} files of ${FOLDERS.join('/, ')}/, and no node imports from another node's folder.`);
