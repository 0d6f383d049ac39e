import { DestroyRef, inject, Injectable, signal } from '@angular/core';
import { Router } from '@angular/router';
import { SwUpdate, type VersionReadyEvent } from '@angular/service-worker';
import { filter } from 'rxjs';

import { parseWorkerMessage, type WorkerMessage } from './worker-message';

/**
 * The app's side of its service worker: a new version ready to load, and the
 * messages kez-worker.js sends (notification clicks route to the chats; pushes and
 * subscription changes go to whoever listens, e.g. the push settings).
 */
@Injectable({ providedIn: 'root' })
export class AppWorker {
  private readonly router = inject(Router);
  private readonly updates = inject(SwUpdate);
  private readonly listeners = new Set<(message: WorkerMessage) => void>();
  private readonly updateReadySignal = signal(false);

  /** True once a new version is downloaded and waits for a reload. */
  readonly updateReady = this.updateReadySignal.asReadonly();

  constructor() {
    const container = typeof navigator !== 'undefined' ? navigator.serviceWorker : undefined;
    if (container) {
      const onMessage = (event: MessageEvent) => this.dispatch(parseWorkerMessage(event.data));
      container.addEventListener('message', onMessage);
      inject(DestroyRef).onDestroy(() => container.removeEventListener('message', onMessage));
    }
    if (this.updates.isEnabled) {
      this.updates.versionUpdates
        .pipe(filter((event): event is VersionReadyEvent => event.type === 'VERSION_READY'))
        .subscribe(() => this.updateReadySignal.set(true));
    }
  }

  /** Calls `listener` for every worker message until the returned function is called. */
  listen(listener: (message: WorkerMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Loads the new version (a reload: unlocked keys live in memory, so the person sees the unlock screen unless a session lasts). */
  reload(): void {
    location.reload();
  }

  private dispatch(message: WorkerMessage | null): void {
    if (message === null) {
      return;
    }
    if (message === 'open-chats') {
      // The guards send a locked person to the unlock screen first.
      void this.router.navigateByUrl('/chats');
    }
    for (const listener of this.listeners) {
      listener(message);
    }
  }
}
