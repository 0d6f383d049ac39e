import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, signal } from '@angular/core';

import { AppWorker } from '../../core/pwa/app-worker';
import { ServerStatus } from '../../core/server-status';

/**
 * Two bars above every screen: "offline" while the network or the home server is
 * out of reach (the app itself still opens from the service worker's cache), and
 * "a new version is ready" with a reload button.
 */
@Component({
  selector: 'kez-app-status',
  templateUrl: './app-status.html',
  styleUrl: './app-status.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AppStatus {
  private readonly worker = inject(AppWorker);
  private readonly server = inject(ServerStatus);
  private readonly online = signal(typeof navigator === 'undefined' ? true : navigator.onLine);

  protected readonly updateReady = this.worker.updateReady;
  /** The browser says it has no network, or the last health check got no answer. */
  protected readonly offline = computed(() => !this.online() || this.server.health() === 'unreachable');
  protected readonly checking = this.server.checking;

  constructor() {
    const changed = () => {
      this.online.set(navigator.onLine);
      this.server.refresh();
    };
    addEventListener('online', changed);
    addEventListener('offline', changed);
    inject(DestroyRef).onDestroy(() => {
      removeEventListener('online', changed);
      removeEventListener('offline', changed);
    });
  }

  protected retry(): void {
    this.server.refresh();
  }

  protected reload(): void {
    this.worker.reload();
  }
}
