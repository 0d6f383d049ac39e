import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';

import type { IntakeResult } from './dm-intake';

/** The nostr listener's figures in the instance's registry: how each DM from a relay ended, and relays connected. */
@Injectable()
export class NostrMetrics {
  private readonly intake: Counter<'result'>;
  /** Set by the listener: how many of its relays are connected now, read at each scrape. */
  connectedRelays: () => number = () => 0;

  constructor(registry: Registry) {
    const registers = [registry];
    this.intake = new Counter({
      name: 'kez_chat_nostr_events_total',
      help: 'KEZ DMs from nostr relays, by how each ended (pushed, seen, stale, bad_signature, unregistered, claimed_elsewhere, …).',
      labelNames: ['result'],
      registers,
    });
    const connected: Gauge = new Gauge({
      name: 'kez_chat_nostr_relays_connected',
      help: 'Relays in KEZ_CHAT_RELAYS this instance is connected to.',
      registers,
      collect: () => connected.set(this.connectedRelays()),
    });
  }

  counted(result: IntakeResult): void {
    this.intake.inc({ result });
  }

  /** Events per result since start, for tests and the Ops module. */
  async intakeCounts(): Promise<Record<string, number>> {
    const { values } = await this.intake.get();
    return Object.fromEntries(values.map((sample) => [String(sample.labels.result), sample.value]));
  }
}
