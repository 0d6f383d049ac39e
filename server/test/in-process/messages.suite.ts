import { errorCode, http } from '../support/kez-http';
import { pollAuth, pollInbox, postMessage, readAll, registerUser, send, streamAuth, type TestUser } from '../support/inbox-client';
import { startInProcessServer } from '../support/in-process-server';
import type { RunningServer } from '../support/running-server';
import type { StoreRun } from '../support/stores';
import { waitFor } from '../support/wait-for';

const SERVER = 'chat.test';
const now = () => Math.floor(Date.now() / 1000);
/** `{"p":"…"}` with exactly `bytes` bytes of JSON text; `fill` may be a multi-byte character. */
const envelopeOf = (bytes: number, fill = 'x') => ({ p: fill.repeat((bytes - 8) / Buffer.byteLength(fill)) });

/**
 * Every row of the contract for POST /v1/messages and GET /v1/inbox, black-box over
 * HTTP to the app in this process. Two processes on one store: process/shared-store.suite.ts.
 */
export function messagesSuite(run: () => Promise<StoreRun>): void {
  describe('messages over HTTP', () => {
    let store: StoreRun;
    let server: RunningServer;
    let bob: TestUser;
    let carol: TestUser;

    beforeAll(async () => {
      store = await run();
      server = await startInProcessServer({
        env: {
          KEZ_CHAT_SERVER: SERVER,
          KEZ_CHAT_RATE_MESSAGES: '1000000/sec',
          KEZ_CHAT_RETENTION: '1h',
          KEZ_CHAT_RETENTION_SWEEP: '200ms',
          ...store.env,
        },
      });
      bob = await registerUser(server.url, 'bob');
      carol = await registerUser(server.url, 'carol');
    });

    afterAll(async () => {
      await server?.stop();
      await store?.cleanup();
    });

    describe('POST /v1/messages', () => {
      it('stores an envelope once and answers 201 {seq, created_at}; seqs grow', async () => {
        const first = await postMessage(server.url, 'bob', { v: 2, enc: 'a', ct: 'one' });
        const second = await postMessage(server.url, 'bob', { v: 2, enc: 'a', ct: 'two' });
        expect(first.status).toBe(201);
        expect(first.body).toEqual({ seq: expect.any(Number), created_at: expect.any(Number) });
        expect(Number.isInteger(first.body.seq)).toBe(true);
        expect(Math.abs(first.body.created_at - now())).toBeLessThanOrEqual(2);
        expect(second.body.seq).toBeGreaterThan(first.body.seq);
        const inbox = await readAll(server.url, bob, first.body.seq - 1);
        expect(inbox.slice(0, 2)).toEqual([
          { seq: first.body.seq, envelope: { v: 2, enc: 'a', ct: 'one' }, created_at: first.body.created_at },
          { seq: second.body.seq, envelope: { v: 2, enc: 'a', ct: 'two' }, created_at: second.body.created_at },
        ]);
      });

      it('takes the handle trimmed, in any case, and as handle@<this server>', async () => {
        for (const to of ['  Carol ', 'CAROL', `carol@${SERVER}`, `Carol@${SERVER.toUpperCase()}`]) {
          const result = await postMessage(server.url, to, { to });
          expect(result.status).toBe(201);
        }
        expect((await readAll(server.url, carol)).map((m) => m.envelope.to)).toEqual(['  Carol ', 'CAROL', `carol@${SERVER}`, `Carol@${SERVER.toUpperCase()}`]);
      });

      it('is 404 not_found for an unknown handle, a reserved name and another server', async () => {
        for (const to of ['nobody', 'admin', 'bob@other.example']) {
          const result = await postMessage(server.url, to, { x: 1 });
          expect(result.status).toBe(404);
          expect(errorCode(result)).toBe('not_found');
        }
      });

      it('is 400 invalid_handle for a handle that breaks the rules', async () => {
        const result = await postMessage(server.url, 'no way', { x: 1 });
        expect(result.status).toBe(400);
        expect(errorCode(result)).toBe('invalid_handle');
      });

      it.each([
        ['a string envelope', { to: 'bob', envelope: 'sealed' }],
        ['an array envelope', { to: 'bob', envelope: [1, 2] }],
        ['a null envelope', { to: 'bob', envelope: null }],
        ['a number envelope', { to: 'bob', envelope: 7 }],
        ['no envelope', { to: 'bob' }],
        ['no recipient', { envelope: {} }],
        ['a numeric recipient', { to: 5, envelope: {} }],
        ['an unknown field', { to: 'bob', envelope: {}, extra: true }],
      ])('is 400 bad_request for %s', async (_name, body) => {
        const result = await http(`${server.url}/v1/messages`, { method: 'POST', json: body });
        expect(result.status).toBe(400);
        expect(errorCode(result)).toBe('bad_request');
      });

      it('accepts an envelope of exactly 262,144 bytes and refuses 262,145 with 413 payload_too_large', async () => {
        const exact = envelopeOf(262_144);
        expect(Buffer.byteLength(JSON.stringify(exact))).toBe(262_144);
        const stored = await postMessage(server.url, 'bob', exact);
        expect(stored.status).toBe(201);
        const [message] = await readAll(server.url, bob, stored.body.seq - 1);
        expect(message.envelope).toEqual(exact);

        const over = await postMessage(server.url, 'bob', envelopeOf(262_145));
        expect(over.status).toBe(413);
        expect(errorCode(over)).toBe('payload_too_large');
      });

      it('measures the envelope in UTF-8 bytes, not characters', async () => {
        expect((await postMessage(server.url, 'bob', envelopeOf(262_144, 'é'))).status).toBe(201);
        const over = { p: 'é'.repeat(131_068) + 'x' };
        expect(Buffer.byteLength(JSON.stringify(over))).toBe(262_145);
        expect((await postMessage(server.url, 'bob', over)).status).toBe(413);
      });

      it('gives 200 concurrent posts distinct seqs, all readable in ascending order', async () => {
        const dave = await registerUser(server.url, 'dave');
        const seqs = await Promise.all(Array.from({ length: 200 }, (_, i) => send(server.url, 'dave', { i })));
        expect(new Set(seqs).size).toBe(200);
        const inbox = await readAll(server.url, dave);
        expect(inbox.map((m) => m.seq)).toEqual([...seqs].sort((a, b) => a - b));
        expect(inbox.map((m) => m.envelope.i).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i));
      });
    });

    describe('GET /v1/inbox/:handle', () => {
      let erin: TestUser;
      let seqs: number[];
      beforeAll(async () => {
        erin = await registerUser(server.url, 'erin');
        seqs = [];
        for (let i = 0; i < 7; i++) {
          seqs.push(await send(server.url, 'erin', { n: i }));
        }
      });

      it('pages ascending by seq; next is the last seq returned, or since when none', async () => {
        const first = await pollInbox(server.url, erin, { limit: '3' });
        expect(first.status).toBe(200);
        expect(first.headers.get('content-type')).toMatch(/^application\/json/);
        expect(first.body.messages.map((m: { seq: number }) => m.seq)).toEqual(seqs.slice(0, 3));
        expect(first.body.next).toBe(seqs[2]);
        const second = await pollInbox(server.url, erin, { since: String(first.body.next), limit: '3' });
        expect(second.body.messages.map((m: { envelope: { n: number } }) => m.envelope.n)).toEqual([3, 4, 5]);
        const rest = await pollInbox(server.url, erin, { since: String(second.body.next) });
        expect(rest.body).toEqual({ messages: [{ seq: seqs[6], envelope: { n: 6 }, created_at: expect.any(Number) }], next: seqs[6] });
        const empty = await pollInbox(server.url, erin, { since: String(seqs[6]) });
        expect(empty.body).toEqual({ messages: [], next: seqs[6] });
        const beyond = await pollInbox(server.url, erin, { since: '999999999' });
        expect(beyond.body).toEqual({ messages: [], next: 999999999 });
        // Echoed as sent, even past what a double holds exactly.
        const huge = await pollInbox(server.url, erin, { since: '9999999999999999' });
        expect(huge.text).toBe('{"messages":[],"next":9999999999999999}');
      });

      it('returns 100 messages by default and up to 500', async () => {
        const frank = await registerUser(server.url, 'frank');
        await Promise.all(Array.from({ length: 501 }, (_, i) => send(server.url, 'frank', { i })));
        expect((await pollInbox(server.url, frank)).body.messages).toHaveLength(100);
        expect((await pollInbox(server.url, frank, { limit: '500' })).body.messages).toHaveLength(500);
        expect((await pollInbox(server.url, frank, { limit: '1' })).body.messages).toHaveLength(1);
      });

      it('stops a page at 4 MiB of envelopes, however high the limit; next continues from there', async () => {
        const judy = await registerUser(server.url, 'judy');
        const big = envelopeOf(262_144);
        const seqs: number[] = [];
        for (let i = 0; i < 20; i++) {
          seqs.push(await send(server.url, 'judy', big));
        }
        const first = await pollInbox(server.url, judy, { limit: '500' });
        expect(first.body.messages).toHaveLength(16);
        expect(first.body.next).toBe(seqs[15]);
        const rest = await pollInbox(server.url, judy, { since: String(first.body.next), limit: '500' });
        expect(rest.body.messages.map((m: { seq: number }) => m.seq)).toEqual(seqs.slice(16));
      });

      it.each([
        ['limit=0', { limit: '0' }],
        ['limit=501', { limit: '501' }],
        ['limit=abc', { limit: 'abc' }],
        ['limit=-1', { limit: '-1' }],
        ['since=-1', { since: '-1' }],
        ['since=01', { since: '01' }],
        ['since=1.5', { since: '1.5' }],
        ['since=abc', { since: 'abc' }],
      ])('is 400 bad_request for %s', async (_name, options) => {
        const result = await pollInbox(server.url, erin, options);
        expect(result.status).toBe(400);
        expect(errorCode(result)).toBe('bad_request');
      });

      it('is 400 bad_request for an unknown query parameter', async () => {
        const result = await http(`${server.url}/v1/inbox/erin?page=2`, { headers: { 'x-kez-auth': pollAuth(erin) } });
        expect(result.status).toBe(400);
        expect(errorCode(result)).toBe('bad_request');
      });

      it('shows each handle only its own messages', async () => {
        const inbox = await readAll(server.url, erin);
        expect(inbox.map((m) => m.seq)).toEqual(seqs);
      });
    });

    describe('X-KEZ-Auth on GET /v1/inbox/:handle', () => {
      const expectAuthError = async (result: Promise<{ status: number }>, status: number, code: string) => {
        const response = await result;
        expect(response.status).toBe(status);
        expect(errorCode(response as never)).toBe(code);
      };

      it('accepts a fresh signature by the primary, with since absent, 0 or as signed', async () => {
        expect((await pollInbox(server.url, bob)).status).toBe(200);
        expect((await pollInbox(server.url, bob, { since: '0' })).status).toBe(200);
        // Absent since is signed as since=0, so the same value serves both.
        expect((await pollInbox(server.url, bob, { since: '0', auth: pollAuth(bob) })).status).toBe(200);
        expect((await pollInbox(server.url, bob, { auth: pollAuth(bob, undefined, now() - 50) })).status).toBe(200);
      });

      it('is 401 unauthorized without the header or with a malformed one', async () => {
        const good = pollAuth(bob);
        for (const auth of [null, '', 'garbage', good.split(':')[1], `${now()}:${'AB'.repeat(64)}`, `0${good}`, `${good}:x`]) {
          await expectAuthError(pollInbox(server.url, bob, { auth }), 401, 'unauthorized');
        }
      });

      it('is 401 stale_timestamp more than 60 s from the server clock, either way', async () => {
        for (const ts of [now() - 90, now() + 90, now() - 3600]) {
          await expectAuthError(pollInbox(server.url, bob, { auth: pollAuth(bob, undefined, ts) }), 401, 'stale_timestamp');
        }
      });

      it('is 401 bad_signature for another signer, another handle or a cursor that does not match', async () => {
        await expectAuthError(pollInbox(server.url, bob, { auth: pollAuth({ ...carol, handle: 'bob' }) }), 401, 'bad_signature');
        await expectAuthError(pollInbox(server.url, bob, { auth: pollAuth(carol) }), 401, 'bad_signature');
        // Signed since=0, sent since=5.
        await expectAuthError(pollInbox(server.url, bob, { since: '5', auth: pollAuth(bob, '0') }), 401, 'bad_signature');
        await expectAuthError(pollInbox(server.url, bob, { since: '5', auth: pollAuth(bob) }), 401, 'bad_signature');
      });

      it('refuses a stream signature as a poll header (no cross-endpoint replay)', async () => {
        await expectAuthError(pollInbox(server.url, bob, { auth: streamAuth(bob) }), 401, 'bad_signature');
        await expectAuthError(pollInbox(server.url, bob, { since: '0', auth: streamAuth(bob, '0') }), 401, 'bad_signature');
      });

      it('is 404 for an unknown or reserved handle and 400 for a malformed one', async () => {
        const ghost = { ...bob, handle: 'ghost' };
        await expectAuthError(pollInbox(server.url, ghost), 404, 'not_found');
        await expectAuthError(http(`${server.url}/v1/inbox/admin`, { headers: { 'x-kez-auth': pollAuth(bob) } }), 404, 'not_found');
        await expectAuthError(http(`${server.url}/v1/inbox/a.b`, { headers: { 'x-kez-auth': pollAuth(bob) } }), 400, 'invalid_handle');
      });
    });

    describe('retention', () => {
      it('deletes messages older than KEZ_CHAT_RETENTION and keeps newer ones', async () => {
        const grace = await registerUser(server.url, 'grace');
        const table = await store.messages();
        try {
          await table.insert('grace', now() - 2 * 3600, { age: 'two hours' });
          await table.insert('grace', now() - 30 * 60, { age: 'half an hour' });
        } finally {
          await table.close();
        }
        const fresh = await send(server.url, 'grace', { age: 'new' });
        await waitFor('the two-hour-old message to be swept', async () => (await readAll(server.url, grace)).length === 2);
        const left = await readAll(server.url, grace);
        expect(left.map((m) => m.envelope.age)).toEqual(['half an hour', 'new']);
        expect(left[1].seq).toBe(fresh);
      });
    });
  });
}
