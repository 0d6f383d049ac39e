import { Injectable } from '@nestjs/common';

import type { CheckState } from '@kez/protocol';

import { settleWithin } from '../common/time/settle-within';

export type ReadinessProbe = () => Promise<boolean>;

/**
 * The dependencies a load balancer cares about. Modules that own a dependency
 * (the database here, NATS later) add a probe; readiness is every probe passing.
 */
@Injectable()
export class Readiness {
  private readonly probes = new Map<string, ReadinessProbe>();

  add(name: string, probe: ReadinessProbe): void {
    this.probes.set(name, probe);
  }

  async check(timeoutMs = 2_000): Promise<{ ready: boolean; checks: Record<string, CheckState> }> {
    const entries = await Promise.all(
      [...this.probes].map(async ([name, probe]) => [name, (await settleWithin(probe(), timeoutMs, false)) ? 'ok' : 'down'] as const),
    );
    const checks = Object.fromEntries(entries) as Record<string, CheckState>;
    return { ready: entries.every(([, state]) => state === 'ok'), checks };
  }
}
