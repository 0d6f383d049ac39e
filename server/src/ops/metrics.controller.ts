import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Registry } from 'prom-client';

@Controller('v1')
export class MetricsController {
  constructor(private readonly registry: Registry) {}

  /**
   * Prometheus text of this instance's registry: every module's figures and the
   * default process metrics. Every instance reports only itself; a scraper asks
   * each one. The shipped nginx.conf keeps it off the public side.
   */
  @Get('metrics')
  async metrics(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    reply.header('Content-Type', this.registry.contentType).header('Cache-Control', 'no-store');
    return this.registry.metrics();
  }
}
