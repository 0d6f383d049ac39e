import { ChangeDetectionStrategy, Component, type ElementRef, inject, Injector, viewChild } from '@angular/core';

import { Account } from '../../core/account';
import { errorReason } from '../../core/error-reason';
import { PendingAction } from '../../shared/pending-action';

/**
 * Settings' passkey section: set one up (WebAuthn), see how it protects the identity,
 * remove it. One button does both, so the keyboard focus stays on it when it changes;
 * either failing says why under it.
 */
@Component({
  selector: 'kez-passkey-setting',
  template: `
    @switch (account.passkey()) {
      @case ('prf') {
        <p class="field__hint" role="status">
          A passkey unlocks KEZ chat on this device. Your identity is encrypted with a key only the passkey can give, so nothing secret is stored for it here.
        </p>
      }
      @case ('gate') {
        <p class="field__hint" role="status">
          A passkey unlocks KEZ chat on this device. This passkey cannot give an encryption key (no PRF support), so your identity is stored encrypted under a
          key kept in this browser, released only after the passkey check.
        </p>
      }
      @default {
        <p class="field__hint" role="status">
          Unlock with your fingerprint, face or device PIN instead of typing your passphrase. Your passphrase keeps working.
        </p>
      }
    }
    <button
      #button
      type="button"
      class="button button--secondary"
      (click)="account.passkey() === null ? register() : remove()"
      [disabled]="action.busy()"
      [attr.aria-describedby]="action.error() ? action.errorId : null"
    >
      {{
        action.busy()
          ? account.passkey() === null
            ? 'Waiting for the passkey…'
            : 'Removing…'
          : account.passkey() === null
            ? 'Set up a passkey'
            : 'Remove the passkey'
      }}
    </button>
    @if (action.error(); as message) {
      <p [id]="action.errorId" class="field__error" role="alert">{{ message }}</p>
    }
  `,
  host: { class: 'setting-body' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PasskeySetting {
  protected readonly account = inject(Account);
  private readonly button = viewChild.required<ElementRef<HTMLButtonElement>>('button');
  /** Setting up or removing, and why the last try failed; the button was disabled meanwhile and gets the focus back. */
  protected readonly action = new PendingAction(inject(Injector), () => this.button().nativeElement);

  protected register(): Promise<boolean> {
    return this.action.run(
      () => this.account.registerPasskey(),
      (error) => (error instanceof Error && error.message !== '' ? error.message : 'The passkey could not be set up.'),
    );
  }

  protected remove(): Promise<boolean> {
    return this.action.run(
      () => this.account.removePasskey(),
      (error) => `The passkey could not be removed (${errorReason(error) ?? 'the browser refused'}); it still unlocks KEZ chat here. Try again.`,
    );
  }
}
