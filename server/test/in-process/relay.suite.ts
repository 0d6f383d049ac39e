import { nip17 } from 'nostr-tools';
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay';
import { type Event, type EventTemplate, finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { WebSocket } from 'ws';

import { NOSTR_KIND_ACK, NOSTR_KIND_DM } from '@kez/protocol';

import { registerUser, streamAuth, streamUrl, type TestUser } from '../support/inbox-client';
import { http } from '../support/kez-http';
import { type InProcessServer, startInProcessServer } from '../support/in-process-server';
import { countsBy, figure, total } from '../support/metrics';
import { subscribed, vapidPublicKey } from '../support/push-client';
import { pushQueueIdle } from '../support/push-queue';
import { PushReceiver } from '../support/push-receiver';
import { RawRelayClient } from '../support/relay-client';
import { SseClient } from '../support/sse-client';
import type { StoreRun } from '../support/stores';
import { waitFor } from '../support/wait-for';

useWebSocketImplementation(WebSocket);

const now = () => Math.floor(Date.now() / 1000);

/** How the server decided on Web Push for the events its relay stored, by result. */
const wakes = (url: string) => countsBy(url, 'kez_chat_relay_wakes_total', 'result');

/** A KEZ DM or receipt as a KEZ client publishes it: one-time outer key, `q` = recipient addr. */
function kezEvent(kind: number, recipientAddr: string, extraTags: string[][] = []): Event {
  return finalizeEvent({ kind, created_at: now(), tags: [['q', recipientAddr], ...extraTags], content: '{"v":2,"enc":"e","ct":"c"}' }, generateSecretKey());
}

/** The inbox relay's contract (docs/protocol.md §8) with real nostr clients, on one store. */
export function relaySuite(run: () => Promise<StoreRun>): void {
  describe('inbox relay at /relay', () => {
    let store: StoreRun;
    let server: InProcessServer;
    let receiver: PushReceiver;
    let relayUrl: string;
    let users = 0;
    const clients: RawRelayClient[] = [];

    async function user(withPush = true): Promise<{ user: TestUser; endpoint?: string }> {
      const registered = await registerUser(server.url, `relay-${++users}`);
      if (!withPush) {
        return { user: registered };
      }
      const subscription = receiver.subscription();
      await subscribed(server.url, registered, subscription);
      return { user: registered, endpoint: subscription.endpoint };
    }

    async function connect(): Promise<RawRelayClient> {
      const client = await RawRelayClient.connect(relayUrl);
      clients.push(client);
      return client;
    }

    beforeAll(async () => {
      store = await run();
      receiver = await PushReceiver.start();
      server = await startInProcessServer({
        env: { KEZ_CHAT_PUSH_ALLOW_INSECURE: 'true', KEZ_CHAT_RATE_RELAY_PUBKEY: '12/min', KEZ_CHAT_RETENTION_SWEEP: '200ms', ...store.env },
      });
      relayUrl = `ws://127.0.0.1:${server.port}/relay`;
      receiver.expectServerKey(await vapidPublicKey(server.url));
    });

    afterAll(async () => {
      clients.forEach((c) => c.close());
      await server?.stop();
      await receiver?.close();
      await store?.cleanup();
    });

    it('serves a NIP-11 document for Accept: application/nostr+json, with CORS', async () => {
      const info = await http(`${server.url}/relay`, { headers: { accept: 'application/nostr+json' } });
      expect(info.status).toBe(200);
      expect(info.headers.get('content-type')).toContain('application/nostr+json');
      expect(info.headers.get('access-control-allow-origin')).toBe('*');
      const doc = JSON.parse(info.text);
      expect(doc.supported_nips).toEqual(expect.arrayContaining([1, 11, 17, 40, 42, 59]));
      expect(doc.limitation).toMatchObject({ max_message_length: 131_072, max_content_length: 65_536, restricted_writes: true, max_subscriptions: 20 });
      expect(doc.name).toContain('chat.test');
      const page = await http(`${server.url}/relay`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/plain');
    });

    it('accepts a NIP-17 DM for a registered addr, pushes once, and serves it only to its recipient after AUTH', async () => {
      const { user: bob, endpoint } = await user();
      const sender = generateSecretKey();
      const wrap = nip17.wrapEvent(sender, { publicKey: bob.identity.addr, relayUrl }, 'hello bob from another nostr app');

      // A real nostr-tools client publishes it, as Amethyst or 0xchat would.
      const peer = await Relay.connect(relayUrl);
      await expect(peer.publish(wrap)).resolves.toBeDefined();
      await waitFor('one push to bob', () => receiver.pushesTo(endpoint!).length === 1);
      // The same wrap again (another relay hop, a retry) is a duplicate: no second push.
      const stored = await figure(server.url, 'kez_chat_relay_events_accepted_total');
      const raw = await connect();
      expect(await raw.publish(wrap)).toEqual([true, expect.stringMatching(/^duplicate:/)]);
      // The relay counts each event it stores before answering OK, and only a stored event
      // gets a wake decision: the count standing still is the proof that none was started.
      expect(await figure(server.url, 'kez_chat_relay_events_accepted_total')).toBe(stored);
      await pushQueueIdle(server);
      expect(receiver.pushesTo(endpoint!)).toHaveLength(1);
      expect(receiver.pushesTo(endpoint!)[0].problems).toEqual([]);
      expect(receiver.pushesTo(endpoint!)[0].leaked).toBeUndefined();
      peer.close();

      // Bob's nostr client: AUTH with nostr-tools, then REQ for his gift wraps.
      const bobClient = await Relay.connect(relayUrl);
      await waitFor('the relay challenge', () => (bobClient as unknown as { challenge?: string }).challenge !== undefined);
      await bobClient.auth(async (template: EventTemplate) => finalizeEvent(template, bob.identity.nostrSecret));
      const received: Event[] = [];
      await new Promise<void>((resolve) => {
        bobClient.subscribe([{ kinds: [1059], '#p': [bob.identity.addr] }], { onevent: (e) => received.push(e), oneose: resolve });
      });
      expect(received.map((e) => e.id)).toEqual([wrap.id]);
      expect(nip17.unwrapEvent(received[0], bob.identity.nostrSecret).content).toBe('hello bob from another nostr app');
      bobClient.close();

      // Someone else, authenticated: naming bob is restricted, asking for their own gets nothing of bob's.
      const eve = await connect();
      const eveSecret = generateSecretKey();
      expect(await eve.auth(eveSecret)).toEqual([true, '']);
      expect(await eve.req('steal', { kinds: [1059], '#p': [bob.identity.addr] })).toMatchObject({
        end: 'CLOSED',
        message: expect.stringMatching(/^restricted:/),
      });
      expect(await eve.req('own', { kinds: [1059] })).toEqual({ events: [], end: 'EOSE', message: undefined });
      expect(await eve.req('all', { ids: [wrap.id] })).toEqual({ events: [], end: 'EOSE', message: undefined });

      // Nobody authenticated: auth-required, and a fresh challenge.
      const anonymous = await connect();
      await anonymous.challenge();
      expect(await anonymous.req('dms', { kinds: [1059], '#p': [bob.identity.addr] })).toMatchObject({
        end: 'CLOSED',
        message: expect.stringMatching(/^auth-required:/),
      });
    });

    it('refuses a gift wrap for an unknown key, a kind 1 note, an oversized event and a malformed one with the right prefixes', async () => {
      const { user: carol } = await user(false);
      const client = await connect();
      const stranger = getPublicKey(generateSecretKey());
      expect(await client.publish(nip17.wrapEvent(generateSecretKey(), { publicKey: stranger }, 'hi'))).toEqual([
        false,
        expect.stringMatching(/^blocked: .*not a user/),
      ]);
      const note = finalizeEvent({ kind: 1, created_at: now(), tags: [], content: 'public note' }, generateSecretKey());
      expect(await client.publish(note)).toEqual([false, expect.stringMatching(/^blocked:/)]);
      const big = finalizeEvent({ kind: 1059, created_at: now(), tags: [['p', carol.identity.addr]], content: 'x'.repeat(70_000) }, generateSecretKey());
      expect(await client.publish(big)).toEqual([false, expect.stringMatching(/^invalid: the event is \d+ bytes/)]);
      const forged = { ...kezEvent(NOSTR_KIND_DM, carol.identity.addr), content: 'changed' };
      expect(await client.publish(forged)).toEqual([false, expect.stringMatching(/^invalid:/)]);
      const future = finalizeEvent({ kind: 1059, created_at: now() + 3600, tags: [['p', carol.identity.addr]], content: 'x' }, generateSecretKey());
      expect(await client.publish(future)).toEqual([false, expect.stringMatching(/^invalid: created_at/)]);
      const expired = finalizeEvent(
        {
          kind: 1059,
          created_at: now(),
          tags: [
            ['p', carol.identity.addr],
            ['expiration', String(now() - 10)],
          ],
          content: 'x',
        },
        generateSecretKey(),
      );
      expect(await client.publish(expired)).toEqual([false, expect.stringMatching(/^invalid: .*expired/)]);
      client.send('not json');
      expect(await client.next('a NOTICE', (f) => f[0] === 'NOTICE')).toEqual(['NOTICE', 'invalid: not JSON']);
      // Nothing of it was stored for carol.
      const reader = await connect();
      await reader.auth(carol.identity.nostrSecret);
      expect((await reader.req('all', { kinds: [1059, NOSTR_KIND_DM] })).events).toEqual([]);
      // The operator sees the refusals by reason.
      const metrics = (await http(`${server.url}/v1/metrics`)).text;
      expect(Number(/^kez_chat_relay_events_refused_total\{reason="blocked"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(2);
      expect(Number(/^kez_chat_relay_events_refused_total\{reason="invalid"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(3);
      expect(metrics).toMatch(/^kez_chat_relay_connections \d+$/m);
    });

    it('refuses upgrades elsewhere, binary frames and oversized frames, and closes relay connections cleanly at shutdown', async () => {
      await expect(RawRelayClient.connect(`ws://127.0.0.1:${server.port}/v1/healthz`)).rejects.toThrow(/404/);
      const binary = await connect();
      binary.sendBinary(Buffer.from('["REQ","x",{}]'));
      expect(await binary.next('a NOTICE', (f) => f[0] === 'NOTICE')).toEqual(['NOTICE', expect.stringMatching(/^invalid: .*text/)]);
      const huge = await connect();
      huge.send(JSON.stringify(['EVENT', { content: 'x'.repeat(1_100_000) }]));
      expect(await huge.closeCode()).toBe(1009);

      // Its own store: two apps in one process never share a SQLite file (see process/shared-store.suite.ts).
      const ownStore = await run();
      const own = await startInProcessServer({ env: ownStore.env });
      try {
        const client = await RawRelayClient.connect(`ws://127.0.0.1:${own.port}/relay`);
        clients.push(client);
        await client.challenge();
        // Shutdown as SIGTERM runs it (the exit code: process/lifecycle.e2e-spec.ts).
        await own.stop();
        expect(await client.closeCode()).toBe(1001);
      } finally {
        await own.stop();
        await ownStore.cleanup();
      }
    });

    it('answers a database failure with a plain error: no SQL, no table name, and the client is not left waiting', async () => {
      const broken = await run();
      const own = await startInProcessServer({ env: broken.env });
      try {
        const registered = await registerUser(own.url, 'broken-store');
        await broken.sql('ALTER TABLE relay_events RENAME TO relay_events_gone', []);
        const client = await RawRelayClient.connect(`ws://127.0.0.1:${own.port}/relay`);
        clients.push(client);
        const [accepted, message] = await client.publish(nip17.wrapEvent(generateSecretKey(), { publicKey: registered.identity.addr }, 'hi'));
        expect(accepted).toBe(false);
        expect(message).toMatch(/^error: /);
        expect(message).not.toMatch(/relay_events|SELECT|INSERT|sqlite|postgres/i);
        const req = await client.req('r', { kinds: [0] });
        expect(req).toMatchObject({ end: 'CLOSED', message: expect.stringMatching(/^error: /) });
        expect(req.message).not.toMatch(/relay_events|SELECT|sqlite|postgres/i);
        // A failed read is answered, never the end of the server: it still serves the next request.
        expect((await http(`${own.url}/v1/healthz`)).status).toBe(200);
        expect(await client.req('again', { kinds: [0] })).toMatchObject({ end: 'CLOSED', message: expect.stringMatching(/^error: /) });
      } finally {
        await own.stop();
        await broken.cleanup();
      }
    });

    it('checks AUTH: this relay URL, this challenge and a 10-minute window', async () => {
      const client = await connect();
      const secret = generateSecretKey();
      expect(await client.auth(secret, { relayUrl: 'wss://elsewhere.example/relay' })).toEqual([false, expect.stringMatching(/^invalid: the relay tag/)]);
      expect(await client.auth(secret, { challenge: 'not-the-challenge' })).toEqual([false, expect.stringMatching(/^invalid: the challenge/)]);
      expect(await client.auth(secret, { createdAt: now() - 11 * 60 })).toEqual([false, expect.stringMatching(/^invalid: created_at/)]);
      expect((await client.req('dms', { kinds: [1059] })).end).toBe('CLOSED');
      expect(await client.auth(secret, { relayUrl: relayUrl + '/' })).toEqual([true, '']);
      expect((await client.req('dms', { kinds: [1059] })).end).toBe('EOSE');
    });

    it('delivers KEZ DMs and receipts live to their recipient, and does not push while a subscription is open', async () => {
      const { user: dave, endpoint } = await user();
      const reader = await connect();
      await reader.auth(dave.identity.nostrSecret);
      expect((await reader.req('live', { kinds: [NOSTR_KIND_DM, NOSTR_KIND_ACK], '#q': [dave.identity.addr] })).end).toBe('EOSE');
      const other = await connect();
      await other.auth(generateSecretKey());
      expect((await other.req('live', { kinds: [NOSTR_KIND_DM, NOSTR_KIND_ACK] })).end).toBe('EOSE');

      const sender = await connect();
      const dm = kezEvent(NOSTR_KIND_DM, dave.identity.addr);
      const receipt = kezEvent(NOSTR_KIND_ACK, dave.identity.addr);
      const before = await wakes(server.url);
      expect(await sender.publish(dm)).toEqual([true, '']);
      expect(await sender.publish(receipt)).toEqual([true, '']);
      await waitFor('both live events', () => reader.liveEvents('live').length === 2);
      expect(reader.liveEvents('live').map((e) => e.id)).toEqual([dm.id, receipt.id]);
      // The server's own decisions as the signal: the DM found dave reading, the receipt wakes nobody.
      await waitFor('both wake decisions', async () => {
        const now = await wakes(server.url);
        return (now.reading ?? 0) > (before.reading ?? 0) && (now.not_waking ?? 0) > (before.not_waking ?? 0);
      });
      expect(other.liveEvents('live')).toEqual([]);
      expect(receiver.pushesTo(endpoint!)).toEqual([]);

      // Once the subscription is gone a DM wakes dave again; a receipt never does.
      const subscriptions = await figure(server.url, 'kez_chat_relay_subscriptions');
      reader.close();
      await waitFor(
        'the server to drop the reader’s subscription',
        async () => (await figure(server.url, 'kez_chat_relay_subscriptions')) === subscriptions - 1,
      );
      const decided = total(await wakes(server.url));
      expect(await sender.publish(kezEvent(NOSTR_KIND_ACK, dave.identity.addr))).toEqual([true, '']);
      expect(await sender.publish(kezEvent(NOSTR_KIND_DM, dave.identity.addr))).toEqual([true, '']);
      await waitFor('the push', () => receiver.pushesTo(endpoint!).length === 1);
      await waitFor('both wake decisions', async () => total(await wakes(server.url)) === decided + 2);
      await pushQueueIdle(server);
      expect(receiver.pushesTo(endpoint!)).toHaveLength(1);
    });

    it('does not push a gift wrap while the recipient has an SSE stream open, and pushes once it is closed', async () => {
      const { user: hal, endpoint } = await user();
      const stream = await SseClient.open(streamUrl(server.url, hal.handle, streamAuth(hal)));
      const client = await connect();
      const before = await wakes(server.url);
      expect(await client.publish(nip17.wrapEvent(generateSecretKey(), { publicKey: hal.identity.addr }, 'while streaming'))).toEqual([true, '']);
      await waitFor('the wake decision', async () => ((await wakes(server.url)).reading ?? 0) > (before.reading ?? 0));
      expect(receiver.pushesTo(endpoint!)).toEqual([]);
      const streams = await figure(server.url, 'kez_chat_open_streams');
      stream.close();
      await stream.ended;
      await waitFor('the server to let go of the stream', async () => (await figure(server.url, 'kez_chat_open_streams')) === streams - 1);
      expect(await client.publish(nip17.wrapEvent(generateSecretKey(), { publicKey: hal.identity.addr }, 'after'))).toEqual([true, '']);
      await waitFor('a push once the stream is gone', () => receiver.pushesTo(endpoint!).length === 1);
    });

    it("takes a registered user's own kinds 0, 10002 and 10050 and deletions, and serves them to anyone", async () => {
      const { user: erin } = await user(false);
      const secret = erin.identity.nostrSecret;
      const client = await connect();
      const profile = finalizeEvent({ kind: 0, created_at: now() - 10, tags: [], content: '{"name":"erin"}' }, secret);
      const newer = finalizeEvent({ kind: 0, created_at: now(), tags: [], content: '{"name":"erin 2"}' }, secret);
      const inbox = finalizeEvent(
        {
          kind: 10050,
          created_at: now(),
          tags: [
            ['relay', relayUrl],
            ['relay', 'wss://Inbox.Example/'],
          ],
          content: '',
        },
        secret,
      );
      expect(await client.publish(profile)).toEqual([true, '']);
      expect(await client.publish(newer)).toEqual([true, '']);
      expect(await client.publish(inbox)).toEqual([true, '']);
      expect((await client.publish(finalizeEvent({ kind: 10050, created_at: now(), tags: [], content: '' }, generateSecretKey())))[1]).toMatch(/^blocked:/);
      // NIP-05 discovery: this relay first, then erin's own DM inbox list.
      const nip05 = await http(`${server.url}/.well-known/nostr.json?name=${erin.handle}`);
      expect(nip05.body).toEqual({ names: { [erin.handle]: erin.identity.addr }, relays: { [erin.identity.addr]: [relayUrl, 'wss://inbox.example'] } });
      const anonymous = await connect();
      const { events } = await anonymous.req('lists', { authors: [erin.identity.addr] });
      expect(events.map((e) => e.id).sort()).toEqual([newer.id, inbox.id].sort());
      const deletion = finalizeEvent({ kind: 5, created_at: now(), tags: [['e', inbox.id]], content: '' }, secret);
      expect(await client.publish(deletion)).toEqual([true, '']);
      expect((await anonymous.req('after', { authors: [erin.identity.addr] })).events.map((e) => e.id)).toEqual([newer.id]);
      expect((await http(`${server.url}/.well-known/nostr.json?name=${erin.handle}`)).body.relays).toEqual({ [erin.identity.addr]: [relayUrl] });
    });

    it("takes a registered user's own profile up to 64 KiB (a picture fits), like every other event", async () => {
      const { user: gina } = await user(false);
      const secret = gina.identity.nostrSecret;
      const client = await connect();
      // A kind 0 the size of one with a scrambled picture, its exact copy and many wraps.
      const picture = finalizeEvent({ kind: 0, created_at: now(), tags: [], content: JSON.stringify({ name: 'gina', picture: 'x'.repeat(60_000) }) }, secret);
      expect(await client.publish(picture)).toEqual([true, '']);
      const served = await (await connect()).req('profile', { kinds: [0], authors: [gina.identity.addr] });
      expect(served.events.map((e) => e.id)).toEqual([picture.id]);
      const tooBig = finalizeEvent({ kind: 0, created_at: now() + 1, tags: [], content: JSON.stringify({ picture: 'x'.repeat(70_000) }) }, secret);
      expect(await client.publish(tooBig)).toEqual([false, expect.stringMatching(/^invalid: the event is \d+ bytes; this relay takes at most 65536$/)]);
      const bigList = finalizeEvent({ kind: 10002, created_at: now(), tags: [], content: 'x'.repeat(70_000) }, secret);
      expect(await client.publish(bigList)).toEqual([false, expect.stringMatching(/^invalid: the event is \d+ bytes; this relay takes at most 65536$/)]);
      // A stranger's large profile is still nobody's to store here.
      const stranger = finalizeEvent({ kind: 0, created_at: now(), tags: [], content: JSON.stringify({ picture: 'x'.repeat(60_000) }) }, generateSecretKey());
      expect(await client.publish(stranger)).toEqual([false, expect.stringMatching(/^blocked:/)]);
    });

    it('limits events per author key (rate-limited:), cluster-wide store, per the configured rate', async () => {
      const { user: frank } = await user(false);
      const client = await connect();
      const results: [boolean, string][] = [];
      for (let i = 0; i < 14; i++) {
        results.push(await client.publish(finalizeEvent({ kind: 10002, created_at: now() + i, tags: [], content: '' }, frank.identity.nostrSecret)));
      }
      expect(results.slice(0, 12).every(([ok]) => ok)).toBe(true);
      expect(results[13]).toEqual([false, expect.stringMatching(/^rate-limited:/)]);
    });
    it('deletes events received longer ago than KEZ_CHAT_RETENTION, like messages', async () => {
      const { user: ivy } = await user(false);
      const old = nip17.wrapEvent(generateSecretKey(), { publicKey: ivy.identity.addr }, 'a month ago');
      const fresh = nip17.wrapEvent(generateSecretKey(), { publicKey: ivy.identity.addr }, 'today');
      const client = await connect();
      expect(await client.publish(fresh)).toEqual([true, '']);
      // Stored 31 days ago: only the database can say that.
      await store.sql(
        'INSERT INTO relay_events (id, pubkey, kind, created_at, recipient, expires_at, received_at, raw) VALUES ($1, $2, $3, $4, $5, NULL, $6, $7)',
        [old.id, old.pubkey, old.kind, old.created_at, ivy.identity.addr, now() - 31 * 86_400, JSON.stringify(old)],
      );
      const reader = await connect();
      await reader.auth(ivy.identity.nostrSecret);
      let n = 0;
      await waitFor('the sweep to delete the old event', async () => {
        const ids = (await reader.req(`r${n++}`, { kinds: [1059] })).events.map((e) => e.id);
        return ids.length === 1 && ids[0] === fresh.id;
      });
    });

    it('limits EVENT, REQ and AUTH per client address (rate-limited:)', async () => {
      const limitedStore = await run();
      const limited = await startInProcessServer({ env: { KEZ_CHAT_RATE_RELAY: '4/min', ...limitedStore.env } });
      try {
        const client = await RawRelayClient.connect(`ws://127.0.0.1:${limited.port}/relay`);
        clients.push(client);
        const answers = [
          (await client.req('a', { kinds: [0] })).end,
          (await client.req('b', { kinds: [0] })).end,
          (await client.auth(generateSecretKey()))[0],
          (await client.req('c', { kinds: [0] })).end,
        ];
        expect(answers).toEqual(['EOSE', 'EOSE', true, 'EOSE']);
        expect(await client.req('d', { kinds: [0] })).toMatchObject({ end: 'CLOSED', message: expect.stringMatching(/^rate-limited:/) });
        const note = finalizeEvent({ kind: 0, created_at: now(), tags: [], content: '{}' }, generateSecretKey());
        expect(await client.publish(note)).toEqual([false, expect.stringMatching(/^rate-limited:/)]);
        expect(await client.auth(generateSecretKey())).toEqual([false, expect.stringMatching(/^rate-limited:/)]);
      } finally {
        await limited.stop();
        await limitedStore.cleanup();
      }
    });

    it('serves an event with a NIP-40 expiration until then, and never after', async () => {
      const { user: gina } = await user(false);
      const client = await connect();
      const soon = finalizeEvent(
        {
          kind: NOSTR_KIND_DM,
          created_at: now(),
          tags: [
            ['q', gina.identity.addr],
            ['expiration', String(now() + 2)],
          ],
          content: 'x',
        },
        generateSecretKey(),
      );
      expect(await client.publish(soon)).toEqual([true, '']);
      const reader = await connect();
      await reader.auth(gina.identity.nostrSecret);
      expect((await reader.req('before', { kinds: [NOSTR_KIND_DM] })).events.map((e) => e.id)).toEqual([soon.id]);
      let n = 0;
      await waitFor('the expired DM to be gone', async () => (await reader.req(`after-${n++}`, { kinds: [NOSTR_KIND_DM] })).events.length === 0);
    });
  });
}
