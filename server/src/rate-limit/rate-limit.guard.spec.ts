import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Registry } from 'prom-client';

import { ApiError } from '../common/errors/api-error';
import type { AppConfig } from '../config/app-config';
import { parseCidrList, parseRate } from '../config/parsers';
import { ClientIpResolver } from './client-ip';
import { InMemoryRateLimitStore } from './in-memory-rate-limit.store';
import { RateLimit } from './rate-limit.decorator';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimitMetrics } from './rate-limit.metrics';

class Routes {
  @RateLimit('register')
  register(): void {}

  @RateLimit('messages')
  messages(): void {}

  open(): void {}
}

const config = { rateRegister: parseRate('2/min'), rateMessages: parseRate('5/sec') } as AppConfig;

function context(handler: () => void, peer: string, forwardedFor?: string): ExecutionContext {
  const request = { socket: { remoteAddress: peer }, headers: { 'x-forwarded-for': forwardedFor } };
  return { getHandler: () => handler, switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
}

describe(RateLimitGuard.name, () => {
  let metrics: RateLimitMetrics;
  let registry: Registry;
  let guard: RateLimitGuard;

  beforeEach(() => {
    registry = new Registry();
    metrics = new RateLimitMetrics(registry);
    const store = new InMemoryRateLimitStore({ now: () => 0 });
    guard = new RateLimitGuard(new Reflector(), config, new ClientIpResolver(parseCidrList('127.0.0.1')), store, metrics);
  });

  const attempt = (handler: () => void, peer = '198.51.100.1', forwardedFor?: string) =>
    guard.canActivate(context(handler, peer, forwardedFor)).then(
      () => 'allowed',
      (error: unknown) => error,
    );

  it('lets unmarked routes through without counting them', async () => {
    for (let i = 0; i < 10; i++) {
      expect(await attempt(Routes.prototype.open)).toBe('allowed');
    }
    expect(await attempt(Routes.prototype.register)).toBe('allowed');
  });

  it('refuses past the rule with rate_limited, Retry-After and a counted refusal', async () => {
    await attempt(Routes.prototype.register);
    await attempt(Routes.prototype.register);
    const refused = await attempt(Routes.prototype.register);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).code).toBe('rate_limited');
    expect((refused as ApiError).status).toBe(429);
    expect((refused as ApiError).headers).toEqual({ 'Retry-After': '30' });
    const counted = await registry.getSingleMetricAsString('kez_chat_rate_limited_total');
    expect(counted).toContain('kez_chat_rate_limited_total{rule="register"} 1\n');
    expect(counted).toContain('kez_chat_rate_limited_total{rule="messages"} 0');
  });

  it('keeps separate buckets per rule and per client', async () => {
    await attempt(Routes.prototype.register);
    await attempt(Routes.prototype.register);
    expect(await attempt(Routes.prototype.messages)).toBe('allowed');
    expect(await attempt(Routes.prototype.register, '198.51.100.2')).toBe('allowed');
    expect(await attempt(Routes.prototype.register, '127.0.0.1', '203.0.113.1')).toBe('allowed');
  });

  it('counts an IPv6 /64 as one client', async () => {
    await attempt(Routes.prototype.register, '2001:db8:1:2::1');
    await attempt(Routes.prototype.register, '2001:db8:1:2::2');
    expect(await attempt(Routes.prototype.register, '2001:db8:1:2::3')).toBeInstanceOf(ApiError);
    expect(await attempt(Routes.prototype.register, '2001:db8:1:3::1')).toBe('allowed');
  });
});
