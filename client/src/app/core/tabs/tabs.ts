import { DestroyRef, effect, inject, Injectable, untracked } from '@angular/core';
import { Router } from '@angular/router';

import { Account } from '../account';
import { openTabChannel, type TabMessage } from './tab-channel';

/**
 * Lock and forget, across the tabs of this browser: locking one tab locks them all
 * (an unlocked tab left behind would defeat the lock), and "forget this device" in one
 * sends the others back to the start. The inbox stream is shared apart, by SharedStream.
 */
@Injectable({ providedIn: 'root' })
export class Tabs {
  private readonly channel = openTabChannel();

  constructor() {
    const channel = this.channel;
    if (channel === null) {
      return;
    }
    const account = inject(Account);
    const router = inject(Router);
    let wasUnlocked = false;
    let lockedByAnotherTab = false;
    effect(() => {
      const unlocked = account.identity() !== null;
      const stage = account.stage();
      untracked(() => {
        if (wasUnlocked && !unlocked && stage === 'locked' && !lockedByAnotherTab) {
          channel.postMessage({ kind: 'lock' });
        }
        wasUnlocked = unlocked;
        lockedByAnotherTab = false;
      });
    });
    const onMessage = (event: MessageEvent<TabMessage>) => {
      if (event.data.kind === 'lock' && account.identity() !== null) {
        lockedByAnotherTab = true;
        void account.lock().then(() => router.navigateByUrl('/unlock'));
      } else if (event.data.kind === 'forget') {
        location.replace('/');
      }
    };
    channel.addEventListener('message', onMessage);
    inject(DestroyRef).onDestroy(() => {
      channel.removeEventListener('message', onMessage);
      channel.close();
    });
  }

  /** Tells the other tabs that this device's identity was erased. */
  announceForget(): void {
    this.channel?.postMessage({ kind: 'forget' });
  }
}
