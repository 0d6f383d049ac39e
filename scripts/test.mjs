#!/usr/bin/env node
// `npm test`: builds the server and client (integration and browser tests run the
// real build), then runs every Jest project: unit, http (in-process), integration
// (with the bench smoke runs and e2e).
// Extra arguments go to Jest, e.g. `npm test -- --selectProjects unit`.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command, args) {
  console.log(`\n> ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.exit(result.status ?? 1);
  }
}

run(npm, ['run', 'build']);
run(process.execPath, [join(root, 'node_modules/jest/bin/jest.js'), '--ci', ...process.argv.slice(2)]);
