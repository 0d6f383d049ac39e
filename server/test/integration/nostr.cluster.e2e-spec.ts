import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';

import { NOSTR_KIND_DM } from '@kez/protocol';

import { registerUser } from '../support/inbox-client';
import { subscribed, vapidPublicKey } from '../support/push-client';
import { PushReceiver } from '../support/push-receiver';
import { TestRelay } from '../support/nostr-relay';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { waitFor } from '../support/wait-for';

function dm(recipientAddr: string) {
  return finalizeEvent(
    { kind: NOSTR_KIND_DM, created_at: Math.floor(Date.now() / 1000), tags: [['q', recipientAddr]], content: 'sealed' },
    generateSecretKey(),
  );
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 1_000));

describe('nostr listener in a cluster (two instances, one PostgreSQL)', () => {
  let db: TestDatabase;
  let relay: TestRelay;
  let receiver: PushReceiver;
  let a: ServerProcess;
  let b: ServerProcess;

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
    a = await startServerProcess({ env });
    b = await startServerProcess({ env });
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

    for (let i = 0; i < 5; i++) {
      await relay.publish(dm(alice.identity.addr));
    }
    await waitFor('five pushes', () => receiver.pushesTo(subscription.endpoint).length >= 5);
    await settle();
    expect(receiver.pushesTo(subscription.endpoint)).toHaveLength(5);
    expect(receiver.received.flatMap((push) => push.problems)).toEqual([]);

    await a.stop();
    await relay.publish(dm(alice.identity.addr));
    await waitFor('the push from the surviving instance', () => receiver.pushesTo(subscription.endpoint).length >= 6);
    await settle();
    expect(receiver.pushesTo(subscription.endpoint)).toHaveLength(6);
  });
});
