import { ClientContext, type Filter } from '@nostr-relay/common';
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';

import { LiveSubscriptions } from './live-subscriptions';

/** A connection as the engine keeps it, over a socket that records what it was sent. */
function connection(pubkey: string | undefined, subscriptions: Record<string, Filter[]>): { ctx: ClientContext; sent: unknown[][] } {
  const sent: unknown[][] = [];
  const ctx = new ClientContext({ readyState: 1, send: (data: string) => void sent.push(JSON.parse(data) as unknown[]) });
  ctx.pubkey = pubkey;
  Object.entries(subscriptions).forEach(([id, filters]) => ctx.subscriptions.set(id, filters));
  return { ctx, sent };
}

const bob = getPublicKey(generateSecretKey());
const eve = getPublicKey(generateSecretKey());
/** As the event travels: plain JSON fields (nostr-tools marks verified events with a symbol). */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const wrapFor = (addr: string) => finalizeEvent({ kind: 1059, created_at: 1, tags: [['p', addr]], content: '' }, generateSecretKey());

describe(LiveSubscriptions.name, () => {
  it('sends a private event only to connections authenticated as its recipient, whatever their filters say', () => {
    const live = new LiveSubscriptions();
    const reader = connection(bob, { mine: [{ kinds: [1059], '#p': [bob] }] });
    // Filters that would match (no tag condition) on a connection of someone else, or of nobody.
    const snoop = connection(eve, { all: [{ kinds: [1059] }] });
    const anonymous = connection(undefined, { all: [{}] });
    [reader, snoop, anonymous].forEach(({ ctx }) => live.add(ctx));
    const event = wrapFor(bob);
    expect(live.deliver(event)).toBe(true);
    expect(reader.sent).toEqual([['EVENT', 'mine', plain(event)]]);
    expect(snoop.sent).toEqual([]);
    expect(anonymous.sent).toEqual([]);
  });

  it('matches whole filters, tags included, and says nobody took an event no subscription matched', () => {
    const live = new LiveSubscriptions();
    const reader = connection(bob, { dms: [{ kinds: [4243], '#q': [bob] }], other: [{ kinds: [1059], '#p': [eve] }] });
    live.add(reader.ctx);
    expect(live.deliver(wrapFor(bob))).toBe(false);
    expect(reader.sent).toEqual([]);
  });

  it('sends public kinds to every matching subscription and knows who reads', () => {
    const live = new LiveSubscriptions();
    const anonymous = connection(undefined, { profiles: [{ kinds: [0] }] });
    const reader = connection(bob, { mine: [{ kinds: [1059], '#p': [bob] }] });
    live.add(anonymous.ctx);
    live.add(reader.ctx);
    const profile = finalizeEvent({ kind: 0, created_at: 1, tags: [], content: '{}' }, generateSecretKey());
    expect(live.deliver(profile)).toBe(false);
    expect(anonymous.sent).toEqual([['EVENT', 'profiles', plain(profile)]]);
    expect(live.readers()).toEqual(new Set([bob]));
    expect(live.isReading(bob)).toBe(true);
    live.remove(reader.ctx);
    expect(live.isReading(bob)).toBe(false);
    expect(live.counts()).toEqual({ connections: 1, subscriptions: 1 });
  });
});

describe(`${LiveSubscriptions.name} while a REQ opens`, () => {
  it('delivers to an opening subscription once, and stops when it settles without the engine registering it', () => {
    const live = new LiveSubscriptions();
    const reader = connection(bob, {});
    live.add(reader.ctx);
    const settled = live.opened(reader.ctx, 'new', [{ kinds: [1059], '#p': [bob] }]);
    const first = wrapFor(bob);
    expect(live.deliver(first)).toBe(true);
    // The engine registered it meanwhile (its query succeeded): still one copy per event.
    reader.ctx.subscriptions.set('new', [{ kinds: [1059], '#p': [bob] }]);
    const second = wrapFor(bob);
    live.deliver(second);
    settled();
    reader.ctx.subscriptions.delete('new');
    live.deliver(wrapFor(bob));
    expect(reader.sent).toEqual([
      ['EVENT', 'new', plain(first)],
      ['EVENT', 'new', plain(second)],
    ]);
  });
});
