import { nip17 } from 'nostr-tools';
import { generateSecretKey } from 'nostr-tools/pure';

import { type Cluster, CLUSTER_SERVER_NAME, startCluster } from '../support/cluster';
import { registerUser, type TestUser } from '../support/inbox-client';
import { http } from '../support/kez-http';
import { countsBy, figure, total } from '../support/metrics';
import { subscribed, vapidPublicKey } from '../support/push-client';
import { PushReceiver } from '../support/push-receiver';
import { RawRelayClient } from '../support/relay-client';
import { waitFor } from '../support/wait-for';

const now = () => Math.floor(Date.now() / 1000);
const wsUrl = (httpUrl: string) => `${httpUrl.replace(/^http/, 'ws')}/relay`;

describe('the inbox relay in a cluster: two instances on one PostgreSQL, NATS between them, nginx in front', () => {
  let cluster: Cluster;
  let receiver: PushReceiver;
  const clients: RawRelayClient[] = [];
  let users = 0;

  async function connect(url: string): Promise<RawRelayClient> {
    const client = await RawRelayClient.connect(url);
    clients.push(client);
    return client;
  }

  /** The cluster's Web Push decisions on relay events so far, summed over its instances, by result. */
  async function wakes(): Promise<Record<string, number>> {
    const sum: Record<string, number> = {};
    for (const instance of cluster.instances) {
      for (const [result, count] of Object.entries(await countsBy(instance.url, 'kez_chat_relay_wakes_total', 'result'))) {
        sum[result] = (sum[result] ?? 0) + count;
      }
    }
    return sum;
  }

  async function recipient(): Promise<{ user: TestUser; endpoint: string }> {
    const user = await registerUser(cluster.url, `relay-c${++users}`, CLUSTER_SERVER_NAME);
    const subscription = receiver.subscription();
    await subscribed(cluster.url, user, subscription);
    return { user, endpoint: subscription.endpoint };
  }

  beforeAll(async () => {
    receiver = await PushReceiver.start();
    cluster = await startCluster({ instances: 2, nginx: true });
    receiver.expectServerKey(await vapidPublicKey(cluster.url));
  });

  afterAll(async () => {
    clients.forEach((client) => client.close());
    await cluster?.stop();
    await receiver?.close();
  });

  it('passes the NIP-11 request and the WebSocket upgrade through nginx, with AUTH on the URL the client used', async () => {
    const info = await http(`${cluster.url}/relay`, { headers: { accept: 'application/nostr+json' } });
    expect(info.status).toBe(200);
    expect(JSON.parse(info.text).supported_nips).toContain(42);

    const { user } = await recipient();
    const client = await connect(wsUrl(cluster.url));
    expect(await client.auth(user.identity.nostrSecret)).toEqual([true, '']);
    const wrap = nip17.wrapEvent(generateSecretKey(), { publicKey: user.identity.addr }, 'through nginx');
    expect(await client.publish(wrap)).toEqual([true, '']);
    const { events, end } = await client.req('mine', { kinds: [1059], '#p': [user.identity.addr] });
    expect(end).toBe('EOSE');
    expect(events.map((e) => e.id)).toEqual([wrap.id]);
    expect(nip17.unwrapEvent(events[0], user.identity.nostrSecret).content).toBe('through nginx');
  });

  it('delivers an event posted to instance A to a live REQ on instance B, without a push while B has the reader', async () => {
    const [a, b] = cluster.instances;
    const { user, endpoint } = await recipient();
    const reader = await connect(wsUrl(b.url));
    expect(await reader.auth(user.identity.nostrSecret)).toEqual([true, '']);
    expect((await reader.req('live', { kinds: [1059], '#p': [user.identity.addr], since: now() - 3 * 86_400 })).end).toBe('EOSE');
    // A subscription for the same kinds by someone else on A sees nothing of it.
    const someone = await registerUser(cluster.url, `relay-c${++users}`, CLUSTER_SERVER_NAME);
    const other = await connect(wsUrl(a.url));
    expect(await other.auth(someone.identity.nostrSecret)).toEqual([true, '']);
    expect((await other.req('live', { kinds: [1059] })).end).toBe('EOSE');

    const sender = await connect(wsUrl(a.url));
    const before = await wakes();
    const wrap = nip17.wrapEvent(generateSecretKey(), { publicKey: user.identity.addr }, 'from A to B');
    expect(await sender.publish(wrap)).toEqual([true, '']);
    await waitFor('the event on instance B', () => reader.liveEvents('live').length === 1);
    expect(reader.liveEvents('live')[0].id).toBe(wrap.id);
    // The cluster's own decision: the recipient is reading (on B), so nobody is woken.
    await waitFor('the wake decision', async () => ((await wakes()).reading ?? 0) > (before.reading ?? 0));
    expect((await wakes()).pushed ?? 0).toBe(before.pushed ?? 0);
    // The later event for the other subscriber: its own wrap, sent after, is the first thing it gets.
    const own = nip17.wrapEvent(generateSecretKey(), { publicKey: someone.identity.addr }, 'for someone');
    expect(await sender.publish(own)).toEqual([true, '']);
    await waitFor('the other subscriber’s own event', () => other.liveEvents('live').length > 0);
    expect(other.liveEvents('live').map((e) => e.id)).toEqual([own.id]);
    expect(receiver.pushesTo(endpoint)).toEqual([]);

    // The reader leaves: the next DM wakes the user once for the whole cluster, whichever instance takes it.
    reader.close();
    await waitFor('the reader to be gone', () => reader.isClosed);
    // A learns of it from B's announcement; until then a DM finds the user reading. Each try
    // waits for its own wake decision, the cluster's answer to it.
    await waitFor('a DM that wakes the user once the reader left', async () => {
      const decided = await wakes();
      expect(await sender.publish(nip17.wrapEvent(generateSecretKey(), { publicKey: user.identity.addr }, 'anyone there?'))).toEqual([true, '']);
      let now: Record<string, number> = {};
      await waitFor('its wake decision', async () => total((now = await wakes())) > total(decided));
      return (now.pushed ?? 0) > (decided.pushed ?? 0);
    });
    await waitFor('the push', () => receiver.pushesTo(endpoint).length === 1);

    const last = nip17.wrapEvent(generateSecretKey(), { publicKey: user.identity.addr }, 'last');
    const pushed = (await wakes()).pushed ?? 0;
    expect(await sender.publish(last)).toEqual([true, '']);
    // The same event again through the other instance is a duplicate there: still one push for it.
    // An instance counts every event it stores before answering OK, and only a stored
    // event gets a wake decision: B's count standing still proves none was started there.
    const storedOnB = await figure(b.url, 'kez_chat_relay_events_accepted_total');
    const viaB = await connect(wsUrl(b.url));
    expect(await viaB.publish(last)).toEqual([true, expect.stringMatching(/^duplicate:/)]);
    expect(await figure(b.url, 'kez_chat_relay_events_accepted_total')).toBe(storedOnB);
    await waitFor('the push for the last DM', () => receiver.pushesTo(endpoint).length === 2);
    expect((await wakes()).pushed).toBe(pushed + 1);
  });

  it('loses nothing for a reader whose instance dies: it re-REQs with since elsewhere and gets what was sent meanwhile; pushes resume once its presence expires', async () => {
    const [a, b] = cluster.instances;
    const { user, endpoint } = await recipient();
    const reader = await connect(wsUrl(b.url));
    await reader.auth(user.identity.nostrSecret);
    const since = now() - 3 * 86_400;
    expect((await reader.req('live', { kinds: [1059], '#p': [user.identity.addr], since })).end).toBe('EOSE');
    await b.process.stop('SIGKILL');
    await waitFor('the reader to notice', () => reader.isClosed);

    const sender = await connect(wsUrl(a.url));
    const sent = [];
    for (const text of ['one', 'two']) {
      const wrap = nip17.wrapEvent(generateSecretKey(), { publicKey: user.identity.addr }, text);
      expect(await sender.publish(wrap)).toEqual([true, '']);
      sent.push(wrap.id);
    }
    // Through nginx, which now skips the dead instance.
    const again = await connect(wsUrl(cluster.url));
    await again.auth(user.identity.nostrSecret);
    const { events } = await again.req('again', { kinds: [1059], '#p': [user.identity.addr], since });
    expect(events.map((e) => e.id).sort()).toEqual([...sent].sort());
    again.close();
    await waitFor('that reader to be gone too', () => again.isClosed);

    // A's table still names the dead instance's reader until its announcements are
    // 15 s overdue; after that a DM wakes the user again.
    await waitFor(
      'a push once the dead instance’s reader expired',
      async () => {
        await sender.publish(nip17.wrapEvent(generateSecretKey(), { publicKey: user.identity.addr }, 'after the kill'));
        return receiver.pushesTo(endpoint).length > 0;
      },
      60_000,
      1_000,
    );
  }, 90_000);
});

describe('relay rate limits in a cluster', () => {
  let cluster: Cluster;
  const clients: RawRelayClient[] = [];

  beforeAll(async () => {
    cluster = await startCluster({ instances: 2, env: { KEZ_CHAT_RATE_RELAY: '6/min' } });
  });

  afterAll(async () => {
    clients.forEach((client) => client.close());
    await cluster?.stop();
  });

  it('hold for the whole cluster: an address gets the limit once, not once per instance', async () => {
    const [a, b] = await Promise.all(cluster.instances.map((instance) => RawRelayClient.connect(wsUrl(instance.url))));
    clients.push(a, b);
    const ends: string[] = [];
    for (let i = 0; i < 8; i++) {
      ends.push((await (i % 2 === 0 ? a : b).req(`s${i}`, { kinds: [0] })).end);
    }
    expect(ends).toEqual(['EOSE', 'EOSE', 'EOSE', 'EOSE', 'EOSE', 'EOSE', 'CLOSED', 'CLOSED']);
  });
});
