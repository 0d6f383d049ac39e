import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

import type { HealthResponse, ReadyResponse } from '@kez/protocol';

import { appVersion } from '../common/project-root';
import { AppConfig } from '../config/app-config';
import { Readiness } from './readiness';

@Controller('v1')
export class HealthController {
  constructor(
    private readonly config: AppConfig,
    private readonly readiness: Readiness,
  ) {}

  @Get('healthz')
  health(): HealthResponse {
    return { status: 'ok', server: this.config.server, version: appVersion };
  }

  @Get('readyz')
  @HttpCode(200)
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadyResponse> {
    const { ready, checks } = await this.readiness.check();
    if (!ready) {
      void reply.status(503);
    }
    return { status: ready ? 'ok' : 'unavailable', checks };
  }
}
