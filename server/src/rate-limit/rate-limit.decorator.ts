import { Reflector } from '@nestjs/core';

import type { AppConfig, RateConfig } from '../config/app-config';

/** Each limited kind of request, with the setting that sizes its buckets. */
export const RATE_LIMIT_RULES = {
  register: (config: AppConfig): RateConfig => config.rateRegister,
  messages: (config: AppConfig): RateConfig => config.rateMessages,
} as const;

export type RateLimitRule = keyof typeof RATE_LIMIT_RULES;

/** `@RateLimit('register')` on a route: each client IP gets a token bucket for that rule (see RateLimitGuard). */
export const RateLimit = Reflector.createDecorator<RateLimitRule>();
