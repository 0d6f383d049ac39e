import { Controller, Get, Header, Query } from '@nestjs/common';

import { asciiLowerCase, trimAsciiSpace } from '@kez/protocol';

import { ApiError } from '../common/errors/api-error';
import { AppConfig } from '../config/app-config';
import { RegistryService } from './registry.service';
import { type Jrd, webfingerJrd } from './webfinger';

/** Discovery for other software: WebFinger (RFC 7033) and NIP-05. Readable from any origin. */
@Controller('.well-known')
export class WellKnownController {
  constructor(
    private readonly config: AppConfig,
    private readonly registry: RegistryService,
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
  async nostr(@Query('name') name?: string): Promise<{ names: Record<string, string>; relays?: Record<string, string[]> }> {
    const record = typeof name === 'string' ? await this.registry.findForWellKnown(name) : undefined;
    // NIP-05 clients look up the name exactly as they display it, which is the canonical lower-case handle.
    return record ? { names: { [record.handle]: record.addr } } : { names: {} };
  }
}
