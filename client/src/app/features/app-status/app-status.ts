import { ChangeDetectionStrategy, Component, computed, DestroyRef, effect, inject, signal } from '@angular/core';

import { AppWorker } from '../../core/pwa/app-worker';
import { ServerStatus } from '../../core/server-status';

/** How often the home server is asked again while the offline bar shows (milliseconds). */
export const OFFLINE_RECHECK_MS = 10_000;

/**
 * Two bars above every screen: "offline" while the network or the home server is
 * out of reach (the app itself still opens from the service worker's cache), and
 * "a new version is ready" with a reload button. The offline bar goes by itself
 * once the server answers again: while it shows, the server is asked every
 * `OFFLINE_RECHECK_MS` (a server back up fires no browser event, and "Try again" is
 * only the way not to wait).
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
    effect((onCleanup) => {
      // Only while the browser has a network: without one, its "online" event says when to look.
      if (this.offline() && this.online()) {
        const timer = setInterval(() => this.server.refresh(), OFFLINE_RECHECK_MS);
        onCleanup(() => clearInterval(timer));
      }
    });
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
