import type { Figures } from './figures';

/** The content type of the Prometheus text exposition format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

type Labels = Record<string, string>;

/** Label values escape backslash, double quote and newline. */
function labelText(labels: Labels | undefined): string {
  const entries = Object.entries(labels ?? {});
  if (entries.length === 0) {
    return '';
  }
  const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return `{${entries.map(([name, value]) => `${name}="${escape(value)}"`).join(',')}}`;
}

function metric(name: string, type: 'counter' | 'gauge', help: string, samples: { labels?: Labels; value: number }[]): string {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples.map((s) => `${name}${labelText(s.labels)} ${s.value}`)].join('\n');
}

/**
 * `/v1/metrics`. Every instance reports only itself; a scraper asks each one.
 * The instance label is `instance_id`, since Prometheus sets `instance` itself.
 */
export function renderPrometheus(figures: Figures, version: string): string {
  const blocks = [
    metric('kez_chat_info', 'gauge', 'Always 1; its labels name this instance.', [
      { labels: { server: figures.server, instance_id: figures.instanceId, version }, value: 1 },
    ]),
    metric('kez_chat_open_streams', 'gauge', 'SSE streams open on this instance.', [{ value: figures.openStreams }]),
    metric('kez_chat_messages_accepted_total', 'counter', 'Messages stored and answered 201 by this instance.', [{ value: figures.messagesAccepted }]),
    metric('kez_chat_pushes_sent_total', 'counter', 'Web Push messages a push service accepted.', [{ value: figures.pushesSent }]),
    metric('kez_chat_pushes_failed_total', 'counter', 'Web Push messages given up on.', [{ value: figures.pushesFailed }]),
    metric(
      'kez_chat_rate_limited_total',
      'counter',
      'Requests refused with 429 rate_limited, per rule.',
      Object.entries(figures.rateLimited)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([rule, value]) => ({ labels: { rule }, value })),
    ),
  ];
  if (figures.relay) {
    blocks.push(...relayMetrics(figures.relay));
  }
  if (figures.natsConnected !== undefined) {
    blocks.push(metric('kez_chat_nats_connected', 'gauge', '1 while this instance is connected to NATS.', [{ value: figures.natsConnected ? 1 : 0 }]));
  }
  return `${blocks.join('\n')}\n`;
}

/** The inbox relay's block (server/src/relay/relay-metrics.ts). */
function relayMetrics(relay: NonNullable<Figures['relay']>): string[] {
  const byPrefix = (counts: Record<string, number>) =>
    Object.entries(counts)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([reason, value]) => ({ labels: { reason }, value }));
  return [
    metric('kez_chat_relay_connections', 'gauge', 'WebSocket connections open to /relay on this instance.', [{ value: relay.connections }]),
    metric('kez_chat_relay_subscriptions', 'gauge', 'Relay subscriptions (REQs) open on this instance.', [{ value: relay.subscriptions }]),
    metric('kez_chat_relay_events_accepted_total', 'counter', 'Relay events stored by this instance (duplicates not counted).', [{ value: relay.eventsAccepted }]),
    metric('kez_chat_relay_events_refused_total', 'counter', 'Relay events answered OK false, by the reason prefix.', byPrefix(relay.eventsRefused)),
    metric('kez_chat_relay_reqs_closed_total', 'counter', 'Relay REQs answered CLOSED, by the reason prefix.', byPrefix(relay.reqsClosed)),
  ];
}
