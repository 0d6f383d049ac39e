import { ChangeDetectionStrategy, Component, type ElementRef, inject, Injector, output, viewChild } from '@angular/core';

import { Account, endKeepFailure, keepFailure, lockFailure } from '../../core/account';
import { KEPT_DAYS } from '../../core/identity/kept-session';
import { PendingAction } from '../../shared/pending-action';
import { SettingSwitch } from './setting-switch';

/**
 * "This device": how the identity opens here (passphrase each time, or kept unlocked),
 * and Lock, which says why when it could not lock.
 */
@Component({
  selector: 'kez-device-session',
  imports: [SettingSwitch],
  template: `
    <kez-setting-switch label="Keep me unlocked on this device" [checked]="kept()" [disabled]="locking.busy()" [apply]="toggle" [failure]="failure">
      @if (kept()) {
        KEZ chat opens without your passphrase for {{ days }} days after each use. Lock ends that. Anyone holding this unlocked device can read your chats.
      } @else {
        KEZ chat asks for your passphrase each time it starts. Your keys are kept only encrypted under it.
      }
    </kez-setting-switch>
    <button
      #lockButton
      type="button"
      class="button button--secondary"
      (click)="lock()"
      [disabled]="locking.busy()"
      [attr.aria-describedby]="locking.error() ? locking.errorId : null"
    >
      {{ locking.busy() ? 'Locking…' : 'Lock now' }}
    </button>
    @if (locking.error(); as message) {
      <p [id]="locking.errorId" class="field__error" role="alert">{{ message }}</p>
    }
  `,
  host: { class: 'setting-body' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DeviceSession {
  private readonly account = inject(Account);
  /** Null until this device's kept session has been read: the switch says "Checking…" meanwhile. */
  protected readonly kept = this.account.keptUnlocked;
  protected readonly days = KEPT_DAYS;
  private readonly lockButton = viewChild.required<ElementRef<HTMLButtonElement>>('lockButton');
  protected readonly locking = new PendingAction(inject(Injector), () => this.lockButton().nativeElement);
  /** "Lock now" locked the identity. */
  readonly locked = output<void>();

  protected readonly failure = (error: unknown, on: boolean): string => (on ? `${keepFailure(error)} Try again.` : endKeepFailure(error));

  protected readonly toggle = (on: boolean): Promise<void> => this.account.keepUnlocked(on);

  protected async lock(): Promise<void> {
    if (await this.locking.run(() => this.account.lock(), lockFailure)) {
      this.locked.emit();
    }
  }
}
