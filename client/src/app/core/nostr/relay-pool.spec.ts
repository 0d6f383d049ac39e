import { finalizeEvent, generateSecretKey, type NostrEvent } from 'nostr-tools/pure';

import { type FakeLink, poolWithFakes } from '../testing/fake-relay-link';
import { RelayPool } from './relay-pool';

function event(createdAt: number): NostrEvent {
  return finalizeEvent({ kind: 1, created_at: createdAt, tags: [], content: String(createdAt) }, generateSecretKey());
}

describe(RelayPool.name, () => {
  it('normalises, deduplicates and keeps list order; refuses a list with a bad URL without changing anything', () => {
    const { pool } = poolWithFakes();
    pool.setRelays(['wss://A.example', 'wss://b.example/', 'wss://a.example/']);
    expect(pool.urls).toEqual(['wss://a.example/', 'wss://b.example/']);
    expect(() => pool.setRelays(['wss://c.example', 'http://d.example', 'nonsense'])).toThrow('not a relay URL (ws:// or wss://): http://d.example, nonsense');
    expect(pool.urls).toEqual(['wss://a.example/', 'wss://b.example/']);
    expect(() => pool.setRelays(Array.from({ length: 21 }, (_, index) => `wss://r${index}.example`))).toThrow('at most 20 relays');
  });

  it('sends to the preferred relay first, then to the rest', async () => {
    const { pool, publishOrder } = poolWithFakes();
    pool.setRelays(['wss://a.example', 'wss://b.example', 'wss://c.example']);
    pool.start();
    const report = await pool.publish(event(1), { preferredRelay: 'wss://c.example' });
    expect(publishOrder).toEqual(['wss://c.example/', 'wss://a.example/', 'wss://b.example/']);
    expect(report.first).toBe('wss://c.example/');
  });

  it('reports refusals with their reasons, and no first accepter when none accepted', async () => {
    const { pool, links } = poolWithFakes();
    pool.setRelays(['wss://a.example']);
    const link = links.get('wss://a.example/') as FakeLink;
    link.answer = { ok: false, relay: link.url, reason: 'blocked: spam' };
    expect(await pool.publish(event(1))).toEqual({ accepted: [], refused: [{ relay: 'wss://a.example/', reason: 'blocked: spam' }] });
    pool.setRelays([]);
    expect(await pool.publish(event(1))).toEqual({ accepted: [], refused: [] });
  });

  it('hands each event id on once and tracks the newest created_at, not one from the future', () => {
    const now = 1_800_000_000;
    const { pool, links } = poolWithFakes(() => now);
    pool.setRelays(['wss://a.example', 'wss://b.example']);
    pool.subscribe({ id: 'kez', filters: [{ kinds: [4243] }] });
    const got: string[] = [];
    pool.onEvent((received, _subscription, relay) => got.push(`${received.content}@${relay}`));
    const one = event(now - 100);
    links.get('wss://a.example/')?.emit(one);
    links.get('wss://b.example/')?.emit(one);
    links.get('wss://b.example/')?.emit(event(now + 3600));
    expect(got).toEqual([`${now - 100}@wss://a.example/`, `${now + 3600}@wss://b.example/`]);
    expect(pool.newestSeen('kez')).toBe(now - 100);
  });

  it('subscribes relays added later from the newest event seen, and closes removed ones', () => {
    const { pool, links } = poolWithFakes();
    pool.setRelays(['wss://a.example']);
    pool.start();
    pool.subscribe({ id: 'kez', filters: [{ kinds: [4243] }], newestSeen: 1_799_999_000 });
    links.get('wss://a.example/')?.emit(event(1_799_999_500));
    pool.setRelays(['wss://b.example']);
    const added = links.get('wss://b.example/') as FakeLink;
    expect(added.calls).toEqual(['start']);
    expect(added.specs.get('kez')?.newestSeen).toBe(1_799_999_500);
    expect(links.get('wss://a.example/')?.calls).toEqual(['start', 'stop']);
  });

  it('merges one-shot queries: each id once, newest first', async () => {
    const { pool, links } = poolWithFakes();
    pool.setRelays(['wss://a.example', 'wss://b.example']);
    const [older, newer] = [event(100), event(200)];
    (links.get('wss://a.example/') as FakeLink).stored = [older, newer];
    (links.get('wss://b.example/') as FakeLink).stored = [newer];
    expect(await pool.query([{ kinds: [1] }])).toEqual([newer, older]);
  });

  it('counts live relays for the status line and tells listeners of each change', () => {
    const { pool, links } = poolWithFakes();
    const seen: string[] = [];
    pool.onStatus((status) => seen.push(`${status.live}/${status.total}`));
    pool.setRelays(['wss://a.example', 'wss://b.example']);
    pool.start();
    links.get('wss://b.example/')?.setState('auth-failed');
    expect(pool.status.live).toBe(1);
    expect(pool.status.relays.map((relay) => relay.state)).toEqual(['live', 'auth-failed']);
    expect(seen).toEqual(['0/2', '1/2', '2/2', '1/2']);
  });
});
