import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Page } from 'playwright-core';

// The screens the router loads lazily, as files of the build: the router preloads
// them all once the first screen has painted (PreloadAllModules), and a test that
// then takes the server away waits for exactly those fetches, not for a quiet spell
// on the network.

/** The built client the server serves (see README "Build"). */
const WEB = join(__dirname, '..', '..', 'dist', 'client', 'browser');
const DYNAMIC_IMPORT = /import\("\.\/([\w-]+\.js)"\)/g;
const STATIC_IMPORT = /(?:from|import)\s*"\.\/([\w-]+\.js)"/g;

function importsOf(file: string, pattern: RegExp): string[] {
  return [...readFileSync(join(WEB, file), 'utf8').matchAll(pattern)].map((match) => match[1]);
}

/**
 * The JavaScript files of every lazily loaded screen: what the app's entry file
 * imports dynamically, with everything those files import in turn.
 */
export function lazyScreenFiles(): string[] {
  const main = readdirSync(WEB).find((file) => /^main-[\w-]+\.js$/.test(file));
  if (main === undefined) {
    throw new Error(`no main-*.js in ${WEB}: run npm run build:client before the browser tests`);
  }
  const files = new Set<string>();
  const pending = importsOf(main, DYNAMIC_IMPORT);
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (!files.has(file)) {
      files.add(file);
      pending.push(...importsOf(file, STATIC_IMPORT));
    }
  }
  return [...files].sort();
}

/** Waits until `page` has fetched every lazily loaded screen (its Resource Timing entries name each file). */
export async function waitForScreensFetched(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    (files) => {
      const fetched = new Set(performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname.slice(1)));
      return files.every((file) => fetched.has(file));
    },
    lazyScreenFiles(),
    { timeout, polling: 100 },
  );
}
