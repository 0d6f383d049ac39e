import { spawn } from 'node:child_process';

import { ROOT } from './worker';

/**
 * Runs a bench script with `--smoke --json` as users run it (its own process group,
 * through esbuild-register) and returns its parsed report. Stopped after
 * `withinMs`, a bound that names a hang, never a speed target.
 */
export function runBenchSmoke<T>(script: string, withinMs: number, env: Record<string, string> = {}): Promise<T> {
  const child = spawn(process.execPath, ['-r', 'esbuild-register', script, '--smoke', '--json'], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, ...env },
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
