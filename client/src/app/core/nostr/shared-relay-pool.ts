import type { Filter } from 'nostr-tools/filter';
import type { NostrEvent } from 'nostr-tools/pure';

import type { RelaySubscriptionSpec } from './relay-link';
import type { PoolEventListener, PoolStatus, PublishOptions, PublishReport, RelayPool } from './relay-pool';

/** What a user of the shared pool can do: the `RelayPool` surface, for its own subscriptions and listeners. */
export type RelayPoolUse = Pick<
  RelayPool,
  'urls' | 'status' | 'onEvent' | 'onStatus' | 'setRelays' | 'start' | 'stop' | 'subscribe' | 'unsubscribe' | 'newestSeen' | 'publish' | 'query'
>;

/**
 * One `RelayPool` for the parts of a tab that talk to the same relays (the chat's
 * relay path and the faces), so each relay gets one connection, not one per part.
 * Each part holds a lease from its creation to its `stop`, which drops that part's
 * subscriptions and listeners; the links open at the first lease's `start` and close
 * when the last lease stops, and then the pool is done (`idle`: a later user makes a
 * new one, with a fresh memory of delivered events). The relay list is one list
 * (Settings → Relays), so every lease sets the same.
 */
export class SharedRelayPool {
  private readonly open = new Set<RelayPoolLease>();
  private started = false;
  private done = false;

  constructor(private readonly pool: RelayPool) {}

  /** True once every lease handed out has stopped: the links are closed for good. */
  get idle(): boolean {
    return this.done;
  }

  /** A new lease, not yet started. */
  lease(): RelayPoolLease {
    const lease: RelayPoolLease = new RelayPoolLease(this.pool, {
      start: () => this.startLinks(),
      stop: () => this.release(lease),
    });
    this.open.add(lease);
    return lease;
  }

  private startLinks(): void {
    if (!this.started) {
      this.started = true;
      this.pool.start();
    }
  }

  private release(lease: RelayPoolLease): void {
    this.open.delete(lease);
    if (this.open.size === 0) {
      this.done = true;
      this.pool.stop();
    }
  }
}

/** One part's use of a `SharedRelayPool` (see there); its `stop` leaves the others' subscriptions open. */
export class RelayPoolLease implements RelayPoolUse {
  private readonly subscriptions = new Set<string>();
  private readonly detachers = new Set<() => void>();

  private stopped = false;

  constructor(
    private readonly pool: RelayPool,
    private readonly owner: { start(): void; stop(): void },
  ) {}

  get urls(): string[] {
    return this.pool.urls;
  }

  get status(): PoolStatus {
    return this.pool.status;
  }

  onEvent(listener: PoolEventListener): () => void {
    return this.track(this.pool.onEvent(listener));
  }

  onStatus(listener: (status: PoolStatus) => void): () => void {
    return this.track(this.pool.onStatus(listener));
  }

  /** @throws RangeError as `RelayPool.setRelays` for URLs that are not relay URLs. */
  setRelays(urls: readonly string[]): void {
    this.pool.setRelays(urls);
  }

  start(): void {
    if (!this.stopped) {
      this.owner.start();
    }
  }

  /** Ends this lease's subscriptions and listeners; the links close when no other lease uses them. */
  stop(): void {
    for (const id of this.subscriptions) {
      this.pool.unsubscribe(id);
    }
    this.subscriptions.clear();
    for (const detach of this.detachers) {
      detach();
    }
    this.detachers.clear();
    if (!this.stopped) {
      this.stopped = true;
      this.owner.stop();
    }
  }

  subscribe(spec: RelaySubscriptionSpec): void {
    this.subscriptions.add(spec.id);
    this.pool.subscribe(spec);
  }

  unsubscribe(id: string): void {
    this.subscriptions.delete(id);
    this.pool.unsubscribe(id);
  }

  newestSeen(id: string): number | undefined {
    return this.pool.newestSeen(id);
  }

  publish(event: NostrEvent, options?: PublishOptions): Promise<PublishReport> {
    return this.pool.publish(event, options);
  }

  query(filters: readonly Filter[]): Promise<NostrEvent[]> {
    return this.pool.query(filters);
  }

  private track(detach: () => void): () => void {
    this.detachers.add(detach);
    return () => {
      this.detachers.delete(detach);
      detach();
    };
  }
}
