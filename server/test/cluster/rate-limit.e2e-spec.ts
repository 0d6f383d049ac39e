import { LEASE_OPTIONS } from '../../src/rate-limit/nats-rate-limit.store';
import { type Cluster, CLUSTER_SERVER_NAME, startCluster } from '../support/cluster';
import { registerUser } from '../support/inbox-client';
import { errorCode, http, type HttpResult } from '../support/kez-http';
import { metricsOf } from '../support/metrics';
import { waitFor } from '../support/wait-for';

/** A bucket of 6 that refills one token every 10 s: nothing refills during a test. */
const LIMIT = 6;

/** Posts one message as the client `ip` (nginx appends its own peer address, which the instances trust). */
function post(url: string, ip: string, n: number): Promise<HttpResult> {
  return http(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-forwarded-for': ip },
    json: { to: 'bob', envelope: { v: 2, ct: `rate-${n}` } },
  });
}

async function statuses(url: string, ip: string, count: number): Promise<number[]> {
  const result: number[] = [];
  for (let i = 0; i < count; i++) {
    const answer = await post(url, ip, i);
    if (answer.status === 429) {
      expect(errorCode(answer)).toBe('rate_limited');
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    result.push(answer.status);
  }
  return result;
}

const allowedThenRefused = (allowed: number, total: number) => [...new Array(allowed).fill(201), ...new Array(total - allowed).fill(429)];

async function refusedCounts(cluster: Cluster): Promise<number[]> {
  return Promise.all(cluster.instances.map(async (i) => (await metricsOf(i.url)).get('kez_chat_rate_limited_total{rule="messages"}')!));
}

describe('the message rate limit across a cluster', () => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await startCluster({ instances: 2, nginx: true, env: { KEZ_CHAT_RATE_MESSAGES: `${LIMIT}/min` } });
    await registerUser(cluster.url, 'bob', CLUSTER_SERVER_NAME);
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('limits one client as one, however nginx spreads its posts over the instances', async () => {
    const refusedBefore = await refusedCounts(cluster);
    expect(await statuses(cluster.url, '203.0.113.50', 2 * LIMIT)).toEqual(allowedThenRefused(LIMIT, 2 * LIMIT));
    // Round robin: both instances refused some, each counting against the one shared bucket.
    const refusedAfter = await refusedCounts(cluster);
    refusedAfter.forEach((count, i) => expect(count).toBeGreaterThan(refusedBefore[i]));
    // Another client is not affected.
    expect((await post(cluster.url, '203.0.113.51', 0)).status).toBe(201);
  });

  it('never allows more than the limit to a client posting concurrently, whatever the instances lease ahead', async () => {
    const ip = '203.0.113.53';
    const burst = await Promise.all(Array.from({ length: 4 * LIMIT }, (_, n) => post(cluster.url, ip, n)));
    const allowedInBurst = burst.filter((answer) => answer.status === 201).length;
    expect(allowedInBurst).toBeLessThanOrEqual(LIMIT);
    // Past a lease's lifetime every token an instance held back is in the shared bucket again.
    await new Promise((resolve) => setTimeout(resolve, 2 * LEASE_OPTIONS.lifetimeMs));
    const later = await statuses(cluster.url, ip, 2 * LIMIT);
    expect(allowedInBurst + later.filter((status) => status === 201).length).toBe(LIMIT);
  });

  it('falls back to a limit per instance while NATS is down: never no limit, never refusing everyone', async () => {
    await cluster.nats.stop();
    try {
      for (const instance of cluster.instances) {
        await waitFor(`${instance.id} to see NATS gone`, async () => (await http(`${instance.url}/v1/readyz`)).body.checks?.nats === 'down');
      }
      // Straight to each instance (as nginx would route), one client: each instance allows its own bucket.
      for (const instance of cluster.instances) {
        expect(await statuses(instance.url, '198.51.100.7', LIMIT + 2)).toEqual(allowedThenRefused(LIMIT, LIMIT + 2));
      }
      expect((await post(cluster.url, '203.0.113.52', 0)).status).toBe(201);
    } finally {
      await cluster.nats.start();
    }
  });
});
