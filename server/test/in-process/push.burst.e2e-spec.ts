import { registerUser, send, type TestUser } from '../support/inbox-client';
import { type InProcessServer, startInProcessServer } from '../support/in-process-server';
import { figure } from '../support/metrics';
import { subscribed, vapidPublicKey } from '../support/push-client';
import { pushQueueIdle } from '../support/push-queue';
import { PushReceiver } from '../support/push-receiver';
import { waitFor } from '../support/wait-for';

const HANDLES = 100;
const SUBSCRIPTIONS_PER_HANDLE = 3;
const MESSAGES = 1_000;

describe('a burst of messages to offline handles', () => {
  let server: InProcessServer;
  let receiver: PushReceiver;

  beforeAll(async () => {
    // Each answer is held back a little so that requests overlap and the concurrency bound is tested.
    receiver = await PushReceiver.start({ delayMs: 10 });
    server = await startInProcessServer({
      env: {
        KEZ_CHAT_PUSH_ALLOW_INSECURE: 'true',
        KEZ_CHAT_RATE_MESSAGES: '100000/sec',
        // The server, the 50 senders and the receiver share one event loop here: on a busy machine an
        // answer can wait past the 10 s default, and the retry after a timeout is a push sent twice,
        // which is the timeout's behaviour (PushNotifier's unit tests), not this test's subject.
        KEZ_CHAT_PUSH_TIMEOUT: '120s',
      },
    });
    receiver.expectServerKey(await vapidPublicKey(server.url));
  });

  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
  });

  it(`pushes exactly ${MESSAGES * SUBSCRIPTIONS_PER_HANDLE} times, never more than 32 at once`, async () => {
    const users: TestUser[] = [];
    for (let batch = 0; batch < HANDLES; batch += 10) {
      const registered = await Promise.all(
        Array.from({ length: 10 }, async (_, i) => {
          const user = await registerUser(server.url, `burst-${batch + i}`);
          await Promise.all(Array.from({ length: SUBSCRIPTIONS_PER_HANDLE }, () => subscribed(server.url, user, receiver.subscription())));
          return user;
        }),
      );
      users.push(...registered);
    }
    const expected = MESSAGES * SUBSCRIPTIONS_PER_HANDLE;
    // 50 senders in parallel, 1,000 messages spread evenly over the handles.
    let next = 0;
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < MESSAGES) {
          const n = next++;
          await send(server.url, users[n % HANDLES].handle, { n });
        }
      }),
    );
    await waitFor(`${expected} pushes (have ${receiver.received.length})`, () => receiver.received.length >= expected, 90_000);
    // The server's own count of pushes a push service took, and its queue idle: every
    // push it decided on has been sent, and each was sent once.
    await pushQueueIdle(server);
    expect(await figure(server.url, 'kez_chat_pushes_sent_total')).toBe(expected);
    expect(await figure(server.url, 'kez_chat_pushes_retried_total')).toBe(0);
    expect(receiver.received).toHaveLength(expected);
    expect(receiver.maxConcurrent).toBeLessThanOrEqual(32);
    expect(receiver.maxConcurrent).toBeGreaterThan(1);
    expect(receiver.received.filter((push) => push.problems.length > 0)).toEqual([]);
    // Every subscription got one push per message to its handle.
    const perEndpoint = new Map<string, number>();
    for (const push of receiver.received) {
      perEndpoint.set(push.endpoint, (perEndpoint.get(push.endpoint) ?? 0) + 1);
    }
    expect(new Set(perEndpoint.values())).toEqual(new Set([MESSAGES / HANDLES]));
  }, 180_000);
});
