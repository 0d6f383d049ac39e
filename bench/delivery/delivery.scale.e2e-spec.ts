import type { ScaleReport } from './results';
import { RUN_MS, runSmoke } from './delivery-smoke';

describe('bench:delivery --smoke --scale', () => {
  let report: ScaleReport;

  beforeAll(async () => {
    report = await runSmoke<ScaleReport>(['--scale', '--scale-recipients', '5,10', '--scale-instances', '1,2', '--scale-rate', '100']);
  }, RUN_MS + 20_000);

  it('measures every cluster size with every stream count, with the memory the streams took, nothing lost or doubled', () => {
    expect(report.cells.map((c) => [c.recipients, c.instances])).toEqual([
      [5, 1],
      [5, 2],
      [10, 1],
      [10, 2],
    ]);
    for (const { phase } of report.cells) {
      expect({ errors: phase.errorKinds, lost: phase.lost, doubled: phase.doubled }).toEqual({ errors: {}, lost: 0, doubled: 0 });
      expect(phase.accepted).toBe(phase.offered);
    }
    for (const cell of report.cells) {
      expect(cell.rssBeforeKiB).toBeGreaterThan(0);
      expect(cell.rssStreamsKiB).toBeGreaterThan(0);
      expect(cell.perStreamKiB).toBeCloseTo((cell.rssStreamsKiB - cell.rssBeforeKiB) / cell.recipients);
    }
  });
});
