import { ChangeDetectionStrategy, Component, type ElementRef, inject, Injector, signal, viewChild } from '@angular/core';

import { Account } from '../../core/account';
import { focusAfterRender } from '../../shared/focus-after-render';

/**
 * Settings' passkey section: set one up (WebAuthn), see how it protects the identity,
 * remove it. One button does both, so the keyboard focus stays on it when it changes.
 */
@Component({
  selector: 'kez-passkey-setting',
  template: `
    @switch (account.passkey()) {
      @case ('prf') {
        <p class="field__hint" role="status">
          A passkey unlocks KEZ chat on this device. Your identity is encrypted with a key only the passkey can give, so nothing secret is
          stored for it here.
        </p>
      }
      @case ('gate') {
        <p class="field__hint" role="status">
          A passkey unlocks KEZ chat on this device. This passkey cannot give an encryption key (no PRF support), so your identity is stored
          encrypted under a key kept in this browser, released only after the passkey check.
        </p>
      }
      @default {
        <p class="field__hint" role="status">Unlock with your fingerprint, face or device PIN instead of typing your passphrase. Your passphrase keeps working.</p>
      }
    }
    <button
      #action
      type="button"
      class="button button--secondary"
      (click)="account.passkey() === null ? register() : remove()"
      [disabled]="busy()"
      [attr.aria-describedby]="error() ? 'passkey-setting-error' : null"
    >
      {{ busy() ? 'Waiting for the passkey…' : account.passkey() === null ? 'Set up a passkey' : 'Remove the passkey' }}
    </button>
    @if (error(); as message) {
      <p id="passkey-setting-error" class="field__error" role="alert">{{ message }}</p>
    }
  `,
  host: { class: 'setting-body' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PasskeySetting {
  protected readonly account = inject(Account);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  private readonly injector = inject(Injector);
  private readonly action = viewChild.required<ElementRef<HTMLButtonElement>>('action');

  protected async register(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.account.registerPasskey();
    } catch (error) {
      this.error.set(error instanceof Error ? error.message : 'The passkey could not be set up.');
    } finally {
      this.busy.set(false);
      this.refocus();
    }
  }

  protected async remove(): Promise<void> {
    await this.account.removePasskey();
  }

  /** The button was disabled while the prompt was open, which took its focus: give it back. */
  private refocus(): void {
    focusAfterRender(() => (document.activeElement === null || document.activeElement === document.body ? this.action().nativeElement : null), this.injector);
  }
}
