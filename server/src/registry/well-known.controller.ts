import { Controller, Get, Header, Optional, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { asciiLowerCase, trimAsciiSpace } from '@kez/protocol';

import { ApiError } from '../common/errors/api-error';
import { AppConfig } from '../config/app-config';
import { RegistryService } from './registry.service';
import { RelayDirectory } from './relay-directory';
import { type Jrd, webfingerJrd } from './webfinger';

/** Discovery for other software: WebFinger (RFC 7033) and NIP-05. Readable from any origin. */
@Controller('.well-known')
export class WellKnownController {
  constructor(
    private readonly config: AppConfig,
    private readonly registry: RegistryService,
    @Optional() private readonly relays?: RelayDirectory,
  ) {}

  @Get('webfinger')
  @Header('Content-Type', 'application/jrd+json; charset=utf-8')
  @Header('Access-Control-Allow-Origin', '*')
  async webfinger(@Query('resource') resource?: string): Promise<Jrd> {
    if (typeof resource !== 'string' || resource === '') {
      throw new ApiError('bad_request', 'resource is required, e.g. acct:alice@' + this.config.server);
    }
    // The scheme is case-insensitive (RFC 3986 §3.1); the server name is folded in ASCII only, like handles.
    const match = /^acct:([^@]+)@(.+)$/i.exec(trimAsciiSpace(resource));
    if (!match) {
      throw new ApiError('bad_request', 'resource must be acct:<handle>@<server>.');
    }
    const server = asciiLowerCase(match[2]);
    const record = server === this.config.server ? await this.registry.findForWellKnown(match[1]) : undefined;
    if (!record) {
      throw new ApiError('not_found', 'No such account on this server.');
    }
    return webfingerJrd(record);
  }

  @Get('nostr.json')
  @Header('Access-Control-Allow-Origin', '*')
  async nostr(
    @Query('name') name: string | undefined,
    @Req() request: FastifyRequest,
  ): Promise<{ names: Record<string, string>; relays?: Record<string, string[]> }> {
    const record = typeof name === 'string' ? await this.registry.findForWellKnown(name) : undefined;
    if (!record) {
      return { names: {} };
    }
    // NIP-05 clients look up the name exactly as they display it, which is the canonical lower-case handle.
    const names = { [record.handle]: record.addr };
    const proto = request.headers['x-forwarded-proto'];
    const relays = await this.relays?.relaysFor(record.addr, {
      host: request.headers.host,
      peer: request.socket.remoteAddress,
      forwardedProto: typeof proto === 'string' ? proto : undefined,
    });
    return relays && relays.length > 0 ? { names, relays: { [record.addr]: relays } } : { names };
  }
}
