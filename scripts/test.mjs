#!/usr/bin/env node
// `npm test`: the lint and type gate (`npm run lint`), then the Jest projects in tiers,
// cheapest first, each its own Jest run, so a broken unit fails within a minute and
// nothing is built for it (docs/testing.md):
//   1. unit        no build, no services
//   2. in-process  the server built inside Jest (ts-jest, no build) on real SQLite and
//                  PostgreSQL, over real sockets; the client's relay code on real relays
//   3. npm run build (server and client)
//   4. process     the built server as processes: start-up, exit codes, signals, its
//                  output, several processes on one store, clusters with nats-server and nginx
//   5. e2e, bench  Chromium against the built server and client; the bench smoke runs
// Extra arguments go to every Jest run. `--selectProjects` picks projects: only the
// tiers holding one run, and the build only when a tier after it runs, e.g.
// `npm test -- --selectProjects unit in-process`. Any other argument (a path pattern,
// `-t name`) lets a tier that matches no test pass, since it filters every tier.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const jest = join(root, 'node_modules/jest/bin/jest.js');

/**
 * Workers per tier on the 2-core CI machine, where Jest's default is one (cores - 1).
 * Every file starts its own apps, processes and databases on free ports, so files
 * share nothing, and a second worker keeps both cores busy while the other waits on
 * PostgreSQL, a socket or a child process: two workers took the unit, in-process and
 * process tiers from 91, 279 and 218 s to 59, 165 and 81 s on the shared development
 * machine (docs/testing.md). The browser tests and the bench smoke runs keep Jest's
 * one worker: with two they took 500 s instead of 735 s, but two browser tests
 * (web-push, settings) failed waiting for pushes that one worker never missed.
 */
const TIERS = [
  { projects: ['unit'], workers: 2 },
  { projects: ['in-process'], workers: 2 },
  { projects: ['process'], workers: 2, build: true },
  { projects: ['e2e', 'bench'], workers: 1, build: true },
];

/** Runs a command in the repository, showing it as `shown`; a failure ends `npm test` with its status. */
function run(shown, command, args) {
  console.log(`\n> ${shown.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.exit(result.status ?? 1);
  }
}

/** The projects named by `--selectProjects a b` or `--selectProjects=a`, and every other argument. */
function splitArgs(args) {
  const selected = [];
  const rest = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg.startsWith('--selectProjects=')) {
      selected.push(...arg.slice('--selectProjects='.length).split(','));
    } else if (arg === '--selectProjects') {
      while (i + 1 < args.length && !args[i + 1].startsWith('-')) {
        selected.push(args[++i]);
      }
    } else {
      rest.push(arg);
    }
  }
  return { selected, rest };
}

const { selected, rest } = splitArgs(process.argv.slice(2));
const known = TIERS.flatMap((tier) => tier.projects);
const unknown = selected.filter((name) => !known.includes(name));
if (unknown.length > 0) {
  console.error(`npm test: no Jest project ${unknown.join(', ')} (projects: ${known.join(', ')})`);
  process.exit(1);
}
const tiers = TIERS.map((tier) => ({ ...tier, projects: selected.length === 0 ? tier.projects : tier.projects.filter((p) => selected.includes(p)) })).filter(
  (tier) => tier.projects.length > 0,
);
const ownWorkers = rest.some((arg) => /^(-w|--maxWorkers|-i|--runInBand)(=|$)/.test(arg));

// The whole suite (no arguments, as CI runs it) starts with the lint and type gate:
// type-aware eslint, tsc/ngc of every tsconfig, the formatter's check.
if (process.argv.length === 2) {
  run(['npm', 'run', 'lint'], npm, ['run', 'lint']);
}

let built = false;
for (const tier of tiers) {
  if (tier.build && !built) {
    run(['npm', 'run', 'build'], npm, ['run', 'build']);
    built = true;
  }
  const args = [
    '--selectProjects',
    ...tier.projects,
    // A flag right after the names ends the list, so a path pattern is never taken for a project.
    '--ci',
    ...(ownWorkers ? [] : [`--maxWorkers=${tier.workers}`]),
    ...(rest.length > 0 ? ['--passWithNoTests'] : []),
    ...rest,
  ];
  run(['jest', ...args], process.execPath, [jest, ...args]);
}
