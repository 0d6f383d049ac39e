import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';

import { RATE_LIMIT_RULES, type RateLimitRule } from './rate-limit.decorator';

/** Requests refused with 429 since the process started, per rule, in the instance's registry. */
@Injectable()
export class RateLimitMetrics {
  private readonly refused: Counter<'rule'>;

  constructor(registry: Registry) {
    this.refused = new Counter({
      name: 'kez_chat_rate_limited_total',
      help: 'Requests refused with 429 rate_limited, per rule.',
      labelNames: ['rule'],
      registers: [registry],
    });
    // Every rule shows from the start, at 0, so a dashboard can tell "none" from "unknown".
    for (const rule of Object.keys(RATE_LIMIT_RULES)) {
      this.refused.inc({ rule }, 0);
    }
  }

  countRefused(rule: RateLimitRule): void {
    this.refused.inc({ rule });
  }
}
