import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type ChildGroup, requireExecutable, spawnGroup } from './child-group';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

export interface NatsServer {
  /** `nats://127.0.0.1:<port>`, for KEZ_CHAT_NATS_URL. */
  url: string;
  port: number;
  /** `http://127.0.0.1:<monitor port>`: /healthz, /varz, /connz, /jsz. */
  monitorUrl: string;
  output(): string;
  /** SIGTERM, or SIGKILL for a crash, and wait for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts again on the same ports and JetStream store (after stop). */
  start(): Promise<void>;
  /** Stops it for good and removes its store. */
  dispose(): Promise<void>;
}

/** A real nats-server with JetStream on free loopback ports, as its own process group. */
export async function startNatsServer(): Promise<NatsServer> {
  const binary = requireExecutable('nats-server', 'nats-server');
  const port = await freePort();
  const monitorPort = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'kez-nats-'));
  const args = ['-a', '127.0.0.1', '-p', String(port), '-m', String(monitorPort), '-js', '-sd', storeDir, '-n', `kez-test-${port}`];
  const monitorUrl = `http://127.0.0.1:${monitorPort}`;
  let running: ChildGroup | undefined;
  let log = '';

  const start = async () => {
    const started = spawnGroup(binary, args);
    running = started;
    let gone = false;
    void started.exited.then(() => (gone = true));
    try {
      await waitFor(`nats-server on port ${port} to answer /healthz`, async () => {
        if (gone) {
          throw new Error(`nats-server exited:\n${started.output()}`);
        }
        return (await fetch(`${monitorUrl}/healthz`)).ok;
      });
    } catch (error) {
      await stop('SIGKILL');
      throw error;
    }
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (running) {
      await running.stop(signal);
      log += running.output();
      running = undefined;
    }
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    monitorUrl,
    output: () => log + (running?.output() ?? ''),
    stop,
    start,
    dispose: async () => {
      await stop();
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
