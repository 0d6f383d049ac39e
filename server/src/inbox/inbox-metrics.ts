import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds from a POST /v1/messages arriving to its row being committed: 1 ms to 10 s. */
const DURABLE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The inbox's figures in the instance's registry: messages stored, open streams, POST→durable latency. */
@Injectable()
export class InboxMetrics {
  private readonly accepted: Counter;
  private readonly streams: Gauge;
  private readonly durable: Histogram;

  constructor(registry: Registry) {
    const registers = [registry];
    this.accepted = new Counter({ name: 'kez_chat_messages_accepted_total', help: 'Messages stored and answered 201 by this instance.', registers });
    this.streams = new Gauge({ name: 'kez_chat_open_streams', help: 'SSE streams open on this instance.', registers });
    this.durable = new Histogram({
      name: 'kez_chat_message_durable_seconds',
      help: 'Time from a POST /v1/messages being handled to its message being committed, in seconds.',
      buckets: DURABLE_BUCKETS,
      registers,
    });
  }

  /** Starts the POST→durable clock; call the result once the message is committed. */
  postStarted(): () => void {
    const end = this.durable.startTimer();
    return () => {
      end();
      this.accepted.inc();
    };
  }

  streamOpened(): void {
    this.streams.inc();
  }

  streamClosed(): void {
    this.streams.dec();
  }
}
