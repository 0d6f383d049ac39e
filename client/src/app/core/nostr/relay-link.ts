import { AbstractRelay, type Subscription } from 'nostr-tools/abstract-relay';
import type { Filter } from 'nostr-tools/filter';
import { type EventTemplate, type NostrEvent, verifyEvent, type VerifiedEvent } from 'nostr-tools/pure';
import { normalizeURL } from 'nostr-tools/utils';

import { nowSeconds } from '@kez/crypto';
import { authenticate, checkEventTime, subscriptionSince } from '@kez/nostr';

import { Backoff, RECONNECT_BACKOFF } from '../transport/backoff';
import { browserTimers, type Timers } from '../transport/timers';

/** How a status reason starts when a relay refused our NIP-42 AUTH; the relay's own words follow in parentheses. */
export const AUTH_REFUSED = 'the relay refused our AUTH';

// One relay connection (NIP-01) on nostr-tools' AbstractRelay, with what a chat client
// adds around it: NIP-42 AUTH only when the relay asks for it, reconnection with
// backoff, subscriptions that resume from the newest event seen, and a status the
// screens can show. nostr-tools' own reconnection is off: it resumes from the last
// event *received* (a hostile relay can date one far ahead) and offers no status.

/**
 * - `connecting`: opening the socket (first time or after a wait).
 * - `live`: open; subscriptions are running and events can be published.
 * - `auth-failed`: the relay wants NIP-42 AUTH and refused ours; retried after a long wait.
 * - `down`: closed or unreachable; the next attempt is scheduled with backoff.
 */
export type RelayState = 'connecting' | 'live' | 'auth-failed' | 'down';

export interface RelayStatus {
  /** The relay URL, normalised by nostr-tools. */
  readonly url: string;
  readonly state: RelayState;
  /** Why it is `down` or `auth-failed`, in words a user can act on. */
  readonly reason?: string;
  /** The pubkey this connection authenticated as (NIP-42), when it did. */
  readonly authenticatedAs?: string;
}

/** A subscription a link keeps open across reconnects. */
export interface RelaySubscriptionSpec {
  /** Stable name, unique within the link (it is also the NIP-01 subscription id). */
  readonly id: string;
  /** NIP-01 filters without `since`: the link sets it at every (re)subscription. */
  readonly filters: readonly Filter[];
  /** Gift wraps are back-dated (NIP-59), so their `since` reaches further back. */
  readonly giftWraps?: boolean;
  /** Newest `created_at` already seen elsewhere (persisted, or from other relays): the resume point. */
  readonly newestSeen?: number;
}

/** What one relay said to one published event. */
export type PublishOutcome =
  { readonly ok: true; readonly relay: string; readonly message: string } | { readonly ok: false; readonly relay: string; readonly reason: string };

export interface RelayLinkOptions {
  /** Signs a NIP-42 AUTH template with the user's NIP-06 key (`finalizeEvent(template, nostrSecret)`). */
  readonly signAuth: (template: EventTemplate) => VerifiedEvent;
  /** The WebSocket class; the browser's by default, `ws` in Node. */
  readonly WebSocket?: typeof WebSocket;
  readonly timers?: Timers;
  readonly backoff?: Backoff;
  /** Unix seconds. */
  readonly now?: () => number;
  /** Longest wait for a socket to open, in ms. */
  readonly connectTimeoutMs?: number;
  /** Longest a publish waits for a connection that is not live yet, in ms. */
  readonly publishWaitMs?: number;
  /** Delay before trying again a relay that refused our AUTH, in ms. */
  readonly authRetryMs?: number;
}

/** What a pool needs of a link (lets unit tests put fakes in a `RelayPool`). */
export type RelayLinkLike = Pick<RelayLink, 'url' | 'status' | 'onEvent' | 'onStatus' | 'start' | 'stop' | 'subscribe' | 'unsubscribe' | 'publish' | 'query'>;

type EventListener = (event: NostrEvent, subscriptionId: string, relay: string) => void;
type StatusListener = (status: RelayStatus) => void;

/** A connection that stays up this long is healthy: the next failure backs off from the start again. */
const STABLE_MS = 30_000;
const CONNECT_TIMEOUT_MS = 10_000;
const PUBLISH_WAIT_MS = 10_000;
const AUTH_RETRY_MS = 5 * 60_000;
/** Resume this far before the newest event seen: relays index late arrivals by skewed clocks. */
const RESUME_MARGIN_SECONDS = 10 * 60;

interface OpenSubscription {
  spec: RelaySubscriptionSpec;
  newest: number | undefined;
  live: Subscription | undefined;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * One relay, kept connected while started. Events from its subscriptions (signature
 * and filter checked by nostr-tools) go to `onEvent`; every state change goes to
 * `onStatus`. Nothing here throws to the caller: failures become a status or a
 * refused `PublishOutcome`.
 */
export class RelayLink {
  readonly url: string;
  private relay: AbstractRelay | undefined;
  /** Bumped whenever a connection is dropped, so callbacks of an old one are ignored. */
  private generation = 0;
  private started = false;
  private opened = false;
  private authenticatedAs: string | undefined;
  private authAttempt: Promise<boolean> | undefined;
  private current: RelayStatus;
  private retryHandle: unknown;
  private stableHandle: unknown;
  /** Gives up on a connection attempt that neither opens nor fails. */
  private connectDeadline: unknown;
  private readonly subs = new Map<string, OpenSubscription>();
  private readonly eventListeners = new Set<EventListener>();
  private readonly statusListeners = new Set<StatusListener>();
  private readonly liveWaiters = new Set<(live: boolean) => void>();
  private readonly timers: Timers;
  private readonly backoff: Backoff;
  private readonly now: () => number;

  /** @param url a `ws:`/`wss:` relay URL (normalise it with `normalizeRelayUrl` first). */
  constructor(
    url: string,
    private readonly options: RelayLinkOptions,
  ) {
    this.url = normalizeURL(url);
    this.timers = options.timers ?? browserTimers;
    this.backoff = options.backoff ?? new Backoff(RECONNECT_BACKOFF);
    this.now = options.now ?? nowSeconds;
    this.current = { url: this.url, state: 'down', reason: 'not started' };
  }

  get status(): RelayStatus {
    return this.current;
  }

  /** Listens to events from every subscription; returns the unsubscribe function. */
  onEvent(listener: EventListener): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Listens to status changes; returns the unsubscribe function. */
  onStatus(listener: StatusListener): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Connects, and stays connected until `stop()`. */
  start(): void {
    if (this.started) {
      return;
    }
    this.started = true;
    this.connect();
  }

  /** Closes the connection and cancels every retry. */
  stop(): void {
    this.started = false;
    this.dropConnection();
    this.timers.clearTimeout(this.retryHandle);
    this.setStatus('down', 'stopped');
  }

  /** Opens (or replaces) a subscription; it is re-sent at every reconnect with a fresh `since`. */
  subscribe(spec: RelaySubscriptionSpec): void {
    this.unsubscribe(spec.id);
    const sub: OpenSubscription = { spec, newest: spec.newestSeen, live: undefined };
    this.subs.set(spec.id, sub);
    if (this.current.state === 'live') {
      this.open(sub, this.generation);
    }
  }

  unsubscribe(id: string): void {
    const sub = this.subs.get(id);
    this.subs.delete(id);
    sub?.live?.close();
  }

  /** Newest `created_at` (at most 5 minutes ahead of now) delivered on subscription `id`. */
  newestSeen(id: string): number | undefined {
    return this.subs.get(id)?.newest;
  }

  /**
   * Sends `event` and waits for the relay's `OK`. When the relay is not live yet, waits
   * up to `publishWaitMs` for it. A refusal `auth-required:` is answered with AUTH and
   * the event sent once more. Never rejects: failures are `{ ok: false, reason }`.
   */
  async publish(event: NostrEvent): Promise<PublishOutcome> {
    const relay = (await this.whenLive()) ? this.relay : undefined;
    if (relay === undefined) {
      return { ok: false, relay: this.url, reason: `not connected (${this.current.reason ?? this.current.state})` };
    }
    const generation = this.generation;
    try {
      return { ok: true, relay: this.url, message: await relay.publish(event) };
    } catch (error) {
      const reason = reasonOf(error);
      if (reason.startsWith('auth-required:') && this.authenticatedAs === undefined && (await this.authenticate(generation))) {
        try {
          return { ok: true, relay: this.url, message: await relay.publish(event) };
        } catch (again) {
          return { ok: false, relay: this.url, reason: reasonOf(again) };
        }
      }
      return { ok: false, relay: this.url, reason };
    }
  }

  /**
   * One-shot read (NIP-01 REQ until EOSE), e.g. a peer's kind 10050 list. Resolves with
   * what arrived, [] when the relay is not reachable; answers `auth-required:` once
   * with AUTH. Never rejects.
   */
  async query(filters: readonly Filter[]): Promise<NostrEvent[]> {
    const relay = (await this.whenLive()) ? this.relay : undefined;
    if (relay === undefined) {
      return [];
    }
    const generation = this.generation;
    const run = (): Promise<{ events: NostrEvent[]; closedBy?: string }> =>
      new Promise((resolve) => {
        const events: NostrEvent[] = [];
        let settled = false;
        const sub = relay.subscribe([...filters], {
          label: 'query',
          onevent: (event) => events.push(event),
          oneose: () => {
            settled = true;
            sub.close();
            resolve({ events });
          },
          onclose: (reason) => {
            if (!settled) {
              settled = true;
              resolve({ events, closedBy: reason });
            }
          },
        });
      });
    const first = await run();
    if (first.closedBy?.startsWith('auth-required:') && this.authenticatedAs === undefined && (await this.authenticate(generation))) {
      return (await run()).events;
    }
    return first.events;
  }

  private connect(): void {
    const generation = ++this.generation;
    this.opened = false;
    this.authenticatedAs = undefined;
    this.authAttempt = undefined;
    this.setStatus('connecting');
    // Pings find connections that died without a close (a laptop that slept, a NAT
    // that forgot us): the socket is closed and the link reconnects.
    const relay = new AbstractRelay(this.url, { verifyEvent, websocketImplementation: this.options.WebSocket, enableReconnect: false, enablePing: true });
    relay.onnotice = () => undefined;
    relay.onclose = () => this.lost(generation, this.opened ? 'connection closed' : 'cannot connect');
    this.relay = relay;
    // Our own deadline rather than nostr-tools' `timeout`, whose timer outlives a relay
    // closed while it connects; dropConnection clears this one.
    this.connectDeadline = this.timers.setTimeout(
      () => this.lost(generation, 'cannot connect (connection timed out)'),
      this.options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
    );
    relay.connect().then(
      () => {
        if (generation !== this.generation) {
          relay.close();
          return;
        }
        this.timers.clearTimeout(this.connectDeadline);
        this.opened = true;
        this.stableHandle = this.timers.setTimeout(() => this.backoff.reset(), STABLE_MS);
        this.setStatus('live');
        for (const sub of this.subs.values()) {
          this.open(sub, generation);
        }
      },
      (error: unknown) => this.lost(generation, `cannot connect (${reasonOf(error)})`),
    );
  }

  private open(sub: OpenSubscription, generation: number): void {
    const relay = this.relay as AbstractRelay;
    const since = subscriptionSince(sub.newest, this.now(), RESUME_MARGIN_SECONDS, sub.spec.giftWraps ?? false);
    const live = relay.subscribe(
      sub.spec.filters.map((filter) => ({ ...filter, since })),
      {
        id: sub.spec.id,
        onevent: (event) => this.deliver(sub, event),
        onclose: (reason) => {
          // Our own closes (unsubscribe, a dropped connection) come here too: only a
          // CLOSED from the relay for the subscription still in force matters.
          if (generation === this.generation && this.subs.get(sub.spec.id) === sub && sub.live === live) {
            void this.refused(sub, reason, generation);
          }
        },
      },
    );
    sub.live = live;
  }

  private deliver(sub: OpenSubscription, event: NostrEvent): void {
    // A relay may send events dated in the future; they must not move the resume point.
    if (checkEventTime(event.created_at, this.now(), event.kind) !== 'future' && (sub.newest === undefined || event.created_at > sub.newest)) {
      sub.newest = event.created_at;
    }
    for (const listener of this.eventListeners) {
      listener(event, sub.spec.id, this.url);
    }
  }

  private async refused(sub: OpenSubscription, reason: string, generation: number): Promise<void> {
    sub.live = undefined;
    const wantsAuth = reason.startsWith('auth-required:');
    if (wantsAuth && this.authenticatedAs === undefined) {
      if ((await this.authenticate(generation)) && generation === this.generation && this.subs.get(sub.spec.id) === sub) {
        this.open(sub, generation);
      }
      return;
    }
    if (wantsAuth || (reason.startsWith('restricted:') && this.authenticatedAs !== undefined)) {
      this.authFailed(generation, `the relay refused this key (${reason})`);
      return;
    }
    this.lost(generation, `the relay closed the subscription (${reason})`);
  }

  /** Answers the relay's NIP-42 challenge once per connection; false (and `auth-failed`) when refused. */
  private authenticate(generation: number): Promise<boolean> {
    this.authAttempt ??= (async () => {
      const relay = this.relay as AbstractRelay;
      let pubkey: string | undefined;
      try {
        // Safe against the relay hanging up while the answer is signed (see authenticate).
        await authenticate(relay, (template) => {
          const signed = this.options.signAuth(template);
          pubkey = signed.pubkey;
          return signed;
        });
      } catch (error) {
        const reason = reasonOf(error);
        // nostr-tools throws this before sending anything when no challenge came.
        this.authFailed(generation, /no challenge/.test(reason) ? 'the relay asks for AUTH but sent no challenge' : `${AUTH_REFUSED} (${reason})`);
        return false;
      }
      if (generation !== this.generation) {
        return false;
      }
      this.authenticatedAs = pubkey;
      this.setStatus('live');
      return true;
    })();
    return this.authAttempt;
  }

  private authFailed(generation: number, reason: string): void {
    if (generation !== this.generation) {
      return;
    }
    this.dropConnection();
    this.setStatus('auth-failed', reason);
    this.schedule(this.options.authRetryMs ?? AUTH_RETRY_MS);
  }

  private lost(generation: number, reason: string): void {
    if (generation !== this.generation || !this.started) {
      return;
    }
    this.dropConnection();
    this.setStatus('down', reason);
    this.schedule(this.backoff.next());
  }

  private schedule(ms: number): void {
    this.timers.clearTimeout(this.retryHandle);
    this.retryHandle = this.timers.setTimeout(() => {
      if (this.started) {
        this.connect();
      }
    }, ms);
  }

  private dropConnection(): void {
    this.generation++;
    this.timers.clearTimeout(this.stableHandle);
    this.timers.clearTimeout(this.connectDeadline);
    for (const sub of this.subs.values()) {
      sub.live = undefined;
    }
    const relay = this.relay;
    this.relay = undefined;
    relay?.close();
  }

  private whenLive(): Promise<boolean> {
    if (this.current.state === 'live') {
      return Promise.resolve(true);
    }
    if (!this.started || this.current.state === 'auth-failed') {
      return Promise.resolve(false);
    }
    return new Promise((resolve) => {
      const done = (live: boolean): void => {
        this.timers.clearTimeout(timeout);
        this.liveWaiters.delete(waiter);
        resolve(live);
      };
      const waiter = (live: boolean): void => done(live);
      const timeout = this.timers.setTimeout(() => done(false), this.options.publishWaitMs ?? PUBLISH_WAIT_MS);
      this.liveWaiters.add(waiter);
    });
  }

  private setStatus(state: RelayState, reason?: string): void {
    this.current = {
      url: this.url,
      state,
      ...(reason === undefined ? {} : { reason }),
      ...(this.authenticatedAs === undefined ? {} : { authenticatedAs: this.authenticatedAs }),
    };
    // Waiters learn of `live` at once, and of a stop at once (no point waiting out the timeout).
    if (state === 'live' || !this.started) {
      for (const waiter of [...this.liveWaiters]) {
        waiter(state === 'live');
      }
    }
    for (const listener of this.statusListeners) {
      listener(this.current);
    }
  }
}
