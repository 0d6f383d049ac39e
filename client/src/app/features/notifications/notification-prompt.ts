import { ChangeDetectionStrategy, Component, inject } from '@angular/core';

import { Notifications } from '../../core/push/notifications';

/**
 * The chat list's notification card: the dismissible "off" nudge (its "Turn on" click
 * is the gesture the browser's prompt needs), the "blocked" note (never a new prompt
 * after a refusal), and on iOS in a Safari tab the "Add to Home Screen" hint. The
 * first offer is not here: the unlock and register screens make it (NotificationOffer).
 */
@Component({
  selector: 'kez-notification-prompt',
  templateUrl: './notification-prompt.html',
  styleUrl: './notification-prompt.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotificationPrompt {
  protected readonly notifications = inject(Notifications);
}
