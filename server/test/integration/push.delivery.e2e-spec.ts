import { http } from '../support/kez-http';
import { readAll, registerUser, send, streamAuth, streamUrl, type TestUser } from '../support/inbox-client';
import { checkPush, subscribed, vapidPublicKey } from '../support/push-client';
import { type Answer, PushReceiver } from '../support/push-receiver';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { SseClient } from '../support/sse-client';
import { waitFor } from '../support/wait-for';

/** Long enough for a push that should not happen to have shown up (retries start after about a second). */
const quiet = (ms = 2_500) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Web Push delivery of new messages (local push service)', () => {
  let server: ServerProcess;
  let receiver: PushReceiver;
  let users = 0;

  /** A user with `count` subscriptions on the receiver. */
  async function offlineUser(count = 1): Promise<{ user: TestUser; endpoints: string[] }> {
    const user = await registerUser(server.url, `push-${++users}`);
    const endpoints: string[] = [];
    for (let i = 0; i < count; i++) {
      const subscription = receiver.subscription();
      await subscribed(server.url, user, subscription);
      endpoints.push(subscription.endpoint);
    }
    return { user, endpoints };
  }

  /** A user whose one subscription's push service answers `answers` in turn (then 201). */
  async function answering(...answers: Answer[]): Promise<{ user: TestUser; endpoint: string }> {
    const { user, endpoints } = await offlineUser();
    receiver.answer(endpoints[0], ...answers);
    return { user, endpoint: endpoints[0] };
  }

  beforeAll(async () => {
    receiver = await PushReceiver.start();
    server = await startServerProcess({ env: { KEZ_CHAT_PUSH_ALLOW_INSECURE: 'true', LOG_LEVEL: 'info' } });
    receiver.expectServerKey(await vapidPublicKey(server.url));
  });

  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
  });

  it('sends one empty, high-urgency push with a 24 h TTL and a valid VAPID JWT to each subscription of an offline recipient', async () => {
    const { user, endpoints } = await offlineUser(2);
    const started = Date.now();
    await send(server.url, user.handle, { v: 2, enc: 'e', ct: 'secret-ciphertext' });
    await waitFor('a push per subscription', () => endpoints.every((endpoint) => receiver.pushesTo(endpoint).length === 1));
    expect(Date.now() - started).toBeLessThan(5_000);
    for (const endpoint of endpoints) {
      const [push] = receiver.pushesTo(endpoint);
      expect(push.problems).toEqual([]);
      expect(push.leaked).toBeUndefined();
      expect(push.ttl).toBe(86_400);
      expect(push.headers.urgency).toBe('high');
      expect(push.headers['content-length']).toBe('0');
    }
    expect(server.output()).not.toContain(new URL(endpoints[0]).pathname);
  });

  it('sends no push while the recipient has a stream open, and one per subscription once it is closed', async () => {
    const { user, endpoints } = await offlineUser(2);
    const stream = await SseClient.open(streamUrl(server.url, user.handle, streamAuth(user)));
    await send(server.url, user.handle, { n: 1 });
    await stream.waitForMessages(1);
    stream.close();
    await stream.ended;
    await quiet(500);
    expect(endpoints.flatMap((endpoint) => receiver.pushesTo(endpoint))).toEqual([]);

    await waitFor('the stream to be gone from the broker', async () => {
      await send(server.url, user.handle, { n: 2 });
      await quiet(300);
      return endpoints.every((endpoint) => receiver.pushesTo(endpoint).length > 0);
    });
    await quiet(500);
    const sends = endpoints.map((endpoint) => receiver.pushesTo(endpoint).length);
    // Exactly one push per subscription for every message posted after the stream closed.
    expect(new Set(sends).size).toBe(1);
  });

  it('stores and streams a message posted with "push": false but wakes no device', async () => {
    const { user, endpoints } = await offlineUser(2);
    const post = (body: unknown) => http(`${server.url}/v1/messages`, { method: 'POST', json: body });
    const quietPost = await post({ to: user.handle, envelope: { n: 'self-copy' }, push: false });
    expect(quietPost.status).toBe(201);
    const stream = await SseClient.open(streamUrl(server.url, user.handle, streamAuth(user, '0'), '0'));
    await stream.waitForMessages(1);
    stream.close();
    await stream.ended;
    await quiet();
    expect(endpoints.flatMap((endpoint) => receiver.pushesTo(endpoint))).toEqual([]);
    expect((await readAll(server.url, user)).map((m) => m.envelope)).toEqual([{ n: 'self-copy' }]);

    // The same offline recipient is woken by an ordinary message, so the silence above was the flag's doing.
    expect((await post({ to: user.handle, envelope: { n: 'ordinary' }, push: true })).status).toBe(201);
    await waitFor('a push per subscription', () => endpoints.every((endpoint) => receiver.pushesTo(endpoint).length === 1));
  });

  it.each(['false', 0, null, {}])('refuses "push": %p with bad_request and stores nothing', async (value) => {
    const { user } = await offlineUser(0);
    const result = await http(`${server.url}/v1/messages`, { method: 'POST', json: { to: user.handle, envelope: { n: 1 }, push: value } });
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe('bad_request');
    expect(await readAll(server.url, user)).toEqual([]);
  });

  it.each([404, 410] as const)('deletes the subscription when the push service answers %i', async (status) => {
    const { user, endpoint } = await answering({ status });
    await send(server.url, user.handle, { n: 1 });
    await waitFor('the push', () => receiver.pushesTo(endpoint).length === 1);
    await waitFor('the subscription to be gone', async () => (await checkPush(server.url, user, endpoint)).body.subscribed === false);
    await send(server.url, user.handle, { n: 2 });
    await quiet(1_000);
    expect(receiver.pushesTo(endpoint)).toHaveLength(1);
  });

  it('retries after a 429 no sooner than its Retry-After', async () => {
    const { user, endpoint } = await answering({ status: 429, retryAfter: '2' });
    await send(server.url, user.handle, { n: 1 });
    await waitFor('the retry', () => receiver.pushesTo(endpoint).length === 2, 10_000);
    const [first, second] = receiver.pushesTo(endpoint);
    expect(second.at - first.at).toBeGreaterThanOrEqual(2_000);
    expect(second.answered).toBe(201);
    expect((await checkPush(server.url, user, endpoint)).body.subscribed).toBe(true);
  });

  it('retries a 500 with backoff, and stops after three attempts', async () => {
    const flaky = await answering({ status: 500 });
    const down = await answering({ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 });
    await send(server.url, flaky.user.handle, { n: 1 });
    await send(server.url, down.user.handle, { n: 1 });
    await waitFor('the flaky push to get through', () => receiver.pushesTo(flaky.endpoint).some((push) => push.answered === 201), 10_000);
    await waitFor('three attempts at the failing one', () => receiver.pushesTo(down.endpoint).length === 3, 10_000);
    await quiet(5_000);
    expect(receiver.pushesTo(flaky.endpoint)).toHaveLength(2);
    expect(receiver.pushesTo(down.endpoint)).toHaveLength(3);
    expect((await checkPush(server.url, down.user, down.endpoint)).body.subscribed).toBe(true);
  });

  it('never retries a 413', async () => {
    const { user, endpoint } = await answering({ status: 413 });
    await send(server.url, user.handle, { n: 1 });
    await waitFor('the push', () => receiver.pushesTo(endpoint).length === 1);
    await quiet();
    expect(receiver.pushesTo(endpoint)).toHaveLength(1);
  });

  it('answers the message before any push service does', async () => {
    const slow = await PushReceiver.start({ delayMs: 3_000 });
    try {
      slow.expectServerKey(await vapidPublicKey(server.url));
      const user = await registerUser(server.url, `push-${++users}`);
      await subscribed(server.url, user, slow.subscription());
      const started = Date.now();
      await send(server.url, user.handle, { n: 1 });
      expect(Date.now() - started).toBeLessThan(1_500);
    } finally {
      await slow.close();
    }
  });
});
