import { Registry } from 'prom-client';

import type { AppConfig } from '../config/app-config';
import { InboxMetrics } from '../inbox/inbox-metrics';
import { createRegistry } from '../metrics/metrics.module';
import { PushMetrics } from '../push/push-metrics';
import { RateLimitMetrics } from '../rate-limit/rate-limit.metrics';
import { RelayMetrics } from '../relay/relay-metrics';
import { OpsFigures } from './figures';

const config = { server: 'chat.example.org', instanceId: 'a1b2c3d4' } as AppConfig;

describe(OpsFigures.name, () => {
  it('reads the $SRV.STATS data from the metrics each module registered', async () => {
    const registry = new Registry();
    const inbox = new InboxMetrics(registry);
    const push = new PushMetrics(registry);
    const rateLimit = new RateLimitMetrics(registry);
    const relay = new RelayMetrics(registry);
    relay.live = () => ({ connections: 2, subscriptions: 5 });
    inbox.streamOpened();
    inbox.postStarted()();
    push.add('sent');
    push.add('failed');
    rateLimit.countRefused('messages');
    relay.eventRefused('blocked: not for this inbox');
    relay.reqClosed('auth-required: sign in');
    const figures = new OpsFigures(config, registry);
    expect(await figures.statsData()).toEqual({
      server: 'chat.example.org',
      instance_id: 'a1b2c3d4',
      open_streams: 1,
      messages_accepted: 1,
      pushes_sent: 1,
      pushes_failed: 1,
      rate_limited: { register: 0, messages: 1 },
      relay_connections: 2,
      relay_subscriptions: 5,
      relay_events_accepted: 0,
      relay_events_refused: { blocked: 1 },
      relay_reqs_closed: { 'auth-required': 1 },
      nostr_events: {},
    });
  });

  it('names the instance in kez_chat_info next to the default process metrics and the durable-latency histogram', async () => {
    const registry = createRegistry();
    new InboxMetrics(registry).postStarted()();
    new OpsFigures(config, registry);
    const text = await registry.metrics();
    expect(text).toMatch(/^kez_chat_info\{server="chat.example.org",instance_id="a1b2c3d4",version="[^"]+"\} 1$/m);
    expect(text).toMatch(/^# TYPE kez_chat_message_durable_seconds histogram$/m);
    expect(text).toMatch(/^kez_chat_message_durable_seconds_count 1$/m);
    expect(text).toMatch(/^# TYPE nodejs_eventloop_lag_seconds gauge$/m);
    expect(text).toMatch(/^# TYPE nodejs_heap_size_used_bytes gauge$/m);
    expect(text).toMatch(/^# TYPE nodejs_gc_duration_seconds histogram$/m);
  });
});
