import { MAX_BODY_BYTES, MAX_JSON_DEPTH } from '@kez/protocol';

import { contractErrorProblems, inBatches } from '../support/contract-error';
import { pollAuth, registerUser } from '../support/inbox-client';
import { rawExchange, rawRequest, type RawRequest, rawResponse, type RawResult } from '../support/raw-http';
import { asHandle, type HandleInput, type RouteContext, ROUTES } from '../support/routes';
import { startInProcessServer } from '../support/in-process-server';
import type { RunningServer } from '../support/running-server';
import type { StoreRun } from '../support/stores';

const SERVER = 'chat.test';
const nested = (depth: number): unknown => JSON.parse('['.repeat(depth) + ']'.repeat(depth));

/** Every code point with the Unicode property (the engine's own tables), surrogates aside. */
function codePointsWith(property: RegExp): number[] {
  const found: number[] = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if ((cp < 0xd800 || cp > 0xdfff) && property.test(String.fromCodePoint(cp))) {
      found.push(cp);
    }
  }
  return found;
}

/** Every path to a leaf of a JSON value (objects only; arrays are leaves). */
function leafPaths(value: unknown, prefix: string[] = []): string[][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([key, child]) => leafPaths(child, [...prefix, key]));
  }
  return [prefix];
}

function withLeaf(body: unknown, path: string[], value: unknown): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) {
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
  return copy;
}

/** The JSON body with one leaf replaced by raw bytes (spliced into the text, so nothing here walks them). */
function withRawLeaf(body: unknown, path: string[], raw: Buffer, quoted: boolean): Buffer {
  const marker = 'RAW-LEAF-HERE';
  const [before, after] = JSON.stringify(withLeaf(body, path, marker)).split(quoted ? marker : `"${marker}"`);
  return Buffer.concat([Buffer.from(before), raw, Buffer.from(after)]);
}

const deepArrays = (depth: number) => Buffer.from('['.repeat(depth) + ']'.repeat(depth));

const bodyOf = (request: RawRequest): unknown => JSON.parse(String(request.body));
const pathWithQuery = (path: string, extra: string) => `${path}${path.includes('?') ? '&' : '?'}${extra}`;

/**
 * The bad-input suite: every route of ROUTES with every kind of malformed input the
 * contract must refuse with a clear 4xx in its error shape (docs/protocol.md §3),
 * over real HTTP against the app in this process, once per store.
 */
export function badInputSuite(store: () => Promise<StoreRun>): void {
  describe('bad input on every route', () => {
    let run: StoreRun;
    let server: RunningServer;
    let ctx: RouteContext;
    const send = (request: RawRequest) => rawRequest(server.url, request);
    const failures: string[] = [];

    /** Records what is wrong with an answer, with the request that got it. */
    function check(label: string, result: RawResult, status: number, code: Parameters<typeof contractErrorProblems>[2], method = 'GET'): void {
      for (const problem of contractErrorProblems(result, status, code, method)) {
        failures.push(`${label}: ${problem}`);
      }
    }

    beforeAll(async () => {
      run = await store();
      // The in-process server serves a stub web client, so `/` answers alike with or without a client build.
      server = await startInProcessServer({ env: { ...run.env, KEZ_CHAT_SERVER: SERVER, KEZ_CHAT_PUSH_ALLOW_INSECURE: 'true' } });
      ctx = { user: await registerUser(server.url, 'kate'), server: SERVER, endpoint: 'http://127.0.0.1:9/push/kez-test' };
    });

    beforeEach(() => {
      failures.length = 0;
    });

    afterEach(async () => {
      // Whatever came before, the server keeps answering.
      expect((await send({ method: 'GET', path: '/v1/healthz' })).status).toBe(200);
    });

    afterAll(async () => {
      await server?.stop();
      await run?.cleanup();
    });

    it(`runs against ${ROUTES.length} routes, each answering its valid request`, async () => {
      for (const route of ROUTES.filter((r) => !r.streams)) {
        const result = await send(route.request(ctx));
        if (result.status !== route.ok) {
          failures.push(`${route.name}: ${result.status} ${result.text.slice(0, 200)}`);
        }
      }
      expect(failures).toEqual([]);
    });

    describe('handles: only ASCII space and tab are trimmed; anything else outside [A-Za-z0-9_-] is invalid_handle', () => {
      const handleRoutes = ROUTES.filter((route) => route.takesHandle !== undefined);
      const foreign = [...codePointsWith(/\p{White_Space}/u).filter((cp) => cp !== 0x20 && cp !== 0x09), ...codePointsWith(/\p{Cf}/u)];

      it.each(handleRoutes.map((route) => [route.name, route] as const))(
        '%s refuses every White_Space and Cf code point before, after and inside the handle',
        async (_name, route) => {
          const variants = foreign.flatMap((cp) => {
            const c = String.fromCodePoint(cp);
            return [`${c}kate`, `kate${c}`, `ka${c}te`];
          });
          await inBatches(variants, 16, async (variant) => {
            check(`${route.name} ${JSON.stringify(variant)}`, await send(route.request(ctx, asHandle(variant))), 400, 'invalid_handle');
          });
          expect(failures).toEqual([]);
        },
      );

      it.each(handleRoutes.map((route) => [route.name, route] as const))('%s refuses look-alikes instead of folding them', async (_name, route) => {
        for (const variant of ['k\u0430te', '\u212Aate', 'ｋａｔｅ', 'KATE\u0307', 'kat\u00E9', 'k\u0101te']) {
          check(`${route.name} ${JSON.stringify(variant)}`, await send(route.request(ctx, asHandle(variant))), 400, 'invalid_handle');
        }
        expect(failures).toEqual([]);
      });

      it.each(handleRoutes.map((route) => [route.name, route] as const))('%s refuses a handle of 8,000 characters as invalid_handle', async (_name, route) => {
        check(`${route.name} long`, await send(route.request(ctx, asHandle('k'.repeat(8_000)))), 400, 'invalid_handle');
        expect(failures).toEqual([]);
      });

      it('takes a handle with ASCII space or tab around it and in any ASCII case', async () => {
        for (const variant of [' kate', 'kate\t', ' \tKATE \t']) {
          const lookup = await send(ROUTES.find((r) => r.name === 'GET /v1/u/:handle')!.request(ctx, asHandle(variant)));
          expect(lookup.status).toBe(200);
          expect(lookup.json.handle).toBe('kate');
          expect((await send(ROUTES.find((r) => r.name === 'POST /v1/messages')!.request(ctx, asHandle(variant)))).status).toBe(201);
        }
      });
    });

    describe(`nesting deeper than ${MAX_JSON_DEPTH} is 400 bad_request before anything walks the body`, () => {
      const postRoutes = ROUTES.filter((route) => route.method === 'POST');

      it.each(postRoutes.map((route) => [route.name, route] as const))('%s, in every field', async (_name, route) => {
        const valid = route.request(ctx);
        const body = bodyOf(valid);
        for (const path of [...leafPaths(body), ['unknown']]) {
          for (const depth of [MAX_JSON_DEPTH + 1, 1_400, 50_000]) {
            const result = await send({ ...valid, body: withRawLeaf(body, path, deepArrays(depth), false) });
            check(`${route.name} ${path.join('.')} at depth ${depth}`, result, 400, 'bad_request');
            if (result.json?.error?.message && !/deeper than 32/.test(result.json.error.message)) {
              failures.push(`${route.name} ${path.join('.')}: ${result.json.error.message}`);
            }
          }
        }
        expect(failures).toEqual([]);
      });

      it(`accepts an envelope that brings the body to exactly ${MAX_JSON_DEPTH} levels`, async () => {
        const atLimit = await send({
          method: 'POST',
          path: '/v1/messages',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ to: 'kate', envelope: { a: nested(MAX_JSON_DEPTH - 2) } }),
        });
        expect(atLimit.status).toBe(201);
        const over = await send({
          method: 'POST',
          path: '/v1/messages',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ to: 'kate', envelope: { a: nested(MAX_JSON_DEPTH - 1) } }),
        });
        check('one level over', over, 400, 'bad_request');
        expect(failures).toEqual([]);
      });
    });

    describe('HEAD answers at once with the GET’s status and headers, and no body', () => {
      const getRoutes = ROUTES.filter((route) => route.method === 'GET' && !route.streams);
      const compared = ['content-type', 'content-length', 'access-control-allow-origin', 'cache-control'];

      async function compare(label: string, get: RawRequest, head: RawRequest, volatile = false): Promise<void> {
        const [byGet, byHead] = [await send(get), await send(head)];
        if (byHead.status !== byGet.status) {
          failures.push(`${label}: HEAD ${byHead.status}, GET ${byGet.status}`);
        }
        for (const name of compared.filter((header) => !(volatile && header === 'content-length'))) {
          if (byHead.headers[name] !== byGet.headers[name]) {
            failures.push(`${label}: ${name} HEAD ${String(byHead.headers[name])}, GET ${String(byGet.headers[name])}`);
          }
        }
        if (byHead.body.length !== 0) {
          failures.push(`${label}: HEAD sent ${byHead.body.length} body bytes`);
        }
      }

      it.each(getRoutes.map((route) => [route.name, route] as const))('%s, answered and refused', async (_name, route) => {
        await compare(route.name, route.request(ctx), { ...route.request(ctx), method: 'HEAD' }, route.volatile);
        if (route.takesHandle) {
          const bad = asHandle('\u00A0kate');
          await compare(`${route.name} refused`, route.request(ctx, bad), { ...route.request(ctx, bad), method: 'HEAD' });
        }
        const badUrl = route.request(ctx);
        badUrl.path = pathWithQuery(badUrl.path, 'x=%E0%A4%A');
        await compare(`${route.name} bad URL`, badUrl, { ...badUrl, method: 'HEAD' });
        expect(failures).toEqual([]);
      });

      it('GET /v1/inbox/:handle/stream: HEAD gets the stream’s headers and an empty body, and opens no stream', async () => {
        const stream = ROUTES.find((route) => route.streams)!;
        const head = await send({ ...stream.request(ctx), method: 'HEAD' });
        expect(head.status).toBe(200);
        expect(head.headers['content-type']).toBe('text/event-stream; charset=utf-8');
        expect(head.headers['cache-control']).toBe('no-cache');
        expect(head.headers['x-accel-buffering']).toBe('no');
        expect(head.body.length).toBe(0);
        const refused = await send({ ...stream.request(ctx), method: 'HEAD', path: `/v1/inbox/kate/stream?auth=1:${'0'.repeat(128)}` });
        check('HEAD stream, stale auth', refused, 401, 'stale_timestamp', 'HEAD');
        const metrics = await send({ method: 'GET', path: '/v1/metrics' });
        expect(metrics.text).toMatch(/^kez_chat_open_streams 0$/m);
        expect(failures).toEqual([]);
      });
    });

    describe('request text must be UTF-8: bodies, percent-decoded path and query, the headers the server reads', () => {
      const invalid: [string, number[]][] = [
        ['FF FE', [0xff, 0xfe]],
        ['a lone continuation byte', [0x80]],
        ['an overlong "/"', [0xc0, 0xaf]],
        ['an encoded surrogate', [0xed, 0xa0, 0x80]],
        ['a truncated sequence', [0xe2, 0x82]],
      ];

      it.each(ROUTES.filter((r) => r.method === 'POST').map((route) => [route.name, route] as const))('%s: every string field', async (_name, route) => {
        const valid = route.request(ctx);
        const body = bodyOf(valid);
        for (const path of leafPaths(body).filter((p) => typeof p.reduce<any>((node, key) => node[key], body) === 'string')) {
          for (const [name, bytes] of invalid) {
            check(
              `${route.name} ${path.join('.')} with ${name}`,
              await send({ ...valid, body: withRawLeaf(body, path, Buffer.from(bytes), true) }),
              400,
              'bad_request',
            );
          }
        }
        expect(failures).toEqual([]);
      });

      it.each(ROUTES.map((route) => [route.name, route] as const))(
        '%s: NUL, control characters and lone surrogates in every string field and query value are answered, never a 5xx',
        async (_name, route) => {
          const valid = route.request(ctx);
          const strange = ['\u0000', 'a\u0000b', '\u007f\u0001', '\ud800', 'a\udfffb'];
          const requests: [string, RawRequest][] = [];
          if (valid.body !== undefined) {
            const body = bodyOf(valid);
            for (const path of leafPaths(body).filter((p) => typeof p.reduce<any>((node, key) => node[key], body) === 'string')) {
              requests.push(
                ...strange.map((text): [string, RawRequest] => [
                  `${path.join('.')} ${JSON.stringify(text)}`,
                  { ...valid, body: JSON.stringify(withLeaf(body, path, text)) },
                ]),
              );
            }
          }
          const [path, query] = valid.path.split('?');
          for (const pair of query ? query.split('&') : []) {
            for (const escape of ['%00', 'a%00b', '%7F%01']) {
              const changed = `${pair.split('=')[0]}=${escape}`;
              requests.push([`query ${changed}`, { ...valid, path: `${path}?${query.replace(pair, changed)}` }]);
            }
          }
          if (route.takesHandle === 'path') {
            requests.push(['handle %00', route.request(ctx, { text: '', encoded: 'ka%00te' })]);
          }
          for (const [label, request] of requests) {
            const sent = route.streams ? { ...request, method: 'HEAD' } : request;
            const result = await send(sent);
            if (result.status >= 500 || (result.status >= 400 && contractErrorProblems(result, result.status, undefined, sent.method).length > 0)) {
              failures.push(`${route.name} ${label}: ${result.status} ${result.text.slice(0, 160)}`);
            }
          }
          expect(failures).toEqual([]);
        },
      );

      it('stores nothing rewritten: no message reads back with U+FFFD', async () => {
        const inbox = await send({ method: 'GET', path: '/v1/inbox/kate?since=0&limit=500', headers: { 'x-kez-auth': pollAuth(ctx.user, '0') } });
        expect(inbox.status).toBe(200);
        expect(inbox.text).not.toContain('\uFFFD');
        expect(inbox.text).not.toContain('RAW-LEAF');
      });

      it.each(ROUTES.map((route) => [route.name, route] as const))('%s: path and query escapes that are not UTF-8', async (_name, route) => {
        for (const escape of ['%FF%FE', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '%']) {
          if (route.takesHandle === 'path' || route.takesHandle === 'query') {
            const handle: HandleInput = { text: 'kate', encoded: `${escape}kate` };
            check(`${route.name} handle ${escape}`, await send(route.request(ctx, handle)), 400, 'bad_request');
          }
          const request = route.request(ctx);
          check(`${route.name} query ${escape}`, await send({ ...request, path: pathWithQuery(request.path, `x=${escape}`) }), 400, 'bad_request');
        }
        expect(failures).toEqual([]);
      });

      it.each(ROUTES.filter((route) => route.authHeader).map((route) => [route.name, route] as const))(
        '%s: an X-KEZ-Auth header that is not UTF-8',
        async (_name, route) => {
          const request = route.request(ctx);
          for (const value of ['1:\xff\xfe', `${Math.floor(Date.now() / 1000)}:${'a'.repeat(127)}\x80`]) {
            check(
              `${route.name} auth ${JSON.stringify(value)}`,
              await send({ ...request, headers: { ...request.headers, 'x-kez-auth': value } }),
              400,
              'bad_request',
            );
          }
          expect(failures).toEqual([]);
        },
      );

      it('GET /v1/inbox/:handle/stream: a Last-Event-ID that is not UTF-8', async () => {
        const request = ROUTES.find((route) => route.streams)!.request(ctx);
        check('Last-Event-ID', await send({ ...request, headers: { 'last-event-id': '1\xff' } }), 400, 'bad_request');
        expect(failures).toEqual([]);
      });
    });

    describe('the framework’s own refusals come out in the contract’s shape', () => {
      const postRoutes = ROUTES.filter((route) => route.method === 'POST');

      it.each(postRoutes.map((route) => [route.name, route] as const))('%s: media types other than JSON, and JSON in another charset', async (_name, route) => {
        const valid = route.request(ctx);
        for (const type of [
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/xml',
          'multipart/form-data; boundary=x',
          'application/json; charset=latin1',
          ';;;',
          'application/jsonx',
        ]) {
          check(`${route.name} ${type}`, await send({ ...valid, headers: { ...valid.headers, 'content-type': type } }), 400, 'bad_request');
        }
        const { 'content-type': _dropped, ...noType } = valid.headers ?? {};
        check(`${route.name} without Content-Type`, await send({ ...valid, headers: noType }), 400, 'bad_request');
        expect(failures).toEqual([]);
      });

      it.each(postRoutes.map((route) => [route.name, route] as const))('%s: short messages that never echo the body', async (_name, route) => {
        const valid = route.request(ctx);
        const form = Array.from({ length: 12_000 }, (_, i) => `key${i}_${'x'.repeat(8)}=1`).join('&');
        const asForm = await send({ ...valid, headers: { ...valid.headers, 'content-type': 'application/x-www-form-urlencoded' }, body: form });
        check(`${route.name} ${form.length}-byte form`, asForm, 400, 'bad_request');
        const keys = Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`unknown${i}_${'y'.repeat(100)}`, i]));
        const manyKeys = await send({ ...valid, body: JSON.stringify({ ...(bodyOf(valid) as object), ...keys }) });
        check(`${route.name} 2,000 unknown keys`, manyKeys, 400, 'bad_request');
        expect(manyKeys.text).not.toContain('y'.repeat(41));
        expect(failures).toEqual([]);
      });

      it.each(postRoutes.map((route) => [route.name, route] as const))('%s: a body over 300 KiB is 413, by Content-Length or chunked', async (_name, route) => {
        const valid = route.request(ctx);
        const big = JSON.stringify({ pad: 'x'.repeat(MAX_BODY_BYTES) });
        check(`${route.name} big`, await send({ ...valid, body: big }), 413, 'payload_too_large');
        check(
          `${route.name} big, chunked`,
          await send({ ...valid, headers: { ...valid.headers, 'transfer-encoding': 'chunked' }, body: big }),
          413,
          'payload_too_large',
        );
        expect(failures).toEqual([]);
      });

      it.each(ROUTES.map((route) => [route.name, route] as const))(
        '%s: a URL that does not percent-decode, and methods it does not serve',
        async (_name, route) => {
          const request = route.request(ctx);
          const [path, query] = request.path.split('?');
          const badUrl = await send({ ...request, path: `${path}%E0%A4%A${query ? `?${query}` : ''}` });
          check(`${route.name} bad URL`, badUrl, 400, 'bad_request');
          if (route.cors && badUrl.headers['access-control-allow-origin'] !== '*') {
            failures.push(`${route.name} bad URL: no CORS header`);
          }
          for (const method of ['PUT', 'DELETE', 'PATCH', 'PROPFIND', 'OPTIONS', 'PURGE', 'SEARCH', route.method === 'GET' ? 'POST' : 'GET']) {
            const result = await send({
              method,
              path: request.path,
              headers: { 'content-type': 'application/json' },
              body: method === 'GET' ? undefined : '{}',
            });
            check(`${route.name} ${method}`, result, 404, 'not_found');
            if (route.cors && result.headers['access-control-allow-origin'] !== '*') {
              failures.push(`${route.name} ${method}: no CORS header`);
            }
          }
          expect(failures).toEqual([]);
        },
      );

      it.each([
        ['an unknown method', 'FOO /v1/healthz HTTP/1.1\r\nHost: x\r\n\r\n'],
        ['a Content-Length that is not a number', 'POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n{}'],
        [
          'two different Content-Lengths',
          'POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}',
        ],
        [
          'Content-Length with chunked',
          'POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n',
        ],
        [
          'a chunk size that is not hex',
          'POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
        ],
        ['a space in the request target', 'GET /v1/u/ka te HTTP/1.1\r\nHost: x\r\n\r\n'],
        [
          'raw non-ASCII in the request target',
          Buffer.concat([Buffer.from('GET /v1/u/'), Buffer.from([0xc2, 0xa0]), Buffer.from('kate HTTP/1.1\r\nHost: x\r\n\r\n')]),
        ],
        ['a header without a colon', 'GET /v1/healthz HTTP/1.1\r\nHost: x\r\nBroken header\r\n\r\n'],
        ['headers over 16 KiB', `GET /v1/healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`],
        ['a URL over 16 KiB', `GET /v1/u/${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`],
      ])('malformed framing (%s) is a 400 in the contract’s shape, then the connection closes', async (_name, bytes) => {
        const answer = rawResponse(await rawExchange(server.url, bytes));
        expect(answer.status).toBe(400);
        expect(answer.head).toMatch(/^Content-Type: application\/json/im);
        expect(answer.json).toEqual({ error: { code: 'bad_request', message: expect.any(String) } });
      });
    });

    it('CONNECT, which never reaches the router, is a 404 in the contract’s shape', async () => {
      const answer = rawResponse(await rawExchange(server.url, `CONNECT ${SERVER}:443 HTTP/1.1\r\nHost: ${SERVER}:443\r\n\r\n`));
      expect(answer.status).toBe(404);
      expect(answer.json).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    });

    describe('a query parameter given twice is 400 bad_request', () => {
      it.each(ROUTES.filter((route) => route.query).map((route) => [route.name, route] as const))('%s', async (_name, route) => {
        const request = route.request(ctx);
        const first = request.path.split('?')[1].split('&')[0];
        check(`${route.name} ${first} twice`, await send({ ...request, path: `${request.path}&${first}` }), 400, 'bad_request');
        check(
          `${route.name} ${first} twice, spelled differently`,
          await send({ ...request, path: `${request.path}&${first.replace(/^(\w)/, (c) => `%${c.charCodeAt(0).toString(16)}`)}` }),
          400,
          'bad_request',
        );
        expect(failures).toEqual([]);
      });

      it('WebFinger with two resources is 400, not 404', async () => {
        const result = await send({ method: 'GET', path: `/.well-known/webfinger?resource=acct%3Akate%40${SERVER}&resource=acct%3Aother%40${SERVER}` });
        check('webfinger twice', result, 400, 'bad_request');
        expect(result.headers['access-control-allow-origin']).toBe('*');
        expect(failures).toEqual([]);
      });
    });
  });
}
