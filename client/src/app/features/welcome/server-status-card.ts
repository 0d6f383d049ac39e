import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';

import type { Health } from '../../core/health';
import { ServerStatus } from '../../core/server-status';

const HEALTH_LABELS: Record<Health, string> = {
  ok: 'OK',
  unavailable: 'Unavailable',
  unreachable: 'Unreachable',
};

const HEALTH_HINTS: Record<Health, string> = {
  ok: 'The server is running and ready.',
  unavailable: 'The server is running but cannot serve requests right now.',
  unreachable: 'No answer from the server. Check your connection or try again later.',
};

/** Name, version and health of the home server that serves this app. */
@Component({
  selector: 'kez-server-status-card',
  templateUrl: './server-status-card.html',
  styleUrl: './server-status-card.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ServerStatusCard {
  private readonly status = inject(ServerStatus);

  protected readonly report = this.status.report;
  protected readonly checking = this.status.checking;
  protected readonly health = computed<Health | 'checking'>(() => this.status.health() ?? 'checking');
  protected readonly label = computed(() => {
    const health = this.status.health();
    return health === null ? 'Checking…' : HEALTH_LABELS[health];
  });
  protected readonly hint = computed(() => {
    const report = this.report();
    if (report === null) {
      return '';
    }
    const failed = report.failedChecks.length > 0 ? ` Failing: ${report.failedChecks.join(', ')}.` : '';
    return HEALTH_HINTS[report.health] + failed;
  });

  protected refresh(): void {
    this.status.refresh();
  }
}
