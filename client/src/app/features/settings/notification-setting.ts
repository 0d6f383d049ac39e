import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';

import { Notifications } from '../../core/push/notifications';
import { SettingSwitch } from './setting-switch';

const STATUS_TEXT = {
  loading: 'Checking…',
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
      [checked]="notifications.status() === 'on'"
      [disabled]="disabled()"
      [apply]="toggle"
      [error]="notifications.error()"
      >{{ notifications.busy() ? 'Working…' : statusText() }}</kez-setting-switch
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
  protected readonly statusText = computed(() => STATUS_TEXT[this.notifications.status()]);
  protected readonly disabled = computed(() => {
    const status = this.notifications.status();
    return this.notifications.busy() || status === 'loading' || status === 'blocked' || status === 'unsupported';
  });

  protected readonly toggle = (on: boolean): Promise<void> => (on ? this.notifications.turnOn() : this.notifications.turnOff());
}
