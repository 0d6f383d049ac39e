#!/usr/bin/env node
// `npm start`: runs the built server (which also serves the built client),
// building first only when no build exists. Arguments pass through as --flags;
// every KEZ_CHAT_* variable is read by the server itself.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const serverMain = join(root, 'dist/server/server/src/main.js');
const clientIndex = join(root, 'dist/client/browser/index.html');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function build(script) {
  console.error(`kez-chat: no build found, running npm run ${script} first…`);
  const result = spawnSync(npm, ['run', script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.exit(result.status ?? 1);
  }
}

if (!existsSync(serverMain)) {
  build('build:server');
}
if (!existsSync(clientIndex) && !process.env.KEZ_CHAT_WEB_DIR) {
  build('build:client');
}

const child = spawn(process.execPath, [serverMain, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
