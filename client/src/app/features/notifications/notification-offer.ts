import { ChangeDetectionStrategy, Component, inject } from '@angular/core';

import { Notifications } from '../../core/push/notifications';

/** The id of the offer's line, for the button it describes (`aria-describedby`). */
export const NOTIFICATION_OFFER_ID = 'notification-offer';

/**
 * The one line shown beside the button that finishes creating an identity or
 * unlocks it for the first time in this browser: that click also turns notifications
 * on, so the browser's prompt that follows is expected. Shown only while the offer
 * stands (see core/push/first-ask.ts); the button's handler calls
 * `Notifications.askAtUnlock()`.
 */
@Component({
  selector: 'kez-notification-offer',
  template: `
    @if (notifications.offerAtUnlock()) {
      <p [id]="id" class="offer">This also turns on notifications: they say only “New message”, never who wrote or what.</p>
    }
  `,
  styles: `
    :host {
      display: contents;
    }
    .offer {
      margin: 0;
      color: var(--color-text-muted);
      font-size: var(--text-sm);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotificationOffer {
  protected readonly notifications = inject(Notifications);
  protected readonly id = NOTIFICATION_OFFER_ID;
}
