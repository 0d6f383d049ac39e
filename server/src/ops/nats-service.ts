import { hostname } from 'node:os';

import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Service } from 'nats';

import { appVersion } from '../common/project-root';
import { AppConfig } from '../config/app-config';
import { NatsClient } from '../nats/nats-client';
import { OpsFigures } from './figures';

export const SERVICE_NAME = 'kez-chat';

/** Subject on which one instance answers its figures as JSON: `kez.chat.ops.<instance id>.figures`. */
export function figuresSubject(instanceId: string): string {
  return `kez.chat.ops.${instanceId}.figures`;
}

/**
 * Registers this instance as a NATS service, so `$SRV.PING`, `$SRV.INFO` and
 * `$SRV.STATS` (e.g. `nats micro ls`, `nats micro stats kez-chat`) list every
 * instance of the cluster, with its live figures as the stats `data`.
 */
@Injectable()
export class OpsNatsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Ops');
  private service?: Service;

  constructor(
    private readonly config: AppConfig,
    private readonly nats: NatsClient,
    private readonly figures: OpsFigures,
  ) {}

  onModuleInit(): void {
    if (!this.nats.enabled) {
      return;
    }
    this.nats.whenConnected(async (nc) => {
      const service = await nc.services.add({
        name: SERVICE_NAME,
        version: appVersion,
        description: 'KEZ chat home server instance',
        metadata: {
          server: this.config.server,
          instance_id: this.config.instanceId,
          connection: this.nats.connectionName,
          host: hostname(),
        },
        // The stats of every endpoint carry the figures; there is one endpoint.
        statsHandler: () => this.figures.statsData(),
      });
      service.addEndpoint('figures', {
        subject: figuresSubject(this.config.instanceId),
        handler: (_error, msg) => void this.figures.statsData().then((data) => msg.respond(new TextEncoder().encode(JSON.stringify(data)))),
      });
      this.service = service;
      this.logger.log(`registered NATS service ${SERVICE_NAME} ${appVersion} as ${this.config.instanceId}`);
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.service?.stop().catch(() => undefined);
  }
}
