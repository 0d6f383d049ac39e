import { ChangeDetectionStrategy, Component, inject } from '@angular/core';

import { Notifications } from '../../core/push/notifications';

/**
 * The chat list's notification card: the first ask (one line on what a notification
 * shows, then the browser's prompt on "Turn on"), the dismissible "off" nudge, the
 * "blocked" note (never a new prompt after a refusal), and on iOS in a Safari tab the
 * "Add to Home Screen" hint.
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
