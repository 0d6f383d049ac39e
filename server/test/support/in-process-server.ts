import 'reflect-metadata';

import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { createApp } from '../../src/bootstrap';
import { inProcessConfig } from './in-process-config';
import { tapOutput } from './output-tap';
import type { RunningServer } from './running-server';

/** The server built in the Jest process and listening on a loopback port, for clients over real sockets. */
export interface InProcessServer extends RunningServer {
  /** The Nest application, for what only the process itself can tell (e.g. `app.get(PushNotifier).load()`). */
  readonly app: NestFastifyApplication;
  /** Closes the app as SIGTERM would (streams, relay connections, timers, database); safe to call twice. */
  stop(): Promise<void>;
}

export interface InProcessOptions {
  /** Settings over the test defaults (test-env.ts), as a server process would get them in its environment. */
  env?: Record<string, string>;
}

/**
 * Builds the app with the server's own bootstrap (`createApp`, the real Fastify
 * adapter) in this process and listens on 127.0.0.1 on a free port: the same
 * routes, streams, relay WebSockets, jobs and database code as the built server,
 * without a build or a process start. A fresh SQLite file unless `env` names
 * KEZ_CHAT_DB. The start-up signal handlers of `startServer` are left out: a test
 * stops the app with `stop()`, and signals belong to the process tier.
 */
export async function startInProcessServer(options: InProcessOptions = {}): Promise<InProcessServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kez-chat-inproc-'));
  // Opened before the app exists, so lines written while it starts are kept too.
  const output = tapOutput();
  let app: NestFastifyApplication | undefined;
  const release = async () => {
    try {
      await app?.close();
    } finally {
      output.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
  try {
    app = await createApp(inProcessConfig(dataDir, options.env));
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    // Never leave a half-started app (its database, timers) behind a failed test.
    await release().catch(() => undefined);
    throw error;
  }
  const started = app;
  const port = (started.getHttpServer().address() as AddressInfo).port;
  let stopped: Promise<void> | undefined;
  return {
    app: started,
    url: `http://127.0.0.1:${port}`,
    port,
    output: () => output.text(),
    stop: () => (stopped ??= release()),
  };
}
