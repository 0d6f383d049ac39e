import { spawn } from 'node:child_process';

import { ROOT } from './worker';

/** How long a smoke run is given after SIGTERM to stop what it started, before SIGKILL. */
const STOP_GRACE_MS = 10_000;

/**
 * Runs a bench script with `--smoke --json [args]` as users run it (its own process
 * group, through esbuild-register) and returns its parsed report. The integration
 * suite can be pointed at another server build (KEZ_TEST_SERVER_DIST); the benchmark
 * follows it. Stopped after `withinMs` (SIGTERM, which lets it stop its servers, then
 * SIGKILL): a bound that names a hang, never a speed target.
 *
 * @throws Error with the script's stderr when it exits non-zero.
 */
export function runBenchSmoke<T>(script: string, withinMs: number, args: readonly string[] = []): Promise<T> {
  const dist = process.env.KEZ_BENCH_SERVER_DIST ?? process.env.KEZ_TEST_SERVER_DIST;
  const child = spawn(process.execPath, ['-r', 'esbuild-register', script, '--smoke', '--json', ...args], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, ...(dist ? { KEZ_BENCH_SERVER_DIST: dist } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const signal = (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid!, name);
    }
  };
  return new Promise((resolveRun, rejectRun) => {
    const timer = setTimeout(() => {
      signal('SIGTERM');
      setTimeout(() => signal('SIGKILL'), STOP_GRACE_MS).unref();
    }, withinMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        rejectRun(new Error(`${script} --smoke exited with ${code}:\n${stderr}`));
        return;
      }
      resolveRun(JSON.parse(stdout) as T);
    });
  });
}
