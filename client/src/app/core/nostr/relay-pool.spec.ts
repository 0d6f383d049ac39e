import { finalizeEvent, generateSecretKey, type NostrEvent } from 'nostr-tools/pure';

import type { PublishOutcome, RelayLinkLike, RelayLinkOptions, RelayStatus, RelaySubscriptionSpec } from './relay-link';
import { RelayPool } from './relay-pool';

const options: RelayLinkOptions = { signAuth: (template) => finalizeEvent(template, generateSecretKey()) };

/** A link that records calls and answers publishes as scripted; the test drives its events and status. */
class FakeLink implements RelayLinkLike {
  status: RelayStatus;
  readonly calls: string[] = [];
  readonly specs = new Map<string, RelaySubscriptionSpec>();
  answer: PublishOutcome | undefined;
  private readonly eventListeners = new Set<(event: NostrEvent, subscriptionId: string, relay: string) => void>();
  private readonly statusListeners = new Set<(status: RelayStatus) => void>();

  constructor(
    readonly url: string,
    private readonly log: string[],
  ) {
    this.status = { url, state: 'down', reason: 'not started' };
  }

  onEvent(listener: (event: NostrEvent, subscriptionId: string, relay: string) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onStatus(listener: (status: RelayStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  start(): void {
    this.calls.push('start');
    this.setState('live');
  }

  stop(): void {
    this.calls.push('stop');
    this.setState('down');
  }

  subscribe(spec: RelaySubscriptionSpec): void {
    this.specs.set(spec.id, spec);
  }

  unsubscribe(id: string): void {
    this.specs.delete(id);
  }

  async publish(): Promise<PublishOutcome> {
    this.log.push(this.url);
    return this.answer ?? { ok: true, relay: this.url, message: '' };
  }

  async query(): Promise<NostrEvent[]> {
    return this.stored;
  }

  stored: NostrEvent[] = [];

  emit(event: NostrEvent, subscriptionId = 'kez'): void {
    for (const listener of this.eventListeners) {
      listener(event, subscriptionId, this.url);
    }
  }

  setState(state: RelayStatus['state']): void {
    this.status = { url: this.url, state };
    for (const listener of this.statusListeners) {
      listener(this.status);
    }
  }
}

function poolWithFakes(now = () => 1_800_000_000): { pool: RelayPool; links: Map<string, FakeLink>; publishOrder: string[] } {
  const links = new Map<string, FakeLink>();
  const publishOrder: string[] = [];
  const pool = new RelayPool({ ...options, now }, (url) => {
    const link = new FakeLink(url, publishOrder);
    links.set(url, link);
    return link;
  });
  return { pool, links, publishOrder };
}

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
