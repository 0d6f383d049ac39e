import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';

import { ApiError } from '../common/errors/api-error';
import { AppConfig } from '../config/app-config';
import { ClientIpResolver } from './client-ip';
import { clientKey } from './ip-address';
import { RATE_LIMIT_RULES, RateLimit } from './rate-limit.decorator';
import { RateLimitMetrics } from './rate-limit.metrics';
import { RateLimitStore } from './rate-limit.store';

/**
 * Global guard: routes marked `@RateLimit(rule)` take one token per request from
 * the client's bucket for that rule, or answer 429 `rate_limited` with
 * `Retry-After`. Guards run before validation, so every request that reaches the
 * route counts, refused ones included: the limit is on attempts, and a client
 * cannot probe for free with invalid requests.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
    private readonly clientIp: ClientIpResolver,
    private readonly store: RateLimitStore,
    private readonly metrics: RateLimitMetrics,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.get(RateLimit, context.getHandler());
    if (rule === undefined) {
      return true;
    }
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const client = this.clientIp.resolve(request.socket.remoteAddress, request.headers['x-forwarded-for']);
    const { allowed, retryAfterSeconds } = await this.store.take(`${rule}:${clientKey(client)}`, RATE_LIMIT_RULES[rule](this.config));
    if (!allowed) {
      this.metrics.countRefused(rule);
      throw new ApiError('rate_limited', `Too many requests from this address; try again in ${retryAfterSeconds} s.`, {
        'Retry-After': String(retryAfterSeconds),
      });
    }
    return true;
  }
}
