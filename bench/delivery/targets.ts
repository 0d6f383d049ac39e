import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { spawnGroup } from '../../server/test/support/child-group';
import { freePort } from '../../server/test/support/free-port';
import { startNatsServer } from '../../server/test/support/nats-server';
import { createTestDatabase } from '../../server/test/support/postgres';
import { waitFor } from '../../server/test/support/wait-for';
import { onCleanup } from '../support/cleanup';
import { ROOT, withFileLimit } from '../support/worker';
import { BENCH_SERVER_NAME } from './handles';

/** The built server: `dist/server` (npm run build:server), or another build named by KEZ_BENCH_SERVER_DIST. */
export const SERVER_MAIN = join(process.env.KEZ_BENCH_SERVER_DIST ?? join(ROOT, 'dist/server'), 'server/src/main.js');

export type TargetName = 'ours' | 'baseline' | 'pg' | 'cluster';

/** A system under test: where to post, where to stream, which processes' RSS counts. */
export interface Target {
  name: TargetName;
  label: string;
  postUrl: string;
  /** Where the streams are opened: recipient i streams from streamUrls[i mod n]. */
  streamUrls: string[];
  pids: number[];
  /** The real server only streams and delivers to registered handles; the baseline takes any. */
  needsRegistration: boolean;
  stop(): Promise<void>;
}

export interface TargetOptions {
  /** Write a V8 CPU profile of each real server process into this folder (node --cpu-prof). */
  profileDir?: string;
  /** Cluster size (default 2). */
  instances?: number;
}

interface Started {
  url: string;
  pid: number;
  /** Bound to the process: a Target hands it on as its own stop. */
  stop: () => Promise<void>;
}

/** Starts `node <args>` as its own process group on a free port and waits for /v1/healthz. */
async function startProcess(name: string, args: (port: number) => string[], env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  const group = spawnGroup(...withFileLimit(process.execPath, args(port)), {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    KEZ_CHAT_BIND: `127.0.0.1:${port}`,
    ...env,
  });
  const stop = onCleanup(name, () => group.stop());
  const url = `http://127.0.0.1:${port}`;
  let gone = false;
  void group.exited.then(() => (gone = true));
  await waitFor(`${name} on ${url} to answer /v1/healthz`, async () => {
    if (gone) {
      throw new Error(`${name} exited early:\n${group.output().slice(-3000)}`);
    }
    return (await fetch(`${url}/v1/healthz`)).ok;
  });
  return { url, pid: group.child.pid!, stop };
}

/** The real server's environment for a benchmark: rate limits out of the way, quiet logs, no public relays. */
function serverEnv(dataDir: string): Record<string, string> {
  return {
    KEZ_CHAT_SERVER: BENCH_SERVER_NAME,
    KEZ_CHAT_DB: join(dataDir, 'kez.db'),
    KEZ_CHAT_VAPID_KEY_PATH: join(dataDir, 'vapid.pem'),
    KEZ_CHAT_RATE_MESSAGES: '1000000/sec',
    KEZ_CHAT_RATE_REGISTER: '1000000/sec',
    KEZ_CHAT_RELAYS: '',
    LOG_LEVEL: 'warn',
  };
}

function serverArgs(options: TargetOptions): string[] {
  return [...(options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : []), SERVER_MAIN];
}

/** One instance of the real server on a fresh SQLite file (the default deployment). */
export async function startOurs(options: TargetOptions = {}): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kez-bench-'));
  const server = await startProcess('server', () => serverArgs(options), serverEnv(dataDir));
  return {
    name: 'ours',
    label: 'KEZ chat (SQLite)',
    postUrl: server.url,
    streamUrls: [server.url],
    pids: [server.pid],
    needsRegistration: true,
    stop: server.stop,
  };
}

/** The bare node:http + better-sqlite3 relay (baseline-server.ts) on a fresh SQLite file. */
export async function startBaseline(): Promise<Target> {
  const file = join(mkdtempSync(join(tmpdir(), 'kez-bench-base-')), 'baseline.db');
  const script = join(__dirname, 'baseline-server.ts');
  const server = await startProcess('baseline server', (port) => ['-r', require.resolve('esbuild-register'), script, String(port), file], {});
  return {
    name: 'baseline',
    label: 'bare node:http + SQLite',
    postUrl: server.url,
    streamUrls: [server.url],
    pids: [server.pid],
    needsRegistration: false,
    stop: server.stop,
  };
}

/** One instance of the real server on a fresh PostgreSQL database, no NATS: the database's cost without the cluster's. */
export async function startPostgres(options: TargetOptions = {}): Promise<Target> {
  const db = await createTestDatabase();
  const dropDb = onCleanup('PostgreSQL database', () => db.drop());
  const env = { ...serverEnv(mkdtempSync(join(tmpdir(), 'kez-bench-pg-'))), KEZ_CHAT_DB: db.url };
  const server = await startProcess('server (PostgreSQL)', () => serverArgs(options), env);
  return {
    name: 'pg',
    label: 'KEZ chat (PostgreSQL)',
    postUrl: server.url,
    streamUrls: [server.url],
    pids: [server.pid],
    needsRegistration: true,
    stop: async () => {
      await server.stop();
      await dropDb();
    },
  };
}

/**
 * N instances (default 2) of the real server sharing a fresh PostgreSQL database
 * and a nats-server: messages are posted to the first and streamed from the
 * others (spread evenly; with one instance, from itself).
 */
export async function startCluster(options: TargetOptions = {}): Promise<Target> {
  const count = options.instances ?? 2;
  const nats = await startNatsServer();
  const stopNats = onCleanup('nats-server', () => nats.stop());
  const db = await createTestDatabase();
  const dropDb = onCleanup('PostgreSQL database', () => db.drop());
  const env = { ...serverEnv(mkdtempSync(join(tmpdir(), 'kez-bench-cluster-'))), KEZ_CHAT_DB: db.url, KEZ_CHAT_NATS_URL: nats.url };
  const instances: Started[] = [];
  // One after the other: the first runs the migrations.
  for (let i = 1; i <= count; i++) {
    instances.push(await startProcess(`instance ${i}`, () => serverArgs(options), { ...env, KEZ_CHAT_INSTANCE_ID: `i${i}` }));
  }
  return {
    name: 'cluster',
    label: `KEZ chat, ${count} instance${count === 1 ? '' : 's'} (PostgreSQL + NATS)`,
    postUrl: instances[0].url,
    streamUrls: (count > 1 ? instances.slice(1) : instances).map((instance) => instance.url),
    pids: instances.map((instance) => instance.pid),
    needsRegistration: true,
    stop: async () => {
      for (const instance of [...instances].reverse()) {
        await instance.stop();
      }
      await stopNats();
      await dropDb();
    },
  };
}
