import { ApiError, isApiError } from './api-error';
import { type FetchLike, HomeApi } from './home-api';

const PRIMARY = `ed25519:${'d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'}`;
const RECORD = { handle: 'bob', server: 'chat.test', primary: PRIMARY, addr: 'a'.repeat(64), created_at: 1_764_000_000 };

interface Call {
  url: string;
  init: RequestInit | undefined;
}

function answering(status: number, body: unknown, headers: Record<string, string> = {}): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return new Response(status === 204 ? null : text, { status, headers });
  };
  return { fetch, calls };
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe(HomeApi.name, () => {
  it('looks a handle up and checks the record', async () => {
    const { fetch, calls } = answering(200, RECORD);
    expect(await new HomeApi(fetch).lookup('bob@chat.test')).toEqual(RECORD);
    expect(calls[0]!.url).toBe('/v1/u/bob%40chat.test');
  });

  it('answers null for an unknown handle or key', async () => {
    const notFound = { error: { code: 'not_found', message: 'Not found.' } };
    expect(await new HomeApi(answering(404, notFound).fetch).lookup('nobody')).toBeNull();
    expect(await new HomeApi(answering(404, notFound).fetch).byPrimary(PRIMARY)).toBeNull();
  });

  it('refuses a record whose primary is not a valid key', async () => {
    const error = await rejection(new HomeApi(answering(200, { ...RECORD, primary: 'ed25519:00' }).fetch).lookup('bob'));
    expect(error.code).toBe('unexpected');
  });

  it('posts "push": false only when asked, and nothing extra otherwise', async () => {
    const { fetch, calls } = answering(201, { seq: 3, created_at: 1_764_000_000 });
    const api = new HomeApi(fetch);
    await api.postMessage('bob', { v: 2 });
    await api.postMessage('alice', { v: 2 }, { push: false });
    expect(calls.map((call) => JSON.parse(call.init!.body as string))).toEqual([
      { to: 'bob', envelope: { v: 2 } },
      { to: 'alice', envelope: { v: 2 }, push: false },
    ]);
  });

  it('turns the contract error JSON into a typed error, with Retry-After', async () => {
    const body = { error: { code: 'rate_limited', message: 'Too many requests; try again later.' } };
    const error = await rejection(new HomeApi(answering(429, body, { 'Retry-After': '42' }).fetch).postMessage('bob', {}));
    expect(error).toMatchObject({ code: 'rate_limited', status: 429, retryAfter: 42 });
  });

  it('reads a proxy error page as unexpected and no answer at all as network', async () => {
    expect((await rejection(new HomeApi(answering(502, '<html>Bad Gateway</html>').fetch).lookup('bob'))).code).toBe('unexpected');
    const offline: FetchLike = () => Promise.reject(new TypeError('Failed to fetch'));
    const error = await rejection(new HomeApi(offline).lookup('bob'));
    expect(isApiError(error, 'network')).toBe(true);
    expect(error.status).toBe(0);
  });

  it('posts JSON to register and to send', async () => {
    const { fetch, calls } = answering(201, { seq: 5, created_at: 1_764_000_001 });
    expect(await new HomeApi(fetch).postMessage('bob', { v: 2 })).toEqual({ seq: 5, created_at: 1_764_000_001 });
    expect(calls[0]!.url).toBe('/v1/messages');
    expect(calls[0]!.init).toMatchObject({ method: 'POST', body: '{"to":"bob","envelope":{"v":2}}' });
    expect(calls[0]!.init!.headers).toMatchObject({ 'Content-Type': 'application/json' });
  });

  it('polls the inbox with the auth header and the largest page', async () => {
    const { fetch, calls } = answering(200, { messages: [{ seq: 3, envelope: { v: 2 }, created_at: 1 }], next: 3 });
    const page = await new HomeApi(fetch, 'https://chat.test').inbox('bob', 2, '1:sig');
    expect(page).toEqual({ messages: [{ seq: 3, envelope: { v: 2 }, created_at: 1 }], next: 3 });
    expect(calls[0]!.url).toBe('https://chat.test/v1/inbox/bob?since=2&limit=500');
    expect(calls[0]!.init!.headers).toMatchObject({ 'X-KEZ-Auth': '1:sig' });
  });

  it('refuses an inbox page with a message that is not one', async () => {
    const { fetch } = answering(200, { messages: [{ seq: -1, envelope: {} }], next: 0 });
    expect((await rejection(new HomeApi(fetch).inbox('bob', 0, '1:sig'))).code).toBe('unexpected');
  });

  it('reads the default relays, keeping ws(s) URLs in order without repeats', async () => {
    const { fetch, calls } = answering(200, {
      relays: ['ws://127.0.0.1:7001/relay', 'https://not.a.relay', 7, 'wss://relay.test', 'ws://127.0.0.1:7001/relay'],
    });
    expect(await new HomeApi(fetch).defaultRelays()).toEqual(['ws://127.0.0.1:7001/relay', 'wss://relay.test']);
    expect(calls[0]!.url).toBe('/v1/relays');
    const bad = await rejection(new HomeApi(answering(200, { relays: 'wss://relay.test' }).fetch).defaultRelays());
    expect(bad.code).toBe('unexpected');
  });

  it("reads the service worker's own empty 504 (it could not reach the server) as no answer", async () => {
    const fetch: FetchLike = async () => new Response(null, { status: 504, statusText: 'Gateway Timeout' });
    expect((await rejection(new HomeApi(fetch).lookup('bob'))).code).toBe('network');
    const proxyPage: FetchLike = async () =>
      new Response('<html>504</html>', { status: 504, statusText: 'Gateway Timeout', headers: { 'Content-Type': 'text/html' } });
    expect((await rejection(new HomeApi(proxyPage).lookup('bob'))).code).toBe('unexpected');
  });

  it('puts the stream auth in the query, encoded', () => {
    expect(new HomeApi(answering(200, {}).fetch).streamUrl('bob', 9, '17:ab')).toBe('/v1/inbox/bob/stream?auth=17%3Aab&since=9');
  });

  it('reads healthz and readyz into one report', async () => {
    const fetch: FetchLike = async (url) =>
      url === '/v1/healthz'
        ? Response.json({ status: 'ok', server: 'chat.test', version: '1.2.3' })
        : Response.json({ status: 'unavailable', checks: { database: 'down', nats: 'ok' } }, { status: 503 });
    expect(await new HomeApi(fetch).health()).toEqual({ health: 'unavailable', server: 'chat.test', version: '1.2.3', failedChecks: ['database'] });
  });

  it('reports a server that does not answer as unreachable instead of rejecting', async () => {
    const fetch: FetchLike = () => Promise.reject(new TypeError('Failed to fetch'));
    expect(await new HomeApi(fetch).health()).toEqual({ health: 'unreachable', server: null, version: null, failedChecks: [] });
  });
});
