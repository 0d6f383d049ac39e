import { computed, inject, Injectable, signal } from '@angular/core';

import type { ServerReport } from './health';
import { HOME_SERVER } from './platform';

/** What the home server that serves this app says about itself: name, version, health. */
@Injectable({ providedIn: 'root' })
export class ServerStatus {
  private readonly api = inject(HOME_SERVER);

  private readonly reportState = signal<ServerReport | null>(null);
  private readonly checkingState = signal(false);
  /** Counts checks, so the answer of one that a newer check replaced is dropped. */
  private generation = 0;

  /** The last complete answer; null until the first check ends. */
  readonly report = this.reportState.asReadonly();
  /** True while a check is under way (the last report stays visible meanwhile). */
  readonly checking = this.checkingState.asReadonly();
  readonly health = computed(() => this.reportState()?.health ?? null);
  readonly serverName = computed(() => this.reportState()?.server ?? null);
  readonly version = computed(() => this.reportState()?.version ?? null);

  constructor() {
    this.refresh();
  }

  /** Asks `/v1/healthz` and `/v1/readyz` again; a check still under way is dropped. */
  refresh(): void {
    const generation = ++this.generation;
    this.checkingState.set(true);
    void this.api.health().then((report) => {
      if (generation === this.generation) {
        this.reportState.set(report);
        this.checkingState.set(false);
      }
    });
  }
}
