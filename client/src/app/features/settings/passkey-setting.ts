import { ChangeDetectionStrategy, Component, type ElementRef, inject, Injector, signal, viewChild } from '@angular/core';

import { Account } from '../../core/account';
import { refocusIfLost } from '../../shared/refocus-if-lost';

/**
 * Settings' passkey section: set one up (WebAuthn), see how it protects the identity,
 * remove it. One button does both, so the keyboard focus stays on it when it changes.
 */
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
      <button #action type="button" class="button button--secondary" (click)="account.passkey() === null ? register() : remove()" [disabled]="busy()">
        {{ busy() ? 'Waiting for the passkey…' : account.passkey() === null ? 'Set up a passkey' : 'Remove the passkey' }}
      </button>
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
    refocusIfLost(() => this.action().nativeElement, this.injector);
  }
}
