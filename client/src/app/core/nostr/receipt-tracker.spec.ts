import { generateSeed } from '@kez/crypto';

import { openHistory } from '../storage/history-store';
import { MemoryStore } from '../storage/memory-store';
import { laterState, ReceiptTracker, TRACKING_MAX_AGE_SECONDS } from './receipt-tracker';

const alice = `ed25519:${'a'.repeat(64)}`;
const mallory = `ed25519:${'f'.repeat(64)}`;
const aliceAddr = 'b'.repeat(64);

describe(ReceiptTracker.name, () => {
  let store: MemoryStore;
  let clock: number;
  let tracker: ReceiptTracker;

  beforeEach(() => {
    store = new MemoryStore();
    clock = 1_800_000_000;
    tracker = new ReceiptTracker(store, () => clock);
  });

  it('moves sending → sent at the first acceptance and remembers which path it was', async () => {
    expect((await tracker.sending('m1', alice)).state).toBe('sending');
    expect(await tracker.accepted('m1', 'wss://one.example/')).toMatchObject({ state: 'sent', via: 'wss://one.example/' });
    expect(await tracker.accepted('m1', 'home')).toMatchObject({ state: 'sent', via: 'wss://one.example/' });
  });

  it('moves to delivered on a receipt from the peer and never back', async () => {
    await tracker.sending('m1', alice);
    await tracker.accepted('m1', 'home');
    expect(await tracker.receipt(alice, ['m1'])).toEqual([expect.objectContaining({ id: 'm1', state: 'delivered' })]);
    // A late acceptance by a slow relay, a second receipt, or sending() again changes nothing.
    expect((await tracker.accepted('m1', 'wss://slow.example/'))?.state).toBe('delivered');
    expect(await tracker.receipt(alice, ['m1'])).toEqual([]);
    expect((await tracker.sending('m1', alice)).state).toBe('delivered');
  });

  it('takes a receipt that arrives before any path confirmed the send', async () => {
    await tracker.sending('m1', alice);
    expect(await tracker.receipt(alice, ['m1'])).toHaveLength(1);
    expect((await tracker.get('m1'))?.state).toBe('delivered');
  });

  it('ignores a receipt from anyone but the peer, and ids never sent to the signer', async () => {
    await tracker.sending('to-alice', alice);
    await tracker.sending('to-mallory', mallory);
    expect(await tracker.receipt(mallory, ['to-alice'])).toEqual([]);
    expect(await tracker.receipt(alice, ['never-sent', 'to-mallory'])).toEqual([]);
    expect((await tracker.get('to-alice'))?.state).toBe('sending');
    expect((await tracker.get('to-mallory'))?.state).toBe('sending');
    // A mixed receipt moves only what its signer may acknowledge.
    expect((await tracker.receipt(alice, ['to-mallory', 'to-alice'])).map((tracked) => tracked.id)).toEqual(['to-alice']);
  });

  it('keeps its states in the Store, across instances', async () => {
    await tracker.sending('m1', alice);
    await tracker.accepted('m1', 'home');
    expect(await new ReceiptTracker(store, () => clock).get('m1')).toMatchObject({ state: 'sent', via: 'home' });
  });

  it('prunes messages tracked longer than the retention', async () => {
    await tracker.sending('old', alice);
    clock += TRACKING_MAX_AGE_SECONDS + 1;
    await tracker.sending('new', alice);
    expect(await tracker.prune()).toBe(1);
    expect(await tracker.get('old')).toBeUndefined();
    expect(await tracker.get('new')).toBeDefined();
  });

  it('keeps owed receipts until a path accepts them, batched by the receipt limit, for the next start', async () => {
    const ids = Array.from({ length: 150 }, (_, index) => `id-${index}`);
    await tracker.owe(alice, aliceAddr, ids.slice(0, 120));
    await tracker.owe(alice, aliceAddr, ids.slice(100));
    const restarted = new ReceiptTracker(store, () => clock);
    const pending = await restarted.pendingReceipts();
    expect(pending.map((receipt) => receipt.ids.length)).toEqual([100, 50]);
    expect(pending[0]).toMatchObject({ peer: alice, addr: aliceAddr });
    await restarted.receiptSent(alice, pending[0]?.ids ?? []);
    expect((await restarted.pendingReceipts()).map((receipt) => receipt.ids)).toEqual([ids.slice(100)]);
    await restarted.receiptSent(alice, ids.slice(100));
    expect(await restarted.pendingReceipts()).toEqual([]);
  });

  it('keeps owed receipts and tracked messages sealed: no peer primary, addr or id on disk in clear', async () => {
    const seed = generateSeed();
    const sealed = new ReceiptTracker(await openHistory(store, seed), () => clock);
    await sealed.sending('m-secret', alice);
    await sealed.owe(alice, aliceAddr, ['r-secret']);
    const onDisk = JSON.stringify([...(await store.entries('meta')), ...(await store.entries('private'))], (_key, value: unknown) =>
      value instanceof Uint8Array ? `bytes:${value.length}` : value,
    );
    for (const clear of [alice, aliceAddr, 'm-secret', 'r-secret', 'delivery.']) {
      expect(onDisk).not.toContain(clear);
    }
    // Read back with the seed, by a new instance (the next start).
    const next = new ReceiptTracker(await openHistory(store, seed), () => clock);
    expect(await next.pendingReceipts()).toEqual([{ peer: alice, addr: aliceAddr, ids: ['r-secret'] }]);
    expect(await next.get('m-secret')).toMatchObject({ peer: alice, state: 'sending' });
  });

  it("moves an earlier version's clear entries from meta into the sealed bucket, once", async () => {
    const seed = generateSeed();
    await store.write([
      { bucket: 'meta', key: 'delivery.owed.' + alice, value: { peer: alice, addr: aliceAddr, ids: ['r1'] } },
      { bucket: 'meta', key: 'delivery.out.m1', value: { id: 'm1', peer: alice, state: 'sent', via: 'home', since: clock } },
      { bucket: 'meta', key: 'inbox.cursor', value: 'kept' },
    ]);
    const sealed = new ReceiptTracker(await openHistory(store, seed), () => clock);
    expect(await sealed.sealLegacy()).toBe(2);
    expect(await sealed.sealLegacy()).toBe(0);
    expect((await store.entries('meta')).map(([key]) => key)).toEqual(['inbox.cursor']);
    expect(await sealed.pendingReceipts()).toEqual([{ peer: alice, addr: aliceAddr, ids: ['r1'] }]);
    expect(await sealed.get('m1')).toMatchObject({ state: 'sent', via: 'home' });
    await sealed.receiptSent(alice, ['r1']);
    expect(await sealed.pendingReceipts()).toEqual([]);
  });
});

describe(laterState.name, () => {
  it('orders sending < sent < delivered', () => {
    expect(laterState('sending', 'sent')).toBe('sent');
    expect(laterState('sent', 'sending')).toBe('sent');
    expect(laterState('delivered', 'sent')).toBe('delivered');
    expect(laterState('sent', 'delivered')).toBe('delivered');
  });
});
