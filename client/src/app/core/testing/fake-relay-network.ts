import { type Filter, matchFilters } from 'nostr-tools/filter';
import type { NostrEvent } from 'nostr-tools/pure';

import type { NostrRelays } from '../nostr/nostr-transport';
import type { PublishOptions, PublishReport } from '../nostr/relay-pool';
import type { RelaySubscriptionSpec } from '../nostr/relay-link';

/**
 * Relays in memory for unit tests: every pool made by `pool()` shares the stored
 * events, a publish is delivered at once to every matching subscription (even the
 * publisher's), and a test can replay or inject raw events. Real relays are tested in
 * `client/test/`.
 */
export class FakeRelayNetwork {
  readonly events: NostrEvent[] = [];
  /** When set, every publish is refused with this reason. */
  refuse: string | undefined;
  private readonly pools = new Set<FakeRelayPool>();

  constructor(readonly url = 'wss://relay.test/') {}

  pool(urls: readonly string[] = [this.url]): FakeRelayPool {
    const pool = new FakeRelayPool(this, urls);
    this.pools.add(pool);
    return pool;
  }

  /** Stores `event` and sends it to every running subscription it matches, as a relay would (no checks). */
  inject(event: NostrEvent): void {
    this.events.push(event);
    for (const pool of this.pools) {
      pool.receive(event);
    }
  }
}

export class FakeRelayPool implements NostrRelays {
  readonly specs = new Map<string, RelaySubscriptionSpec>();
  readonly published: NostrEvent[] = [];
  started = false;
  private readonly listeners = new Set<(event: NostrEvent, subscriptionId: string, relay: string) => void>();
  private readonly newest = new Map<string, number>();

  constructor(
    private readonly network: FakeRelayNetwork,
    urls: readonly string[],
  ) {
    this.urls = [...urls];
  }

  readonly urls: string[];

  start(): void {
    this.started = true;
  }

  stop(): void {
    this.started = false;
  }

  subscribe(spec: RelaySubscriptionSpec): void {
    this.specs.set(spec.id, spec);
  }

  unsubscribe(id: string): void {
    this.specs.delete(id);
  }

  onEvent(listener: (event: NostrEvent, subscriptionId: string, relay: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  newestSeen(id: string): number | undefined {
    return this.newest.get(id) ?? this.specs.get(id)?.newestSeen;
  }

  async publish(event: NostrEvent, options: PublishOptions = {}): Promise<PublishReport> {
    if (this.urls.length === 0) {
      return { accepted: [], refused: [] };
    }
    if (this.network.refuse !== undefined) {
      return { accepted: [], refused: this.urls.map((relay) => ({ relay, reason: this.network.refuse as string })) };
    }
    this.published.push(event);
    this.network.inject(event);
    for (const relay of this.urls) {
      options.onAccepted?.(relay);
    }
    return { first: this.urls[0], accepted: [...this.urls], refused: [] };
  }

  async query(filters: readonly Filter[]): Promise<NostrEvent[]> {
    return this.network.events.filter((event) => matchFilters([...filters], event)).sort((a, b) => b.created_at - a.created_at);
  }

  /** Delivers `event` to each running subscription it matches. */
  receive(event: NostrEvent): void {
    if (!this.started) {
      return;
    }
    for (const spec of this.specs.values()) {
      if (matchFilters([...spec.filters], event)) {
        this.newest.set(spec.id, Math.max(this.newest.get(spec.id) ?? 0, event.created_at));
        for (const listener of this.listeners) {
          listener(event, spec.id, this.network.url);
        }
      }
    }
  }
}
