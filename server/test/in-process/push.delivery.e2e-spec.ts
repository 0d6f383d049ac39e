import { PushNotifier } from '../../src/push/push-notifier';
import { type InProcessServer, startInProcessServer } from '../support/in-process-server';
import { http } from '../support/kez-http';
import { readAll, registerUser, send, streamAuth, streamUrl, type TestUser } from '../support/inbox-client';
import { figure } from '../support/metrics';
import { checkPush, subscribed, vapidPublicKey } from '../support/push-client';
import { pushQueueIdle } from '../support/push-queue';
import { type Answer, PushReceiver } from '../support/push-receiver';
import { SseClient } from '../support/sse-client';
import { waitFor } from '../support/wait-for';

/**
 * Web Push for new messages, with a local push service. "No (further) push" is
 * proven by a later event and the server's own figures, never by waiting: in this
 * process a message's push decision is taken before its 201 (the in-process broker
 * hands it to the streams at once), so a push it wrongly started is queued ahead of
 * any later message's; once the later one's push is in and the push queue is idle
 * (pushQueueIdle), every push decided before it has reached the receiver too.
 */
describe('Web Push delivery of new messages (local push service)', () => {
  let server: InProcessServer;
  let receiver: PushReceiver;
  let users = 0;

  /** A user with `count` subscriptions on the receiver. */
  async function offlineUser(count = 1): Promise<{ user: TestUser; endpoints: string[] }> {
    const user = await registerUser(server.url, `push-${++users}`);
    const endpoints: string[] = [];
    for (let i = 0; i < count; i++) {
      endpoints.push(await subscribe(user));
    }
    return { user, endpoints };
  }

  /** A new subscription of `user` on the receiver; its endpoint. */
  async function subscribe(user: TestUser): Promise<string> {
    const subscription = receiver.subscription();
    await subscribed(server.url, user, subscription);
    return subscription.endpoint;
  }

  /** A user whose one subscription's push service answers `answers` in turn (then 201). */
  async function answering(...answers: Answer[]): Promise<{ user: TestUser; endpoint: string }> {
    const { user, endpoints } = await offlineUser();
    receiver.answer(endpoints[0], ...answers);
    return { user, endpoint: endpoints[0] };
  }

  /** Closes a stream and waits until the server has let go of it too (its open-streams gauge). */
  async function closeStream(stream: SseClient): Promise<void> {
    const open = await figure(server.url, 'kez_chat_open_streams');
    stream.close();
    await stream.ended;
    await waitFor('the server to let go of the stream', async () => (await figure(server.url, 'kez_chat_open_streams')) === open - 1);
  }

  /** Waits until the server has given up on `count` more pushes than `before` (its failed-pushes counter). */
  async function givenUp(before: number, count: number): Promise<void> {
    await waitFor(`${count} push(es) given up`, async () => (await figure(server.url, 'kez_chat_pushes_failed_total')) === before + count);
  }

  beforeAll(async () => {
    receiver = await PushReceiver.start();
    server = await startInProcessServer({ env: { KEZ_CHAT_PUSH_ALLOW_INSECURE: 'true', LOG_LEVEL: 'info' } });
    receiver.expectServerKey(await vapidPublicKey(server.url));
  });

  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
  });

  it('sends one empty, high-urgency push with a 24 h TTL and a valid VAPID JWT to each subscription of an offline recipient', async () => {
    const { user, endpoints } = await offlineUser(2);
    await send(server.url, user.handle, { v: 2, enc: 'e', ct: 'secret-ciphertext' });
    await waitFor('a push per subscription', () => endpoints.every((endpoint) => receiver.pushesTo(endpoint).length === 1));
    // Taken at the first attempt: nothing is left queued or waiting for a retry.
    await pushQueueIdle(server);
    for (const endpoint of endpoints) {
      expect(receiver.pushesTo(endpoint)).toHaveLength(1);
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
    await closeStream(stream);

    // The later event: a message once the stream is gone wakes every subscription.
    await send(server.url, user.handle, { n: 2 });
    await waitFor('a push per subscription', () => endpoints.every((endpoint) => receiver.pushesTo(endpoint).length > 0));
    await pushQueueIdle(server);
    // Exactly one push per subscription: the second message's; the streamed one woke nobody.
    expect(endpoints.map((endpoint) => receiver.pushesTo(endpoint).length)).toEqual([1, 1]);
  });

  it('stores and streams a message posted with "push": false but wakes no device', async () => {
    const { user, endpoints } = await offlineUser(2);
    const post = (body: unknown) => http(`${server.url}/v1/messages`, { method: 'POST', json: body });
    const quietPost = await post({ to: user.handle, envelope: { n: 'self-copy' }, push: false });
    expect(quietPost.status).toBe(201);
    const stream = await SseClient.open(streamUrl(server.url, user.handle, streamAuth(user, '0'), '0'));
    await stream.waitForMessages(1);
    await closeStream(stream);
    expect((await readAll(server.url, user)).map((m) => m.envelope)).toEqual([{ n: 'self-copy' }]);

    // The same offline recipient is woken by an ordinary message, so the silence was the flag's doing.
    expect((await post({ to: user.handle, envelope: { n: 'ordinary' }, push: true })).status).toBe(201);
    await waitFor('a push per subscription', () => endpoints.every((endpoint) => receiver.pushesTo(endpoint).length > 0));
    await pushQueueIdle(server);
    expect(endpoints.map((endpoint) => receiver.pushesTo(endpoint).length)).toEqual([1, 1]);
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
    // The later event: the device subscribes again (a new endpoint), and the next message wakes only that one.
    const renewed = await subscribe(user);
    await send(server.url, user.handle, { n: 2 });
    await waitFor('the push to the new subscription', () => receiver.pushesTo(renewed).length === 1);
    await pushQueueIdle(server);
    expect(receiver.pushesTo(endpoint)).toHaveLength(1);
  });

  it('retries after a 429 once its Retry-After has passed, not at once', async () => {
    const { user, endpoint } = await answering({ status: 429, retryAfter: '2' });
    await send(server.url, user.handle, { n: 1 });
    const notifier = server.app.get(PushNotifier);
    // Read together, in one turn of this (the server's) event loop: the retry waits on its timer, unsent.
    await waitFor('the retry to be scheduled', () => notifier.load().retryScheduled === 1);
    expect(receiver.pushesTo(endpoint)).toHaveLength(1);
    await waitFor('the retry', () => receiver.pushesTo(endpoint).length === 2, 10_000);
    expect(receiver.pushesTo(endpoint).map((push) => push.answered)).toEqual([429, 201]);
    expect((await checkPush(server.url, user, endpoint)).body.subscribed).toBe(true);
    // How long it waits is PushNotifier's unit test, on a fake clock (push-notifier.spec.ts).
  });

  it('gives up on a 429 whose Retry-After is beyond 10 minutes: a late wake-up is worthless', async () => {
    const before = await figure(server.url, 'kez_chat_pushes_failed_total');
    const { user, endpoint } = await answering({ status: 429, retryAfter: '3600' });
    await send(server.url, user.handle, { n: 1 });
    await givenUp(before, 1);
    await pushQueueIdle(server);
    expect(receiver.pushesTo(endpoint)).toHaveLength(1);
  });

  it('retries a 500 with backoff, and stops after three attempts', async () => {
    const before = await figure(server.url, 'kez_chat_pushes_failed_total');
    const flaky = await answering({ status: 500 });
    const down = await answering({ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 });
    await send(server.url, flaky.user.handle, { n: 1 });
    await send(server.url, down.user.handle, { n: 1 });
    await waitFor('the flaky push to get through', () => receiver.pushesTo(flaky.endpoint).some((push) => push.answered === 201), 10_000);
    // The failing one is given up (the server's count), and no retry of anything is left.
    await givenUp(before, 1);
    await pushQueueIdle(server);
    expect(receiver.pushesTo(flaky.endpoint)).toHaveLength(2);
    expect(receiver.pushesTo(down.endpoint)).toHaveLength(3);
    expect((await checkPush(server.url, down.user, down.endpoint)).body.subscribed).toBe(true);
  });

  it('never retries a 413', async () => {
    const before = await figure(server.url, 'kez_chat_pushes_failed_total');
    const { user, endpoint } = await answering({ status: 413 });
    await send(server.url, user.handle, { n: 1 });
    await givenUp(before, 1);
    await pushQueueIdle(server);
    expect(receiver.pushesTo(endpoint)).toHaveLength(1);
  });

  it('answers the message before any push service does', async () => {
    const held = await PushReceiver.start();
    const release = held.holdAnswers();
    try {
      held.expectServerKey(await vapidPublicKey(server.url));
      const user = await registerUser(server.url, `push-${++users}`);
      await subscribed(server.url, user, held.subscription());
      let answered = false;
      const posted = send(server.url, user.handle, { n: 1 }).then(() => (answered = true));
      // Order, not time: the 201 is in while the push service still holds its answer.
      await waitFor('the 201 while the push waits for its answer', () => answered && held.waiting === 1);
      expect(held.received).toEqual([]);
      release();
      await posted;
      await waitFor('the push, answered', () => held.received.length === 1);
      expect(held.received[0].answered).toBe(201);
    } finally {
      release();
      await held.close();
    }
  });
});
