import { buildRegisterRequest, deriveIdentity, generateSeed } from '@kez/crypto';
import { MAX_BODY_BYTES } from '@kez/protocol';

import { contractErrorProblems } from '../support/contract-error';
import { pollAuth, type TestUser } from '../support/inbox-client';
import { type InjectedApp, startInjectedApp } from '../support/injected-app';
import type { RawRequest } from '../support/raw-http';
import { asHandle, type RouteContext, ROUTES } from '../support/routes';

const SERVER = 'chat.test';
const now = () => Math.floor(Date.now() / 1000);
const json = (body: unknown): Pick<RawRequest, 'headers' | 'body'> => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/**
 * The contract's rows on the app built in this process (the server's own
 * createApp), driven through Fastify's inject(): the same routes, guards, pipes
 * and filters as the built server, checked in seconds without a build. What
 * real sockets (streams, bytes as sent, WebSockets) runs in server/test/in-process;
 * what needs a process (signals, exit codes, clusters, nginx) in server/test/process
 * and server/test/cluster.
 */
describe('the HTTP contract, in process', () => {
  let server: InjectedApp;
  let ctx: RouteContext;

  async function register(handle: string): Promise<TestUser> {
    const identity = deriveIdentity(generateSeed());
    const result = await server.request({ method: 'POST', path: '/v1/register', ...json(buildRegisterRequest(identity, handle, SERVER, now())) });
    expect(result.status).toBe(201);
    return { handle, identity };
  }

  beforeAll(async () => {
    server = await startInjectedApp();
    ctx = { user: await register('kate'), server: SERVER, endpoint: 'http://127.0.0.1:9/push/kez-test' };
  });

  afterAll(async () => {
    await server?.close();
  });

  describe('every route answers its valid request', () => {
    it.each(ROUTES.filter((route) => !route.streams).map((route) => [route.name, route] as const))('%s', async (_, route) => {
      const result = await server.request(route.request(ctx));
      expect({ status: result.status, text: result.text.slice(0, 200) }).toEqual({ status: route.ok, text: expect.any(String) });
      if (route.cors) {
        expect(result.headers['access-control-allow-origin']).toBe('*');
      }
    });
  });

  describe('errors in the contract shape (docs/protocol.md §3)', () => {
    it.each([
      ['an unknown route', { method: 'GET', path: '/v1/nothing-here' }, 404, 'not_found'],
      ['an unknown handle', { method: 'GET', path: '/v1/u/nobody' }, 404, 'not_found'],
      ['an invalid handle in a path', { method: 'GET', path: '/v1/u/_bad' }, 400, 'invalid_handle'],
      [
        'a body that is not JSON',
        { method: 'POST', path: '/v1/register', headers: { 'content-type': 'application/json' }, body: '{"handle":' },
        400,
        'bad_request',
      ],
      [
        'a body over the limit',
        {
          method: 'POST',
          path: '/v1/messages',
          headers: { 'content-type': 'application/json' },
          body: `{"to":"kate","envelope":"${'x'.repeat(MAX_BODY_BYTES)}"}`,
        },
        413,
        'payload_too_large',
      ],
      ['a message for nobody', { method: 'POST', path: '/v1/messages', ...json({ to: 'nobody', envelope: { v: 2 } }) }, 404, 'not_found'],
      ['an inbox poll without auth', { method: 'GET', path: '/v1/inbox/kate?since=0' }, 401, 'unauthorized'],
      ['an inbox poll with a bad since', { method: 'GET', path: '/v1/inbox/kate?since=-1' }, 400, 'bad_request'],
    ] as const)('%s', async (_, request, status, code) => {
      expect(contractErrorProblems(await server.request(request), status, code)).toEqual([]);
    });

    it('a taken handle is handle_taken', async () => {
      const request = { method: 'POST', path: '/v1/register', ...json(buildRegisterRequest(deriveIdentity(generateSeed()), 'kate', SERVER, now())) };
      expect(contractErrorProblems(await server.request(request), 409, 'handle_taken')).toEqual([]);
    });

    it.each(ROUTES.filter((route) => route.takesHandle === 'path').map((route) => [route.name, route] as const))(
      '%s refuses an invalid handle',
      async (_, route) => {
        const result = await server.request(route.request(ctx, asHandle('-bad-')));
        expect(contractErrorProblems(result, 400, 'invalid_handle', route.method)).toEqual([]);
      },
    );
  });

  it('stores a message, pages it back to its owner and counts it in /v1/metrics', async () => {
    const bob = await register('bob');
    const posted = await server.request({ method: 'POST', path: '/v1/messages', ...json({ to: 'bob', envelope: { v: 2, enc: 'ZW5j', ct: 'Y3Q' } }) });
    expect(posted.status).toBe(201);
    expect(posted.json).toEqual({ seq: expect.any(Number), created_at: expect.any(Number) });
    const page = await server.request({ method: 'GET', path: '/v1/inbox/bob?since=0', headers: { 'x-kez-auth': pollAuth(bob, '0') } });
    expect(page.status).toBe(200);
    expect(page.json).toEqual({
      messages: [{ seq: posted.json.seq, envelope: { v: 2, enc: 'ZW5j', ct: 'Y3Q' }, created_at: posted.json.created_at }],
      next: posted.json.seq,
    });

    const metrics = await server.request({ method: 'GET', path: '/v1/metrics' });
    expect(metrics.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(metrics.text).toMatch(/^kez_chat_info\{server="chat.test",instance_id="[0-9a-f]+",version="[^"]+"\} 1$/m);
    expect(Number(/^kez_chat_messages_accepted_total (\d+)$/m.exec(metrics.text)?.[1])).toBeGreaterThanOrEqual(1);
    expect(metrics.text).toMatch(/^# TYPE kez_chat_message_durable_seconds histogram$/m);
    expect(Number(/^kez_chat_message_durable_seconds_count (\d+)$/m.exec(metrics.text)?.[1])).toBeGreaterThanOrEqual(1);
    expect(metrics.text).toMatch(/^kez_chat_rate_limited_total\{rule="messages"\} 0$/m);
    // prom-client's default process metrics.
    expect(metrics.text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(metrics.text).toMatch(/^process_resident_memory_bytes \d/m);
    expect(metrics.text).toMatch(/^# TYPE nodejs_gc_duration_seconds histogram$/m);
  });
});
