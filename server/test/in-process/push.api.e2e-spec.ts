import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { registerUser, type TestUser } from '../support/inbox-client';
import { errorCode, http } from '../support/kez-http';
import { checkPush, pushAuth, subscribePush, unsubscribePush, vapidPublicKey } from '../support/push-client';
import { PushReceiver } from '../support/push-receiver';
import { type InProcessServer, startInProcessServer } from '../support/in-process-server';
import { waitFor } from '../support/wait-for';

const MAX_SUBSCRIPTIONS = 3;
let counter = 0;

/** A subscription on a public IP literal: valid without DNS, and never delivered to (no messages are sent in this file). */
function publicSubscription(keys: { p256dh: string; auth: string }) {
  return { endpoint: `https://1.1.1.1/push/test-${++counter}`, keys };
}

describe('Web Push API (https endpoints only, as in production)', () => {
  let server: InProcessServer;
  let receiver: PushReceiver;
  let keys: { p256dh: string; auth: string };
  let alice: TestUser;

  beforeAll(async () => {
    // The receiver only mints browser keys here; nothing is ever pushed to it.
    receiver = await PushReceiver.start();
    keys = receiver.subscription().keys;
    server = await startInProcessServer({ env: { KEZ_CHAT_PUSH_MAX_SUBSCRIPTIONS: String(MAX_SUBSCRIPTIONS), LOG_LEVEL: 'info' } });
    alice = await registerUser(server.url, 'alice');
  });

  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
  });

  it('GET /v1/push/vapid-public-key gives the uncompressed P-256 key, base64url', async () => {
    const result = await http(`${server.url}/v1/push/vapid-public-key`);
    expect(result.status).toBe(200);
    expect(Object.keys(result.body)).toEqual(['publicKey']);
    expect(result.body.publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
    const point = Buffer.from(result.body.publicKey, 'base64url');
    expect(point).toHaveLength(65);
    expect(point[0]).toBe(4);
  });

  it('subscribes with 201, answers 200 when the endpoint is already there, and reports it', async () => {
    const subscription = publicSubscription(keys);
    const first = await subscribePush(server.url, alice, subscription);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ subscribed: true });
    expect((await subscribePush(server.url, alice, subscription)).status).toBe(200);
    const check = await checkPush(server.url, alice, subscription.endpoint);
    expect(check.status).toBe(200);
    expect(check.body).toEqual({ subscribed: true });
  });

  it('accepts the JSON of a browser PushSubscription as it is, expirationTime included', async () => {
    const subscription = { ...publicSubscription(keys), expirationTime: null };
    expect((await subscribePush(server.url, alice, subscription)).status).toBe(201);
  });

  it('answers subscribed: false for an endpoint it does not have, and after unsubscribe (which is idempotent)', async () => {
    const subscription = publicSubscription(keys);
    expect((await checkPush(server.url, alice, subscription.endpoint)).body).toEqual({ subscribed: false });
    expect((await subscribePush(server.url, alice, subscription)).status).toBe(201);
    const removed = await unsubscribePush(server.url, alice, subscription.endpoint);
    expect(removed.status).toBe(200);
    expect((await checkPush(server.url, alice, subscription.endpoint)).body).toEqual({ subscribed: false });
    expect((await unsubscribePush(server.url, alice, subscription.endpoint)).status).toBe(200);
  });

  it('keeps subscriptions per handle: the same endpoint under another handle is another subscription', async () => {
    const bob = await registerUser(server.url, 'bob');
    const subscription = publicSubscription(keys);
    expect((await subscribePush(server.url, alice, subscription)).status).toBe(201);
    expect((await checkPush(server.url, bob, subscription.endpoint)).body).toEqual({ subscribed: false });
    expect((await subscribePush(server.url, bob, subscription)).status).toBe(201);
    await unsubscribePush(server.url, bob, subscription.endpoint);
    expect((await checkPush(server.url, alice, subscription.endpoint)).body).toEqual({ subscribed: true });
  });

  it(`keeps at most ${MAX_SUBSCRIPTIONS} subscriptions per handle, dropping the least recently subscribed`, async () => {
    const carol = await registerUser(server.url, 'carol');
    const subscriptions = Array.from({ length: MAX_SUBSCRIPTIONS + 1 }, () => publicSubscription(keys));
    for (const subscription of subscriptions.slice(0, MAX_SUBSCRIPTIONS)) {
      expect((await subscribePush(server.url, carol, subscription)).status).toBe(201);
    }
    // Re-announcing the first makes the second the oldest.
    expect((await subscribePush(server.url, carol, subscriptions[0])).status).toBe(200);
    expect((await subscribePush(server.url, carol, subscriptions[MAX_SUBSCRIPTIONS])).status).toBe(201);
    const states = await Promise.all(subscriptions.map(async (s) => (await checkPush(server.url, carol, s.endpoint)).body.subscribed));
    expect(states).toEqual([true, false, true, true]);
  });

  describe('X-KEZ-Auth is bound to the handle, the row and the endpoint', () => {
    it('refuses a signature made for endpoint A on a request for endpoint B with bad_signature', async () => {
      const a = publicSubscription(keys);
      const b = publicSubscription(keys);
      const subscribe = await subscribePush(server.url, alice, b, pushAuth(alice, 'pushSubscribe', a.endpoint));
      expect(subscribe.status).toBe(401);
      expect(errorCode(subscribe)).toBe('bad_signature');
      expect(errorCode(await checkPush(server.url, alice, b.endpoint, pushAuth(alice, 'pushCheck', a.endpoint)))).toBe('bad_signature');
      expect(errorCode(await unsubscribePush(server.url, alice, b.endpoint, pushAuth(alice, 'pushUnsubscribe', a.endpoint)))).toBe('bad_signature');
    });

    it('refuses a signature made for another row (subscribe used to check or unsubscribe)', async () => {
      const s = publicSubscription(keys);
      await subscribePush(server.url, alice, s);
      const replayed = pushAuth(alice, 'pushSubscribe', s.endpoint);
      expect(errorCode(await checkPush(server.url, alice, s.endpoint, replayed))).toBe('bad_signature');
      expect(errorCode(await unsubscribePush(server.url, alice, s.endpoint, replayed))).toBe('bad_signature');
      expect((await checkPush(server.url, alice, s.endpoint)).body).toEqual({ subscribed: true });
    });

    it('refuses another user’s signature, a missing or malformed header, and a stale timestamp', async () => {
      const mallory = await registerUser(server.url, 'mallory');
      const s = publicSubscription(keys);
      const forged = await subscribePush(server.url, alice, s, pushAuth({ ...mallory, handle: alice.handle }, 'pushSubscribe', s.endpoint));
      expect(errorCode(forged)).toBe('bad_signature');
      const missing = await http(`${server.url}/v1/push/subscribe/alice`, { method: 'POST', json: s });
      expect(missing.status).toBe(401);
      expect(errorCode(missing)).toBe('unauthorized');
      expect(errorCode(await subscribePush(server.url, alice, s, 'nonsense'))).toBe('unauthorized');
      const stale = await subscribePush(server.url, alice, s, pushAuth(alice, 'pushSubscribe', s.endpoint, Math.floor(Date.now() / 1000) - 120));
      expect(stale.status).toBe(401);
      expect(errorCode(stale)).toBe('stale_timestamp');
      expect((await checkPush(server.url, alice, s.endpoint)).body).toEqual({ subscribed: false });
    });

    it('answers 404 for an unknown handle and 400 for a malformed one', async () => {
      const ghost = { handle: 'ghost', identity: alice.identity };
      const s = publicSubscription(keys);
      const unknown = await subscribePush(server.url, ghost, s);
      expect(unknown.status).toBe(404);
      expect(errorCode(unknown)).toBe('not_found');
      const malformed = await http(`${server.url}/v1/push/subscribe/${encodeURIComponent('no way')}`, {
        method: 'POST',
        json: s,
        headers: { 'x-kez-auth': 'x' },
      });
      expect(malformed.status).toBe(400);
      expect(errorCode(malformed)).toBe('invalid_handle');
    });
  });

  describe('bodies', () => {
    it.each([
      ['no keys', (s: any) => delete s.keys],
      ['no endpoint', (s: any) => delete s.endpoint],
      ['an unknown field', (s: any) => (s.options = { userVisibleOnly: true })],
      ['a string expirationTime', (s: any) => (s.expirationTime = 'never')],
      ['a number as auth', (s: any) => (s.keys.auth = 5)],
    ])('refuses a subscription with %s as bad_request', async (_name, mutate) => {
      const s: any = publicSubscription({ ...keys });
      mutate(s);
      const result = await subscribePush(server.url, alice, s, pushAuth(alice, 'pushSubscribe', s.endpoint ?? ''));
      expect(result.status).toBe(400);
      expect(errorCode(result)).toBe('bad_request');
    });

    it('refuses keys that are not a P-256 point and a 16-byte secret with invalid_key', async () => {
      for (const bad of [
        { ...keys, p256dh: 'AAAA' },
        { ...keys, auth: 'AAAA' },
      ]) {
        const result = await subscribePush(server.url, alice, publicSubscription(bad));
        expect(result.status).toBe(400);
        expect(errorCode(result)).toBe('invalid_key');
      }
    });

    it('requires endpoint on the check', async () => {
      const result = await http(`${server.url}/v1/push/subscriptions/alice`, { headers: { 'x-kez-auth': pushAuth(alice, 'pushCheck', '') } });
      expect(result.status).toBe(400);
      expect(errorCode(result)).toBe('bad_request');
    });
  });

  describe('no server-side request forgery', () => {
    it.each([
      ['an https URL on loopback', 'https://127.0.0.1/x', /non-public/],
      ['an RFC 1918 address', 'https://10.0.0.1/x', /non-public/],
      ['a link-local address (cloud metadata)', 'https://169.254.169.254/latest/meta-data', /non-public/],
      ['a CGNAT address', 'https://100.64.0.1/x', /non-public/],
      ['IPv6 loopback', 'https://[::1]/x', /non-public/],
      ['an IPv6 ULA', 'https://[fd00::1]/x', /non-public/],
      ['the unspecified address', 'https://0.0.0.0/x', /non-public/],
      ['plain http', 'http://example.com/x', /https:/],
      ['a name that resolves to loopback', 'https://localhost/x', /localhost resolves to .*non-public/],
      ['a name that does not resolve', 'https://push.invalid/x', /does not resolve/],
      ['credentials in the URL', 'https://user:secret@1.1.1.1/x', /credentials/],
      ['not a URL', 'push-me', /not a URL/],
    ])('refuses %s with 400 bad_request and says why', async (_name, endpoint, reason) => {
      const result = await subscribePush(server.url, alice, { endpoint, keys });
      expect(result.status).toBe(400);
      expect(errorCode(result)).toBe('bad_request');
      expect(result.body.error.message).toMatch(reason);
      expect((await checkPush(server.url, alice, endpoint)).body).toEqual({ subscribed: false });
    });
  });

  it('never logs endpoints in clear', async () => {
    const s = publicSubscription(keys);
    await subscribePush(server.url, alice, s);
    await waitFor('the subscription log line', () => /push subscription 1\.1\.1\.1\/e:[0-9a-f]{12} created for h:[0-9a-f]{12}/.test(server.output()));
    expect(server.output()).not.toContain(new URL(s.endpoint).pathname);
    expect(server.output()).not.toContain(keys.p256dh);
  });
});

// A broken key file stopping the start with one line and exit code 1: process/lifecycle.e2e-spec.ts.
describe('the VAPID key', () => {
  it('is generated on first start (mode 0600) and kept across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kez-vapid-'));
    // An empty key path is the default: vapid.pem next to the SQLite file.
    const env = { KEZ_CHAT_DB: join(dir, 'kez.db'), KEZ_CHAT_VAPID_KEY_PATH: '' };
    const first = await startInProcessServer({ env });
    const key = await vapidPublicKey(first.url);
    await first.stop();
    expect(statSync(join(dir, 'vapid.pem')).mode & 0o777).toBe(0o600);
    const second = await startInProcessServer({ env });
    try {
      expect(await vapidPublicKey(second.url)).toBe(key);
    } finally {
      await second.stop();
    }
  });
});
