import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { BrokerModule } from '../broker/broker.module';
import { NostrListenerModule } from '../nostr-listener/nostr-listener.module';
import { PushModule } from '../push/push.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { RegistryModule } from '../registry/registry.module';
import { RelayDirectory } from '../registry/relay-directory';
import { DefaultRelaysController } from './default-relays.controller';
import { InboxRelayDirectory } from './inbox-relay-directory';
import { LiveSubscriptions } from './live-subscriptions';
import { RelayEventEntity } from './relay-event.entity';
import { RelayEventStore } from './relay-event-store';
import { RelayFanout } from './relay-fanout';
import { RelayInfoController } from './relay-info.controller';
import { RelayMetrics } from './relay-metrics';
import { RelayPolicy } from './relay-policy';
import { RelayRetentionJob } from './relay-retention.job';
import { RelayWake } from './relay-wake';
import { RelayGateway } from './relay.gateway';

/**
 * The inbox relay at `/relay`: NIP-01/NIP-11/NIP-42 on @nostr-relay/core, events
 * in the server's database, the inbox policy and limits, cluster fanout over
 * NATS, Web Push for what arrives, retention, and `GET /v1/relays` (the
 * default relays for this server's clients). Global so that the
 * Registry's nostr.json finds the RelayDirectory without importing this module.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([RelayEventEntity]), RegistryModule, RateLimitModule, BrokerModule, NostrListenerModule, PushModule],
  controllers: [RelayInfoController, DefaultRelaysController],
  providers: [
    { provide: LiveSubscriptions, useFactory: () => new LiveSubscriptions() },
    RelayEventStore,
    RelayFanout,
    RelayPolicy,
    RelayMetrics,
    RelayWake,
    RelayGateway,
    RelayRetentionJob,
    InboxRelayDirectory,
    { provide: RelayDirectory, useExisting: InboxRelayDirectory },
  ],
  exports: [RelayEventStore, RelayDirectory],
})
export class RelayModule {}
