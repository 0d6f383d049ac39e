import 'reflect-metadata';

import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { createApp } from '../../src/bootstrap';
import { inProcessConfig } from './in-process-config';
import { tapOutput } from './output-tap';
import type { RawRequest, RawResult } from './raw-http';

/** The server as an app inside the Jest process, answering through Fastify's `inject()` (no socket). */
export interface InjectedApp {
  readonly app: NestFastifyApplication;
  /** One request through the whole app (hooks, guards, pipes, filters), without a socket. */
  request(req: RawRequest): Promise<RawResult>;
  close(): Promise<void>;
}

/**
 * Builds the app with the server's own bootstrap (`createApp`), on a fresh SQLite
 * file, with the settings the test servers use (inProcessConfig) and push to
 * plain-HTTP endpoints allowed. `env` overrides them.
 */
export async function startInjectedApp(env: Record<string, string> = {}): Promise<InjectedApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kez-chat-http-'));
  const config = inProcessConfig(dataDir, { KEZ_CHAT_PUSH_ALLOW_INSECURE: 'true', ...env });
  // Its log lines are kept from the test run's output, as a server process's are.
  const output = tapOutput();
  let app: NestFastifyApplication;
  try {
    app = await createApp(config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  } catch (error) {
    output.close();
    throw error;
  }
  return {
    app,
    async request(req) {
      const response = await app.inject({ method: req.method as 'GET', url: req.path, headers: req.headers, payload: req.body });
      const body = response.rawPayload;
      let json: unknown;
      try {
        json = JSON.parse(response.body);
      } catch {
        json = undefined;
      }
      // Answers are read like node:http's: the same header names, in lower case.
      return { status: response.statusCode, headers: response.headers as IncomingHttpHeaders, body, text: response.body, json };
    },
    async close() {
      await app.close();
      output.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
