import { Injectable } from '@nestjs/common';
import { Gauge, type MetricObjectWithValues, type MetricValue, Registry } from 'prom-client';

import { appVersion } from '../common/project-root';
import { AppConfig } from '../config/app-config';

/**
 * This instance's figures for NATS `$SRV.STATS`, read from the same registry as
 * `/v1/metrics`: each module keeps its own metrics there, so Ops knows their names,
 * not their modules. Also registers `kez_chat_info`, the instance's name tag.
 */
@Injectable()
export class OpsFigures {
  constructor(
    private readonly config: AppConfig,
    private readonly registry: Registry,
  ) {
    const info = new Gauge({
      name: 'kez_chat_info',
      help: 'Always 1; its labels name this instance.',
      labelNames: ['server', 'instance_id', 'version'],
      registers: [registry],
    });
    info.set({ server: config.server, instance_id: config.instanceId, version: appVersion }, 1);
  }

  /** The figures as the `data` of the NATS service's stats (snake case, like the rest of `$SRV.*`). */
  async statsData(): Promise<Record<string, unknown>> {
    const metrics = new Map((await this.registry.getMetricsAsJSON()).map((metric) => [metric.name, metric]));
    const total = (name: string) => sum(metrics.get(name)?.values ?? []);
    const byLabel = (name: string, label: string) => perLabel(metrics.get(name)?.values ?? [], label);
    const nats = metrics.get('kez_chat_nats_connected');
    return {
      server: this.config.server,
      instance_id: this.config.instanceId,
      open_streams: total('kez_chat_open_streams'),
      messages_accepted: total('kez_chat_messages_accepted_total'),
      pushes_sent: total('kez_chat_pushes_sent_total'),
      pushes_failed: total('kez_chat_pushes_failed_total'),
      rate_limited: byLabel('kez_chat_rate_limited_total', 'rule'),
      relay_connections: total('kez_chat_relay_connections'),
      relay_subscriptions: total('kez_chat_relay_subscriptions'),
      relay_events_accepted: total('kez_chat_relay_events_accepted_total'),
      relay_events_refused: byLabel('kez_chat_relay_events_refused_total', 'reason'),
      relay_reqs_closed: byLabel('kez_chat_relay_reqs_closed_total', 'reason'),
      nostr_events: byLabel('kez_chat_nostr_events_total', 'result'),
      ...(nats ? { nats_connected: sum(nats.values) === 1 } : {}),
    };
  }
}

type Samples = MetricObjectWithValues<MetricValue<string>>['values'];

function sum(values: Samples): number {
  return values.reduce((total, sample) => total + sample.value, 0);
}

function perLabel(values: Samples, label: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const sample of values) {
    const key = String(sample.labels[label] ?? '');
    out[key] = (out[key] ?? 0) + sample.value;
  }
  return out;
}
