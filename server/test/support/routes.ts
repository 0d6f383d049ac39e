import { createECDH, randomBytes } from 'node:crypto';

import { authString, buildRegisterRequest, signAuth } from '@kez/crypto';

import type { TestUser } from './inbox-client';
import { quickIdentity } from './quick-identity';
import type { RawRequest } from './raw-http';

/** What a request needs that the server under test knows: a registered user, the server name, a push endpoint. */
export interface RouteContext {
  user: TestUser;
  server: string;
  /** A push endpoint the server accepts (insecure endpoints allowed in the test server). */
  endpoint: string;
}

/** A handle as sent: `text` in JSON bodies, `encoded` (percent-encoded or deliberately not) in a URL. */
export interface HandleInput {
  text: string;
  encoded: string;
}

export const asHandle = (text: string): HandleInput => ({ text, encoded: encodeURIComponent(text) });

const now = () => Math.floor(Date.now() / 1000);

/** Browser-like subscription keys: a real P-256 point and 16 random bytes. */
function subscriptionKeys(): { p256dh: string; auth: string } {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
}

/**
 * One route of the API. `request` builds a request the route answers with `ok`
 * for the context's user, or for `handle` in the place the route takes one.
 */
export interface Route {
  name: string;
  method: 'GET' | 'POST';
  ok: number;
  /** Where a handle goes in the request, if the route takes one. */
  takesHandle?: 'path' | 'query' | 'body';
  /** Answers carry `Access-Control-Allow-Origin: *`, errors included. */
  cors?: boolean;
  /** A long-lived answer (SSE): a GET is never read to its end. */
  streams?: boolean;
  /** The valid request has a query string. */
  query?: boolean;
  /** The valid request carries `X-KEZ-Auth`. */
  authHeader?: boolean;
  /** The body changes from one request to the next (live process figures), so two answers' lengths differ. */
  volatile?: boolean;
  request(ctx: RouteContext, handle?: HandleInput): RawRequest;
}

const json = (body: unknown): Pick<RawRequest, 'headers' | 'body'> => ({
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

function authHeader(ctx: RouteContext, row: (handle: string, ts: number) => string): Record<string, string> {
  return { 'x-kez-auth': signAuth((ts) => row(ctx.user.handle, ts), ctx.user.identity.edSecret, now()) };
}

const own = (ctx: RouteContext): HandleInput => asHandle(ctx.user.handle);

/**
 * Every route of the API, in one list: a new route is one more entry, and every
 * table-driven suite (bad input, HEAD, fuzz) walks it. The web client's catch-all
 * is the last entry.
 */
export const ROUTES: readonly Route[] = [
  { name: 'GET /v1/healthz', method: 'GET', ok: 200, request: () => ({ method: 'GET', path: '/v1/healthz' }) },
  { name: 'GET /v1/readyz', method: 'GET', ok: 200, request: () => ({ method: 'GET', path: '/v1/readyz' }) },
  { name: 'GET /v1/metrics', method: 'GET', ok: 200, volatile: true, request: () => ({ method: 'GET', path: '/v1/metrics' }) },
  {
    name: 'POST /v1/register',
    method: 'POST',
    ok: 201,
    takesHandle: 'body',
    request: (ctx, handle) => ({
      method: 'POST',
      path: '/v1/register',
      ...json(buildRegisterRequest(quickIdentity(), handle?.text ?? `new-${randomBytes(6).toString('hex')}`, ctx.server, now())),
    }),
  },
  {
    name: 'GET /v1/u/:handle',
    method: 'GET',
    ok: 200,
    takesHandle: 'path',
    request: (ctx, handle = own(ctx)) => ({ method: 'GET', path: `/v1/u/${handle.encoded}` }),
  },
  {
    name: 'GET /v1/by-primary/:primary',
    method: 'GET',
    ok: 200,
    request: (ctx) => ({ method: 'GET', path: `/v1/by-primary/${ctx.user.identity.primary}` }),
  },
  {
    name: 'GET /.well-known/webfinger',
    query: true,
    method: 'GET',
    ok: 200,
    takesHandle: 'query',
    cors: true,
    request: (ctx, handle = own(ctx)) => ({ method: 'GET', path: `/.well-known/webfinger?resource=acct%3A${handle.encoded}%40${ctx.server}` }),
  },
  {
    name: 'GET /.well-known/nostr.json',
    query: true,
    method: 'GET',
    ok: 200,
    takesHandle: 'query',
    cors: true,
    request: (ctx, handle = own(ctx)) => ({ method: 'GET', path: `/.well-known/nostr.json?name=${handle.encoded}` }),
  },
  {
    name: 'POST /v1/messages',
    method: 'POST',
    ok: 201,
    takesHandle: 'body',
    request: (ctx, handle = own(ctx)) => ({ method: 'POST', path: '/v1/messages', ...json({ to: handle.text, envelope: { v: 2, enc: 'ZW5j', ct: 'Y3Q' } }) }),
  },
  {
    name: 'GET /v1/inbox/:handle',
    query: true,
    authHeader: true,
    method: 'GET',
    ok: 200,
    takesHandle: 'path',
    request: (ctx, handle = own(ctx)) => ({
      method: 'GET',
      path: `/v1/inbox/${handle.encoded}?since=0&limit=5`,
      headers: authHeader(ctx, (h, ts) => authString.pollInbox(h, '0', ts)),
    }),
  },
  {
    name: 'GET /v1/inbox/:handle/stream',
    query: true,
    method: 'GET',
    ok: 200,
    takesHandle: 'path',
    streams: true,
    request: (ctx, handle = own(ctx)) => {
      const auth = signAuth((ts) => authString.openStream(ctx.user.handle, undefined, ts), ctx.user.identity.edSecret, now());
      return { method: 'GET', path: `/v1/inbox/${handle.encoded}/stream?auth=${encodeURIComponent(auth)}` };
    },
  },
  { name: 'GET /v1/push/vapid-public-key', method: 'GET', ok: 200, request: () => ({ method: 'GET', path: '/v1/push/vapid-public-key' }) },
  {
    name: 'POST /v1/push/subscribe/:handle',
    authHeader: true,
    method: 'POST',
    ok: 201,
    takesHandle: 'path',
    request: (ctx, handle = own(ctx)) => {
      const endpoint = `${ctx.endpoint}/${randomBytes(6).toString('hex')}`;
      const keys = subscriptionKeys();
      return {
        method: 'POST',
        path: `/v1/push/subscribe/${handle.encoded}`,
        ...json({ endpoint, keys, expirationTime: null }),
        headers: { 'content-type': 'application/json', ...authHeader(ctx, (h, ts) => authString.pushSubscribe(h, endpoint, ts)) },
      };
    },
  },
  {
    name: 'POST /v1/push/unsubscribe/:handle',
    authHeader: true,
    method: 'POST',
    ok: 200,
    takesHandle: 'path',
    request: (ctx, handle = own(ctx)) => ({
      method: 'POST',
      path: `/v1/push/unsubscribe/${handle.encoded}`,
      ...json({ endpoint: ctx.endpoint }),
      headers: { 'content-type': 'application/json', ...authHeader(ctx, (h, ts) => authString.pushUnsubscribe(h, ctx.endpoint, ts)) },
    }),
  },
  {
    name: 'GET /v1/push/subscriptions/:handle',
    query: true,
    authHeader: true,
    method: 'GET',
    ok: 200,
    takesHandle: 'path',
    request: (ctx, handle = own(ctx)) => ({
      method: 'GET',
      path: `/v1/push/subscriptions/${handle.encoded}?endpoint=${encodeURIComponent(ctx.endpoint)}`,
      headers: authHeader(ctx, (h, ts) => authString.pushCheck(h, ctx.endpoint, ts)),
    }),
  },
  // The web client (the suites serve stubWebDir()): its index.html, also for client-side routes.
  {
    name: 'GET /relay (NIP-11)',
    method: 'GET',
    ok: 200,
    request: () => ({ method: 'GET', path: '/relay', headers: { accept: 'application/nostr+json' } }),
  },
  { name: 'GET /v1/relays', method: 'GET', ok: 200, request: () => ({ method: 'GET', path: '/v1/relays' }) },
  { name: 'GET /', method: 'GET', ok: 200, request: () => ({ method: 'GET', path: '/' }) },
  { name: 'GET /chats/:peer (client-side route)', method: 'GET', ok: 200, request: () => ({ method: 'GET', path: '/chats/kate' }) },
];
