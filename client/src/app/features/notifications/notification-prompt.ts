import { ChangeDetectionStrategy, Component, ElementRef, inject, Injector, viewChild } from '@angular/core';

import { Notifications } from '../../core/push/notifications';
import { refocusIfLost } from '../../shared/focus-after-render';

/**
 * The chat list's notification card: the dismissible "off" nudge (its "Turn on" click
 * is the gesture the browser's prompt needs), the "blocked" note (never a new prompt
 * after a refusal), and on iOS in a Safari tab the "Add to Home Screen" hint. The
 * first offer is not here: the unlock and register screens make it (NotificationOffer).
 * When the card goes away under the keyboard focus (Dismiss, or turned on), the focus
 * stays at its place in the sidebar instead of falling back to the page's start.
 */
@Component({
  selector: 'kez-notification-prompt',
  templateUrl: './notification-prompt.html',
  styleUrl: './notification-prompt.css',
  host: { tabindex: '-1' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotificationPrompt {
  protected readonly notifications = inject(Notifications);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
  private readonly injector = inject(Injector);
  private readonly turnOnButton = viewChild<ElementRef<HTMLButtonElement>>('turnOnButton');

  /** Turns on; when that fails, the card stays with the reason, tied to its "Turn on". */
  protected async turnOn(): Promise<void> {
    await this.notifications.turnOn();
    this.keepFocus();
  }

  protected dismiss(): void {
    this.notifications.dismiss();
    this.keepFocus();
  }

  /**
   * After the next render, when the focus fell to the page: back to "Turn on" if the
   * card is still there (it was disabled while it worked), else to the card's place.
   */
  private keepFocus(): void {
    refocusIfLost(() => this.turnOnButton()?.nativeElement ?? this.host, this.injector);
  }
}
