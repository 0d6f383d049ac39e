#!/usr/bin/env node
// Keeps `npm ci` working with registries that do not serve every platform's build
// of a native package (e.g. `@rollup/rollup-darwin-arm64`). npm leaves such optional
// packages out of package-lock.json, and `npm ci` then refuses the lock as out of
// sync. This adds a lock entry for each missing optional platform package, with the
// `os`/`cpu`/`libc` read from its name, so npm skips it on every other platform.
// Run after `npm install`: `node scripts/lock-platform-stubs.mjs` (idempotent).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const lockPath = join(dirname(fileURLToPath(import.meta.url)), '..', 'package-lock.json');
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;

const OS = ['darwin', 'linux', 'win32', 'freebsd', 'openbsd', 'netbsd', 'android', 'sunos', 'aix', 'openharmony'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el', 'wasm32'];

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = OS.find((o) => parts.includes(o));
  const cpu = CPU.find((c) => parts.includes(c)) ?? (parts.includes('universal') ? undefined : undefined);
  const libc = parts.includes('musl') ? 'musl' : parts.includes('gnu') || parts.some((p) => p.startsWith('gnueabi')) ? 'glibc' : undefined;
  return { os, cpu, libc, wasm: parts.includes('wasm32') };
}

let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [dep, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${path ? `${path}/` : ''}node_modules/${dep}`;
    if (packages[nested] || packages[`node_modules/${dep}`]) {
      continue;
    }
    const { os, cpu, libc, wasm } = platformOf(dep);
    if (!os && !wasm) {
      continue; // not a platform package: leave it to npm
    }
    const stub = { version: spec.replace(/^[\^~=]/, ''), optional: true };
    if (entry.dev) {
      stub.dev = true;
    }
    if (entry.devOptional) {
      stub.devOptional = true;
    }
    if (os) {
      stub.os = [os];
    }
    if (cpu) {
      stub.cpu = [cpu];
    }
    if (libc) {
      stub.libc = [libc];
    }
    packages[`node_modules/${dep}`] = stub;
    added++;
  }
}

lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lock-platform-stubs: ${added} entr${added === 1 ? 'y' : 'ies'} added`);
