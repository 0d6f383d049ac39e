import { errorCode, http } from '../support/kez-http';
import { pollAuth, registerUser, send, streamAuth, streamUrl, type TestUser } from '../support/inbox-client';
import { startInProcessServer } from '../support/in-process-server';
import type { RunningServer } from '../support/running-server';
import { SseClient } from '../support/sse-client';
import { waitFor } from '../support/wait-for';
import type { StoreRun } from '../support/stores';

const SERVER = 'chat.test';
const now = () => Math.floor(Date.now() / 1000);
const seqsOf = (client: SseClient) => client.messages.map((m) => m.seq);
const ascending = (values: number[]) => [...values].sort((a, b) => a - b);

/**
 * Every row of the contract for GET /v1/inbox/:handle/stream, black-box over HTTP to
 * the app in this process. Two processes on one store: process/shared-store.suite.ts.
 */
export function streamsSuite(run: () => Promise<StoreRun>): void {
  describe('inbox streams over HTTP', () => {
    let store: StoreRun;
    let server: RunningServer;
    let bob: TestUser;
    let carol: TestUser;
    const clients: SseClient[] = [];
    /** Opens a stream for `user` with a correct auth (and `since` when given), closed after the test. */
    const open = async (user: TestUser, since?: string, headers: Record<string, string> = {}) => {
      const client = await SseClient.open(streamUrl(server.url, user.handle, streamAuth(user, since), since), headers);
      clients.push(client);
      return client;
    };

    beforeAll(async () => {
      store = await run();
      server = await startInProcessServer({
        env: { KEZ_CHAT_SERVER: SERVER, KEZ_CHAT_RATE_MESSAGES: '1000000/sec', KEZ_CHAT_STREAM_KEEPALIVE: '300ms', ...store.env },
      });
      bob = await registerUser(server.url, 'bob');
      carol = await registerUser(server.url, 'carol');
    });

    afterEach(() => {
      clients.splice(0).forEach((client) => client.close());
    });

    afterAll(async () => {
      await server?.stop();
      await store?.cleanup();
    });

    describe('opening', () => {
      const expectError = async (url: string, status: number, code: string) => {
        const result = await http(url);
        expect(result.status).toBe(status);
        expect(errorCode(result)).toBe(code);
      };

      it('answers text/event-stream with the headers proxies and browsers need', async () => {
        const client = await open(bob);
        expect(client.headers.get('content-type')).toMatch(/^text\/event-stream/);
        expect(client.headers.get('cache-control')).toBe('no-cache');
        expect(client.headers.get('x-accel-buffering')).toBe('no');
        expect(client.headers.get('connection')).toBe('keep-alive');
      });

      it('is 400 bad_request without auth', async () => {
        await expectError(streamUrl(server.url, 'bob', undefined), 400, 'bad_request');
        await expectError(streamUrl(server.url, 'bob', ''), 400, 'bad_request');
        await expectError(streamUrl(server.url, 'bob', undefined, '3'), 400, 'bad_request');
      });

      it('is 401 for malformed, stale or wrongly signed auth', async () => {
        await expectError(streamUrl(server.url, 'bob', 'garbage'), 401, 'unauthorized');
        await expectError(streamUrl(server.url, 'bob', streamAuth(bob, undefined, now() - 90)), 401, 'stale_timestamp');
        await expectError(streamUrl(server.url, 'bob', streamAuth(bob, undefined, now() + 90)), 401, 'stale_timestamp');
        await expectError(streamUrl(server.url, 'bob', streamAuth({ ...carol, handle: 'bob' })), 401, 'bad_signature');
      });

      it('binds since: the since line is signed exactly when since is sent', async () => {
        await expectError(streamUrl(server.url, 'bob', streamAuth(bob), '5'), 401, 'bad_signature');
        await expectError(streamUrl(server.url, 'bob', streamAuth(bob, '5')), 401, 'bad_signature');
        await expectError(streamUrl(server.url, 'bob', streamAuth(bob, '0'), '5'), 401, 'bad_signature');
        expect((await open(bob, '5')).status).toBe(200);
      });

      it('refuses a poll signature as stream auth (no cross-endpoint replay)', async () => {
        await expectError(streamUrl(server.url, 'bob', pollAuth(bob)), 401, 'bad_signature');
        await expectError(streamUrl(server.url, 'bob', pollAuth(bob, '0'), '0'), 401, 'bad_signature');
      });

      it('is 400 for a malformed since or Last-Event-ID, 404 for an unknown handle', async () => {
        await expectError(streamUrl(server.url, 'bob', streamAuth(bob, 'x'), 'x'), 400, 'bad_request');
        const lastId = await http(streamUrl(server.url, 'bob', streamAuth(bob)), { headers: { 'last-event-id': 'abc' } });
        expect(lastId.status).toBe(400);
        expect(errorCode(lastId)).toBe('bad_request');
        await expectError(streamUrl(server.url, 'ghost', streamAuth({ ...bob, handle: 'ghost' })), 404, 'not_found');
      });
    });

    describe('delivery', () => {
      it('delivers each new message live to every open stream of the handle, as id/event/data', async () => {
        const [first, second] = [await open(bob), await open(bob)];
        const seq = await send(server.url, 'bob', { v: 2, ct: 'hello' });
        await Promise.all([first.waitForMessages(1), second.waitForMessages(1)]);
        for (const client of [first, second]) {
          expect(client.events).toEqual([{ id: String(seq), event: 'message', data: expect.any(String) }]);
          expect(JSON.parse(client.events[0].data)).toEqual({ seq, envelope: { v: 2, ct: 'hello' }, created_at: expect.any(Number) });
          expect(Object.keys(JSON.parse(client.events[0].data))).toEqual(['seq', 'envelope', 'created_at']);
        }
      });

      it('without since sends only messages stored after the stream opened, and only the handle’s own', async () => {
        await send(server.url, 'bob', { before: true });
        const client = await open(bob);
        await send(server.url, 'carol', { other: true });
        const seq = await send(server.url, 'bob', { after: true });
        // A last message as the positive signal: whatever else was wrongly sent would come before it.
        const last = await send(server.url, 'bob', { last: true });
        await client.waitForMessages(2);
        expect(seqsOf(client)).toEqual([seq, last]);
      });

      it('resumes with since: the gap is replayed, then live ones follow, in order, nothing doubled', async () => {
        const dave = await registerUser(server.url, 'dave');
        const first = await open(dave);
        const early = [await send(server.url, 'dave', { n: 1 }), await send(server.url, 'dave', { n: 2 })];
        await first.waitForMessages(2);
        first.close();
        const gap = [await send(server.url, 'dave', { n: 3 }), await send(server.url, 'dave', { n: 4 })];
        const resumed = await open(dave, String(seqsOf(first)[1]));
        await resumed.waitForMessages(2);
        const live = await send(server.url, 'dave', { n: 5 });
        await resumed.waitForMessages(3);
        expect(seqsOf(first)).toEqual(early);
        expect(seqsOf(resumed)).toEqual([...gap, live]);
        expect(resumed.messages.map((m) => m.envelope.n)).toEqual([3, 4, 5]);
      });

      it('merges a backlog with messages posted while it is sent: no gap, no duplicate, seq order', async () => {
        const erin = await registerUser(server.url, 'erin');
        const stored = await Promise.all(Array.from({ length: 150 }, (_, i) => send(server.url, 'erin', { i, pad: 'x'.repeat(2000) })));
        const client = await open(erin, '0');
        const during = await Promise.all(Array.from({ length: 150 }, (_, i) => send(server.url, 'erin', { i: 150 + i })));
        await client.waitForMessages(300);
        expect(seqsOf(client)).toEqual(ascending([...stored, ...during]));
      });

      it('takes Last-Event-ID as since when since is absent (EventSource reconnects)', async () => {
        const frank = await registerUser(server.url, 'frank');
        const seqs = [];
        for (let i = 0; i < 4; i++) {
          seqs.push(await send(server.url, 'frank', { i }));
        }
        const client = await open(frank, undefined, { 'last-event-id': String(seqs[1]) });
        await client.waitForMessages(2);
        // since wins over Last-Event-ID when both are sent.
        const both = await open(frank, String(seqs[2]), { 'last-event-id': String(seqs[0]) });
        await both.waitForMessages(1);
        // A last message as the positive signal: a wrongly replayed one would come before it.
        const last = await send(server.url, 'frank', { last: true });
        await client.waitForMessages(3);
        await both.waitForMessages(2);
        expect(seqsOf(client)).toEqual([...seqs.slice(2), last]);
        expect(seqsOf(both)).toEqual([...seqs.slice(3), last]);
      });

      it('sends a comment line while idle (KEZ_CHAT_STREAM_KEEPALIVE)', async () => {
        const client = await open(carol);
        await waitFor('two keep-alive comments', () => client.comments.filter((c) => c === 'keep-alive').length >= 2);
        expect(client.events).toEqual([]);
      });
    });
  });
}
