import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Reads a secret file, creating it with `create()` when it does not exist yet.
 * The file is written under a temporary name with mode 0600 and then hard-linked
 * into place, so a reader never sees half a key and two processes starting at
 * once on one disk end up with the same key (the second link fails and it reads
 * the first one's file).
 */
export function readOrCreateSecretFile(path: string, create: () => string): { text: string; created: boolean } {
  const existing = readIfExists(path);
  if (existing !== undefined) {
    return { text: existing, created: false };
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, create(), { mode: 0o600, flag: 'wx' });
  let created = true;
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw error;
    }
    created = false;
  } finally {
    unlinkSync(temporary);
  }
  return { text: readFileSync(path, 'utf8'), created };
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
}
