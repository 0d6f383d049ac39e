import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

import type { RelayBenchReport } from './run';

const ROOT = resolve(__dirname, '../..');
const RUN_MS = 120_000;

/** Runs `npm run bench:relay -- --smoke --json` as users do (its own process group) and returns the parsed report. */
function runSmoke(): Promise<RelayBenchReport> {
  const dist = process.env.KEZ_BENCH_SERVER_DIST ?? process.env.KEZ_TEST_SERVER_DIST;
  const child = spawn(process.execPath, ['-r', 'esbuild-register', join(__dirname, 'run.ts'), '--smoke', '--json'], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, ...(dist ? { KEZ_BENCH_SERVER_DIST: dist } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolveRun, rejectRun) => {
    const timer = setTimeout(() => {
      if (child.exitCode === null) {
        process.kill(-child.pid!, 'SIGTERM');
      }
    }, RUN_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        rejectRun(new Error(`bench:relay --smoke exited with ${code}:\n${stderr}`));
        return;
      }
      resolveRun(JSON.parse(stdout) as RelayBenchReport);
    });
  });
}

describe('bench:relay --smoke', () => {
  let report: RelayBenchReport;

  beforeAll(async () => {
    report = await runSmoke();
  }, RUN_MS + 20_000);

  it('measures the real relay and the bare ws echo baseline in one run', () => {
    expect(report.targets.map((t) => t.name)).toEqual(['ours', 'baseline']);
  });

  it('has every event accepted and delivered once to the live REQ, with no refusal', () => {
    for (const { run } of report.targets) {
      expect({ accepted: run.accepted, refused: run.refused, lost: run.lost, doubled: run.doubled }).toEqual({ accepted: run.offered, refused: 0, lost: 0, doubled: 0 });
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
