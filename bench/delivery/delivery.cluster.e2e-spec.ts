import type { BenchReport } from './results';
import { numbers, RUN_MS, runSmoke } from './delivery-smoke';

describe('bench:delivery --smoke --targets pg,cluster --instances 3', () => {
  let report: BenchReport;

  beforeAll(async () => {
    report = await runSmoke(['--targets', 'pg,cluster', '--instances', '3']);
  }, RUN_MS + 20_000);

  it('measures one instance on PostgreSQL and a 3-instance cluster, and prints their ratios', () => {
    expect(report.targets.map((t) => t.name)).toEqual(['pg', 'cluster']);
    expect(report.targets[1].label).toContain('3 instances');
    expect(report.modeRatios.map((r) => r.name)).toEqual(['cluster / pg']);
    expect(numbers(report.modeRatios).filter(([, value]) => typeof value !== 'number' || !Number.isFinite(value))).toEqual([]);
  });

  it('delivers every accepted message exactly once in both modes', () => {
    for (const phase of report.targets.flatMap((t) => t.phases)) {
      expect({ errors: phase.errorKinds, lost: phase.lost, doubled: phase.doubled }).toEqual({ errors: {}, lost: 0, doubled: 0 });
      expect(phase.accepted).toBe(phase.offered);
    }
  });
});
