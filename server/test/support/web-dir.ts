import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A stand-in for the built web client (one index.html), so that suites walking
 * every route get the same answers at `/` whether or not `ng build` has run.
 */
export function stubWebDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kez-web-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>KEZ chat</title>\n');
  return dir;
}
