import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';

import { AppConfig } from '../config/app-config';
import { NatsClient } from '../nats/nats-client';
import { BucketSweeper } from './bucket-sweeper';
import { ClientIpResolver } from './client-ip';
import { InMemoryRateLimitStore } from './in-memory-rate-limit.store';
import { NatsRateLimitStore } from './nats-rate-limit.store';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimitMetrics } from './rate-limit.metrics';
import { RateLimitStore } from './rate-limit.store';

/**
 * Per-client-IP token buckets for routes marked `@RateLimit(rule)`. The guard
 * is global, so marking a route is all another module does. Needs
 * `ScheduleModule.forRoot()` once in the app for the sweep.
 */
@Module({
  providers: [
    // A factory, so Nest does not try to inject the store's test-only options.
    // With NATS the buckets are shared by the cluster, and per instance while NATS is away.
    {
      provide: RateLimitStore,
      useFactory: (nats: NatsClient) => (nats.enabled ? new NatsRateLimitStore(nats, new InMemoryRateLimitStore()) : new InMemoryRateLimitStore()),
      inject: [NatsClient],
    },
    { provide: ClientIpResolver, useFactory: (config: AppConfig) => new ClientIpResolver(config.trustProxy), inject: [AppConfig] },
    RateLimitMetrics,
    BucketSweeper,
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
  // The relay takes tokens from the same store, per address and per key.
  exports: [RateLimitStore, ClientIpResolver],
})
export class RateLimitModule {}
