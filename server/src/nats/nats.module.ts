import { Global, Module, type OnModuleInit } from '@nestjs/common';

import { Readiness } from '../health/readiness';
import { NatsClient } from './nats-client';

/** The shared NATS connection, when `KEZ_CHAT_NATS_URL` is set; inert otherwise. */
@Global()
@Module({
  providers: [NatsClient],
  exports: [NatsClient],
})
export class NatsModule implements OnModuleInit {
  constructor(
    private readonly nats: NatsClient,
    private readonly readiness: Readiness,
  ) {}

  onModuleInit(): void {
    if (this.nats.enabled) {
      // A load balancer should prefer instances that reach the other instances.
      this.readiness.add('nats', () => this.nats.probe());
    }
  }
}
