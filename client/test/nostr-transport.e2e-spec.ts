import { AbstractRelay } from 'nostr-tools/abstract-relay';
import type { Filter } from 'nostr-tools/filter';
import * as nip17 from 'nostr-tools/nip17';
import { finalizeEvent, generateSecretKey, getPublicKey, type NostrEvent, verifyEvent } from 'nostr-tools/pure';

import { deriveIdentity, generateSeed, type Identity } from '@kez/crypto';

import { NostrTransport } from '../src/app/core/nostr/nostr-transport';
import { sendOwedReceipts } from '../src/app/core/nostr/owed-receipts';
import { ReceiptTracker } from '../src/app/core/nostr/receipt-tracker';
import { RelayPool } from '../src/app/core/nostr/relay-pool';
import type { Arrival, PeerAddress } from '../src/app/core/nostr/transport';
import { MemoryStore } from '../src/app/core/storage/memory-store';
import { Backoff } from '../src/app/core/transport/backoff';
import { browserWebSocket } from './browser-websocket';
import { TestRelay } from '../../server/test/support/nostr-relay';
import { waitFor } from '../../server/test/support/wait-for';

// KEZ chat over real relays (@nostr-relay/core on loopback, one of them demanding
// NIP-42 AUTH to read and to publish), and what a relay operator can see of it.

const ws = browserWebSocket;

/** `publishWaitMs`: how long a send waits for a relay that is not live; short only where the test wants the refusal. */
function poolFor(identity: Identity, urls: readonly string[], publishWaitMs = 10_000): RelayPool {
  const pool = new RelayPool({
    signAuth: (template) => finalizeEvent(template, identity.nostrSecret),
    WebSocket: ws,
    backoff: new Backoff({ baseMs: 100, maxMs: 400, factor: 2, jitter: 0 }),
    publishWaitMs,
  });
  pool.setRelays(urls);
  return pool;
}

/** Reads events straight off a relay, as its operator (or anyone) could. */
async function readRaw(relay: TestRelay, filters: Filter[]): Promise<NostrEvent[]> {
  const client = await AbstractRelay.connect(relay.url, { verifyEvent, websocketImplementation: ws });
  try {
    return await new Promise((resolve) => {
      const events: NostrEvent[] = [];
      const sub = client.subscribe(filters, {
        onevent: (event) => events.push(event),
        oneose: () => {
          sub.close();
          resolve(events);
        },
      });
    });
  } finally {
    client.close();
  }
}

describe('NostrTransport on real relays', () => {
  let open: TestRelay;
  let guarded: TestRelay;
  let theirInbox: TestRelay;
  const alice = deriveIdentity(generateSeed());
  const bob = deriveIdentity(generateSeed());
  const aliceAt: PeerAddress = { primary: alice.primary, addr: alice.addr, handle: 'alice_at_home' };
  const bobAt: PeerAddress = { primary: bob.primary, addr: bob.addr, handle: 'bob_at_home' };
  const users: { transport: NostrTransport; arrivals: Arrival[] }[] = [];
  const temporaryPools: RelayPool[] = [];

  async function user(identity: Identity): Promise<{ transport: NostrTransport; arrivals: Arrival[] }> {
    const transport = new NostrTransport({
      identity,
      relays: poolFor(identity, [open.url, guarded.url]),
      store: new MemoryStore(),
      openPool: (urls) => {
        const pool = poolFor(identity, urls);
        temporaryPools.push(pool);
        return pool;
      },
    });
    const arrivals: Arrival[] = [];
    transport.onArrival((arrival) => arrivals.push(arrival));
    await transport.start();
    const made = { transport, arrivals };
    users.push(made);
    return made;
  }

  beforeAll(async () => {
    [open, guarded, theirInbox] = await Promise.all([TestRelay.start(), TestRelay.start({ requireAuth: true, requireAuthToPublish: true }), TestRelay.start()]);
  });

  afterAll(async () => {
    for (const { transport } of users) {
      transport.stop();
    }
    for (const pool of temporaryPools) {
      pool.stop();
    }
    await Promise.all([open?.close(), guarded?.close(), theirInbox?.close()]);
  });

  it('carries a DM and its receipt between two users over both relays, each once, and tracks delivery', async () => {
    const a = await user(alice);
    const b = await user(bob);
    await open.waitForSubscriber(bob.addr);
    await guarded.waitForSubscriber(bob.addr);
    await open.waitForSubscriber(alice.addr);
    await guarded.waitForSubscriber(alice.addr);
    // Reading a guarded relay took AUTH with each user's own key.
    expect(guarded.authenticated).toEqual(expect.arrayContaining([alice.addr, bob.addr]));

    const tracker = new ReceiptTracker(new MemoryStore());
    await tracker.sending('hello-1', bob.primary);
    const report = await a.transport.sendMessage(bobAt, { id: 'hello-1', body: 'secret words for bob' }, { preferredPath: guarded.url });
    expect(new Set(report.accepted)).toEqual(new Set([`${open.url}/`, `${guarded.url}/`]));
    expect(report.refused).toEqual([]);
    expect((await tracker.accepted('hello-1', report.first as string))?.state).toBe('sent');

    await waitFor('bob to get the message', () => b.arrivals.length > 0);
    const arrival = b.arrivals[0];
    expect(arrival).toMatchObject({ kind: 'message', message: { from: alice.primary, id: 'hello-1', body: 'secret words for bob' } });

    await b.transport.sendReceipt(aliceAt, ['hello-1']);
    await waitFor('alice to get the receipt', () => a.arrivals.some((got) => got.kind === 'receipt'));
    const receipt = a.arrivals.find((got) => got.kind === 'receipt');
    expect(receipt).toMatchObject({ kind: 'receipt', from: bob.primary, ids: ['hello-1'] });
    if (receipt?.kind === 'receipt') {
      expect((await tracker.receipt(receipt.from, receipt.ids)).map((tracked) => tracked.state)).toEqual(['delivered']);
    }

    // A later message to bob makes sure a duplicate of the first, from the second relay, would have arrived by now.
    await a.transport.sendMessage(bobAt, { id: 'hello-2', body: 'second' });
    await waitFor('the second message', () => b.arrivals.some((got) => got.kind === 'message' && got.message.id === 'hello-2'));
    expect(b.arrivals.filter((got) => got.kind === 'message').map((got) => got.kind === 'message' && got.message.id)).toEqual(['hello-1', 'hello-2']);
  });

  it('leaves on the relay no plaintext, no handle, no p or e tags and a new author key per event', async () => {
    const raw = await readRaw(open, [{ kinds: [4243, 4244] }]);
    expect(raw.length).toBeGreaterThanOrEqual(3);
    for (const event of raw) {
      expect(event.tags).toEqual([['q', event.kind === 4244 ? alice.addr : bob.addr]]);
      // Strings long enough that random base64 cannot hold them by chance.
      for (const secret of ['secret words', 'second', 'hello-1', 'alice_at_home', 'bob_at_home', alice.primary.slice(8), bob.primary.slice(8)]) {
        expect(event.content).not.toContain(secret);
      }
      expect(Object.keys(JSON.parse(event.content) as object).sort()).toEqual(['ct', 'enc', 'v']);
      expect([alice.addr, bob.addr]).not.toContain(event.pubkey);
    }
    expect(new Set(raw.map((event) => event.pubkey)).size).toBe(raw.length);
  });

  it('exchanges NIP-17 DMs with a user of another nostr app, sending to their 10050 relays', async () => {
    const b = users[1] ?? (await user(bob));
    const stranger = generateSecretKey();
    const strangerPubkey = getPublicKey(stranger);
    await open.publish(finalizeEvent({ kind: 10050, created_at: Math.floor(Date.now() / 1000), tags: [['relay', theirInbox.url]], content: '' }, stranger));

    // From the other app to bob, on a relay bob reads.
    await open.publish(nip17.wrapEvent(stranger, { publicKey: bob.addr }, 'hi from elsewhere'));
    await waitFor('the NIP-17 DM', () => b.arrivals.some((got) => got.kind === 'nostr-dm'));
    expect(b.arrivals.find((got) => got.kind === 'nostr-dm')).toMatchObject({ dm: { from: strangerPubkey, text: 'hi from elsewhere' } });

    // From bob back, to the inbox relay the stranger named (not one of bob's).
    const report = await b.transport.sendDirectMessage(strangerPubkey, 'hello back');
    expect(report.dmRelays).toEqual([`${theirInbox.url}/`]);
    expect(report.accepted).toContain(`${theirInbox.url}/`);
    const wraps = await readRaw(theirInbox, [{ kinds: [1059], '#p': [strangerPubkey] }]);
    expect(wraps).toHaveLength(1);
    expect(nip17.unwrapEvent(wraps[0], stranger)).toMatchObject({ kind: 14, pubkey: bob.addr, content: 'hello back' });
  });

  it('publishes the relay lists and a minimal profile with the user key', async () => {
    const b = users[1] ?? (await user(bob));
    const report = await b.transport.publishLists({
      relays: [
        { url: open.url, read: true, write: true },
        { url: guarded.url, read: true, write: false },
      ],
      dmRelays: [open.url],
      profile: { name: 'bob' },
    });
    expect(report.relayList.accepted).toHaveLength(2);
    const lists = await readRaw(open, [{ kinds: [0, 10002, 10050], authors: [bob.addr] }]);
    expect(lists.map((event) => event.kind).sort()).toEqual([0, 10002, 10050]);
    expect(lists.find((event) => event.kind === 10002)?.tags).toEqual([
      ['r', `${open.url}/`],
      ['r', `${guarded.url}/`, 'read'],
    ]);
    expect(JSON.parse(lists.find((event) => event.kind === 0)?.content ?? '')).toEqual({ name: 'bob' });
  });

  it('retries a receipt no relay took at the next start, and it reaches its sender at her next start, once', async () => {
    let relay = await TestRelay.start();
    const port = relay.port;
    const bobStore = new MemoryStore();
    const aliceStore = new MemoryStore();
    const tracker = new ReceiptTracker(bobStore);
    try {
      await relay.close();
      const offline = new NostrTransport({ identity: bob, relays: poolFor(bob, [relay.url], 1_000), store: bobStore });
      await offline.start();
      await tracker.owe(alice.primary, alice.addr, ['late-1']);
      const first = await sendOwedReceipts(tracker, offline);
      offline.stop();
      expect(first).toEqual({ sent: 0, failed: [{ peer: alice.primary, reasons: [expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/: not connected/)] }] });
      expect(await tracker.pendingReceipts()).toHaveLength(1);

      // Next start, relay back: the owed receipt goes out.
      relay = await TestRelay.start({ port });
      const online = new NostrTransport({ identity: bob, relays: poolFor(bob, [relay.url]), store: bobStore });
      await online.start();
      try {
        expect(await sendOwedReceipts(new ReceiptTracker(bobStore), online)).toEqual({ sent: 1, failed: [] });
        expect(await tracker.pendingReceipts()).toEqual([]);

        // Alice was offline all along: her next start finds it in the look-back.
        const aliceArrivals: Arrival[] = [];
        const aliceFirst = new NostrTransport({ identity: alice, relays: poolFor(alice, [relay.url]), store: aliceStore });
        aliceFirst.onArrival((arrival) => aliceArrivals.push(arrival));
        await aliceFirst.start();
        await waitFor('the receipt at alice', () => aliceArrivals.length > 0);
        expect(aliceArrivals).toEqual([{ kind: 'receipt', from: bob.primary, ids: ['late-1'], path: `${relay.url}/` }]);
        await aliceFirst.flush();
        aliceFirst.stop();

        // And her start after that does not hand it on again; a new message does arrive.
        const again: Arrival[] = [];
        const aliceSecond = new NostrTransport({ identity: alice, relays: poolFor(alice, [relay.url]), store: aliceStore });
        aliceSecond.onArrival((arrival) => again.push(arrival));
        await aliceSecond.start();
        await relay.waitForSubscriber(alice.addr, 2);
        await online.sendMessage(aliceAt, { id: 'after-restart', body: 'still here' });
        await waitFor('the new message', () => again.length > 0);
        expect(again.map((arrival) => arrival.kind)).toEqual(['message']);
        expect(aliceSecond.dropped).toEqual({ seen: 1 });
        aliceSecond.stop();
      } finally {
        online.stop();
      }
    } finally {
      await relay.close();
    }
  });
});
