import { computed, effect, inject, Injectable, InjectionToken, signal, untracked } from '@angular/core';

import { Account } from '../account';
import { failureText } from '../api/failure-text';
import { HomeApi } from '../api/home-api';
import { isApiError } from '../api/api-error';
import { AppWorker } from '../pwa/app-worker';
import { BrowserPush } from './browser-push';
import { FirstAsk } from './first-ask';
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
 * Web Push for the signed-in person, as signals: the status, the first offer at the
 * click that finishes creating or unlocking the identity (first-ask.ts), turning it on
 * (from a click: the permission prompt needs the gesture) and off, the self-heal
 * check each time the identity is unlocked, and which card the chat list should show.
 */
@Injectable({ providedIn: 'root' })
export class Notifications {
  private readonly account = inject(Account);
  private readonly browser = new BrowserPush();
  private readonly push = new WebPush(this.browser, inject(PUSH_SERVER));
  private readonly statusSignal = signal<PushStatus | 'loading'>('loading');
  private readonly busySignal = signal(false);
  private readonly errorSignal = signal<string | null>(null);
  private readonly nudgeDismissed = signal(flag(NUDGE_DISMISSED));
  private readonly homeScreenDismissed = signal(flag(HOME_SCREEN_DISMISSED));
  private healedFor: string | null = null;
  private reads = 0;

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
  private readonly firstAsk = new FirstAsk(this.browser, { get: () => flag(ASKED), set: () => setFlag(ASKED) }, this.homeScreenNeeded);
  /** The first offer is being answered or carried out (from `askAtUnlock` until subscribed or refused). */
  private readonly asking = signal(false);
  private readonly firstAskDue = signal(this.firstAsk.due());

  /**
   * True while the unlock and register screens show the one line saying their button
   * also turns notifications on (never after a refusal, nor once offered here).
   */
  readonly offerAtUnlock = this.firstAskDue.asReadonly();

  /** The chat list's card (see prompt.ts). */
  readonly prompt = computed<NotificationPrompt>(() =>
    notificationPrompt({
      status: this.statusSignal(),
      asking: this.asking(),
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
          void this.start(identity);
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

  /**
   * The first offer: call it synchronously at the top of the click that finishes
   * creating or unlocking the identity, before anything is awaited (the browser's
   * prompt needs that click's gesture). Once the identity is open with its handle,
   * an allowed permission subscribes. Does nothing when not offered (see FirstAsk).
   */
  askAtUnlock(): void {
    this.firstAsk.ask();
    if (this.firstAsk.asking) {
      this.asking.set(true);
      this.firstAskDue.set(false);
    }
  }

  /** Asks for the permission if needed, subscribes and registers. Call it from a click. */
  async turnOn(): Promise<void> {
    const identity = this.signer();
    if (identity === null) {
      return;
    }
    this.answeredByHand();
    await this.run(() => this.push.enable(identity));
  }

  async turnOff(): Promise<void> {
    const identity = this.signer();
    if (identity === null) {
      return;
    }
    this.answeredByHand();
    await this.run(() => this.push.disable(identity));
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

  private answeredByHand(): void {
    this.firstAsk.answered();
    this.firstAskDue.set(this.firstAsk.due());
  }

  private signer = computed<PushIdentity | null>(() => {
    const identity = this.account.identity();
    const handle = this.account.profile()?.handle;
    return identity && handle ? { handle, edSecret: identity.edSecret } : null;
  });

  /**
   * At each unlock: the self-heal check (which also reads the status), and the first
   * offer carried out whenever the person answers its prompt. That answer is not
   * awaited here: a prompt can stay open (or sit as a quiet icon) for as long as the
   * person ignores it, and Settings must not wait "Checking…" meanwhile.
   */
  private async start(identity: PushIdentity): Promise<void> {
    if (this.firstAsk.asking) {
      void this.finishFirstAsk();
    }
    await this.heal(identity);
  }

  /** Subscribes once the first offer's prompt is answered "Allow", for whoever is then unlocked. */
  private async finishFirstAsk(): Promise<void> {
    try {
      const granted = await this.firstAsk.settle();
      const identity = this.signer();
      if (granted && identity !== null) {
        await this.run(() => this.push.enable(identity));
      }
    } finally {
      this.asking.set(false);
      this.firstAskDue.set(this.firstAsk.due());
      await this.refresh();
    }
  }

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
      // Busy until the status is read again: done sooner, the switch would take a
      // click on the state from before the change.
      await this.refresh();
      this.busySignal.set(false);
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

  /** Reads the status; when two reads overlap (the self-heal and the first offer), the later one wins. */
  private async refresh(): Promise<void> {
    const read = ++this.reads;
    let status: PushStatus;
    try {
      status = await this.push.status();
    } catch {
      status = 'off';
    }
    if (read === this.reads) {
      this.statusSignal.set(status);
    }
  }
}
