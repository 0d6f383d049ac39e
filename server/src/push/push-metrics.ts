import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';

/** How one push ended up, each counted as `kez_chat_pushes_<outcome>_total`. */
export type PushOutcome = 'sent' | 'failed' | 'retried' | 'expired' | 'dropped';

const HELP: Record<PushOutcome, string> = {
  sent: 'Web Push messages a push service accepted.',
  failed: 'Web Push messages given up on after their last attempt, or refused outright.',
  retried: 'Web Push attempts scheduled again after a 429, 5xx, timeout or network error.',
  expired: 'Push subscriptions deleted because their push service answered 404 or 410.',
  dropped: 'Web Push messages not queued because the queue was full.',
};

/** The push fanout's figures in the instance's registry. */
@Injectable()
export class PushMetrics {
  private readonly counters: Record<PushOutcome, Counter>;

  constructor(registry: Registry) {
    const counter = (outcome: PushOutcome) => new Counter({ name: `kez_chat_pushes_${outcome}_total`, help: HELP[outcome], registers: [registry] });
    this.counters = { sent: counter('sent'), failed: counter('failed'), retried: counter('retried'), expired: counter('expired'), dropped: counter('dropped') };
  }

  add(outcome: PushOutcome): void {
    this.counters[outcome].inc();
  }

  /** Every outcome's count since start. */
  async snapshot(): Promise<Record<PushOutcome, number>> {
    const entries = await Promise.all(
      (Object.keys(this.counters) as PushOutcome[]).map(async (outcome) => [outcome, (await this.counters[outcome].get()).values[0]?.value ?? 0] as const),
    );
    return Object.fromEntries(entries) as Record<PushOutcome, number>;
  }
}
