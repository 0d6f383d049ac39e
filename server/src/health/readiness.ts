import { Injectable } from '@nestjs/common';

import type { CheckState } from '@kez/protocol';

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
      [...this.probes].map(async ([name, probe]) => [name, (await withTimeout(probe(), timeoutMs)) ? 'ok' : 'down'] as const),
    );
    const checks = Object.fromEntries(entries) as Record<string, CheckState>;
    return { ready: entries.every(([, state]) => state === 'ok'), checks };
  }
}

async function withTimeout(probe: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([probe.catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
