import { inject, Injectable } from '@angular/core';

import { Account } from './account';
import { Notifications } from './push/notifications';
import { wipeDevice } from './storage/device-wipe';
import { errorReason } from './error-reason';
import { Tabs } from './tabs/tabs';

/**
 * What the screen says when `DeviceReset.forget` rejected: it stopped part way, so
 * some data may be left (a database the browser refused to delete, or still open in
 * another tab), and trying again is safe.
 */
export function eraseFailure(error: unknown): string {
  const reason = errorReason(error);
  return `The erase did not finish${reason === null ? '' : ` (${reason})`}, so some of your data may still be on this device. Close other KEZ chat tabs and try again.`;
}

/** "Forget this device", the same wherever it is asked for (Settings, the unlock screen). */
@Injectable({ providedIn: 'root' })
export class DeviceReset {
  private readonly account = inject(Account);
  private readonly notifications = inject(Notifications);
  private readonly tabs = inject(Tabs);

  /**
   * Unsubscribes push (on the server too while unlocked: only the identity's key can
   * sign that; when locked, the push service's 410 for the dropped subscription makes
   * the server forget it), erases the identity, every database and storage of the app,
   * sends the other tabs back to the start, and starts this page over. Rejects when a
   * step fails (see `eraseFailure` for the words); calling it again goes on from there.
   */
  async forget(): Promise<void> {
    if (this.account.identity() !== null) {
      await this.notifications.turnOff();
    }
    await this.account.forget();
    this.tabs.announceForget();
    await wipeDevice();
    // A fresh start drops every key still in memory and closes the databases being deleted.
    location.replace('/');
  }
}
