import type { BenchReport, PhaseResult } from './results';
import { numbers, RUN_MS, runSmoke } from './delivery-smoke';

describe('bench:delivery --smoke', () => {
  let report: BenchReport;

  beforeAll(async () => {
    report = await runSmoke();
  }, RUN_MS + 20_000);

  it('measures the real server and the baseline, each with delivery phases and idle streams', () => {
    expect(report.targets.map((t) => t.name)).toEqual(['ours', 'baseline']);
    for (const target of report.targets) {
      expect(target.phases.length).toBeGreaterThan(0);
      expect(target.idle?.streams).toBe(100);
    }
  });

  it('delivers every accepted message exactly once, with no errors', () => {
    const phases: PhaseResult[] = report.targets.flatMap((t) => t.phases);
    for (const phase of phases) {
      expect({ errors: phase.errorKinds, lost: phase.lost, doubled: phase.doubled }).toEqual({ errors: {}, lost: 0, doubled: 0 });
      expect(phase.accepted).toBe(phase.offered);
      expect(phase.latency.count).toBe(phase.accepted);
    }
    for (const target of report.targets) {
      expect(target.idle?.failed).toBe(0);
    }
  });

  it('reports every figure as a finite number (targets are measured, never asserted)', () => {
    const all = numbers(report);
    expect(all.length).toBeGreaterThan(50);
    expect(all.filter(([, value]) => typeof value !== 'number' || !Number.isFinite(value))).toEqual([]);
  });
});
