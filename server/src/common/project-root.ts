import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The folder holding the project's package.json, found by walking up from this
 * file, so the same code works from `server/src` (tests) and `dist/server/...`
 * (the build) and in the runtime image.
 */
export const projectRoot: string = (() => {
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && JSON.parse(readFileSync(candidate, 'utf8')).name === 'kez-chat') {
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
    return String(JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')).version);
  } catch {
    return '0.0.0';
  }
})();
