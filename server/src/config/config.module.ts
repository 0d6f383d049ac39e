import { type DynamicModule, Global, Module } from '@nestjs/common';

import { VapidKeys } from '../push/vapid-keys';
import { AppConfig } from './app-config';

/**
 * Makes the one validated AppConfig injectable everywhere, with the instance's
 * VAPID key (Web Push, and the nostr listener's AUTH identity). Both are read
 * before Nest starts, so a bad setting or a broken key file stops the server with
 * one line instead of a stack trace from the injector.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig, vapid: VapidKeys): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: VapidKeys, useValue: vapid },
      ],
      exports: [AppConfig, VapidKeys],
    };
  }
}
