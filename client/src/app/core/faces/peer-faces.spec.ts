import { deriveIdentity, type Identity, newVisualSecret } from '@kez/crypto';
import { profileTemplate } from '@kez/nostr';
import type { Filter } from 'nostr-tools/filter';
import { finalizeEvent, type NostrEvent } from 'nostr-tools/pure';

import { MemoryStore } from '../storage/memory-store';
import { PeerFaces, REFRESH_AFTER_MS } from './peer-faces';
import { pictureFields } from './picture-profile';
import { rgbaToPng } from './png-pixels';

const person = (byte: number): Identity => deriveIdentity(new Uint8Array(32).fill(byte));

describe('PeerFaces', () => {
  const alice = person(1);
  const bob = person(2);
  const carol = person(3);
  const png = rgbaToPng({ width: 4, height: 4, data: new Uint8Array(64).map((_, i) => (i * 13) % 256) });
  const fields = pictureFields(alice, { exact: png, small: png, scrambled: true, ...newVisualSecret() }, [bob.primary]);
  const event = finalizeEvent(profileTemplate({ name: 'alice', ...fields }, 1_700_000_000), alice.nostrSecret);

  function setup(reader: Identity, events: NostrEvent[] = [event]) {
    let now = 1_000_000;
    const queries: Filter[][] = [];
    const faces = new PeerFaces(
      new MemoryStore(),
      reader,
      async (filters) => (queries.push(filters), events),
      () => now,
    );
    return { faces, queries, advance: (ms: number) => (now += ms) };
  }

  it('asks the relays once for the author’s newest kind 0 and caches the answer', async () => {
    const { faces, queries } = setup(bob);
    const peer = { primary: alice.primary, addr: alice.addr };
    expect((await faces.faceOf(peer)).seen.kind).toBe('face');
    expect((await faces.faceOf(peer)).seen.kind).toBe('face');
    expect(queries).toEqual([[{ kinds: [0], authors: [alice.addr], limit: 1 }]]);
  });

  it('asks again after 6 h and when refresh is asked for (a thread opens)', async () => {
    const { faces, queries, advance } = setup(bob);
    const peer = { primary: alice.primary, addr: alice.addr };
    await faces.faceOf(peer);
    advance(REFRESH_AFTER_MS - 1);
    await faces.faceOf(peer);
    expect(queries).toHaveLength(1);
    advance(1);
    await faces.faceOf(peer);
    expect(queries).toHaveLength(2);
    await faces.faceOf(peer, { refresh: true });
    expect(queries).toHaveLength(3);
  });

  it('a stranger sees noise; an event by someone else than the addr is ignored', async () => {
    expect((await setup(carol).faces.faceOf({ primary: alice.primary, addr: alice.addr })).seen.kind).toBe('noise');
    const forged = finalizeEvent(profileTemplate({ name: 'x', ...fields }), carol.nostrSecret);
    expect((await setup(bob, [forged]).faces.faceOf({ primary: alice.primary, addr: alice.addr })).seen).toEqual({ kind: 'none' });
  });

  it('keeps the cached face when the relays answer nothing', async () => {
    const events: NostrEvent[] = [event];
    const { faces, advance } = setup(bob, events);
    const peer = { primary: alice.primary, addr: alice.addr };
    await faces.faceOf(peer);
    events.length = 0;
    advance(REFRESH_AFTER_MS);
    expect((await faces.faceOf(peer)).seen.kind).toBe('face');
  });

  it('stores nothing when the relays cannot be asked, so the next look asks again', async () => {
    const events: NostrEvent[] = [event];
    let reachable = true;
    const store = new MemoryStore();
    const now = 1_000_000;
    const faces = new PeerFaces(
      store,
      bob,
      async () => {
        if (!reachable) {
          throw new Error('no relay is connected');
        }
        return events;
      },
      () => now,
    );
    const peer = { primary: alice.primary, addr: alice.addr };
    expect((await faces.faceOf(peer)).seen.kind).toBe('face');
    const before = await faces.cached(alice.primary);
    reachable = false;
    expect((await faces.faceOf(peer, { refresh: true })).seen.kind).toBe('face');
    expect(await faces.cached(alice.primary)).toEqual(before);
    // A newcomer we could not ask about is not cached as "no picture".
    expect((await faces.faceOf({ primary: carol.primary, addr: carol.addr })).seen.kind).toBe('none');
    expect(await faces.cached(carol.primary)).toBeUndefined();
  });
});
