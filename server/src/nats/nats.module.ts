import { Global, Module, type OnModuleInit } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';

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
    private readonly registry: Registry,
  ) {}

  onModuleInit(): void {
    if (this.nats.enabled) {
      const connected: Gauge = new Gauge({
        name: 'kez_chat_nats_connected',
        help: '1 while this instance is connected to NATS.',
        registers: [this.registry],
        collect: () => connected.set(this.nats.connection ? 1 : 0),
      });
      // A load balancer should prefer instances that reach the other instances.
      this.readiness.add('nats', () => this.nats.probe());
    }
  }
}
