import { Global, Module } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The one prom-client Registry of this instance. Each module registers its own
 * counters, gauges and histograms in it (InboxMetrics, PushMetrics, …); Ops only
 * renders it. Global because every module may have figures to keep, and a
 * registry is plumbing, not a feature another module depends on.
 */
@Global()
@Module({
  providers: [{ provide: Registry, useFactory: createRegistry }],
  exports: [Registry],
})
export class MetricsModule {}

/**
 * A registry with prom-client's default process metrics (CPU, heap, event-loop
 * lag, GC, handles) under their usual names, so stock Node.js dashboards work.
 * One per app, so several apps in one process (tests) do not share figures.
 */
export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
