#!/usr/bin/env node
// `npm run typecheck`: type-checks every tsconfig*.json in the repository, so a new one is
// checked without editing a list. Jest only transpiles (isolatedModules), so this is where
// the specs' types are checked. The tsconfig that angular.json builds goes through ngc,
// which also checks the templates (strictTemplates). ESLint's project service refuses a
// .ts file that no tsconfig.json includes, so together they leave no file unchecked.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** tsc keeps what it learnt between runs here, so a second run re-checks only what changed. */
const cache = join(root, 'node_modules/.cache/typecheck');

/** Configs that describe no program of their own, with the reason. */
const notPrograms = {
  'tsconfig.jest.json': "ts-jest's emit options (CommonJS, no type check) for the files tsconfig.json checks",
};

const skipDirs = new Set(['node_modules', 'dist', 'coverage', '.angular', '.git']);

/** Every tsconfig*.json under `dir` (a path relative to the repository root), relative to the root. */
function findConfigs(dir) {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return skipDirs.has(entry.name) || entry.name.startsWith('dist-') ? [] : findConfigs(path);
    }
    return /^tsconfig.*\.json$/.test(entry.name) ? [path] : [];
  });
}

/** A solution-style config (`"files": []` and references only) has no files of its own. */
function isSolution(path) {
  const { config } = ts.readConfigFile(join(root, path), ts.sys.readFile);
  return Array.isArray(config?.files) && config.files.length === 0 && !config.include;
}

/** The tsconfigs that angular.json builds: ngc checks their templates as well. */
function angularConfigs() {
  const workspace = JSON.parse(readFileSync(join(root, 'angular.json'), 'utf8'));
  return new Set(Object.values(workspace.projects).map((project) => project.architect?.build?.options?.tsConfig));
}

/** The script a package names as its `bin` (where it lives moves between releases). */
function bin(pkg, name) {
  const dir = join(root, 'node_modules', pkg);
  return join(dir, JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).bin[name]);
}

/** Runs one compiler; resolves with its exit code and output. */
function check(path, compiler) {
  return new Promise((resolve) => {
    const args =
      compiler === 'ngc'
        ? [bin('@angular/compiler-cli', 'ngc'), '-p', path, '--noEmit']
        : [bin('typescript', 'tsc'), '-p', path, '--noEmit', '--incremental', '--tsBuildInfoFile', join(cache, `${path.replaceAll('/', '+')}.tsbuildinfo`)];
    const child = spawn(process.execPath, args, { cwd: root });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ path, compiler, code, output }));
  });
}

const angular = angularConfigs();
const queue = findConfigs('.')
  .filter((path) => !(path in notPrograms) && !isSolution(path))
  .sort();
const results = [];
// As many compilers at a time as there are cores; each prints its result as it ends.
const workers = Array.from({ length: Math.min(availableParallelism(), queue.length) }, async () => {
  for (let path = queue.shift(); path; path = queue.shift()) {
    const result = await check(path, angular.has(path) ? 'ngc' : 'tsc');
    console.log(`${result.code === 0 ? 'ok  ' : 'FAIL'} ${result.compiler} -p ${path}`);
    results.push(result);
  }
});
await Promise.all(workers);

const failed = results.filter((result) => result.code !== 0);
for (const result of failed) {
  console.error(`\n${result.compiler} -p ${result.path}:\n${result.output}`);
}
process.exit(failed.length === 0 ? 0 : 1);
