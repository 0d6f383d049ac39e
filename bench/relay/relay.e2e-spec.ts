import { join } from 'node:path';

import { runBenchSmoke } from '../support/smoke';
import type { RelayBenchReport } from './run';

const RUN_MS = 120_000;

describe('bench:relay --smoke', () => {
  let report: RelayBenchReport;

  beforeAll(async () => {
    report = await runBenchSmoke<RelayBenchReport>(join(__dirname, 'run.ts'), RUN_MS);
  }, RUN_MS + 20_000);

  it('measures the real relay and the bare ws echo baseline in one run', () => {
    expect(report.targets.map((t) => t.name)).toEqual(['ours', 'baseline']);
  });

  it('has every event accepted and delivered once to the live REQ, with no refusal', () => {
    for (const { run } of report.targets) {
      expect({ accepted: run.accepted, refused: run.refused, lost: run.lost, doubled: run.doubled }).toEqual({
        accepted: run.offered,
        refused: 0,
        lost: 0,
        doubled: 0,
      });
      expect(run.delivery.count).toBe(run.offered);
    }
  });

  it('reports every figure as a finite number (measured, never asserted)', () => {
    for (const { run } of report.targets) {
      for (const value of [run.acceptedPerSec, run.ack.p50, run.ack.p99, run.delivery.p50, run.delivery.p99, run.delivery.max]) {
        expect(Number.isFinite(value)).toBe(true);
      }
    }
  });
});
