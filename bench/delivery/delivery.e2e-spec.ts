import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

import type { BenchReport, PhaseResult, ScaleReport } from './results';

const ROOT = resolve(__dirname, '../..');
const RUN_MS = 120_000;

/** Every number anywhere in `value`, with its path, so "present and finite" covers the whole report. */
function numbers(value: unknown, path = ''): [string, unknown][] {
  if (typeof value === 'number' || value === null) {
    return [[path, value]];
  }
  if (typeof value === 'object' && value !== undefined) {
    return Object.entries(value).flatMap(([key, inner]) => numbers(inner, `${path}.${key}`));
  }
  return [];
}

/**
 * Runs `npm run bench:delivery -- --smoke --json [extra]` as users do (its own
 * process group; SIGTERM lets it stop what it started) and returns the parsed report.
 */
function runSmoke<R = BenchReport>(extra: string[] = []): Promise<R> {
  // The integration suite can be pointed at another build; the benchmark follows it.
  const dist = process.env.KEZ_BENCH_SERVER_DIST ?? process.env.KEZ_TEST_SERVER_DIST;
  const child: ChildProcess = spawn(process.execPath, ['-r', 'esbuild-register', join(__dirname, 'run.ts'), '--smoke', '--json', ...extra], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, ...(dist ? { KEZ_BENCH_SERVER_DIST: dist } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolveRun, rejectRun) => {
    const signal = (name: NodeJS.Signals) => {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(-child.pid!, name);
      }
    };
    const timer = setTimeout(() => {
      signal('SIGTERM');
      setTimeout(() => signal('SIGKILL'), 10_000).unref();
    }, RUN_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        rejectRun(new Error(`bench:delivery --smoke exited with ${code}:\n${stderr}`));
        return;
      }
      resolveRun(JSON.parse(stdout) as R);
    });
  });
}

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
