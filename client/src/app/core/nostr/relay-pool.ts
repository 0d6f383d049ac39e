import type { Filter } from 'nostr-tools/filter';
import type { NostrEvent } from 'nostr-tools/pure';

import { nowSeconds } from '@kez/crypto';
import { checkEventTime, MAX_LIST_RELAYS, normalizeRelayUrl, SeenIds } from '@kez/nostr';

import { type PublishOutcome, RelayLink, type RelayLinkLike, type RelayLinkOptions, type RelayStatus, type RelaySubscriptionSpec } from './relay-link';

// The user's relays as one: every event published to all of them, one merged stream
// of events in which each id arrives once, and one status line ("● live (2)").

/** What the relays said to one published event. */
export interface PublishReport {
  /** The relay that accepted first: the "via …" line, and the one to try first next time. */
  readonly first?: string;
  /** Every relay that accepted, in the order they answered. */
  readonly accepted: readonly string[];
  /** Every relay that refused or could not be reached, with its reason. */
  readonly refused: readonly { readonly relay: string; readonly reason: string }[];
}

export interface PublishOptions {
  /** Sent to first (e.g. the relay that carried the conversation's last message). */
  readonly preferredRelay?: string;
  /** Called at each acceptance, before the report: the message is "sent" at the first one. */
  readonly onAccepted?: (relay: string) => void;
}

/** The pool at a glance, for the status indicator. */
export interface PoolStatus {
  /** Relays live right now. */
  readonly live: number;
  readonly total: number;
  /** One line per relay, in list order. */
  readonly relays: readonly RelayStatus[];
}

/** An event as the pool delivers it: once per id, with the relay it came from first. */
export type PoolEventListener = (event: NostrEvent, subscriptionId: string, relay: string) => void;

/**
 * Many `RelayLink`s behind one interface. `RelayLinkOptions` are shared by every link;
 * `createLink` lets tests substitute links.
 */
export class RelayPool {
  private readonly links = new Map<string, { link: RelayLinkLike; detach: () => void }>();
  private readonly specs = new Map<string, RelaySubscriptionSpec>();
  /** Newest `created_at` delivered per subscription, from any relay: where a new relay starts. */
  private readonly newest = new Map<string, number>();
  /** Ids delivered this session, so an event carried by several relays is handed on once. */
  private readonly delivered = new SeenIds();
  private readonly eventListeners = new Set<PoolEventListener>();
  private readonly statusListeners = new Set<(status: PoolStatus) => void>();
  private started = false;

  constructor(
    private readonly options: RelayLinkOptions,
    private readonly createLink: (url: string, options: RelayLinkOptions) => RelayLinkLike = (url, linkOptions) => new RelayLink(url, linkOptions),
  ) {}

  /** The relay URLs, normalised, in list order. */
  get urls(): string[] {
    return [...this.links.keys()];
  }

  get status(): PoolStatus {
    const relays = [...this.links.values()].map(({ link }) => link.status);
    return { live: relays.filter((relay) => relay.state === 'live').length, total: relays.length, relays };
  }

  onEvent(listener: PoolEventListener): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onStatus(listener: (status: PoolStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /**
   * Replaces the relay list: links to relays no longer listed close, new ones open
   * (and subscribe from the newest event the pool has seen). Nothing changes when any
   * URL is invalid.
   *
   * @throws RangeError naming the URLs that are not `ws:`/`wss:` relay URLs, or when
   *   more than `MAX_LIST_RELAYS` remain.
   */
  setRelays(urls: readonly string[]): void {
    const invalid = urls.filter((url) => normalizeRelayUrl(url) === undefined);
    if (invalid.length > 0) {
      throw new RangeError(`not a relay URL (ws:// or wss://): ${invalid.join(', ')}`);
    }
    const wanted = [...new Set(urls.map((url) => normalizeRelayUrl(url) as string))];
    if (wanted.length > MAX_LIST_RELAYS) {
      throw new RangeError(`at most ${MAX_LIST_RELAYS} relays`);
    }
    for (const [url, { link, detach }] of this.links) {
      if (!wanted.includes(url)) {
        detach();
        link.stop();
        this.links.delete(url);
      }
    }
    const kept = new Map(this.links);
    this.links.clear();
    for (const url of wanted) {
      this.links.set(url, kept.get(url) ?? this.addLink(url));
    }
    this.emitStatus();
  }

  start(): void {
    this.started = true;
    for (const { link } of this.links.values()) {
      link.start();
    }
  }

  stop(): void {
    this.started = false;
    for (const { link } of this.links.values()) {
      link.stop();
    }
  }

  /** Opens (or replaces) a subscription on every relay, now and on relays added later. */
  subscribe(spec: RelaySubscriptionSpec): void {
    this.specs.set(spec.id, spec);
    if (spec.newestSeen !== undefined && spec.newestSeen > (this.newest.get(spec.id) ?? -Infinity)) {
      this.newest.set(spec.id, spec.newestSeen);
    }
    for (const { link } of this.links.values()) {
      link.subscribe(this.resumed(spec));
    }
  }

  unsubscribe(id: string): void {
    this.specs.delete(id);
    for (const { link } of this.links.values()) {
      link.unsubscribe(id);
    }
  }

  /** Newest `created_at` delivered on subscription `id` from any relay (future-dated events excluded). */
  newestSeen(id: string): number | undefined {
    return this.newest.get(id);
  }

  /**
   * Sends `event` to every relay, the preferred one first, and resolves once each has
   * answered (or given up: every link bounds its wait). Never rejects; with no relays
   * the report is empty.
   */
  async publish(event: NostrEvent, options: PublishOptions = {}): Promise<PublishReport> {
    const preferred = options.preferredRelay === undefined ? undefined : normalizeRelayUrl(options.preferredRelay);
    const order = [...this.links.values()].map(({ link }) => link).sort((a, b) => Number(b.url === preferred) - Number(a.url === preferred));
    const accepted: string[] = [];
    const refused: { relay: string; reason: string }[] = [];
    await Promise.all(
      order.map(async (link) => {
        const outcome: PublishOutcome = await link.publish(event);
        if (outcome.ok) {
          accepted.push(outcome.relay);
          options.onAccepted?.(outcome.relay);
        } else {
          refused.push({ relay: outcome.relay, reason: outcome.reason });
        }
      }),
    );
    return { ...(accepted.length > 0 ? { first: accepted[0] } : {}), accepted, refused };
  }

  /**
   * One-shot read from every relay (REQ until EOSE), merged: each id once, newest
   * `created_at` first. Relays that cannot be reached add nothing.
   */
  async query(filters: readonly Filter[]): Promise<NostrEvent[]> {
    const results = await Promise.all([...this.links.values()].map(({ link }) => link.query(filters)));
    const byId = new Map<string, NostrEvent>();
    for (const event of results.flat()) {
      byId.set(event.id, event);
    }
    return [...byId.values()].sort((a, b) => b.created_at - a.created_at);
  }

  private addLink(url: string): { link: RelayLinkLike; detach: () => void } {
    const link = this.createLink(url, this.options);
    const offEvent = link.onEvent((event, subscriptionId, relay) => this.deliver(event, subscriptionId, relay));
    const offStatus = link.onStatus(() => this.emitStatus());
    for (const spec of this.specs.values()) {
      link.subscribe(this.resumed(spec));
    }
    if (this.started) {
      link.start();
    }
    return {
      link,
      detach: () => {
        offEvent();
        offStatus();
      },
    };
  }

  private resumed(spec: RelaySubscriptionSpec): RelaySubscriptionSpec {
    const newest = this.newest.get(spec.id);
    return newest === undefined ? spec : { ...spec, newestSeen: newest };
  }

  private deliver(event: NostrEvent, subscriptionId: string, relay: string): void {
    if (!this.delivered.add(event.id)) {
      return;
    }
    const now = (this.options.now ?? nowSeconds)();
    if (checkEventTime(event.created_at, now, event.kind) !== 'future' && event.created_at > (this.newest.get(subscriptionId) ?? -Infinity)) {
      this.newest.set(subscriptionId, event.created_at);
    }
    for (const listener of this.eventListeners) {
      listener(event, subscriptionId, relay);
    }
  }

  private emitStatus(): void {
    const status = this.status;
    for (const listener of this.statusListeners) {
      listener(status);
    }
  }
}
