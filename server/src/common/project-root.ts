import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The fields of a package.json read here; either may be missing from a package.json that is not ours. */
function readPackage(path: string): { name?: unknown; version?: unknown } {
  return JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown; version?: unknown };
}

/**
 * The folder holding the project's package.json, found by walking up from this
 * file, so the same code works from `server/src` (tests) and `dist/server/...`
 * (the build) and in the runtime image.
 */
export const projectRoot: string = (() => {
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && readPackage(candidate).name === 'kez-chat') {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) {
      return process.cwd();
    }
    dir = parent;
  }
})();

export const appVersion: string = (() => {
  try {
    return String(readPackage(join(projectRoot, 'package.json')).version);
  } catch {
    return '0.0.0';
  }
})();
