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
import { SseClient } from '../support/sse-client';

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

    it('keeps the stream, stores what is posted meanwhile, and delivers all of it exactly once, in order', async () => {
      const [holder, poster] = cluster.instances;
      const stream = await openStream(holder.url, bob);
      try {
        const before = await sendMany(poster.url, 'bob', 5, 'before');
        await stream.waitForMessages(5);

        await cluster.nats.stop('SIGKILL');
        // Posting never depends on NATS: each of these is stored and answered 201.
        const during = await sendMany(poster.url, 'bob', 5, 'during');
        expect((await http(`${poster.url}/v1/readyz`)).status).toBe(503);

        await cluster.nats.start();
        await Promise.all(cluster.instances.map((instance) => waitReady(instance)));
        // The client restored the stream's subscription by itself.
        await waitForSubscription(cluster, holder, 'kez.chat.inbox.bob');
        const after = await sendMany(poster.url, 'bob', 5, 'after');

        const all = [...before, ...during, ...after];
        await stream.waitForMessages(all.length);
        await settle();
        expect(seqsOf(stream)).toEqual(all);

        // A client resuming from any point gets the rest, once.
        const resumed = await openStream(poster.url, bob, during[1]);
        try {
          await resumed.waitForMessages(all.length - 7);
          await settle();
          expect(seqsOf(resumed)).toEqual(all.slice(7));
        } finally {
          resumed.close();
        }
      } finally {
        stream.close();
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
});
