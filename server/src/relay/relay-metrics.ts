import { Injectable } from '@nestjs/common';

/** This instance's relay figures, for the Ops module. */
export interface RelayCounts {
  /** Open WebSocket connections to /relay. */
  connections: number;
  /** Open subscriptions (REQs) on them. */
  subscriptions: number;
  /** Events stored since start (duplicates not counted). */
  eventsAccepted: number;
  /** Events answered `OK false` since start, by the message's prefix (`blocked`, `invalid`, `rate-limited`, …). */
  eventsRefused: Record<string, number>;
  /** REQs answered `CLOSED` since start, by prefix (`auth-required`, `restricted`, `rate-limited`, `invalid`). */
  reqsClosed: Record<string, number>;
}

/** The prefix of a NIP-01 machine-readable message (`blocked: …` → `blocked`), `other` when it has none. */
export function messagePrefix(message: string | undefined): string {
  const match = /^([a-z-]{1,24}):/.exec(message ?? '');
  return match ? match[1] : 'other';
}

/** Counters the relay keeps for `/v1/metrics` and the NATS service stats. */
@Injectable()
export class RelayMetrics {
  private accepted = 0;
  private readonly refused: Record<string, number> = {};
  private readonly closed: Record<string, number> = {};
  /** Set by the gateway: live connection and subscription counts. */
  live: () => { connections: number; subscriptions: number } = () => ({ connections: 0, subscriptions: 0 });

  eventAccepted(): void {
    this.accepted++;
  }

  eventRefused(message: string | undefined): void {
    const prefix = messagePrefix(message);
    this.refused[prefix] = (this.refused[prefix] ?? 0) + 1;
  }

  reqClosed(message: string): void {
    const prefix = messagePrefix(message);
    this.closed[prefix] = (this.closed[prefix] ?? 0) + 1;
  }

  snapshot(): RelayCounts {
    return { ...this.live(), eventsAccepted: this.accepted, eventsRefused: { ...this.refused }, reqsClosed: { ...this.closed } };
  }
}
