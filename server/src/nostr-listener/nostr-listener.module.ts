import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { PushModule } from '../push/push.module';
import { RegistryModule } from '../registry/registry.module';
import { DmIntake } from './dm-intake';
import { NostrListenerService } from './nostr-listener.service';
import { NostrMetrics } from './nostr-metrics';
import { NostrSeenEntity } from './nostr-seen.entity';
import { NostrSeenStore } from './nostr-seen-store';

/** Subscribes to nostr relays for registered addrs and wakes recipients of KEZ DMs, once per cluster. */
@Module({
  // VapidKeys (its AUTH identity) comes with the configuration.
  imports: [TypeOrmModule.forFeature([NostrSeenEntity]), RegistryModule, PushModule],
  providers: [NostrListenerService, DmIntake, NostrSeenStore, NostrMetrics],
  // NostrSeenStore: the relay claims the events it pushes for in the same table, so each DM wakes once.
  exports: [NostrListenerService, DmIntake, NostrSeenStore],
})
export class NostrListenerModule {}
