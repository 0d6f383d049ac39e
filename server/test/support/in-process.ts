import 'reflect-metadata';

import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/load-config';
import type { RawRequest, RawResult } from './raw-http';
import { stubWebDir } from './web-dir';

/** The server as an app inside the Jest process, answering through Fastify's `inject()`. */
export interface InProcessServer {
  readonly app: NestFastifyApplication;
  /** One request through the whole app (hooks, guards, pipes, filters), without a socket. */
  request(req: RawRequest): Promise<RawResult>;
  close(): Promise<void>;
}

/**
 * Builds the app with the server's own bootstrap (`createApp`), on a fresh SQLite
 * file, with the settings the spawned-process suites use: server `chat.test`, no
 * nostr relays, generous rate limits, a stub web client. `env` overrides them.
 */
export async function startInProcess(env: Record<string, string> = {}): Promise<InProcessServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kez-chat-http-'));
  const config = loadConfig(
    {
      KEZ_CHAT_SERVER: 'chat.test',
      KEZ_CHAT_DB: join(dataDir, 'kez.db'),
      KEZ_CHAT_VAPID_KEY_PATH: join(dataDir, 'vapid.pem'),
      KEZ_CHAT_WEB_DIR: stubWebDir(),
      KEZ_CHAT_RELAYS: '',
      KEZ_CHAT_PUSH_ALLOW_INSECURE: 'true',
      KEZ_CHAT_RATE_REGISTER: '100000/sec',
      KEZ_CHAT_RATE_MESSAGES: '100000/sec',
      LOG_LEVEL: 'warn',
      ...env,
    },
    [],
  );
  const app = await createApp(config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
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
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
