import { buildRegisterRequest, deriveIdentity, generateSeed } from '@kez/crypto';

import {
  type Cluster,
  CLUSTER_SERVER_NAME,
  instanceWithStreams,
  natsConnections,
  operatorConnection,
  sendMany,
  seqsOf,
  settle,
  startCluster,
} from '../support/cluster';
import { registerUser, send, streamAuth, streamUrl, type TestUser } from '../support/inbox-client';
import { errorCode, http } from '../support/kez-http';
import { metricsOf } from '../support/metrics';
import { subscribed, vapidPublicKey } from '../support/push-client';
import { PushReceiver } from '../support/push-receiver';
import { SseClient } from '../support/sse-client';
import { waitFor } from '../support/wait-for';

const now = () => Math.floor(Date.now() / 1000);

/** Pushes accepted by a push service, summed over the instances' `/v1/metrics`. */
async function pushesSent(cluster: Cluster): Promise<number> {
  const counts = await Promise.all(cluster.instances.map(async (i) => (await metricsOf(i.url)).get('kez_chat_pushes_sent_total')!));
  return counts.reduce((a, b) => a + b, 0);
}

describe('a cluster: three instances on one PostgreSQL, NATS between them, nginx in front', () => {
  let cluster: Cluster;
  let bob: TestUser;
  let carol: TestUser;
  const streams: SseClient[] = [];
  const openStream = async (url: string, user: TestUser) => {
    const stream = await SseClient.open(streamUrl(url, user.handle, streamAuth(user)));
    streams.push(stream);
    return stream;
  };

  beforeAll(async () => {
    cluster = await startCluster({ instances: 3, nginx: true });
    bob = await registerUser(cluster.url, 'bob', CLUSTER_SERVER_NAME);
    carol = await registerUser(cluster.url, 'carol', CLUSTER_SERVER_NAME);
  });

  afterEach(async () => {
    streams.splice(0).forEach((stream) => stream.close());
    // The next test starts with no stream open anywhere.
    await waitFor('every stream to close', async () => {
      const counts = await Promise.all(cluster.instances.map(async (i) => (await metricsOf(i.url)).get('kez_chat_open_streams')));
      return counts.every((count) => count === 0);
    });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('started every instance at once on a fresh database: migrations took turns, none failed', () => {
    for (const instance of cluster.instances) {
      expect(instance.process.output()).not.toMatch(/duplicate key|Unable to connect/);
    }
  });

  it('delivers posts that land on any instance to a stream held by one of them, exactly once and in order', async () => {
    const stream = await openStream(cluster.url, bob);
    const holder = await instanceWithStreams(cluster);
    const before = await Promise.all(cluster.instances.map(async (i) => (await metricsOf(i.url)).get('kez_chat_messages_accepted_total')!));

    const seqs = await sendMany(cluster.url, 'bob', 12, 'fanout');
    await stream.waitForMessages(seqs.length);
    await settle();
    expect(seqsOf(stream)).toEqual(seqs);

    // nginx's round robin put posts on the instances that do not hold the stream too.
    const after = await Promise.all(cluster.instances.map(async (i) => (await metricsOf(i.url)).get('kez_chat_messages_accepted_total')!));
    const acceptedElsewhere = cluster.instances.filter((instance, i) => instance !== holder && after[i] > before[i]);
    expect(acceptedElsewhere.length).toBeGreaterThan(0);
    expect(after.reduce((a, b) => a + b, 0) - before.reduce((a, b) => a + b, 0)).toBe(seqs.length);
  });

  it('reaches every stream of the recipient on every instance', async () => {
    const [first, second] = cluster.instances;
    const a = await openStream(first.url, bob);
    const b = await openStream(second.url, bob);
    const seqs = await sendMany(cluster.instances[2].url, 'bob', 5, 'both');
    await a.waitForMessages(5);
    await b.waitForMessages(5);
    expect(seqsOf(a)).toEqual(seqs);
    expect(seqsOf(b)).toEqual(seqs);
  });

  it('sends no push when a stream on another instance took the message, and exactly one when no stream is open anywhere', async () => {
    const receiver = await PushReceiver.start();
    try {
      receiver.expectServerKey(await vapidPublicKey(cluster.url));
      const subscription = receiver.subscription();
      await subscribed(cluster.url, carol, subscription);

      const stream = await openStream(cluster.url, carol);
      const holder = await instanceWithStreams(cluster);
      const elsewhere = cluster.instances.find((instance) => instance !== holder)!;
      await send(elsewhere.url, 'carol', { v: 2, ct: 'streamed' });
      await stream.waitForMessages(1);
      await settle(1_000);
      expect(receiver.pushesTo(subscription.endpoint)).toHaveLength(0);

      stream.close();
      await waitFor('the stream to close', async () => (await metricsOf(holder.url)).get('kez_chat_open_streams') === 0);
      const sentBefore = await pushesSent(cluster);
      await send(elsewhere.url, 'carol', { v: 2, ct: 'offline' });
      await waitFor('a push', () => receiver.pushesTo(subscription.endpoint).length > 0);
      await settle(1_000);
      const pushes = receiver.pushesTo(subscription.endpoint);
      expect(pushes).toHaveLength(1);
      expect(pushes[0].problems).toEqual([]);
      expect(await pushesSent(cluster)).toBe(sentBefore + 1);
    } finally {
      await receiver.close();
    }
  });

  it('lists every instance in $SRV.PING, $SRV.INFO and $SRV.STATS, with live figures', async () => {
    await openStream(cluster.instances[1].url, bob);
    await instanceWithStreams(cluster);
    const nc = await operatorConnection(cluster.nats);
    try {
      const services = nc.services.client();
      const collect = async <T>(iterator: AsyncIterable<T>) => {
        const all: T[] = [];
        for await (const item of iterator) {
          all.push(item);
        }
        return all;
      };
      const ids = (list: { metadata?: Record<string, string> }[]) => list.map((s) => s.metadata?.instance_id).sort();

      const pings = await collect(await services.ping('kez-chat'));
      expect(ids(pings)).toEqual(['i1', 'i2', 'i3']);
      expect(pings.every((ping) => ping.metadata?.server === CLUSTER_SERVER_NAME)).toBe(true);

      const infos = await collect(await services.info('kez-chat'));
      expect(ids(infos)).toEqual(['i1', 'i2', 'i3']);
      expect(infos[0].endpoints.map((e) => e.name)).toEqual(['figures']);

      const stats = await collect(await services.stats('kez-chat'));
      expect(ids(stats)).toEqual(['i1', 'i2', 'i3']);
      const figures = Object.fromEntries(stats.map((s) => [s.metadata?.instance_id, s.endpoints?.[0].data as Record<string, unknown>]));
      expect(figures.i2).toMatchObject({ instance_id: 'i2', open_streams: 1 });
      expect(figures.i1).toMatchObject({ open_streams: 0, pushes_sent: expect.any(Number), pushes_failed: expect.any(Number) });
      expect(figures.i1.messages_accepted).toEqual(expect.any(Number));
      expect(figures.i1.rate_limited).toEqual({ register: expect.any(Number), messages: expect.any(Number) });
    } finally {
      await nc.close();
    }
  });

  it('names each instance’s NATS connection in the monitoring /connz', async () => {
    const names = (await natsConnections(cluster.nats)).map((c) => c.name);
    for (const instance of cluster.instances) {
      expect(names).toContain(`kez-chat/${CLUSTER_SERVER_NAME}/${instance.id}`);
    }
  });

  it('serves /v1/metrics on each instance but not through the load balancer', async () => {
    expect((await metricsOf(cluster.instances[0].url)).get('kez_chat_nats_connected')).toBe(1);
    const front = await http(`${cluster.url}/v1/metrics`);
    expect(front.status).toBe(404);
    expect(errorCode(front)).toBe('not_found');
  });

  it('lets exactly one of many concurrent registrations of one handle win, across instances', async () => {
    const attempts = Array.from({ length: 12 }, (_, i) =>
      http(`${cluster.instances[i % cluster.instances.length].url}/v1/register`, {
        method: 'POST',
        json: buildRegisterRequest(deriveIdentity(generateSeed()), 'dave', CLUSTER_SERVER_NAME, now()),
      }),
    );
    const results = await Promise.all(attempts);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const losers = results.filter((r) => r.status !== 201);
    expect(losers.map((r) => r.status)).toEqual(new Array(11).fill(409));
    expect(new Set(losers.map(errorCode))).toEqual(new Set(['handle_taken']));
  });

  it('lets one primary register only one handle, under concurrency across instances', async () => {
    const identity = deriveIdentity(generateSeed());
    const results = await Promise.all(
      ['erin', 'frank', 'grace', 'heidi', 'ivan', 'judy'].map((handle, i) =>
        http(`${cluster.instances[i % cluster.instances.length].url}/v1/register`, {
          method: 'POST',
          json: buildRegisterRequest(identity, handle, CLUSTER_SERVER_NAME, now()),
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(new Set(results.filter((r) => r.status !== 201).map(errorCode))).toEqual(new Set(['primary_taken']));
  });
});
