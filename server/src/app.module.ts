import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';

import { ErrorFilter } from './common/filters/error.filter';
import { jsonLogsModule } from './common/logging/json-logs';
import { createValidationPipe } from './common/validation';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { InboxModule } from './inbox/inbox.module';
import { MetricsModule } from './metrics/metrics.module';
import { NatsModule } from './nats/nats.module';
import { NostrListenerModule } from './nostr-listener/nostr-listener.module';
import { OpsModule } from './ops/ops.module';
import { PushModule } from './push/push.module';
import { VapidKeys } from './push/vapid-keys';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { RegistryModule } from './registry/registry.module';
import { RelayModule } from './relay/relay.module';
import { WebModule } from './web/web.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config, VapidKeys.load(config)),
        ...(config.logFormat === 'json' ? [jsonLogsModule(config)] : []),
        ScheduleModule.forRoot(),
        MetricsModule,
        DatabaseModule,
        HealthModule,
        NatsModule,
        RegistryModule,
        RateLimitModule,
        InboxModule,
        PushModule,
        NostrListenerModule,
        RelayModule,
        OpsModule,
        // Last: its catch-all route serves the web client for paths no module took.
        WebModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
