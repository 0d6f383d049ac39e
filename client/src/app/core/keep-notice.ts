import { effect, inject, Injectable, signal } from '@angular/core';

import { Account, keepFailure } from './account';

/**
 * The identity was unlocked with "Keep me unlocked on this device" ticked, but the
 * browser refused to keep the session: the unlock stands, and this says so on the
 * screens that follow (features/app-status/keep-notice.ts) until it is dismissed, the
 * session is kept after all (its Try again, or Settings → This device), or the
 * identity is locked (then the passphrase is asked anyway).
 */
@Injectable({ providedIn: 'root' })
export class KeepNotice {
  private readonly account = inject(Account);
  private readonly messageSignal = signal<string | null>(null);
  /** Why this device is not kept unlocked, as a sentence for the screen; null when there is nothing to say. */
  readonly message = this.messageSignal.asReadonly();

  constructor() {
    effect(() => {
      if (this.account.identity() === null || this.account.keptUnlocked()) {
        this.messageSignal.set(null);
      }
    });
  }

  /** Keeping the session after an unlock rejected with `error`. */
  report(error: unknown): void {
    this.messageSignal.set(keepFailure(error));
  }

  /** Tries to keep the session again; rejects as `Account.keepUnlocked` does (the notice stays). */
  retry(): Promise<void> {
    return this.account.keepUnlocked(true);
  }

  dismiss(): void {
    this.messageSignal.set(null);
  }
}
