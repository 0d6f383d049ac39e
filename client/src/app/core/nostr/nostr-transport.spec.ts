import * as nip17 from 'nostr-tools/nip17';
import { finalizeEvent, generateSecretKey, getPublicKey, type NostrEvent } from 'nostr-tools/pure';

import { deriveIdentity, encryptV2, generateSeed, type Identity, sealV2, signInnerV2 } from '@kez/crypto';
import { buildKezEvent } from '@kez/nostr';
import { NOSTR_KIND_ACK, NOSTR_KIND_DM, receiptContent } from '@kez/protocol';

import { MemoryStore } from '../storage/memory-store';
import { FakeRelayNetwork, type FakeRelayPool } from '../testing/fake-relay-network';
import { FakeTimers } from '../testing/fake-timers';
import { NostrTransport } from './nostr-transport';
import type { Arrival, PeerAddress } from './transport';

// nostr-tools dates NIP-17 rumors and wraps by the real clock, so the test's clock starts there too.
const NOW = Math.floor(Date.now() / 1000);
const HOUR = 3600;
const DAY = 24 * HOUR;

const alice = deriveIdentity(generateSeed());
const bob = deriveIdentity(generateSeed());
const carol = deriveIdentity(generateSeed());
const address = (identity: Identity): PeerAddress => ({ primary: identity.primary, addr: identity.addr });

describe(NostrTransport.name, () => {
  let network: FakeRelayNetwork;
  let clock: number;

  interface Side {
    transport: NostrTransport;
    pool: FakeRelayPool;
    store: MemoryStore;
    timers: FakeTimers;
    arrivals: Arrival[];
  }

  async function side(identity: Identity, store = new MemoryStore(), extra: { openPool?: (urls: readonly string[]) => FakeRelayPool } = {}): Promise<Side> {
    const pool = network.pool();
    const timers = new FakeTimers();
    const transport = new NostrTransport({ identity, relays: pool, store, now: () => clock, timers, ...extra });
    const arrivals: Arrival[] = [];
    transport.onArrival((arrival) => arrivals.push(arrival));
    await transport.start();
    return { transport, pool, store, timers, arrivals };
  }

  /** A KEZ DM event as a sender's client would publish it, with control over both clocks. */
  function dmEvent(from: Identity, to: Identity, sentAt: number, createdAt: number, extra: Record<string, unknown> = {}): NostrEvent {
    return buildKezEvent(NOSTR_KIND_DM, sealV2(from, to.primary, { body: 'hi', sent_at: sentAt, ...extra }), to.addr, createdAt);
  }

  beforeEach(() => {
    network = new FakeRelayNetwork();
    clock = NOW;
  });

  it('subscribes to KEZ events for the addr and gift wraps for the pubkey, looking back 48 h the first time', async () => {
    const { pool } = await side(bob);
    expect(pool.started).toBe(true);
    expect(pool.specs.get('kez')).toEqual({ id: 'kez', filters: [{ kinds: [4243, 4244], '#q': [bob.addr] }], newestSeen: undefined });
    expect(pool.specs.get('gift')).toEqual({ id: 'gift', filters: [{ kinds: [1059], '#p': [bob.addr] }], giftWraps: true, newestSeen: undefined });
  });

  it('delivers a message sealed by the sender, with the relay it came by and the carrier time', async () => {
    const sender = await side(alice);
    const receiver = await side(bob);
    const accepted: string[] = [];
    const report = await sender.transport.sendMessage(address(bob), { id: 'm1', body: 'hello bob' }, { onAccepted: (path) => accepted.push(path) });
    expect(report).toEqual({ first: network.url, accepted: [network.url], refused: [] });
    expect(accepted).toEqual([network.url]);
    expect(receiver.arrivals).toEqual([
      {
        kind: 'message',
        message: expect.objectContaining({ from: alice.primary, to: bob.primary, id: 'm1', body: 'hello bob' }),
        path: network.url,
        carriedAt: NOW,
      },
    ]);
    expect(sender.arrivals).toEqual([]);
  });

  it('delivers receipts signed by the peer, and never shows a receipt as a message', async () => {
    const sender = await side(alice);
    const receiver = await side(bob);
    await receiver.transport.sendReceipt(address(alice), ['m1', 'm2']);
    expect(sender.arrivals).toEqual([{ kind: 'receipt', from: bob.primary, ids: ['m1', 'm2'], path: network.url }]);

    network.inject(buildKezEvent(NOSTR_KIND_DM, sealV2(alice, bob.primary, receiptContent(['x'])), bob.addr, NOW));
    network.inject(buildKezEvent(NOSTR_KIND_DM, sealV2(alice, bob.primary, { body: '', acks: 'not a list' }), bob.addr, NOW));
    network.inject(buildKezEvent(NOSTR_KIND_ACK, sealV2(alice, bob.primary, { body: 'no acks' }), bob.addr, NOW));
    expect(receiver.arrivals).toEqual([]);
    expect(receiver.transport.dropped).toEqual({ receipt_as_message: 2, not_a_receipt: 1 });
  });

  it('refuses receipt id lists the contract does not allow before publishing anything', async () => {
    const { transport, pool } = await side(bob);
    await expect(transport.sendReceipt(address(alice), [])).rejects.toThrow(RangeError);
    expect(pool.published).toEqual([]);
  });

  it('measures freshness against the event created_at, not the reader clock', async () => {
    const receiver = await side(bob);
    // Carried 47 h ago, written just before: shown, though the reader is late.
    network.inject(dmEvent(alice, bob, NOW - 47 * HOUR - 60, NOW - 47 * HOUR));
    // Carried an hour ago, written 8 days before that: stale against its carrier.
    network.inject(dmEvent(alice, bob, NOW - HOUR - 8 * DAY, NOW - HOUR));
    // Written 6 minutes after it was carried: from the future.
    network.inject(dmEvent(alice, bob, NOW - HOUR + 6 * 60, NOW - HOUR));
    expect(receiver.arrivals).toHaveLength(1);
    expect(receiver.arrivals[0]).toMatchObject({ kind: 'message', carriedAt: NOW - 47 * HOUR });
    expect(receiver.transport.dropped).toEqual({ wont_open: 2 });
  });

  it('drops events outside the 48 h window, replays, bad signatures, envelopes for someone else and events for another addr', async () => {
    const receiver = await side(bob);
    network.inject(dmEvent(alice, bob, NOW - 49 * HOUR, NOW - 49 * HOUR));
    network.inject(dmEvent(alice, bob, NOW + 10 * 60, NOW + 10 * 60));
    const genuine = dmEvent(alice, bob, NOW, NOW);
    network.inject(genuine);
    network.inject(genuine);
    network.inject({ ...dmEvent(alice, bob, NOW, NOW), sig: genuine.sig });
    // Sealed to carol, routed to bob: opens for nobody here.
    network.inject(buildKezEvent(NOSTR_KIND_DM, sealV2(alice, carol.primary, { body: 'not yours' }), bob.addr, NOW));
    // A relay sending bob an event routed to carol.
    receiverPoolReceive(receiver.pool, dmEvent(alice, carol, NOW, NOW));
    // Signed inside by carol, claiming nothing else: a message from carol, not from alice.
    network.inject(buildKezEvent(NOSTR_KIND_DM, encryptV2(bob.primary, signInnerV2(carol, bob.primary, { body: 'from carol' })), bob.addr, NOW));
    expect(receiver.arrivals.map((arrival) => arrival.kind === 'message' && arrival.message.from)).toEqual([alice.primary, carol.primary]);
    expect(receiver.transport.dropped).toEqual({ stale: 1, future: 1, seen: 1, bad_signature: 1, wont_open: 1, not_for_us: 1 });
  });

  it('keeps the seen ids and resume points in the Store across restarts', async () => {
    const store = new MemoryStore();
    const first = await side(bob, store);
    const event = dmEvent(alice, bob, NOW - HOUR, NOW - HOUR);
    network.inject(event);
    expect(first.arrivals).toHaveLength(1);
    first.timers.advance(1_000);
    await Promise.resolve();
    first.transport.stop();

    const second = await side(bob, store);
    expect(second.pool.specs.get('kez')?.newestSeen).toBe(NOW - HOUR);
    network.inject(event);
    expect(second.arrivals).toEqual([]);
    expect(second.transport.dropped).toEqual({ seen: 1 });
  });

  it('writes the reading state on stop even before the delay ran out', async () => {
    const store = new MemoryStore();
    const first = await side(bob, store);
    network.inject(dmEvent(alice, bob, NOW, NOW));
    first.transport.stop();
    await Promise.resolve();
    expect(await store.get<{ seen: string[] }>('meta', 'nostr.reading')).toMatchObject({ seen: [network.events[0]?.id] });
  });

  it('catches up on KEZ events the subscription missed, through the same checks', async () => {
    const receiver = await side(bob);
    receiver.pool.stop();
    // Stored while the subscription was not running: one receipt, one message, one stale message.
    const missed = [
      buildKezEvent(NOSTR_KIND_ACK, sealV2(alice, bob.primary, { ...receiptContent(['m9']), sent_at: NOW - HOUR }), bob.addr, NOW - HOUR),
      dmEvent(alice, bob, NOW - 2 * HOUR, NOW - 2 * HOUR),
      dmEvent(alice, bob, NOW - 50 * HOUR, NOW - 50 * HOUR),
    ];
    missed.forEach((event) => network.inject(event));
    expect(receiver.arrivals).toEqual([]);
    expect(await receiver.transport.catchUp()).toBe(2);
    expect(receiver.arrivals.map((arrival) => [arrival.kind, arrival.path])).toEqual([
      ['message', 'nostr'],
      ['receipt', 'nostr'],
    ]);
    // A second catch-up finds nothing new.
    expect(await receiver.transport.catchUp()).toBe(0);
  });

  it('reads NIP-17 DMs from any nostr user and sends them to the peer 10050 relays', async () => {
    const stranger = generateSecretKey();
    const strangerPubkey = getPublicKey(stranger);
    const opened: string[][] = [];
    const outside = new FakeRelayNetwork('wss://their-inbox.test/');
    const receiver = await side(bob, new MemoryStore(), {
      openPool: (urls) => {
        opened.push([...urls]);
        return outside.pool(urls);
      },
    });

    network.inject(nip17.wrapEvent(stranger, { publicKey: bob.addr }, 'hello from another app'));
    expect(receiver.arrivals).toEqual([
      { kind: 'nostr-dm', dm: expect.objectContaining({ from: strangerPubkey, to: [bob.addr], text: 'hello from another app' }), path: network.url },
    ]);

    network.inject(finalizeEvent({ kind: 10050, created_at: NOW, tags: [['relay', 'wss://their-inbox.test']], content: '' }, stranger));
    const report = await receiver.transport.sendDirectMessage(strangerPubkey, 'hello back');
    expect(report.dmRelays).toEqual(['wss://their-inbox.test/']);
    expect(opened).toEqual([['wss://their-inbox.test/']]);
    expect(report.accepted).toEqual([network.url, 'wss://their-inbox.test/']);
    const forStranger = outside.events.find((event) => event.kind === 1059);
    expect(nip17.unwrapEvent(forStranger as NostrEvent, stranger)).toMatchObject({ kind: 14, pubkey: bob.addr, content: 'hello back' });
    // The copy to self (for bob's other apps) came back on bob's own subscription.
    expect(receiver.arrivals.at(-1)).toMatchObject({ kind: 'nostr-dm', dm: { from: bob.addr, to: [strangerPubkey], text: 'hello back' } });
  });

  it('finds the newest kind 0 profile of a nostr user', async () => {
    const { transport } = await side(bob);
    const stranger = generateSecretKey();
    expect(await transport.profileOf(getPublicKey(stranger))).toBeUndefined();
    network.inject(finalizeEvent({ kind: 0, created_at: NOW - 100, tags: [], content: JSON.stringify({ name: 'old name' }) }, stranger));
    network.inject(finalizeEvent({ kind: 0, created_at: NOW, tags: [], content: JSON.stringify({ name: 'Dana', nip05: 'dana@example.org' }) }, stranger));
    expect(await transport.profileOf(getPublicKey(stranger))).toEqual({ name: 'Dana', nip05: 'dana@example.org' });
  });

  it('publishes the relay lists and the profile with the user key', async () => {
    const { transport, pool } = await side(bob);
    const report = await transport.publishLists({
      relays: [{ url: 'wss://a.test', read: true, write: true }],
      dmRelays: ['wss://a.test'],
      profile: { name: 'bob', nip05: 'bob@home.test' },
    });
    expect(report.relayList.accepted).toEqual([network.url]);
    expect(pool.published.map((event) => [event.kind, event.pubkey, event.tags])).toEqual([
      [10002, bob.addr, [['r', 'wss://a.test/']]],
      [10050, bob.addr, [['relay', 'wss://a.test/']]],
      [0, bob.addr, []],
    ]);
    await expect(transport.publishLists({ relays: [{ url: 'https://a.test', read: true, write: true }], dmRelays: [] })).rejects.toThrow(
      'not a relay URL (ws:// or wss://): https://a.test',
    );
  });

  it('reports a send with no relays, or refused everywhere, with the reasons', async () => {
    const { transport } = await side(alice);
    network.refuse = 'rate-limited: slow down';
    expect(await transport.sendMessage(address(bob), { id: 'm1', body: 'x' })).toEqual({
      accepted: [],
      refused: [{ path: network.url, reason: 'rate-limited: slow down' }],
    });

    const lonely = new NostrTransport({ identity: alice, relays: network.pool([]), store: new MemoryStore(), now: () => clock, timers: new FakeTimers() });
    expect(await lonely.sendMessage(address(bob), { id: 'm1', body: 'x' })).toEqual({
      accepted: [],
      refused: [{ path: 'nostr', reason: 'no relays configured' }],
    });
  });
});

/** Hands an event straight to one pool's subscriptions, bypassing their filters (a misbehaving relay). */
function receiverPoolReceive(pool: FakeRelayPool, event: NostrEvent): void {
  const spec = pool.specs.get('kez');
  if (spec) {
    pool.specs.set('kez', { ...spec, filters: [{ kinds: [NOSTR_KIND_DM] }] });
    pool.receive(event);
    pool.specs.set('kez', spec);
  }
}
