import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';

import { Account } from '../../core/account';

/** Settings' passkey section: set one up (WebAuthn), see how it protects the identity, remove it. */
@Component({
  selector: 'kez-passkey-setting',
  template: `
    @switch (account.passkey()) {
      @case ('prf') {
        <p role="status">
          A passkey unlocks KEZ chat on this device. Your identity is encrypted with a key only the passkey can give, so nothing secret is
          stored for it here.
        </p>
      }
      @case ('gate') {
        <p role="status">
          A passkey unlocks KEZ chat on this device. This passkey cannot give an encryption key (no PRF support), so your identity is stored
          encrypted under a key kept in this browser, released only after the passkey check.
        </p>
      }
      @default {
        <p role="status">Unlock with your fingerprint, face or device PIN instead of typing your passphrase. Your passphrase keeps working.</p>
      }
    }
    <div class="actions">
      @if (account.passkey() === null) {
        <button type="button" class="button button--secondary" (click)="register()" [disabled]="busy()">
          {{ busy() ? 'Waiting for the passkey…' : 'Set up a passkey' }}
        </button>
      } @else {
        <button type="button" class="button button--secondary" (click)="remove()" [disabled]="busy()">Remove the passkey</button>
      }
    </div>
    @if (error(); as message) {
      <p class="field__error" role="alert">{{ message }}</p>
    }
  `,
  styles: `
    p {
      margin: 0 0 var(--space-3);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PasskeySetting {
  protected readonly account = inject(Account);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  protected async register(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.account.registerPasskey();
    } catch (error) {
      this.error.set(error instanceof Error ? error.message : 'The passkey could not be set up.');
    } finally {
      this.busy.set(false);
    }
  }

  protected async remove(): Promise<void> {
    await this.account.removePasskey();
  }
}
