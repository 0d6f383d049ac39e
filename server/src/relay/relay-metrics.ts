import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';

/** The prefix of a NIP-01 machine-readable message (`blocked: …` → `blocked`), `other` when it has none. */
export function messagePrefix(message: string | undefined): string {
  const match = /^([a-z-]{1,24}):/.exec(message ?? '');
  return match ? match[1] : 'other';
}

/** Live counts the gateway knows. */
export interface RelayLiveCounts {
  /** Open WebSocket connections to /relay. */
  connections: number;
  /** Open subscriptions (REQs) on them. */
  subscriptions: number;
}

/** The relay's figures in the instance's registry. */
@Injectable()
export class RelayMetrics {
  private readonly accepted: Counter;
  private readonly refused: Counter<'reason'>;
  private readonly closed: Counter<'reason'>;
  private readonly wakes: Counter<'result'>;
  /** Set by the gateway: live connection and subscription counts, read at each scrape. */
  live: () => RelayLiveCounts = () => ({ connections: 0, subscriptions: 0 });

  constructor(registry: Registry) {
    const registers = [registry];
    const connections: Gauge = new Gauge({
      name: 'kez_chat_relay_connections',
      help: 'WebSocket connections open to /relay on this instance.',
      registers,
      collect: () => connections.set(this.live().connections),
    });
    const subscriptions: Gauge = new Gauge({
      name: 'kez_chat_relay_subscriptions',
      help: 'Relay subscriptions (REQs) open on this instance.',
      registers,
      collect: () => subscriptions.set(this.live().subscriptions),
    });
    this.accepted = new Counter({
      name: 'kez_chat_relay_events_accepted_total',
      help: 'Relay events stored by this instance (duplicates not counted).',
      registers,
    });
    this.refused = new Counter({
      name: 'kez_chat_relay_events_refused_total',
      help: 'Relay events answered OK false, by the reason prefix.',
      labelNames: ['reason'],
      registers,
    });
    this.closed = new Counter({
      name: 'kez_chat_relay_reqs_closed_total',
      help: 'Relay REQs answered CLOSED, by the reason prefix.',
      labelNames: ['reason'],
      registers,
    });
    this.wakes = new Counter({
      name: 'kez_chat_relay_wakes_total',
      help: 'Web Push decisions on stored relay events, by result (pushed, reading, not_waking, unregistered, claimed_elsewhere).',
      labelNames: ['result'],
      registers,
    });
  }

  eventAccepted(): void {
    this.accepted.inc();
  }

  /** Counts an `OK false` by the prefix of its message (`blocked`, `invalid`, `rate-limited`, …). */
  eventRefused(message: string | undefined): void {
    this.refused.inc({ reason: messagePrefix(message) });
  }

  /** Counts how RelayWake decided on a stored event. */
  wakeDecided(result: string): void {
    this.wakes.inc({ result });
  }

  /** Counts a `CLOSED` by its prefix (`auth-required`, `restricted`, `rate-limited`, `invalid`). */
  reqClosed(message: string): void {
    this.closed.inc({ reason: messagePrefix(message) });
  }
}
