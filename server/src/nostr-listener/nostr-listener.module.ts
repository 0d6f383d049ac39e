import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { RegistryModule } from '../registry/registry.module';
import { DmIntake } from './dm-intake';
import { NostrListenerService } from './nostr-listener.service';
import { NostrSeenEntity } from './nostr-seen.entity';
import { NostrSeenStore } from './nostr-seen-store';

/** Subscribes to nostr relays for registered addrs and wakes recipients of KEZ DMs, once per cluster. */
@Module({
  // PushNotifier and VapidKeys come from the global PushModule.
  imports: [TypeOrmModule.forFeature([NostrSeenEntity]), RegistryModule],
  providers: [NostrListenerService, DmIntake, NostrSeenStore],
  // NostrSeenStore: the relay claims the events it pushes for in the same table, so each DM wakes once.
  exports: [NostrListenerService, DmIntake, NostrSeenStore],
})
export class NostrListenerModule {}
