import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { AppConfig } from '../config/app-config';
import { PushSender } from './push-sender';
import { VapidKeys } from './vapid-keys';

function settings(overrides: Partial<AppConfig> = {}): AppConfig {
  const dir = mkdtempSync(join(tmpdir(), 'kez-sender-'));
  return {
    server: 'chat.test',
    db: { kind: 'sqlite', path: join(dir, 'kez.db') },
    vapidKeyPath: '',
    vapidSubject: '',
    pushAllowInsecure: true,
    pushTtlMs: 86_400_000,
    pushTimeoutMs: 500,
    ...overrides,
  } as AppConfig;
}

describe(PushSender.name, () => {
  let server: Server;
  let origin: string;
  let handler: (request: IncomingMessage, response: ServerResponse) => void;
  const senders: PushSender[] = [];

  function sender(overrides: Partial<AppConfig> = {}): PushSender {
    const config = settings(overrides);
    const created = new PushSender(config, VapidKeys.load(config));
    senders.push(created);
    return created;
  }

  beforeAll(async () => {
    server = createServer((request, response) => handler(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    senders.forEach((s) => s.onModuleDestroy());
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('POSTs an empty body with TTL, Urgency: high and a VAPID authorization, and reports the answer', async () => {
    let seen: IncomingMessage | undefined;
    let body = '';
    handler = (request, response) => {
      seen = request;
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => response.writeHead(429, { 'Retry-After': '5' }).end('slow down'));
    };
    const outcome = await sender().send(`${origin}/push/abc?x=1`);
    expect(outcome).toEqual({ kind: 'response', status: 429, retryAfter: '5', reason: 'slow down' });
    expect(seen?.method).toBe('POST');
    expect(seen?.url).toBe('/push/abc?x=1');
    expect(seen?.headers).toMatchObject({ ttl: '86400', urgency: 'high', 'content-length': '0' });
    expect(seen?.headers.authorization).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/);
    expect(body).toBe('');
  });

  it('gives up on a push service that does not answer within the timeout', async () => {
    let arrived!: () => void;
    const reached = new Promise<void>((resolve) => (arrived = resolve));
    // Takes the request and never answers.
    handler = () => arrived();
    // A fake clock for the timeout; the request still travels over the real socket.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const outcome = sender({ pushTimeoutMs: 300 }).send(`${origin}/push/slow`);
      let settled = false;
      void outcome.then(() => (settled = true));
      await reached;
      await jest.advanceTimersByTimeAsync(299);
      expect(settled).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      expect(await outcome).toEqual({ kind: 'timeout' });
    } finally {
      jest.useRealTimers();
    }
  });

  it('stops reading an endless answer and keeps only a short reason', async () => {
    handler = (_request, response) => {
      response.writeHead(500);
      const chunk = 'x'.repeat(16 * 1024);
      const pump = () => {
        while (response.write(chunk)) {
          // keep writing until the socket pushes back
        }
      };
      response.on('drain', pump);
      response.on('close', () => response.off('drain', pump));
      pump();
    };
    const outcome = await sender({ pushTimeoutMs: 5_000 }).send(`${origin}/push/flood`);
    expect(outcome).toMatchObject({ kind: 'response', status: 500 });
    expect((outcome as { reason: string }).reason.length).toBeLessThanOrEqual(200);
  });

  it('reports a network error', async () => {
    handler = (request) => request.socket.destroy();
    expect(await sender().send(`${origin}/push/reset`)).toMatchObject({ kind: 'network' });
  });

  it('refuses, without connecting, endpoints that are not allowed', async () => {
    let connected = false;
    handler = (_request, response) => {
      connected = true;
      response.end();
    };
    const strict = sender({ pushAllowInsecure: false });
    expect(await strict.send(`${origin}/push/x`)).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/https/) });
    expect(await strict.send('https://127.0.0.1:1/push/x')).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/non-public/) });
    expect(await strict.send('https://localhost:1/push/x')).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/non-public/) });
    expect(connected).toBe(false);
  });
});
