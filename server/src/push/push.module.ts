import { type DynamicModule, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AuthModule } from '../auth/auth.module';
import type { AppConfig } from '../config/app-config';
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
 * Web Push: the VAPID key, subscriptions, and the fanout that wakes offline
 * devices. Global, so that whatever has news for a handle (the inbox, the nostr
 * listener) injects PushNotifier without importing this module.
 */
@Module({})
export class PushModule implements OnModuleInit {
  constructor(private readonly vapid: VapidKeys) {}

  /**
   * Reads (or creates) the VAPID key while the module list is built, before Nest
   * starts, so a missing or broken key file stops the server with one line.
   */
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: PushModule,
      global: true,
      imports: [TypeOrmModule.forFeature([PushSubscriptionEntity]), AuthModule],
      controllers: [PushController],
      providers: [{ provide: VapidKeys, useValue: VapidKeys.load(config) }, PushService, PushSubscriptionStore, PushSender, PushNotifier, PushMetrics],
      exports: [PushNotifier, PushMetrics, VapidKeys],
    };
  }

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
