import { Logger, Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AuthModule } from '../auth/auth.module';
import { vapidSubjectProblem } from '../config/vapid-subject';
import { PushController } from './push.controller';
import { PushMetrics } from './push-metrics';
import { PushNotifier } from './push-notifier';
import { PushSender } from './push-sender';
import { PushService } from './push.service';
import { PushSubscriptionEntity } from './push-subscription.entity';
import { PushSubscriptionStore } from './push-subscription-store';
import { VapidKeys } from './vapid-keys';

/**
 * Web Push: subscriptions, and the fanout that wakes offline devices. Whatever
 * has news for a handle (the inbox, the nostr listener, the relay) imports this
 * module for PushNotifier. The VAPID key is read with the configuration
 * (ConfigModule), before Nest starts.
 */
@Module({
  imports: [TypeOrmModule.forFeature([PushSubscriptionEntity]), AuthModule],
  controllers: [PushController],
  providers: [PushService, PushSubscriptionStore, PushSender, PushNotifier, PushMetrics],
  exports: [PushNotifier],
})
export class PushModule implements OnModuleInit {
  constructor(private readonly vapid: VapidKeys) {}

  onModuleInit(): void {
    const logger = new Logger('Push');
    if (this.vapid.created) {
      logger.log(`generated a new VAPID key at ${this.vapid.path}`);
    }
    // KEZ_CHAT_VAPID_STRICT turns this into a refusal to start (loadConfig).
    const problem = vapidSubjectProblem(this.vapid.subject);
    if (problem !== undefined) {
      logger.warn(`Web Push: ${problem}`);
    }
  }
}
