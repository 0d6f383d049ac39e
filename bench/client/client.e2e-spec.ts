import { join } from 'node:path';

import { runBenchSmoke } from '../support/smoke';
import type { ClientBenchReport } from './run';

const RUN_MS = 120_000;

/** `npm run bench:client -- --smoke`: keeps the bench from rotting; its figures are printed, never asserted. */
describe('bench:client --smoke', () => {
  let report: ClientBenchReport;

  beforeAll(async () => {
    report = await runBenchSmoke<ClientBenchReport>(join(__dirname, 'run.ts'), RUN_MS);
  }, RUN_MS + 20_000);

  it('reads the first screen’s scripts from the build', () => {
    expect(report.initialJs.files).toBeGreaterThan(1);
    expect(report.initialJs.gzipBytes).toBeGreaterThan(0);
    expect(report.initialJs.gzipBytes).toBeLessThan(report.initialJs.rawBytes);
  });

  it('seals and opens every round in Chromium and unlocks with the default scrypt parameters', () => {
    expect(report.crypto.rounds).toBe(5);
    expect(report.crypto.scrypt).toEqual({ N: 2 ** 16, r: 8, p: 1 });
  });

  it('reports every figure as a finite number (measured, never asserted)', () => {
    const { seal, open, wrapMs, unwrapMs } = report.crypto;
    for (const value of [seal.meanMs, seal.medianMs, seal.p95Ms, open.meanMs, open.medianMs, open.p95Ms, wrapMs, unwrapMs]) {
      expect(Number.isFinite(value)).toBe(true);
    }
    expect(Array.isArray(report.over)).toBe(true);
  });
});
