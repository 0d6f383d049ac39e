import fc from 'fast-check';

import { contractErrorProblems } from '../support/contract-error';
import { registerUser } from '../support/inbox-client';
import { rawRequest, type RawRequest } from '../support/raw-http';
import { asHandle, type Route, type RouteContext, ROUTES } from '../support/routes';
import { startInProcessServer } from '../support/in-process-server';
import type { RunningServer } from '../support/running-server';
import type { StoreRun } from '../support/stores';

/**
 * A seeded fuzz pass: random JSON, random bytes, random handles, random URL and
 * header bytes at every route. Never a 5xx, always the contract's error shape.
 * A failure prints its seed and path; rerun with KEZ_FUZZ_SEED=<seed> to reproduce.
 */
const SEED = Number(process.env.KEZ_FUZZ_SEED ?? 20_261_130);
/** Each property stops after this many runs or this long, whichever comes first (a bound, not a speed target). */
const RUNS = 300;
const TIME_LIMIT_MS = 20_000;

const settings = { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false, endOnFailure: true };

/** Percent-encodes every byte, so any byte sequence travels in a URL as it is. */
const percentBytes = (bytes: Uint8Array) => Array.from(bytes, (b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  'application/json; charset=utf-16',
];

/** Any string, lone surrogates aside (they cannot be percent-encoded, so no client sends them). */
const anyText = fc.string({ unit: 'binary', maxLength: 40 }).filter((text) => !/[\uD800-\uDFFF]/u.test(text));

/** Every path to a leaf of a JSON value (objects only; arrays are leaves). */
function leafPaths(value: unknown, prefix: string[] = []): string[][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([key, child]) => leafPaths(child, [...prefix, key]));
  }
  return [prefix];
}

/** The fuzz pass against one store (SQLite or PostgreSQL: text a database cannot hold must not become a 5xx). */
export function fuzzSuite(store: () => Promise<StoreRun>): void {
  describe('fuzz: random input at every route', () => {
    let run: StoreRun;
    let server: RunningServer;
    let ctx: RouteContext;

    beforeAll(async () => {
      run = await store();
      server = await startInProcessServer({ env: { ...run.env, KEZ_CHAT_PUSH_ALLOW_INSECURE: 'true' } });
      ctx = { user: await registerUser(server.url, 'fuzzy'), server: 'chat.test', endpoint: 'http://127.0.0.1:9/push/kez-fuzz' };
    });

    afterAll(async () => {
      await server?.stop();
      await run?.cleanup();
    });

    afterEach(async () => {
      expect((await rawRequest(server.url, { method: 'GET', path: '/v1/healthz' })).status).toBe(200);
    });

    /** Sends and returns what is wrong with the answer; a stream is asked with HEAD, which must end. */
    async function problems(route: Route, request: RawRequest): Promise<string[]> {
      const sent = route.streams && request.method === 'GET' ? { ...request, method: 'HEAD' } : request;
      const result = await rawRequest(server.url, sent);
      if (result.status >= 500) {
        return [`${result.status} ${result.text.slice(0, 200)}`];
      }
      return result.status >= 400 ? contractErrorProblems(result, result.status, undefined, sent.method) : [];
    }

    const postRoutes = ROUTES.filter((route) => route.method === 'POST');
    const handleRoutes = ROUTES.filter((route) => route.takesHandle !== undefined);

    it('random JSON bodies, and valid bodies with a field replaced or added', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...postRoutes),
          fc.jsonValue({ maxDepth: 40 }),
          fc.string({ maxLength: 12 }),
          fc.boolean(),
          async (route, value, key, replace) => {
            const valid = route.request(ctx);
            const body = replace ? value : { ...(JSON.parse(String(valid.body)) as object), [key]: value };
            expect(await problems(route, { ...valid, body: JSON.stringify(body) })).toEqual([]);
          },
        ),
        settings,
      );
    });

    it('valid bodies with one field, at any depth, replaced by a random value', async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...postRoutes), fc.nat(), fc.oneof(anyText, fc.jsonValue({ maxDepth: 6 })), async (route, pick, value) => {
          const valid = route.request(ctx);
          const body = JSON.parse(String(valid.body)) as Record<string, unknown>;
          const paths = leafPaths(body);
          const path = paths[pick % paths.length];
          let node = body;
          for (const key of path.slice(0, -1)) {
            node = node[key] as Record<string, unknown>;
          }
          node[path[path.length - 1]] = value;
          expect(await problems(route, { ...valid, body: JSON.stringify(body) })).toEqual([]);
        }),
        settings,
      );
    });

    it('random bytes as the body, under assorted media types', async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...postRoutes), fc.uint8Array({ maxLength: 2_000 }), fc.constantFrom(...CONTENT_TYPES), async (route, bytes, type) => {
          const valid = route.request(ctx);
          expect(await problems(route, { ...valid, headers: { ...valid.headers, 'content-type': type }, body: Buffer.from(bytes) })).toEqual([]);
        }),
        settings,
      );
    });

    it('random handles wherever a handle goes', async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...handleRoutes), anyText, async (route, handle) => {
          expect(await problems(route, route.request(ctx, asHandle(handle)))).toEqual([]);
        }),
        settings,
      );
    });

    it('random bytes, percent-encoded, in the path and the query', async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...ROUTES), fc.uint8Array({ maxLength: 24 }), fc.boolean(), async (route, bytes, inQuery) => {
          const request = route.request(ctx);
          const encoded = percentBytes(bytes);
          const path =
            inQuery || route.takesHandle !== 'path'
              ? `${request.path}${request.path.includes('?') ? '&' : '?'}${encoded}=${encoded}`
              : route.request(ctx, { text: 'fuzzy', encoded }).path;
          expect(await problems(route, { ...request, path })).toEqual([]);
        }),
        settings,
      );
    });

    it('random header bytes in X-KEZ-Auth and Last-Event-ID', async () => {
      const headerRoutes = ROUTES.filter((route) => route.authHeader || route.streams);
      // Header values cannot hold control characters (HTTP refuses them before the server); every other byte goes through as itself.
      const headerByte = fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }));
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...headerRoutes), fc.array(headerByte, { maxLength: 160 }), async (route, bytes) => {
          const request = route.request(ctx);
          const value = Buffer.from(bytes).toString('latin1');
          const name = route.streams ? 'last-event-id' : 'x-kez-auth';
          expect(await problems(route, { ...request, headers: { ...request.headers, [name]: value } })).toEqual([]);
        }),
        settings,
      );
    });
  });
}
