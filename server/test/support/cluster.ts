import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { connect, type NatsConnection } from 'nats';

import { send } from './inbox-client';
import { http } from './kez-http';
import { metricsOf } from './metrics';
import { startNatsServer, type NatsServer } from './nats-server';
import { startNginx, type Nginx } from './nginx';
import { createTestDatabase, type TestDatabase } from './postgres';
import { startServerProcess, type ServerProcess } from './server-process';
import type { SseClient } from './sse-client';
import { waitFor } from './wait-for';

export const CLUSTER_SERVER_NAME = 'chat.test';

export interface Instance {
  id: string;
  process: ServerProcess;
  url: string;
}

/** NATS, one fresh PostgreSQL database, N server instances and (optionally) nginx in front: all real processes on loopback. */
export interface Cluster {
  nats: NatsServer;
  db: TestDatabase;
  instances: Instance[];
  nginx?: Nginx;
  /** nginx's URL when there is one. */
  url: string;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  instances: number;
  nginx?: boolean;
  env?: Record<string, string>;
  /** Start instances before NATS is up (NATS is then started by the test). */
  natsDown?: boolean;
}

/**
 * Starts a cluster the way production runs it. Instances start together on a
 * fresh database, as an orchestrator starting them all would, so their
 * migrations race.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const nats = await startNatsServer();
  const db = await createTestDatabase().catch(async (error: unknown) => {
    await nats.dispose();
    throw error;
  });
  const instances: Instance[] = [];
  let nginx: Nginx | undefined;
  const env = {
    KEZ_CHAT_SERVER: CLUSTER_SERVER_NAME,
    KEZ_CHAT_DB: db.url,
    KEZ_CHAT_NATS_URL: nats.url,
    KEZ_CHAT_TRUST_PROXY: '127.0.0.1/32',
    // Without it, a failed first start would retry quietly and hide a migration race.
    KEZ_CHAT_DB_CONNECT_ATTEMPTS: '1',
    // One VAPID key for the cluster: browsers' subscriptions are bound to it.
    KEZ_CHAT_VAPID_KEY_PATH: join(mkdtempSync(join(tmpdir(), 'kez-cluster-')), 'vapid.pem'),
    // The test's push receiver is a plain-HTTP loopback service.
    KEZ_CHAT_PUSH_ALLOW_INSECURE: 'true',
    ...options.env,
  };
  const stop = async () => {
    await nginx?.stop();
    await Promise.all(instances.map((instance) => instance.process.stop()));
    await nats.dispose();
    await db.drop();
  };
  try {
    if (options.natsDown) {
      await nats.stop();
    }
    const ids = Array.from({ length: options.instances }, (_, i) => `i${i + 1}`);
    const started = await Promise.allSettled(ids.map((id) => startServerProcess({ env: { ...env, KEZ_CHAT_INSTANCE_ID: id } })));
    started.forEach((result, i) => {
      if (result.status === 'fulfilled') {
        instances.push({ id: ids[i], process: result.value, url: result.value.url });
      }
    });
    const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) {
      throw failed.reason;
    }
    if (!options.natsDown) {
      await Promise.all(instances.map((instance) => waitReady(instance)));
    }
    if (options.nginx) {
      nginx = await startNginx(instances.map((instance) => `127.0.0.1:${instance.process.port}`));
    }
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return { nats, db, instances, nginx, url: nginx?.url ?? instances[0].url, stop };
}

/** Until `/v1/readyz` says ok for everything, NATS included. */
export function waitReady(instance: Instance, timeoutMs = 20_000): Promise<void> {
  return waitFor(`${instance.id} to be ready`, async () => (await http(`${instance.url}/v1/readyz`)).status === 200, timeoutMs);
}

/** The instance that holds `count` open streams now (one must). */
export async function instanceWithStreams(cluster: Cluster, count = 1): Promise<Instance> {
  let found: Instance | undefined;
  await waitFor(`an instance with ${count} open stream(s)`, async () => {
    for (const instance of cluster.instances) {
      if ((await metricsOf(instance.url)).get('kez_chat_open_streams') === count) {
        found = instance;
        return true;
      }
    }
    return false;
  });
  return found!;
}

/** The names and subscriptions of the connections NATS monitoring lists (`/connz?subs=1`). */
export async function natsConnections(nats: NatsServer): Promise<{ name?: string; subscriptions_list?: string[] }[]> {
  const result = await http(`${nats.monitorUrl}/connz?subs=1`);
  return result.body.connections ?? [];
}

/** Waits until NATS lists `subject` among the subscriptions of `instance`'s named connection. */
export function waitForSubscription(cluster: Cluster, instance: Instance, subject: string): Promise<void> {
  const name = `kez-chat/${CLUSTER_SERVER_NAME}/${instance.id}`;
  return waitFor(`${name} to subscribe to ${subject}`, async () =>
    (await natsConnections(cluster.nats)).some((c) => c.name === name && (c.subscriptions_list ?? []).includes(subject)),
  );
}

/** A plain NATS client for the test itself (what an operator's `nats` CLI would be). */
export function operatorConnection(nats: NatsServer): Promise<NatsConnection> {
  return connect({ servers: nats.url, name: 'kez-test-operator' });
}

/** Posts `count` messages to `to` one after another (each after the previous 201); their seqs in order. */
export async function sendMany(url: string, to: string, count: number, tag: string): Promise<number[]> {
  const seqs: number[] = [];
  for (let i = 0; i < count; i++) {
    seqs.push(await send(url, to, { v: 2, ct: `${tag}-${i}` }));
  }
  return seqs;
}

export const seqsOf = (client: SseClient): number[] => client.messages.map((m) => m.seq);

/** A moment for anything late (a duplicate, a second push) to show up before counting. */
export const settle = (ms = 300): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
