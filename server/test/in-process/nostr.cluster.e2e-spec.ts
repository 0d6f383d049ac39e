import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';

import { NOSTR_KIND_DM } from '@kez/protocol';

import { registerUser } from '../support/inbox-client';
import { type InProcessServer, startInProcessServer } from '../support/in-process-server';
import { countsBy, total } from '../support/metrics';
import { subscribed, vapidPublicKey } from '../support/push-client';
import { pushQueueIdle } from '../support/push-queue';
import { PushReceiver } from '../support/push-receiver';
import { TestRelay } from '../support/nostr-relay';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { waitFor } from '../support/wait-for';

function dm(recipientAddr: string) {
  return finalizeEvent(
    { kind: NOSTR_KIND_DM, created_at: Math.floor(Date.now() / 1000), tags: [['q', recipientAddr]], content: 'sealed' },
    generateSecretKey(),
  );
}

/** How an instance decided the DMs it received from the relay, by result. */
const decisions = (server: InProcessServer) => countsBy(server.url, 'kez_chat_nostr_events_total', 'result');

/**
 * Waits until every instance in `servers` has decided `count` DMs since `before`
 * (every instance hears every DM from the relay), and says how many of those each
 * pushed; their pushes are out once the instances' push queues are idle.
 */
async function decided(servers: InProcessServer[], before: Record<string, number>[], count: number): Promise<number> {
  let pushed = 0;
  await waitFor(`${count} DMs decided on each instance`, async () => {
    const now = await Promise.all(servers.map(decisions));
    pushed = now.reduce((sum, counts, i) => sum + (counts.pushed ?? 0) - (before[i].pushed ?? 0), 0);
    return now.every((counts, i) => total(counts) - total(before[i]) >= count);
  });
  await Promise.all(servers.map(pushQueueIdle));
  return pushed;
}

/**
 * Two instances in this process on one PostgreSQL database, with their own pools,
 * listeners and push queues, as two hosts would run them; one is lost by shutting
 * it down as SIGTERM would.
 */
describe('nostr listener in a cluster (two instances, one PostgreSQL)', () => {
  let db: TestDatabase;
  let relay: TestRelay;
  let receiver: PushReceiver;
  let a: InProcessServer;
  let b: InProcessServer;

  beforeAll(async () => {
    db = await createTestDatabase();
    relay = await TestRelay.start();
    receiver = await PushReceiver.start();
    // Instances of a cluster share the database and the VAPID key file.
    const env = {
      KEZ_CHAT_DB: db.url,
      KEZ_CHAT_VAPID_KEY_PATH: join(mkdtempSync(join(tmpdir(), 'kez-cluster-')), 'vapid.pem'),
      KEZ_CHAT_RELAYS: relay.url,
      KEZ_CHAT_PUSH_ALLOW_INSECURE: 'true',
      KEZ_CHAT_NOSTR_REFRESH: '1s',
    };
    a = await startInProcessServer({ env });
    b = await startInProcessServer({ env });
    const key = await vapidPublicKey(a.url);
    expect(await vapidPublicKey(b.url)).toBe(key);
    receiver.expectServerKey(key);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await Promise.all([relay?.close(), receiver?.close()]);
    await db?.drop();
  });

  it('pushes each DM once although every instance listens, and keeps listening when one instance is lost', async () => {
    // Registered through A; B learns of the addr from the database on its next refresh.
    const alice = await registerUser(a.url, 'alice');
    const subscription = receiver.subscription();
    await subscribed(b.url, alice, subscription);
    await relay.waitForSubscriber(alice.identity.addr, 2);

    const before = await Promise.all([a, b].map(decisions));
    for (let i = 0; i < 5; i++) {
      await relay.publish(dm(alice.identity.addr));
    }
    await waitFor('five pushes', () => receiver.pushesTo(subscription.endpoint).length >= 5);
    // Each DM decided on both instances, pushed by exactly one of them.
    expect(await decided([a, b], before, 5)).toBe(5);
    expect(receiver.pushesTo(subscription.endpoint)).toHaveLength(5);
    expect(receiver.received.flatMap((push) => push.problems)).toEqual([]);

    await a.stop();
    const survivor = [await decisions(b)];
    await relay.publish(dm(alice.identity.addr));
    await waitFor('the push from the surviving instance', () => receiver.pushesTo(subscription.endpoint).length >= 6);
    expect(await decided([b], survivor, 1)).toBe(1);
    expect(receiver.pushesTo(subscription.endpoint)).toHaveLength(6);
  });
});
