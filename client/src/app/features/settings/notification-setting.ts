import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';

import { Notifications } from '../../core/push/notifications';
import { SettingSwitch } from './setting-switch';

/** Words for each known status; while it is read, the switch itself says "Checking…". */
const STATUS_TEXT = {
  on: 'On: a new message wakes this device with a notification that says only “New message”.',
  off: 'Off: you won’t know about new messages while KEZ chat is closed.',
  blocked: 'Blocked: this browser refuses notifications for this site. Allow them in its site settings, then come back.',
  unsupported: 'This browser can’t receive notifications.',
} as const;

/**
 * The notifications switch: subscribes or unsubscribes on the home server and in the
 * browser. Notifications reports its failures itself (`error`); the switch shows them.
 */
@Component({
  selector: 'kez-notification-setting',
  imports: [SettingSwitch],
  template: `
    <kez-setting-switch
      label="Notifications on this device"
      [checked]="checked()"
      [disabled]="refused()"
      [saving]="notifications.busy()"
      [apply]="toggle"
      [error]="notifications.error()"
      >{{ statusText() }}</kez-setting-switch
    >
    @if (notifications.homeScreenNeeded) {
      <p class="field__hint">On iPhone and iPad, add KEZ chat to your Home Screen first (Share, then “Add to Home Screen”) and open it from there.</p>
    }
  `,
  host: { class: 'setting-body' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotificationSetting {
  protected readonly notifications = inject(Notifications);
  /** On or off once the status is read; null (the switch waits, "Checking…") before. */
  protected readonly checked = computed(() => {
    const status = this.notifications.status();
    return status === 'loading' ? null : status === 'on';
  });
  protected readonly statusText = computed(() => {
    const status = this.notifications.status();
    return status === 'loading' ? '' : STATUS_TEXT[status];
  });
  /** The browser will not let it change: the status text says why and how to undo it. */
  protected readonly refused = computed(() => {
    const status = this.notifications.status();
    return status === 'blocked' || status === 'unsupported';
  });

  protected readonly toggle = (on: boolean): Promise<void> => (on ? this.notifications.turnOn() : this.notifications.turnOff());
}
