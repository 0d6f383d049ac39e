import type { PushBrowser } from './web-push';

/** Where the answer "notifications were offered here" is kept (per browser, not secret: `localStorage`). */
export interface AskedFlag {
  get(): boolean;
  set(): void;
}

/** What the first ask needs of the browser: whether push works, the permission, and the prompt. */
export type PermissionBrowser = Pick<PushBrowser, 'supported' | 'permission' | 'requestPermission'>;

/**
 * Notifications come on by default at the click that finishes creating an identity
 * or unlocks it for the first time in this browser: that click is the user gesture
 * the browser's permission prompt needs, and the screen shows one line saying so
 * beside the button. The prompt is asked in the click itself (`ask`, before any
 * await, while the gesture is live); subscribing needs the registered handle, so it
 * follows once the identity is open (`settle`).
 *
 * Offered once per browser: after the person answered (allowed, refused or closed
 * the prompt) or turned notifications on or off by hand, it is not offered again;
 * after a refusal (`denied`) it is never offered at all.
 */
export class FirstAsk {
  private pending: Promise<NotificationPermission> | null = null;

  constructor(
    private readonly browser: PermissionBrowser,
    private readonly asked: AskedFlag,
    /** iOS in a Safari tab: push cannot work there, so nothing is offered. */
    private readonly homeScreenNeeded: boolean,
  ) {}

  /** True while the screen should show the one-line explanation: never offered here, not refused, and push can work. */
  due(): boolean {
    return this.pending === null && this.browser.supported && !this.homeScreenNeeded && !this.asked.get() && this.browser.permission() !== 'denied';
  }

  /** True from `ask` until `settle` has the answer. */
  get asking(): boolean {
    return this.pending !== null;
  }

  /**
   * Call synchronously in the click handler. Shows the browser's prompt when the
   * permission was never asked (an allowed one needs no prompt); does nothing when
   * not due, so a double click or a second screen never prompts twice.
   */
  ask(): void {
    if (!this.due()) {
      return;
    }
    const permission = this.browser.permission();
    this.pending = permission === 'default' ? this.browser.requestPermission().catch(() => 'default' as const) : Promise.resolve(permission);
  }

  /**
   * Once the identity is open with its handle: waits for the person's answer and
   * resolves true when notifications may be turned on. Marks the offer answered,
   * whatever the answer; false when nothing was asked.
   */
  async settle(): Promise<boolean> {
    const pending = this.pending;
    if (pending === null) {
      return false;
    }
    try {
      return (await pending) === 'granted';
    } finally {
      this.asked.set();
      this.pending = null;
    }
  }

  /** Notifications were turned on or off by hand: the choice is made, nothing is offered at the next unlock. */
  answered(): void {
    this.asked.set();
  }
}
