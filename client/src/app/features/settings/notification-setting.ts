import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';

import { Notifications } from '../../core/push/notifications';

const STATUS_TEXT = {
  loading: 'Checking…',
  on: 'On: a new message wakes this device with a notification that says only “New message”.',
  off: 'Off: you won’t know about new messages while KEZ chat is closed.',
  blocked: 'Blocked: this browser refuses notifications for this site. Allow them in its site settings, then come back.',
  unsupported: 'This browser can’t receive notifications.',
} as const;

/** The notifications switch: subscribes or unsubscribes on the home server and in the browser. */
@Component({
  selector: 'kez-notification-setting',
  template: `
    <label class="switch">
      <input
        type="checkbox"
        role="switch"
        [checked]="notifications.status() === 'on'"
        [disabled]="disabled()"
        (change)="toggle($event)"
        aria-describedby="notification-status"
      />
      <span>Notifications on this device</span>
    </label>
    <p id="notification-status" class="status" role="status">{{ notifications.busy() ? 'Working…' : statusText() }}</p>
    @if (notifications.homeScreenNeeded) {
      <p class="status">On iPhone and iPad, add KEZ chat to your Home Screen first (Share, then “Add to Home Screen”) and open it from there.</p>
    }
    @if (notifications.error(); as error) {
      <p class="field__error" role="alert">{{ error }}</p>
    }
  `,
  styles: `
    .switch {
      display: flex;
      align-items: center;
      gap: var(--space-2);
      font-weight: 600;
    }
    .switch input {
      width: 1.25rem;
      height: 1.25rem;
      accent-color: var(--color-accent);
    }
    .status {
      margin: var(--space-2) 0 0;
      color: var(--color-text-muted);
      font-size: var(--text-sm);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotificationSetting {
  protected readonly notifications = inject(Notifications);
  protected readonly statusText = computed(() => STATUS_TEXT[this.notifications.status()]);
  protected readonly disabled = computed(() => {
    const status = this.notifications.status();
    return this.notifications.busy() || status === 'loading' || status === 'blocked' || status === 'unsupported';
  });

  protected toggle(event: Event): void {
    const on = (event.target as HTMLInputElement).checked;
    void (on ? this.notifications.turnOn() : this.notifications.turnOff());
  }
}
