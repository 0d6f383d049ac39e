import { DestroyRef, effect, inject, Injectable, untracked } from '@angular/core';
import { NavigationEnd, Router } from '@angular/router';

import { Account } from '../account';
import { openTabChannel, type TabMessage } from './tab-channel';

/**
 * Lock, unlock and forget, across the tabs of this browser: locking one tab locks them
 * all (an unlocked tab left behind would defeat the lock); unlocking one unlocks the
 * others, and a tab opened while another is unlocked starts unlocked (the seed goes
 * from tab to tab over the same-origin channel, in memory only); "forget this device"
 * in one sends the others back to the start. The inbox stream is shared apart, by SharedStream.
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
    let byAnotherTab = false;
    // Unlocked by another tab while on (or on the way to) the unlock screen: go on to the chats.
    const leaveUnlockScreen = () => {
      const stage = account.stage();
      if (router.url.startsWith('/unlock') && (stage === 'ready' || stage === 'unregistered')) {
        void router.navigateByUrl(stage === 'ready' ? '/chats' : '/register');
      }
    };
    const navigations = router.events.subscribe((event) => {
      if (event instanceof NavigationEnd) {
        leaveUnlockScreen();
      }
    });
    const sendSeed = () => {
      const identity = account.identity();
      if (identity !== null) {
        channel.postMessage({ kind: 'unlock', seed: identity.seed });
      }
    };
    effect(() => {
      const unlocked = account.identity() !== null;
      const stage = account.stage();
      untracked(() => {
        if (!byAnotherTab && wasUnlocked && !unlocked && stage === 'locked') {
          channel.postMessage({ kind: 'lock' });
        } else if (!byAnotherTab && !wasUnlocked && unlocked) {
          sendSeed();
        }
        wasUnlocked = unlocked;
        byAnotherTab = false;
      });
    });
    const onMessage = (event: MessageEvent<TabMessage>) => {
      const message = event.data;
      if (message.kind === 'lock' && account.identity() !== null) {
        byAnotherTab = true;
        void account.lock().then(() => router.navigateByUrl('/unlock'));
      } else if (message.kind === 'unlock' && account.stage() === 'locked') {
        byAnotherTab = true;
        void account
          .unlockWithSeed(message.seed)
          .then(leaveUnlockScreen)
          .catch(() => undefined);
      } else if (message.kind === 'unlock-ask') {
        sendSeed();
      } else if (message.kind === 'forget') {
        location.replace('/');
      }
    };
    channel.addEventListener('message', onMessage);
    // Started locked: an unlocked tab, if any, hands the seed over.
    void account.ready.then(() => {
      if (account.stage() === 'locked') {
        channel.postMessage({ kind: 'unlock-ask' });
      }
    });
    inject(DestroyRef).onDestroy(() => {
      channel.removeEventListener('message', onMessage);
      navigations.unsubscribe();
      channel.close();
    });
  }

  /** Tells the other tabs that this device's identity was erased. */
  announceForget(): void {
    this.channel?.postMessage({ kind: 'forget' });
  }
}
