import { join } from 'node:path';

import { runBenchSmoke } from '../support/smoke';
import type { BenchReport } from './results';

/** A bound that names a hang, never a speed target. */
export const RUN_MS = 120_000;

/** Every number anywhere in `value`, with its path, so "present and finite" covers the whole report. */
export function numbers(value: unknown, path = ''): [string, unknown][] {
  if (typeof value === 'number' || value === null) {
    return [[path, value]];
  }
  if (typeof value === 'object' && value !== undefined) {
    return Object.entries(value).flatMap(([key, inner]) => numbers(inner, `${path}.${key}`));
  }
  return [];
}

/**
 * Runs `npm run bench:delivery -- --smoke --json [extra]` as users do and returns the
 * parsed report. Each smoke variant has its own spec file, so Jest's workers run them side by side.
 */
export function runSmoke<R = BenchReport>(extra: string[] = []): Promise<R> {
  return runBenchSmoke<R>(join(__dirname, 'run.ts'), RUN_MS, extra);
}
