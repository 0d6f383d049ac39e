import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';

import { NOSTR_KIND_DM } from '@kez/protocol';

import { registerUser, type TestUser } from '../support/inbox-client';
import { type InProcessServer, startInProcessServer } from '../support/in-process-server';
import { subscribed, vapidPublicKey } from '../support/push-client';
import { pushQueueIdle } from '../support/push-queue';
import { PushReceiver } from '../support/push-receiver';
import { countsBy, total } from '../support/metrics';
import { TestRelay } from '../support/nostr-relay';
import { waitFor } from '../support/wait-for';

const now = () => Math.floor(Date.now() / 1000);

/** A KEZ DM as a sender's client publishes it: kind 4243, the sealed envelope as content, `q` = recipient addr. */
function dm(recipientAddr: string, createdAt = now()) {
  return finalizeEvent(
    { kind: NOSTR_KIND_DM, created_at: createdAt, tags: [['q', recipientAddr]], content: '{"v":2,"enc":"…","ct":"…"}' },
    generateSecretKey(),
  );
}

/** How the server decided the nostr events it received so far, by result. */
const decisions = (url: string) => countsBy(url, 'kez_chat_nostr_events_total', 'result');

describe('nostr listener → Web Push', () => {
  let relay: TestRelay;
  let authRelay: TestRelay;
  let receiver: PushReceiver;
  let server: InProcessServer;
  let users = 0;

  /** A user registered after the server started, with `count` push subscriptions, once the relays listen for it. */
  async function recipient(count = 1): Promise<{ user: TestUser; endpoints: string[] }> {
    const user = await registerUser(server.url, `nostr-${++users}`);
    const endpoints: string[] = [];
    for (let i = 0; i < count; i++) {
      const subscription = receiver.subscription();
      await subscribed(server.url, user, subscription);
      endpoints.push(subscription.endpoint);
    }
    await relay.waitForSubscriber(user.identity.addr);
    await authRelay.waitForSubscriber(user.identity.addr);
    return { user, endpoints };
  }

  const pushesTo = (endpoints: string[]) => endpoints.flatMap((endpoint) => receiver.pushesTo(endpoint));

  beforeAll(async () => {
    relay = await TestRelay.start();
    authRelay = await TestRelay.start({ requireAuth: true });
    receiver = await PushReceiver.start();
    server = await startInProcessServer({
      env: { KEZ_CHAT_RELAYS: `${relay.url},${authRelay.url}`, KEZ_CHAT_PUSH_ALLOW_INSECURE: 'true', KEZ_CHAT_NOSTR_REFRESH: '1s' },
    });
    receiver.expectServerKey(await vapidPublicKey(server.url));
  });

  afterAll(async () => {
    await server?.stop();
    await Promise.all([relay?.close(), authRelay?.close(), receiver?.close()]);
  });

  it('wakes every subscription of a handle registered after start once per DM, with an empty VAPID push', async () => {
    const { user, endpoints } = await recipient(2);
    const before = await decisions(server.url);
    await relay.publish(dm(user.identity.addr));
    await waitFor('one push per subscription', () => pushesTo(endpoints).length === 2);
    // The server's own record: one DM decided, as one push decision; then its pushes are all out.
    await waitFor('the DM to be decided', async () => total(await decisions(server.url)) >= total(before) + 1);
    expect(((await decisions(server.url)).pushed ?? 0) - (before.pushed ?? 0)).toBe(1);
    await pushQueueIdle(server);
    const pushes = pushesTo(endpoints);
    expect(pushes.map((push) => push.endpoint).sort()).toEqual([...endpoints].sort());
    for (const push of pushes) {
      expect(push.problems).toEqual([]);
      expect(push.leaked).toBeUndefined();
      expect(push.ttl).toBe(86_400);
      expect(push.answered).toBe(201);
    }
  });

  it('ignores bad signatures, stale and future events, replays and unregistered addrs', async () => {
    const { user, endpoints } = await recipient();
    const addr = user.identity.addr;

    const genuine = dm(addr);
    await relay.publish(genuine);
    await waitFor('the genuine DM push', () => pushesTo(endpoints).length === 1);
    // Decided before its push was sent: the count every event after it is measured from.
    const before = await decisions(server.url);

    // Sent by a relay that checks nothing: a changed content, someone else's signature, the same event again.
    await relay.inject({ ...dm(addr), content: 'forged' });
    await relay.inject({ ...dm(addr), sig: dm(addr).sig });
    await relay.inject(genuine);
    await relay.publish(dm(addr, now() - 49 * 3600));
    await relay.publish(dm(addr, now() + 10 * 60));
    await relay.publish(dm(getPublicKey(generateSecretKey())));

    // A sentinel after them: the relay sends in order, and the listener refuses a bad
    // event before its first database read, so once the sentinel is decided, so is
    // everything before it. One push decision since the genuine DM: the sentinel's.
    await relay.publish(dm(addr));
    await waitFor('the sentinel push', () => pushesTo(endpoints).length >= 2);
    expect(((await decisions(server.url)).pushed ?? 0) - (before.pushed ?? 0)).toBe(1);
    await pushQueueIdle(server);
    expect(pushesTo(endpoints)).toHaveLength(2);
  });

  it('wakes once for a DM that arrives through two relays', async () => {
    const { user, endpoints } = await recipient();
    const event = dm(user.identity.addr);
    const before = await decisions(server.url);
    await Promise.all([relay.publish(event), authRelay.publish(event)]);
    await waitFor('the push', () => pushesTo(endpoints).length === 1);
    // Both copies decided (the positive signal), and only one of them as a push.
    let after: Record<string, number> = {};
    await waitFor('both copies to be decided', async () => total((after = await decisions(server.url))) >= total(before) + 2);
    expect((after.pushed ?? 0) - (before.pushed ?? 0)).toBe(1);
    expect(pushesTo(endpoints)).toHaveLength(1);
  });

  it('answers NIP-42 AUTH for relays that require it, with its own key', async () => {
    const { user, endpoints } = await recipient();
    expect(authRelay.authenticated.length).toBeGreaterThan(0);
    expect(new Set(authRelay.authenticated).size).toBe(1);
    expect(authRelay.authenticated[0]).toMatch(/^[0-9a-f]{64}$/);
    await authRelay.publish(dm(user.identity.addr));
    await waitFor('the push through the AUTH relay', () => pushesTo(endpoints).length === 1);
  });

  it('reconnects and re-subscribes when a relay restarts', async () => {
    const { user, endpoints } = await recipient();
    const port = relay.port;
    await relay.close();
    relay = await TestRelay.start({ port });
    await relay.waitForSubscriber(user.identity.addr);
    await relay.publish(dm(user.identity.addr));
    await waitFor('the push after reconnecting', () => pushesTo(endpoints).length === 1);
  });
});
