import { computed, effect, inject, Injectable, InjectionToken, signal, untracked } from '@angular/core';

import { Account } from '../account';
import { failureText } from '../api/failure-text';
import { HomeApi } from '../api/home-api';
import { isApiError } from '../api/api-error';
import { AppWorker } from '../pwa/app-worker';
import { BrowserPush } from './browser-push';
import { needsHomeScreen } from './install-hint';
import { type NotificationPrompt, notificationPrompt } from './prompt';
import type { PushServer } from './push-server';
import { type PushIdentity, PushError, type PushStatus, WebPush } from './web-push';

/** The home server's push endpoints (HomeApi on `fetch`). */
export const PUSH_SERVER = new InjectionToken<PushServer>('KEZ push server', {
  providedIn: 'root',
  factory: () => new HomeApi((url, init) => fetch(url, init)),
});

// Choices about the prompts, per browser. Not secret, so localStorage (wiped by "forget this device").
const ASKED = 'kez.push.asked';
const NUDGE_DISMISSED = 'kez.push.nudge-dismissed';
const HOME_SCREEN_DISMISSED = 'kez.push.home-screen-dismissed';

function flag(key: string): boolean {
  try {
    return localStorage.getItem(key) === '1';
  } catch {
    return false;
  }
}

function setFlag(key: string): void {
  try {
    localStorage.setItem(key, '1');
  } catch {
    // Storage refused (private mode): the prompt may show again next time, nothing worse.
  }
}

/**
 * Web Push for the signed-in person, as signals: the status, turning it on (from a
 * click: the permission prompt needs the gesture) and off, the self-heal check each
 * time the identity is unlocked, and which prompt the chat list should show.
 */
@Injectable({ providedIn: 'root' })
export class Notifications {
  private readonly account = inject(Account);
  private readonly push = new WebPush(new BrowserPush(), inject(PUSH_SERVER));
  private readonly statusSignal = signal<PushStatus | 'loading'>('loading');
  private readonly busySignal = signal(false);
  private readonly errorSignal = signal<string | null>(null);
  private readonly asked = signal(flag(ASKED));
  private readonly nudgeDismissed = signal(flag(NUDGE_DISMISSED));
  private readonly homeScreenDismissed = signal(flag(HOME_SCREEN_DISMISSED));
  private healedFor: string | null = null;

  readonly status = this.statusSignal.asReadonly();
  readonly busy = this.busySignal.asReadonly();
  /** The last failure, as a sentence for the screen. */
  readonly error = this.errorSignal.asReadonly();
  /** iOS in a Safari tab: push needs the app on the Home Screen. */
  readonly homeScreenNeeded =
    typeof navigator !== 'undefined' &&
    needsHomeScreen({
      userAgent: navigator.userAgent,
      maxTouchPoints: navigator.maxTouchPoints,
      standalone: matchMedia('(display-mode: standalone)').matches || (navigator as { standalone?: boolean }).standalone === true,
    });

  /** The chat list's card (see prompt.ts). */
  readonly prompt = computed<NotificationPrompt>(() =>
    notificationPrompt({
      status: this.statusSignal(),
      asked: this.asked(),
      nudgeDismissed: this.nudgeDismissed(),
      homeScreenNeeded: this.homeScreenNeeded,
      homeScreenDismissed: this.homeScreenDismissed(),
    }),
  );

  constructor() {
    // Each unlock: check that the server still has this browser's subscription.
    effect(() => {
      const identity = this.signer();
      untracked(() => {
        if (identity === null) {
          this.healedFor = null;
        } else if (this.healedFor !== identity.handle) {
          this.healedFor = identity.handle;
          void this.heal(identity);
        }
      });
    });
    inject(AppWorker).listen((message) => {
      const identity = this.signer();
      if (message === 'subscription-changed' && identity !== null) {
        void this.heal(identity);
      }
    });
  }

  /** Asks for the permission if needed, subscribes and registers. Call it from a click. */
  async turnOn(): Promise<void> {
    const identity = this.signer();
    if (identity === null) {
      return;
    }
    // Marked once answered, so the card stays (showing progress) until the outcome is known.
    await this.run(() => this.push.enable(identity));
    this.markAsked();
  }

  async turnOff(): Promise<void> {
    const identity = this.signer();
    if (identity === null) {
      return;
    }
    await this.run(() => this.push.disable(identity));
  }

  /** "Not now" on the first prompt: it becomes the dismissible nudge. */
  notNow(): void {
    this.markAsked();
  }

  dismiss(): void {
    if (this.prompt() === 'home-screen') {
      setFlag(HOME_SCREEN_DISMISSED);
      this.homeScreenDismissed.set(true);
    } else {
      setFlag(NUDGE_DISMISSED);
      this.nudgeDismissed.set(true);
    }
  }

  private markAsked(): void {
    setFlag(ASKED);
    this.asked.set(true);
  }

  private signer = computed<PushIdentity | null>(() => {
    const identity = this.account.identity();
    const handle = this.account.profile()?.handle;
    return identity && handle ? { handle, edSecret: identity.edSecret } : null;
  });

  private async heal(identity: PushIdentity): Promise<void> {
    try {
      await this.push.heal(identity);
    } catch {
      // Offline or server trouble at start: the next start checks again; nothing to show.
    }
    await this.refresh();
  }

  private async run(work: () => Promise<void>): Promise<void> {
    this.busySignal.set(true);
    this.errorSignal.set(null);
    try {
      await work();
    } catch (error) {
      this.errorSignal.set(this.describe(error));
    } finally {
      this.busySignal.set(false);
      await this.refresh();
    }
  }

  private describe(error: unknown): string {
    if (error instanceof PushError) {
      return error.message;
    }
    if (isApiError(error)) {
      return failureText(error, 'push');
    }
    return 'Notifications could not be changed. Try again.';
  }

  private async refresh(): Promise<void> {
    try {
      this.statusSignal.set(await this.push.status());
    } catch {
      this.statusSignal.set('off');
    }
  }
}
