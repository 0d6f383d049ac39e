import {
  type Cluster,
  CLUSTER_SERVER_NAME,
  instanceWithStreams,
  natsConnections,
  sendMany,
  seqsOf,
  settle,
  startCluster,
  waitForSubscription,
  waitReady,
} from '../support/cluster';
import { readAll, registerUser, send, streamAuth, streamUrl, type TestUser } from '../support/inbox-client';
import { http } from '../support/kez-http';
import { subscribed, vapidPublicKey } from '../support/push-client';
import { PushReceiver } from '../support/push-receiver';
import { SseClient } from '../support/sse-client';
import { waitFor } from '../support/wait-for';

function openStream(url: string, user: TestUser, since?: number): Promise<SseClient> {
  const sinceText = since === undefined ? undefined : String(since);
  return SseClient.open(streamUrl(url, user.handle, streamAuth(user, sinceText), sinceText));
}

describe('cluster faults', () => {
  describe('NATS down when an instance starts', () => {
    let cluster: Cluster;

    beforeAll(async () => {
      cluster = await startCluster({ instances: 1, natsDown: true });
    });

    afterAll(async () => {
      await cluster?.stop();
    });

    it('serves anyway, reports nats down, and connects once NATS comes', async () => {
      const [instance] = cluster.instances;
      const ready = await http(`${instance.url}/v1/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ status: 'unavailable', checks: { database: 'ok', nats: 'down' } });

      // It serves: registration and posting work without NATS.
      const bob = await registerUser(instance.url, 'bob', CLUSTER_SERVER_NAME);
      const seq = await send(instance.url, 'bob', { v: 2, ct: 'while NATS is down' });
      expect((await readAll(instance.url, bob)).map((m) => m.seq)).toEqual([seq]);

      await cluster.nats.start();
      await waitReady(instance);
      expect((await http(`${instance.url}/v1/readyz`)).body.checks).toMatchObject({ database: 'ok', nats: 'ok' });
      expect((await natsConnections(cluster.nats)).map((c) => c.name)).toContain(`kez-chat/${CLUSTER_SERVER_NAME}/${instance.id}`);
    });
  });

  describe('NATS restarting under open streams', () => {
    let cluster: Cluster;
    let bob: TestUser;

    beforeAll(async () => {
      cluster = await startCluster({ instances: 2 });
      bob = await registerUser(cluster.instances[0].url, 'bob', CLUSTER_SERVER_NAME);
    });

    afterAll(async () => {
      await cluster?.stop();
    });

    it('keeps the stream, stores what is posted meanwhile, and delivers all of it exactly once, in order; no push while the stream is open, once NATS is back', async () => {
      const [holder, poster] = cluster.instances;
      const receiver = await PushReceiver.start();
      receiver.expectServerKey(await vapidPublicKey(poster.url));
      const subscription = receiver.subscription();
      await subscribed(poster.url, bob, subscription);
      const stream = await openStream(holder.url, bob);
      try {
        const before = await sendMany(poster.url, 'bob', 5, 'before');
        await stream.waitForMessages(5);

        await cluster.nats.stop('SIGKILL');
        // Posting never depends on NATS: each of these is stored and answered 201.
        const during = await sendMany(poster.url, 'bob', 5, 'during');
        expect((await http(`${poster.url}/v1/readyz`)).status).toBe(503);
        // Cut off from the holder, the poster cannot know of the stream: each of these wakes the devices.
        await waitFor('a push for each message posted while NATS was down', () => receiver.pushesTo(subscription.endpoint).length >= during.length);
        const pushesBefore = receiver.pushesTo(subscription.endpoint).length;

        await cluster.nats.start();
        await Promise.all(cluster.instances.map((instance) => waitReady(instance)));
        // The client restored the stream's subscription by itself.
        await waitForSubscription(cluster, holder, 'kez.chat.inbox.bob');
        const after = await sendMany(poster.url, 'bob', 5, 'after');

        const all = [...before, ...during, ...after];
        await stream.waitForMessages(all.length);
        await settle();
        expect(seqsOf(stream)).toEqual(all);
        // Past the poster's doubt window after reconnecting, it knows of the stream from presence again.
        await settle(3_000);
        const later = await sendMany(poster.url, 'bob', 3, 'later');
        await stream.waitForMessages(all.length + later.length);
        await settle(1_000);
        expect(receiver.pushesTo(subscription.endpoint)).toHaveLength(pushesBefore);

        // A client resuming from any point gets the rest, once.
        const resumed = await openStream(poster.url, bob, during[1]);
        try {
          const everything = [...all, ...later];
          await resumed.waitForMessages(everything.length - 7);
          await settle();
          expect(seqsOf(resumed)).toEqual(everything.slice(7));
        } finally {
          resumed.close();
        }
      } finally {
        stream.close();
        await receiver.close();
      }
    });
  });

  describe('an instance killed with SIGKILL behind nginx', () => {
    let cluster: Cluster;
    let bob: TestUser;

    beforeAll(async () => {
      cluster = await startCluster({ instances: 2, nginx: true });
      bob = await registerUser(cluster.url, 'bob', CLUSTER_SERVER_NAME);
    });

    afterAll(async () => {
      await cluster?.stop();
    });

    it('loses its streams, whose clients resume through nginx on another instance with nothing lost or doubled', async () => {
      const first = await openStream(cluster.url, bob);
      const victim = await instanceWithStreams(cluster);
      const before = await sendMany(cluster.url, 'bob', 6, 'before');
      await first.waitForMessages(before.length);

      await victim.process.stop('SIGKILL');
      await first.ended;
      // Posted while the client is away: nginx sends them to the survivor.
      const meanwhile = await sendMany(cluster.url, 'bob', 6, 'meanwhile');

      const received = seqsOf(first);
      const second = await openStream(cluster.url, bob, received[received.length - 1]);
      try {
        const after = await sendMany(cluster.url, 'bob', 6, 'after');
        const all = [...before, ...meanwhile, ...after];
        await second.waitForMessages(all.length - received.length);
        await settle();
        expect([...received, ...seqsOf(second)]).toEqual(all);
      } finally {
        first.close();
        second.close();
      }
    });
  });

  describe('an instance killed with SIGKILL while it holds a stream', () => {
    let cluster: Cluster;
    let carol: TestUser;
    let receiver: PushReceiver;

    beforeAll(async () => {
      cluster = await startCluster({ instances: 2 });
      carol = await registerUser(cluster.instances[0].url, 'carol', CLUSTER_SERVER_NAME);
      receiver = await PushReceiver.start();
    });

    afterAll(async () => {
      await receiver?.close();
      await cluster?.stop();
    });

    it('is forgotten with its stream once its presence expires, and pushes resume; nothing posted is lost', async () => {
      const [poster, victim] = cluster.instances;
      receiver.expectServerKey(await vapidPublicKey(poster.url));
      const subscription = receiver.subscription();
      await subscribed(poster.url, carol, subscription);

      const stream = await openStream(victim.url, carol);
      try {
        // Past the poster's first seconds, when it still confirms by asking: from now on it decides from presence alone.
        await settle(3_000);
        // The poster learns of the stream from the victim's announcement: no push while it is open.
        const streamed = await sendMany(poster.url, 'carol', 3, 'streamed');
        await stream.waitForMessages(streamed.length);
        await settle(1_000);
        expect(receiver.pushesTo(subscription.endpoint)).toHaveLength(0);

        await victim.process.stop('SIGKILL');
        await stream.ended;
        // The victim's entry outlives it until its TTL; after that every message pushes again.
        const meanwhile: number[] = [];
        await waitFor(
          'a push once the dead instance’s presence expired',
          async () => {
            meanwhile.push(await send(poster.url, 'carol', { v: 2, ct: `after the kill ${meanwhile.length}` }));
            return receiver.pushesTo(subscription.endpoint).length > 0;
          },
          60_000,
          1_000,
        );
        const pushesBefore = receiver.pushesTo(subscription.endpoint).length;
        await send(poster.url, 'carol', { v: 2, ct: 'one more' });
        await waitFor('the next message to push too', () => receiver.pushesTo(subscription.endpoint).length > pushesBefore);
        expect(receiver.pushesTo(subscription.endpoint).every((push) => push.problems.length === 0)).toBe(true);

        // Every message is stored: a client resuming on the survivor gets all of them.
        const resumed = await openStream(poster.url, carol, streamed[streamed.length - 1]);
        try {
          await resumed.waitForMessages(meanwhile.length + 1);
          await settle();
          expect(seqsOf(resumed).slice(0, meanwhile.length)).toEqual(meanwhile);
        } finally {
          resumed.close();
        }
      } finally {
        stream.close();
      }
    });
  });
});
