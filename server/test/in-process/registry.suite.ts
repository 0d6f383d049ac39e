import { buildRegisterRequest, deriveIdentity, generateSeed, type Identity } from '@kez/crypto';

import { errorCode, http } from '../support/kez-http';
import { startInProcessServer } from '../support/in-process-server';
import type { RunningServer } from '../support/running-server';
import { waitFor } from '../support/wait-for';

const SERVER = 'chat.test';
const now = () => Math.floor(Date.now() / 1000);
const newIdentity = (): Identity => deriveIdentity(generateSeed());

/**
 * Every registry row of the contract, black-box over HTTP to the app in this
 * process. Run once per store: `env` chooses SQLite (a temp file) or PostgreSQL
 * (a fresh database). Two processes on one store: process/shared-store.suite.ts.
 */
export function registrySuite(storeName: string, envForRun: () => Promise<{ env: Record<string, string>; cleanup?: () => Promise<void> }>): void {
  describe(`registry over HTTP (${storeName})`, () => {
    let server: RunningServer;
    let cleanup: (() => Promise<void>) | undefined;
    const register = (body: unknown) => http(`${server.url}/v1/register`, { method: 'POST', json: body });

    beforeAll(async () => {
      const run = await envForRun();
      cleanup = run.cleanup;
      server = await startInProcessServer({ env: { KEZ_CHAT_SERVER: SERVER, LOG_LEVEL: 'info', ...run.env } });
    });

    afterAll(async () => {
      await server?.stop();
      await cleanup?.();
    });

    describe('health', () => {
      it('GET /v1/healthz names the server and version', async () => {
        const result = await http(`${server.url}/v1/healthz`);
        expect(result.status).toBe(200);
        expect(result.body).toEqual({ status: 'ok', server: SERVER, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
      });

      it('GET /v1/readyz is 200 while the database answers', async () => {
        const result = await http(`${server.url}/v1/readyz`);
        expect(result.status).toBe(200);
        expect(result.body).toEqual({ status: 'ok', checks: { database: 'ok' } });
      });
    });

    describe('POST /v1/register', () => {
      it('registers a handle and returns its record', async () => {
        const alice = newIdentity();
        const result = await register(buildRegisterRequest(alice, 'alice', SERVER, now()));
        expect(result.status).toBe(201);
        expect(result.body).toEqual({ handle: 'alice', server: SERVER, primary: alice.primary, addr: alice.addr, created_at: expect.any(Number) });
      });

      it('trims and lower-cases the handle', async () => {
        const result = await register(buildRegisterRequest(newIdentity(), '  Carol_1 ', SERVER, now()));
        expect(result.status).toBe(201);
        expect(result.body.handle).toBe('carol_1');
      });

      it.each(['a', '_lead', '-lead', 'x'.repeat(33), 'has space', 'dot.ted', 'héllo', 'ＡＢＣ', ''])('refuses %j with invalid_handle', async (handle) => {
        const result = await register(buildRegisterRequest(newIdentity(), handle, SERVER, now()));
        expect(result.status).toBe(400);
        expect(errorCode(result)).toBe('invalid_handle');
      });

      it.each(['admin', 'Root', ' support ', 'kez', 'everyone', 'undefined'])('refuses %j with reserved_handle', async (handle) => {
        const result = await register(buildRegisterRequest(newIdentity(), handle, SERVER, now()));
        expect(result.status).toBe(400);
        expect(errorCode(result)).toBe('reserved_handle');
      });

      it('refuses another server name with wrong_server', async () => {
        const result = await register(buildRegisterRequest(newIdentity(), 'dave', 'other.example', now()));
        expect(result.status).toBe(400);
        expect(errorCode(result)).toBe('wrong_server');
      });

      it('refuses a malformed primary or an addr off the curve with invalid_key', async () => {
        const id = newIdentity();
        const badPrimary = buildRegisterRequest(id, 'erin', SERVER, now(), { primary: 'ed25519:' + 'zz'.repeat(32) });
        expect(errorCode(await register(badPrimary))).toBe('invalid_key');
        // x = 5 is not the x coordinate of any secp256k1 point.
        const badAddr = buildRegisterRequest(id, 'erin', SERVER, now(), { addr: '0'.repeat(63) + '5' });
        const result = await register(badAddr);
        expect(result.status).toBe(400);
        expect(errorCode(result)).toBe('invalid_key');
      });

      it('refuses a signature by another key, a tampered payload or a key that is not the primary', async () => {
        const id = newIdentity();
        const other = newIdentity();
        const signedByOther = buildRegisterRequest(other, 'frank', SERVER, now());
        signedByOther.payload.primary = id.primary;
        signedByOther.signature.key = id.primary;
        expect(errorCode(await register(signedByOther))).toBe('bad_signature');

        const tampered = buildRegisterRequest(id, 'frank', SERVER, now());
        tampered.payload.handle = 'frankie';
        const result = await register(tampered);
        expect(result.status).toBe(401);
        expect(errorCode(result)).toBe('bad_signature');

        const keyMismatch = buildRegisterRequest(id, 'frank', SERVER, now());
        keyMismatch.signature.key = other.primary;
        expect(errorCode(await register(keyMismatch))).toBe('bad_signature');
      });

      it('refuses created_at more than 300 s away with stale_timestamp, accepts at the edge', async () => {
        for (const offset of [-400, 400]) {
          const result = await register(buildRegisterRequest(newIdentity(), 'grace', SERVER, now() + offset));
          expect(result.status).toBe(401);
          expect(errorCode(result)).toBe('stale_timestamp');
        }
        const edge = await register(buildRegisterRequest(newIdentity(), 'grace', SERVER, now() - 290));
        expect(edge.status).toBe(201);
      });

      it('refuses a taken handle with handle_taken and a second handle for one key with primary_taken', async () => {
        const id = newIdentity();
        expect((await register(buildRegisterRequest(id, 'heidi', SERVER, now()))).status).toBe(201);
        const sameHandle = await register(buildRegisterRequest(newIdentity(), 'Heidi', SERVER, now()));
        expect(sameHandle.status).toBe(409);
        expect(errorCode(sameHandle)).toBe('handle_taken');
        const sameKey = await register(buildRegisterRequest(id, 'heidi2', SERVER, now()));
        expect(sameKey.status).toBe(409);
        expect(errorCode(sameKey)).toBe('primary_taken');
      });

      it('gives exactly one 201 to 20 concurrent registrations of one handle', async () => {
        const results = await Promise.all(Array.from({ length: 20 }, () => register(buildRegisterRequest(newIdentity(), 'racer', SERVER, now()))));
        const statuses = results.map((r) => r.status).sort();
        expect(statuses.filter((s) => s === 201)).toHaveLength(1);
        expect(statuses.filter((s) => s === 409)).toHaveLength(19);
        expect(results.filter((r) => r.status === 409).every((r) => errorCode(r) === 'handle_taken')).toBe(true);
      });

      it.each([
        ['a missing field', (b: any) => delete b.payload.addr],
        ['a mistyped field', (b: any) => (b.payload.created_at = String(b.payload.created_at))],
        ['a fractional timestamp', (b: any) => (b.payload.created_at = b.payload.created_at + 0.5)],
        ['an unknown field', (b: any) => (b.payload.extra = 1)],
        ['a wrong payload type', (b: any) => (b.payload.type = 'kez-chat/register/v0')],
        ['no signature', (b: any) => delete b.signature],
        ['a string body', (b: any) => Object.keys(b).forEach((k) => delete b[k])],
      ])('refuses %s with bad_request', async (_name, mutate) => {
        const body = buildRegisterRequest(newIdentity(), 'ivan', SERVER, now()) as any;
        mutate(body);
        const result = await register(body);
        expect(result.status).toBe(400);
        expect(errorCode(result)).toBe('bad_request');
      });

      it('answers malformed JSON and non-JSON bodies with bad_request', async () => {
        const badJson = await http(`${server.url}/v1/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"payload":' });
        expect(badJson.status).toBe(400);
        expect(errorCode(badJson)).toBe('bad_request');
        const text = await http(`${server.url}/v1/register`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
        expect(text.status).toBe(400);
        expect(errorCode(text)).toBe('bad_request');
      });

      it('refuses bodies over 300 KiB with 413 payload_too_large', async () => {
        const body = JSON.stringify({ payload: { pad: 'x'.repeat(300 * 1024) } });
        const result = await http(`${server.url}/v1/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        expect(result.status).toBe(413);
        expect(errorCode(result)).toBe('payload_too_large');
      });
    });

    describe('lookups', () => {
      let judy: Identity;
      beforeAll(async () => {
        judy = newIdentity();
        expect((await register(buildRegisterRequest(judy, 'judy', SERVER, now()))).status).toBe(201);
      });

      it('GET /v1/u/:handle finds by handle, by handle@server and case-insensitively', async () => {
        for (const name of ['judy', `judy@${SERVER}`, 'JUDY', `Judy@${SERVER.toUpperCase()}`]) {
          const result = await http(`${server.url}/v1/u/${encodeURIComponent(name)}`);
          expect(result.status).toBe(200);
          expect(result.body).toEqual({ handle: 'judy', server: SERVER, primary: judy.primary, addr: judy.addr, created_at: expect.any(Number) });
        }
      });

      it('GET /v1/u/:handle is 404 for unknown handles, reserved names and other servers', async () => {
        for (const name of ['nobody', 'admin', 'judy@other.example']) {
          const result = await http(`${server.url}/v1/u/${encodeURIComponent(name)}`);
          expect(result.status).toBe(404);
          expect(errorCode(result)).toBe('not_found');
        }
      });

      it('GET /v1/u/:handle is 400 invalid_handle for a malformed handle', async () => {
        const result = await http(`${server.url}/v1/u/${encodeURIComponent('no way')}`);
        expect(result.status).toBe(400);
        expect(errorCode(result)).toBe('invalid_handle');
      });

      it('GET /v1/by-primary/:primary finds, 404s unknown keys and 400s non-primaries', async () => {
        const found = await http(`${server.url}/v1/by-primary/${judy.primary}`);
        expect(found.status).toBe(200);
        expect(found.body.handle).toBe('judy');
        const unknown = await http(`${server.url}/v1/by-primary/${newIdentity().primary}`);
        expect(unknown.status).toBe(404);
        expect(errorCode(unknown)).toBe('not_found');
        for (const bad of ['nope', judy.primary.toUpperCase(), judy.primary.slice(0, -2)]) {
          const result = await http(`${server.url}/v1/by-primary/${encodeURIComponent(bad)}`);
          expect(result.status).toBe(400);
          expect(errorCode(result)).toBe('invalid_key');
        }
      });

      it('WebFinger answers a JRD with the primary and addr, readable from any origin', async () => {
        const result = await http(`${server.url}/.well-known/webfinger?resource=${encodeURIComponent(`acct:judy@${SERVER}`)}`);
        expect(result.status).toBe(200);
        expect(result.headers.get('content-type')).toMatch(/^application\/jrd\+json/);
        expect(result.headers.get('access-control-allow-origin')).toBe('*');
        expect(result.body.subject).toBe(`acct:judy@${SERVER}`);
        expect(Object.values(result.body.properties)).toEqual(expect.arrayContaining([judy.primary, judy.addr]));
      });

      it('WebFinger is 404 for unknown handles and other servers, 400 without resource', async () => {
        for (const resource of [`acct:nobody@${SERVER}`, 'acct:judy@other.example']) {
          const result = await http(`${server.url}/.well-known/webfinger?resource=${encodeURIComponent(resource)}`);
          expect(result.status).toBe(404);
          expect(errorCode(result)).toBe('not_found');
        }
        const missing = await http(`${server.url}/.well-known/webfinger`);
        expect(missing.status).toBe(400);
        expect(errorCode(missing)).toBe('bad_request');
      });

      it('NIP-05 nostr.json maps the handle to its addr, and nothing for unknown names', async () => {
        const found = await http(`${server.url}/.well-known/nostr.json?name=judy`);
        expect(found.status).toBe(200);
        expect(found.headers.get('access-control-allow-origin')).toBe('*');
        expect(found.body.names).toEqual({ judy: judy.addr });
        const unknown = await http(`${server.url}/.well-known/nostr.json?name=nobody`);
        expect(unknown.status).toBe(200);
        expect(unknown.body).toEqual({ names: {} });
      });
    });

    describe('errors and privacy', () => {
      it('unknown API routes are JSON 404s, whatever the method', async () => {
        for (const [method, path] of [
          ['GET', '/v1/nope'],
          ['POST', '/v1/nope'],
          ['DELETE', '/v1/register'],
          ['GET', '/.well-known/nope'],
        ]) {
          const result = await http(`${server.url}${path}`, { method });
          expect(result.status).toBe(404);
          expect(errorCode(result)).toBe('not_found');
        }
      });

      it('no error body leaks a stack, SQL or a path', async () => {
        const result = await http(`${server.url}/v1/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1,' });
        expect(result.text).not.toMatch(/at \w+ \(|SELECT|INSERT|\/work\/|node_modules/);
      });

      it('logs handles hashed at info level', async () => {
        expect((await register(buildRegisterRequest(newIdentity(), 'mallory-secret', SERVER, now()))).status).toBe(201);
        await waitFor('the registration log line', () => /registered h:[0-9a-f]{12}/.test(server.output()));
        expect(server.output()).not.toContain('mallory-secret');
      });
    });
  });
}
