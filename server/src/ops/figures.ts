import { Injectable } from '@nestjs/common';

import { AppConfig } from '../config/app-config';
import { InboxMetrics } from '../inbox/inbox-metrics';
import { NatsClient } from '../nats/nats-client';
import { PushMetrics } from '../push/push-metrics';
import { RateLimitMetrics } from '../rate-limit/rate-limit.metrics';
import { type RelayCounts, RelayMetrics } from '../relay/relay-metrics';

/** This instance's live figures: the same numbers in `/v1/metrics` and in NATS `$SRV.STATS`. */
export interface Figures {
  server: string;
  instanceId: string;
  openStreams: number;
  messagesAccepted: number;
  pushesSent: number;
  pushesFailed: number;
  /** Requests refused with 429 since start, per rule. */
  rateLimited: Readonly<Record<string, number>>;
  /** Undefined when NATS is not configured. */
  natsConnected: boolean | undefined;
  /** The inbox relay's figures (server/src/relay). */
  relay?: RelayCounts;
}

/** Reads the counters each module keeps for itself; Ops owns none of them. */
@Injectable()
export class OpsFigures {
  constructor(
    private readonly config: AppConfig,
    private readonly inbox: InboxMetrics,
    private readonly push: PushMetrics,
    private readonly rateLimit: RateLimitMetrics,
    private readonly nats: NatsClient,
    private readonly relay: RelayMetrics,
  ) {}

  read(): Figures {
    const inbox = this.inbox.snapshot();
    const push = this.push.snapshot();
    return {
      server: this.config.server,
      instanceId: this.config.instanceId,
      openStreams: inbox.openStreams,
      messagesAccepted: inbox.messagesAccepted,
      pushesSent: push.sent,
      pushesFailed: push.failed,
      rateLimited: this.rateLimit.refusedCounts(),
      natsConnected: this.nats.enabled ? this.nats.connection !== undefined : undefined,
      relay: this.relay.snapshot(),
    };
  }
}

/** The figures as the `data` of the NATS service's stats (snake case, like the rest of `$SRV.*`). */
export function statsData(figures: Figures): Record<string, unknown> {
  return {
    server: figures.server,
    instance_id: figures.instanceId,
    open_streams: figures.openStreams,
    messages_accepted: figures.messagesAccepted,
    pushes_sent: figures.pushesSent,
    pushes_failed: figures.pushesFailed,
    rate_limited: figures.rateLimited,
    ...(figures.relay
      ? {
          relay_connections: figures.relay.connections,
          relay_subscriptions: figures.relay.subscriptions,
          relay_events_accepted: figures.relay.eventsAccepted,
          relay_events_refused: figures.relay.eventsRefused,
          relay_reqs_closed: figures.relay.reqsClosed,
        }
      : {}),
  };
}
