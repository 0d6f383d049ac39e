import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { Controller, Get, Logger, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { ApiError } from '../common/errors/api-error';
import { AppConfig } from '../config/app-config';
import { cacheControlFor, isApiPath, resolveWebFile } from './web-files';

/**
 * Serves the built web client at `/`. Unknown non-API paths get index.html so
 * client-side routes survive a reload; unknown API paths stay JSON 404s.
 */
@Controller()
export class WebController {
  private readonly logger = new Logger('Web');
  private readonly hasClient: boolean;

  constructor(private readonly config: AppConfig) {
    this.hasClient = existsSync(join(config.webDir, 'index.html'));
    if (!this.hasClient) {
      this.logger.warn(`no web client at ${config.webDir} (run npm run build); serving the API only`);
    }
  }

  @Get('*')
  async serve(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const path = request.url.split('?')[0];
    if (isApiPath(path) || !this.hasClient) {
      throw new ApiError('not_found', 'Nothing at this path.');
    }
    const file = (await resolveWebFile(this.config.webDir, path)) ?? 'index.html';
    await reply.header('Cache-Control', cacheControlFor(file)).sendFile(file, this.config.webDir);
  }
}
