import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { spawnGroup } from '../../server/test/support/child-group';
import { freePort } from '../../server/test/support/free-port';
import { waitFor } from '../../server/test/support/wait-for';
import { onCleanup } from '../support/cleanup';
import { withFileLimit } from '../support/worker';
import { BENCH_SERVER_NAME } from '../delivery/handles';
import { SERVER_MAIN } from '../delivery/targets';

export type RelayTargetName = 'ours' | 'baseline';

/** A relay under test: its HTTP base (for registration and health) and its WebSocket URL. */
export interface RelayTarget {
  name: RelayTargetName;
  label: string;
  httpUrl: string;
  relayUrl: string;
  pid: number;
  /** The real relay needs a registered recipient and NIP-42 AUTH to read; the baseline neither. */
  real: boolean;
  stop(): Promise<void>;
}

/** Starts `node <args>` as its own process group on a free port and waits for /v1/healthz. */
async function start(
  name: string,
  args: (port: number) => string[],
  env: (port: number) => Record<string, string>,
): Promise<{ port: number; pid: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const group = spawnGroup(...withFileLimit(process.execPath, args(port)), { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env(port) });
  const stop = onCleanup(name, () => group.stop());
  let gone = false;
  void group.exited.then(() => (gone = true));
  await waitFor(`${name} on port ${port} to answer /v1/healthz`, async () => {
    if (gone) {
      throw new Error(`${name} exited early:\n${group.output().slice(-3000)}`);
    }
    return (await fetch(`http://127.0.0.1:${port}/v1/healthz`)).ok;
  });
  return { port, pid: group.child.pid!, stop };
}

/** One instance of the real server on a fresh SQLite file, relay limits out of the way. */
export async function startOurs(): Promise<RelayTarget> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kez-bench-relay-'));
  const server = await start(
    'server',
    () => [SERVER_MAIN],
    (port) => ({
      KEZ_CHAT_BIND: `127.0.0.1:${port}`,
      KEZ_CHAT_SERVER: BENCH_SERVER_NAME,
      KEZ_CHAT_DB: join(dataDir, 'kez.db'),
      KEZ_CHAT_VAPID_KEY_PATH: join(dataDir, 'vapid.pem'),
      KEZ_CHAT_RATE_REGISTER: '1000000/sec',
      KEZ_CHAT_RATE_RELAY: '1000000/sec',
      KEZ_CHAT_RATE_RELAY_PUBKEY: '1000000/sec',
      KEZ_CHAT_RELAYS: '',
      LOG_LEVEL: 'warn',
    }),
  );
  return { name: 'ours', label: 'KEZ chat /relay (SQLite)', ...urls(server.port), pid: server.pid, real: true, stop: server.stop };
}

/** The bare `ws` echo relay (echo-server.ts). */
export async function startBaseline(): Promise<RelayTarget> {
  const script = join(__dirname, 'echo-server.ts');
  const server = await start(
    'baseline relay',
    (port) => ['-r', require.resolve('esbuild-register'), script, String(port)],
    () => ({}),
  );
  return { name: 'baseline', label: 'bare ws echo', ...urls(server.port), pid: server.pid, real: false, stop: server.stop };
}

function urls(port: number): { httpUrl: string; relayUrl: string } {
  return { httpUrl: `http://127.0.0.1:${port}`, relayUrl: `ws://127.0.0.1:${port}/relay` };
}
