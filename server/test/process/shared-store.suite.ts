import { buildRegisterRequest, deriveIdentity, generateSeed } from '@kez/crypto';

import { pollInbox, registerUser, send, streamAuth, streamUrl, type TestUser } from '../support/inbox-client';
import { http } from '../support/kez-http';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { SseClient } from '../support/sse-client';
import type { StoreRun } from '../support/stores';

const SERVER = 'chat.test';
const now = () => Math.floor(Date.now() / 1000);
const ascending = (values: number[]) => [...values].sort((a, b) => a - b);

/**
 * Two server processes on one store, as two instances on one host or behind one
 * load balancer: what neither process can get wrong alone (one winner for a handle,
 * no seq a cursor could skip, delivery across them). Processes, not two apps in one
 * Jest process: two SQLite connections in one process wait for each other's locks
 * by blocking the very event loop the other needs, which no deployment does.
 */
export function sharedStoreSuite(run: () => Promise<StoreRun>): void {
  describe('two server processes sharing one store', () => {
    let store: StoreRun;
    let servers: ServerProcess[] = [];
    let urls: string[];

    beforeAll(async () => {
      store = await run();
      const env = { KEZ_CHAT_SERVER: SERVER, KEZ_CHAT_RATE_MESSAGES: '1000000/sec', ...store.env };
      // One after the other: the first runs the migrations (cluster/ races them on purpose).
      servers.push(await startServerProcess({ env }));
      servers.push(await startServerProcess({ env }));
      urls = servers.map((server) => server.url);
    });

    afterAll(async () => {
      await Promise.all(servers.map((server) => server.stop()));
      servers = [];
      await store?.cleanup();
    });

    it('gives one winner to concurrent registrations spread over both', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          http(`${urls[i % 2]}/v1/register`, { method: 'POST', json: buildRegisterRequest(deriveIdentity(generateSeed()), 'split', SERVER, now()) }),
        ),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      expect(results.filter((r) => r.status === 409)).toHaveLength(19);
      const lookups = await Promise.all(urls.map((url) => http(`${url}/v1/u/split`)));
      expect(lookups[0].body).toEqual(lookups[1].body);
    });

    it('never lets a cursor skip a message: pollers following next while both take posts see each once, in order', async () => {
      const users = [await registerUser(urls[0], 'hank'), await registerUser(urls[0], 'ivy')];
      let posting = true;
      // Each poller only ever moves forward with next, as a client does.
      const follow = async (user: TestUser) => {
        const seen: number[] = [];
        let cursor = 0;
        for (let idle = 0; posting || idle < 2;) {
          const page = await pollInbox(urls[0], user, { since: String(cursor), limit: '500' });
          if (page.status !== 200) {
            throw new Error(`polling ${user.handle} since ${cursor} failed: ${page.status} ${page.text}`);
          }
          seen.push(...page.body.messages.map((m: { seq: number }) => m.seq));
          idle = page.body.messages.length === 0 ? idle + 1 : 0;
          cursor = page.body.next;
        }
        return seen;
      };
      const pollers = users.map(follow);
      const posted = await Promise.all(Array.from({ length: 400 }, (_, i) => send(urls[i % 2], users[(i >> 1) % 2].handle, { i })));
      posting = false;
      const seen = await Promise.all(pollers);
      users.forEach((_, u) => {
        const mine = ascending(posted.filter((_, i) => (i >> 1) % 2 === u));
        expect(seen[u]).toEqual(mine);
      });
    });

    it('delivers to a stream on one what was posted on either, after resume', async () => {
      const grace = await registerUser(urls[0], 'grace');
      const seqs = await Promise.all(Array.from({ length: 40 }, (_, i) => send(urls[i % 2], 'grace', { i })));
      const client = await SseClient.open(streamUrl(urls[1], 'grace', streamAuth(grace, '0'), '0'));
      try {
        await client.waitForMessages(40);
        expect(client.messages.map((m) => m.seq)).toEqual(ascending(seqs));
      } finally {
        client.close();
      }
    });
  });
}
