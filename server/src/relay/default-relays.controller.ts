import { Controller, Get, Header, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { AppConfig } from '../config/app-config';
import { InboxRelayDirectory } from './inbox-relay-directory';
import { normalizeRelayUrl } from './relay-auth';

/**
 * `GET /v1/relays` (docs/protocol.md §4): the relays a client of this server
 * uses by default for KEZ DMs, receipts and its own relay lists — this server's
 * inbox relay first, then `KEZ_CHAT_RELAYS` (the relays the push listener
 * watches, so DMs sent there still wake the recipient), normalised, without
 * repeats. Public: it names no user.
 */
@Controller('v1/relays')
export class DefaultRelaysController {
  constructor(
    private readonly config: AppConfig,
    private readonly directory: InboxRelayDirectory,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-cache')
  relays(@Req() request: FastifyRequest): { relays: string[] } {
    const proto = request.headers['x-forwarded-proto'];
    const own = this.directory.ownUrl({
      host: request.headers.host,
      peer: request.socket.remoteAddress,
      forwardedProto: typeof proto === 'string' ? proto : undefined,
    });
    const configured = this.config.relays.map(normalizeRelayUrl).filter((url): url is string => url !== undefined);
    return { relays: [...new Set([...(own ? [own] : []), ...configured])] };
  }
}
