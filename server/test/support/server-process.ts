import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { freePort } from './free-port';
import type { RunningServer } from './running-server';
import { testServerEnv } from './test-env';
import { waitFor } from './wait-for';

const ROOT = resolve(__dirname, '../../..');
/** KEZ_TEST_SERVER_DIST points the tests at another build of the server (default dist/server). */
export const SERVER_MAIN = join(process.env.KEZ_TEST_SERVER_DIST ?? join(ROOT, 'dist/server'), 'server/src/main.js');

export interface ServerProcess extends RunningServer {
  child: ChildProcess;
  /** SIGTERM (or the given signal), then wait for exit; the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface ServerOptions {
  env?: Record<string, string>;
  args?: string[];
  /** Resolve once the process exits instead of waiting for health (for start-up failure tests). */
  expectExit?: boolean;
  /** Listen on this port instead of a free one, e.g. to restart a stopped server where its clients expect it. */
  port?: number;
}

/**
 * Starts the built server (`npm run build:server` first) as its own process
 * group on a free port, with a fresh SQLite file unless KEZ_CHAT_DB is given.
 */
export async function startServerProcess(options: ServerOptions = {}): Promise<ServerProcess> {
  if (!existsSync(SERVER_MAIN)) {
    throw new Error(`${SERVER_MAIN} is missing: run npm run build:server before tests that start the server as a process`);
  }
  const port = options.port ?? (await freePort());
  const dataDir = mkdtempSync(join(tmpdir(), 'kez-chat-test-'));
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    KEZ_CHAT_BIND: `127.0.0.1:${port}`,
    ...testServerEnv(dataDir),
    ...options.env,
  };
  const child = spawn(process.execPath, [SERVER_MAIN, ...(options.args ?? [])], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const url = `http://127.0.0.1:${port}`;
  const server: ServerProcess = {
    url,
    port,
    child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid!, signal);
        } catch {
          // already gone
        }
      }
      return exited;
    },
  };
  if (options.expectExit) {
    await exited;
    return server;
  }
  let gone = false;
  void exited.then(() => (gone = true));
  try {
    await waitFor(`server on ${url} to answer /v1/healthz`, async () => {
      if (gone) {
        throw new Error(`server exited early:\n${output}`);
      }
      const response = await fetch(`${url}/v1/healthz`);
      return response.ok;
    });
  } catch (error) {
    // Never leave a half-started server behind a failed test.
    await server.stop('SIGKILL');
    throw error;
  }
  return server;
}
