import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { postMessage, readAll, registerUser, type TestUser } from '../support/inbox-client';
import { startServerProcess, type ServerProcess } from '../support/server-process';

const PER_PROCESS = 60;
const CONCURRENCY = 12;

/** Posts `count` messages to bob with `CONCURRENCY` in flight; the statuses. */
async function postConcurrently(server: ServerProcess, tag: string, count: number): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      statuses.push((await postMessage(server.url, 'bob', { v: 2, ct: `${tag}-${n}` })).status);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return statuses;
}

describe('two processes on one host sharing one SQLite file', () => {
  let servers: ServerProcess[] = [];
  let bob: TestUser;

  beforeAll(async () => {
    const env = { KEZ_CHAT_DB: join(mkdtempSync(join(tmpdir(), 'kez-shared-sqlite-')), 'kez.db'), KEZ_CHAT_DB_CONNECT_ATTEMPTS: '1' };
    // Started together on a fresh file: their migrations race too.
    servers = await Promise.all([startServerProcess({ env }), startServerProcess({ env })]);
    bob = await registerUser(servers[0].url, 'bob');
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  it('loses nothing when both post at once', async () => {
    const [a, b] = await Promise.all([postConcurrently(servers[0], 'a', PER_PROCESS), postConcurrently(servers[1], 'b', PER_PROCESS)]);
    expect([...a, ...b]).toEqual(new Array(2 * PER_PROCESS).fill(201));

    for (const server of servers) {
      const messages = await readAll(server.url, bob);
      const seqs = messages.map((m) => m.seq);
      expect(new Set(seqs).size).toBe(2 * PER_PROCESS);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      const texts = new Set(messages.map((m) => m.envelope.ct as string));
      for (let n = 0; n < PER_PROCESS; n++) {
        expect(texts.has(`a-${n}`) && texts.has(`b-${n}`)).toBe(true);
      }
    }
  });
});
