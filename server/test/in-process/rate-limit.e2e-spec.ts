import { buildRegisterRequest, deriveIdentity, generateSeed } from '@kez/crypto';

import { errorCode, http, type HttpResult } from '../support/kez-http';
import { type InProcessServer, startInProcessServer } from '../support/in-process-server';

const SERVER = 'chat.test';
let handles = 0;

/** A valid registration of a fresh handle, optionally through a claimed X-Forwarded-For. */
function register(server: InProcessServer, forwardedFor?: string, body?: unknown): Promise<HttpResult> {
  const request = body ?? buildRegisterRequest(deriveIdentity(generateSeed()), `user${++handles}`, SERVER, Math.floor(Date.now() / 1000));
  return http(`${server.url}/v1/register`, {
    method: 'POST',
    json: request,
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  });
}

async function statuses(count: number, send: () => Promise<HttpResult>): Promise<number[]> {
  const result: number[] = [];
  for (let i = 0; i < count; i++) {
    result.push((await send()).status);
  }
  return result;
}

function expectRateLimited(result: HttpResult, maxSeconds: number): number {
  expect(result.status).toBe(429);
  expect(errorCode(result)).toBe('rate_limited');
  const retryAfter = result.headers.get('retry-after');
  expect(retryAfter).toMatch(/^\d+$/);
  const seconds = Number(retryAfter);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(maxSeconds);
  return seconds;
}

describe('rate limits over HTTP', () => {
  describe('POST /v1/register at 3/min, trusting no proxy', () => {
    let server: InProcessServer;

    beforeAll(async () => {
      server = await startInProcessServer({ env: { KEZ_CHAT_SERVER: SERVER, KEZ_CHAT_RATE_REGISTER: '3/min' } });
    });

    afterAll(async () => {
      await server?.stop();
    });

    it('refuses the 4th registration from one address with 429 rate_limited and Retry-After', async () => {
      expect(await statuses(3, () => register(server))).toEqual([201, 201, 201]);
      // 3/min refills one token every 20 s.
      expectRateLimited(await register(server), 20);
    });

    it('ignores X-Forwarded-For from a peer it does not trust, so spoofing does not reset the limit', async () => {
      for (const spoofed of ['203.0.113.10', '203.0.113.11, 127.0.0.1', '::ffff:198.51.100.1', '2001:db8::1']) {
        expectRateLimited(await register(server, spoofed), 20);
      }
    });

    it('limits only the marked route', async () => {
      expect(await statuses(5, () => http(`${server.url}/v1/healthz`))).toEqual([200, 200, 200, 200, 200]);
    });
  });

  describe('POST /v1/register at 3/min behind a trusted proxy (KEZ_CHAT_TRUST_PROXY=127.0.0.1/32)', () => {
    let server: InProcessServer;

    beforeAll(async () => {
      server = await startInProcessServer({
        env: { KEZ_CHAT_SERVER: SERVER, KEZ_CHAT_RATE_REGISTER: '3/min', KEZ_CHAT_TRUST_PROXY: '127.0.0.1/32' },
      });
    });

    afterAll(async () => {
      await server?.stop();
    });

    it('gives each forwarded client address its own bucket', async () => {
      expect(await statuses(3, () => register(server, '203.0.113.1'))).toEqual([201, 201, 201]);
      expectRateLimited(await register(server, '203.0.113.1'), 20);
      expect((await register(server, '203.0.113.2')).status).toBe(201);
      expect((await register(server, '2001:db8:5::1')).status).toBe(201);
    });

    it('takes the right-most untrusted entry, so addresses the client writes to its left change nothing', async () => {
      for (const spoofed of ['6.6.6.6, 203.0.113.1', '203.0.113.99, 203.0.113.1, 127.0.0.1', '::ffff:203.0.113.1']) {
        expectRateLimited(await register(server, spoofed), 20);
      }
    });

    it('counts requests refused for validation too', async () => {
      const malformed = { payload: { handle: 'x' } };
      const refused = await statuses(3, () => register(server, '203.0.113.3', malformed));
      expect(refused).toEqual([400, 400, 400]);
      expectRateLimited(await register(server, '203.0.113.3'), 20);
    });
  });

  describe('POST /v1/messages at 3/min behind a trusted proxy', () => {
    let server: InProcessServer;
    const post = (forwardedFor: string, to = 'inbox1') =>
      http(`${server.url}/v1/messages`, {
        method: 'POST',
        json: { to, envelope: { v: 2, enc: 'AAAA', ct: 'AAAA' } },
        headers: { 'x-forwarded-for': forwardedFor },
      });

    beforeAll(async () => {
      server = await startInProcessServer({
        env: { KEZ_CHAT_SERVER: SERVER, KEZ_CHAT_RATE_MESSAGES: '3/min', KEZ_CHAT_TRUST_PROXY: '127.0.0.1/32' },
      });
      const body = buildRegisterRequest(deriveIdentity(generateSeed()), 'inbox1', SERVER, Math.floor(Date.now() / 1000));
      expect((await register(server, '192.0.2.1', body)).status).toBe(201);
    });

    afterAll(async () => {
      await server?.stop();
    });

    it('refuses the 4th message from one client with 429 rate_limited and Retry-After', async () => {
      expect(await statuses(3, () => post('203.0.113.1'))).toEqual([201, 201, 201]);
      expectRateLimited(await post('203.0.113.1'), 20);
      expectRateLimited(await post('6.6.6.6, 203.0.113.1'), 20);
      expect((await post('203.0.113.2')).status).toBe(201);
    });

    it('counts messages to an unknown recipient too', async () => {
      expect(await statuses(3, () => post('203.0.113.3', 'nobody'))).toEqual([404, 404, 404]);
      expectRateLimited(await post('203.0.113.3'), 20);
    });

    it('keeps registrations and messages in separate buckets', async () => {
      expect((await register(server, '203.0.113.1')).status).toBe(201);
    });
  });

  describe('recovery at 2/sec', () => {
    let server: InProcessServer;

    beforeAll(async () => {
      server = await startInProcessServer({ env: { KEZ_CHAT_SERVER: SERVER, KEZ_CHAT_RATE_REGISTER: '2/sec' } });
    });

    afterAll(async () => {
      await server?.stop();
    });

    it('lets a limited client register again once Retry-After has passed', async () => {
      expect(await statuses(2, () => register(server))).toEqual([201, 201]);
      const seconds = expectRateLimited(await register(server), 1);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      expect((await register(server)).status).toBe(201);
    });
  });
});
