import { ChangeDetectionStrategy, Component, type ElementRef, inject, Injector, signal, viewChild } from '@angular/core';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';

import { isSeedWrapError } from '@kez/crypto';

import { Account } from '../../core/account';
import { DeviceReset, eraseFailure } from '../../core/device-reset';
import { KeepNotice } from '../../core/keep-notice';
import { Notifications } from '../../core/push/notifications';
import { RETURN_PARAM, safeReturnUrl } from '../../core/return-url';
import { focusAfterRender } from '../../shared/focus-after-render';
import { FocusOnInit } from '../../shared/focus-on-init';
import { PendingAction } from '../../shared/pending-action';
import { NOTIFICATION_OFFER_ID, NotificationOffer } from '../notifications/notification-offer';

/**
 * Opens the identity kept in this browser with its passphrase (or a passkey). The
 * first passphrase unlock in this browser also makes the notifications offer. With
 * "Keep me unlocked" ticked, a browser that refuses to keep the session does not undo
 * the unlock: the chats open, and KeepNotice says the passphrase is asked next time.
 */
@Component({
  selector: 'kez-unlock',
  imports: [FocusOnInit, NotificationOffer, RouterLink],
  templateUrl: './unlock.html',
  styleUrl: './onboarding.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Unlock {
  private readonly account = inject(Account);
  private readonly router = inject(Router);
  /** Where the person was going before they were asked to unlock (a chat link), if anywhere. */
  private readonly returnUrl = safeReturnUrl(inject(ActivatedRoute).snapshot.queryParamMap.get(RETURN_PARAM));
  private readonly reset = inject(DeviceReset);
  private readonly notifications = inject(Notifications);
  private readonly keepNotice = inject(KeepNotice);
  private readonly injector = inject(Injector);
  private readonly field = viewChild<ElementRef<HTMLInputElement>>('field');
  private readonly passkeyButton = viewChild<ElementRef<HTMLButtonElement>>('passkeyButton');
  private readonly forgetButton = viewChild<ElementRef<HTMLButtonElement>>('forgetButton');

  protected readonly kez = this.account.kez;
  protected readonly progress = this.account.progress;
  protected readonly passphrase = signal('');
  protected readonly error = signal<string | null>(null);
  /** "Keep me unlocked on this device": a kept session opens the identity at the next starts. */
  protected readonly keep = signal(false);
  protected readonly passkey = this.account.passkey;
  protected readonly passkeyError = signal<string | null>(null);
  /** The passkey prompt is open: one at a time, and the screen says what it waits for. */
  protected readonly passkeyBusy = signal(false);
  protected readonly offer = this.notifications.offerAtUnlock;
  protected readonly offerId = NOTIFICATION_OFFER_ID;
  /** "Remove this identity from this browser": under way, or why it did not finish. */
  protected readonly erasing = new PendingAction(this.injector, () => this.forgetButton()?.nativeElement);

  protected async unlock(event: Event): Promise<void> {
    event.preventDefault();
    if (this.progress() !== null) {
      return;
    }
    if (this.passphrase() === '') {
      this.error.set('Type the passphrase you chose for this browser.');
      focusAfterRender(() => this.field()?.nativeElement, this.injector);
      return;
    }
    // First, while the click's gesture is live: the browser's notification prompt needs it.
    this.notifications.askAtUnlock();
    this.error.set(null);
    try {
      await this.account.unlock(this.passphrase());
    } catch (error) {
      this.error.set(
        isSeedWrapError(error, 'wrong_passphrase')
          ? 'That passphrase doesn’t unlock this identity. Check caps lock and try again.'
          : 'The identity kept in this browser is damaged. Restore it from your recovery phrase.',
      );
      // The field was disabled while unlocking, which took its focus: give it back, ready to retype.
      focusAfterRender(() => this.field()?.nativeElement, this.injector, { select: true });
      return;
    }
    if (this.keep()) {
      // Unlocked all the same: only the next start will ask for the passphrase again.
      await this.account.keepUnlocked(true).catch((error: unknown) => this.keepNotice.report(error));
    }
    await this.router.navigateByUrl(this.account.stage() === 'ready' ? (this.returnUrl ?? '/chats') : '/register');
  }

  protected async unlockWithPasskey(): Promise<void> {
    if (this.passkeyBusy()) {
      return;
    }
    this.passkeyError.set(null);
    this.passkeyBusy.set(true);
    try {
      await this.account.unlockWithPasskey();
    } catch (error) {
      this.passkeyError.set(error instanceof Error ? error.message : 'The passkey did not unlock. Use your passphrase.');
      // Disabled while the prompt was open, the button lost its focus: give it back, to try again or Tab to the passphrase.
      focusAfterRender(() => this.passkeyButton()?.nativeElement, this.injector);
      return;
    } finally {
      this.passkeyBusy.set(false);
    }
    await this.router.navigateByUrl(this.account.stage() === 'ready' ? (this.returnUrl ?? '/chats') : '/register');
  }

  protected async forget(): Promise<void> {
    const sure = confirm('Remove your identity and conversations from this browser? You can bring the identity back only with its recovery phrase.');
    if (sure) {
      await this.erasing.run(() => this.reset.forget(), eraseFailure);
    }
  }
}
