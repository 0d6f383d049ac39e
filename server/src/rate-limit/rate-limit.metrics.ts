import { Injectable } from '@nestjs/common';

import type { RateLimitRule } from './rate-limit.decorator';

/** Requests refused with 429 since the process started, per rule, for the Ops module to report. */
@Injectable()
export class RateLimitMetrics {
  private readonly refused: Record<RateLimitRule, number> = { register: 0, messages: 0 };

  countRefused(rule: RateLimitRule): void {
    this.refused[rule]++;
  }

  refusedCounts(): Readonly<Record<RateLimitRule, number>> {
    return { ...this.refused };
  }
}
