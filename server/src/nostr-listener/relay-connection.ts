import type { Logger } from '@nestjs/common';
import { AbstractRelay, type Subscription } from 'nostr-tools/abstract-relay';
import type { EventTemplate, VerifiedEvent } from 'nostr-tools/pure';
import WebSocket from 'ws';

import { authenticate } from '@kez/nostr';
import { backoffDelay, type BackoffPolicy, NOSTR_KIND_DM } from '@kez/protocol';

import { MAX_AGE_SECONDS } from './dm-event';

/** Addrs per REQ filter: relays cap filter sizes, so a large directory is split over several subscriptions. */
export const ADDRS_PER_SUBSCRIPTION = 256;
/**
 * How far before "now" (or before a disconnect) a new subscription starts. It
 * covers senders whose clocks run behind and the gap while re-subscribing;
 * anything replayed twice is caught by the seen-sets.
 */
export const LOOKBACK_SECONDS = 10 * 60;
const CONNECT_TIMEOUT_MS = 10_000;
const RECONNECT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 60_000, factor: 2, jitter: 0.2 };
/** A connection that lived this long before closing starts its backoff afresh. */
const STABLE_AFTER_MS = 30_000;
/** AUTH-and-resubscribe rounds per connection before waiting for a reconnect. */
const MAX_AUTH_ROUNDS = 3;

export interface RelayConnectionOptions {
  url: string;
  logger: Logger;
  /** Every event the relay sends on our subscriptions, unchecked. */
  onEvent: (event: unknown) => void;
  /** Signs NIP-42 AUTH events. */
  signAuth: (template: EventTemplate) => Promise<VerifiedEvent>;
}

/**
 * One relay: connects, subscribes to KEZ DMs (`kinds: [4243]`, `#q`: the addrs),
 * answers AUTH challenges, re-subscribes when the addrs change or the relay
 * closes a subscription, and reconnects with exponential backoff when the
 * connection drops. Events are passed on unchecked; the intake checks them.
 */
export class RelayConnection {
  private relay?: AbstractRelay;
  private subscriptions: Subscription[] = [];
  /** Bumped at each (re)subscription so callbacks of older subscriptions are ignored. */
  private generation = 0;
  private addrs: readonly string[] = [];
  private attempt = 0;
  private authRounds = 0;
  private connectedAt = 0;
  /** Set while we are not listening; new subscriptions look back from here to cover the gap. */
  private gapSince?: number;
  private reconnectTimer?: NodeJS.Timeout;
  private resubscribeTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly options: RelayConnectionOptions) {}

  get url(): string {
    return this.options.url;
  }

  get connected(): boolean {
    return this.relay?.connected ?? false;
  }

  start(): void {
    void this.connect();
  }

  /** Listens for these addrs from now on (sorted, so an unchanged set is recognised). */
  setAddrs(addrs: readonly string[]): void {
    if (addrs.length === this.addrs.length && addrs.every((addr, i) => addr === this.addrs[i])) {
      return;
    }
    this.addrs = addrs;
    if (this.relay) {
      this.subscribe();
    }
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.resubscribeTimer);
    const relay = this.relay;
    this.relay = undefined;
    relay?.close();
  }

  private async connect(): Promise<void> {
    if (this.stopped) {
      return;
    }
    const relay = new AbstractRelay(this.url, {
      // Signatures are checked by the intake, on copies, together with everything else.
      verifyEvent: () => true,
      websocketImplementation: WebSocket as unknown as typeof globalThis.WebSocket,
      enablePing: true,
    });
    // No `onauth`: nostr-tools would answer each challenge by itself and rethrow the
    // rejection when the connection closes before the relay's OK, an unhandled
    // rejection that ends the process. AUTH is sent when a relay asks for it
    // (CLOSED "auth-required:"), in authenticateThenSubscribe, where failures are caught.
    relay.onnotice = (notice) => this.options.logger.debug(`relay ${this.url} notice: ${notice}`);
    relay.onclose = () => this.onClosed(relay);
    try {
      await relay.connect({ timeout: CONNECT_TIMEOUT_MS });
    } catch (error) {
      this.scheduleReconnect(`cannot connect (${String(error)})`);
      return;
    }
    if (this.stopped) {
      relay.close();
      return;
    }
    this.relay = relay;
    this.connectedAt = Date.now();
    this.authRounds = 0;
    this.options.logger.log(`connected to relay ${this.url}`);
    this.subscribe();
  }

  private onClosed(relay: AbstractRelay): void {
    if (relay !== this.relay) {
      return;
    }
    this.relay = undefined;
    this.subscriptions = [];
    this.generation++;
    this.gapSince ??= Math.floor(Date.now() / 1000);
    if (Date.now() - this.connectedAt >= STABLE_AFTER_MS) {
      this.attempt = 0;
    }
    this.scheduleReconnect('connection closed');
  }

  private scheduleReconnect(reason: string): void {
    if (this.stopped) {
      return;
    }
    this.gapSince ??= Math.floor(Date.now() / 1000);
    const delay = backoff(this.attempt++);
    this.options.logger.warn(`relay ${this.url}: ${reason}; reconnecting in ${Math.round(delay / 1000)} s`);
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
    this.reconnectTimer.unref();
  }

  private subscribe(): void {
    clearTimeout(this.resubscribeTimer);
    this.resubscribeTimer = undefined;
    const generation = ++this.generation;
    const previous = this.subscriptions;
    this.subscriptions = [];
    for (const subscription of previous) {
      subscription.close('re-subscribing');
    }
    const relay = this.relay;
    if (!relay || this.addrs.length === 0) {
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const since = Math.max(now - MAX_AGE_SECONDS, (this.gapSince ?? now) - LOOKBACK_SECONDS);
    for (let i = 0; i < this.addrs.length; i += ADDRS_PER_SUBSCRIPTION) {
      const addrs = this.addrs.slice(i, i + ADDRS_PER_SUBSCRIPTION);
      this.subscriptions.push(
        relay.subscribe([{ kinds: [NOSTR_KIND_DM], '#q': addrs, since }], {
          onevent: (event) => this.options.onEvent(event),
          oneose: () => {
            if (generation === this.generation) {
              // Caught up: the gap is covered, and this relay accepts us as we are.
              this.gapSince = undefined;
              this.authRounds = 0;
            }
          },
          onclose: (reason) => {
            if (generation === this.generation && relay === this.relay && relay.connected) {
              this.onSubscriptionClosed(relay, reason);
            }
          },
        }),
      );
    }
  }

  /** The relay ended a subscription (CLOSED): authenticate first if it asks, then subscribe again. */
  private onSubscriptionClosed(relay: AbstractRelay, reason: string): void {
    if (this.resubscribeTimer) {
      return;
    }
    const needsAuth = reason.startsWith('auth-required');
    if (needsAuth && this.authRounds >= MAX_AUTH_ROUNDS) {
      this.options.logger.warn(`relay ${this.url} keeps asking for AUTH; giving up on this connection`);
      relay.close();
      return;
    }
    const delay = needsAuth ? 0 : backoff(this.attempt++);
    if (!needsAuth) {
      this.options.logger.warn(`relay ${this.url} closed the subscription (${reason}); re-subscribing in ${Math.round(delay / 1000)} s`);
    }
    this.resubscribeTimer = setTimeout(() => void this.authenticateThenSubscribe(relay, needsAuth), delay);
    this.resubscribeTimer.unref();
  }

  private async authenticateThenSubscribe(relay: AbstractRelay, needsAuth: boolean): Promise<void> {
    if (needsAuth) {
      this.authRounds++;
      try {
        // Signs the challenge the relay sent on connect and waits for its OK.
        // Safe against the relay hanging up while the answer is signed (see authenticate).
        await authenticate(relay, this.options.signAuth);
      } catch (error) {
        this.options.logger.warn(`relay ${this.url} AUTH failed: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 1_000).unref());
      }
    }
    if (relay === this.relay && !this.stopped) {
      this.subscribe();
    }
  }
}

/** base × 2^attempt, capped, with up to 20 % jitter so instances do not reconnect in lockstep. */
function backoff(attempt: number): number {
  return backoffDelay(RECONNECT_BACKOFF, attempt);
}
