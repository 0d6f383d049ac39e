import { ChangeDetectionStrategy, Component, inject, output, signal } from '@angular/core';

import { Account } from '../../core/account';
import { KEPT_DAYS } from '../../core/identity/kept-session';

/** "This device": how the identity opens here (passphrase each time, or kept unlocked), and Lock. */
@Component({
  selector: 'kez-device-session',
  template: `
    <label class="switch">
      <input type="checkbox" role="switch" [checked]="kept()" [disabled]="busy()" (change)="toggle($event)" aria-describedby="device-session-status" />
      <span>Keep me unlocked on this device</span>
    </label>
    <p id="device-session-status" class="status" role="status">
      @if (kept()) {
        KEZ chat opens without your passphrase for {{ days }} days after each use. Lock ends that. Anyone holding this unlocked device can read
        your chats.
      } @else {
        KEZ chat asks for your passphrase each time it starts. Your keys are kept only encrypted under it.
      }
    </p>
    <button type="button" class="button button--secondary" (click)="lock.emit()">Lock now</button>
  `,
  styles: `
    .switch {
      display: flex;
      align-items: center;
      gap: var(--space-2);
      font-weight: 600;
    }
    .switch input {
      width: 1.25rem;
      height: 1.25rem;
      accent-color: var(--color-accent);
    }
    .status {
      margin: var(--space-2) 0 var(--space-3);
      color: var(--color-text-muted);
      font-size: var(--text-sm);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DeviceSession {
  private readonly account = inject(Account);
  protected readonly kept = this.account.keptUnlocked;
  protected readonly busy = signal(false);
  protected readonly days = KEPT_DAYS;
  /** "Lock now" was pressed. */
  readonly lock = output<void>();

  protected async toggle(event: Event): Promise<void> {
    this.busy.set(true);
    try {
      await this.account.keepUnlocked((event.target as HTMLInputElement).checked);
    } finally {
      this.busy.set(false);
    }
  }
}
