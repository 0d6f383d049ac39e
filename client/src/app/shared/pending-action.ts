import { type Injector, signal } from '@angular/core';

import { refocusIfLost } from './focus-after-render';

let nextId = 0;

/**
 * One action a control starts and shows as under way ("Erasing…", its button
 * disabled). `run` sets `busy` for as long as the work runs and always clears it,
 * puts a rejection into words in `error` (the control's alert, which it names in
 * `aria-describedby` by `errorId`), and, when the control was disabled under the
 * keyboard focus and the focus fell to the page, gives it back to `control()` after
 * the next render. A second `run` while one is under way does nothing.
 */
export class PendingAction {
  private readonly busyState = signal(false);
  private readonly errorState = signal<string | null>(null);

  /** True while the work runs. */
  readonly busy = this.busyState.asReadonly();
  /** Why the last run failed, as a sentence for the screen; null after a success or `clear()`. */
  readonly error = this.errorState.asReadonly();
  /** The id for the element that shows `error`. */
  readonly errorId = `pending-error-${nextId++}`;

  /**
   * @param injector the owning component's, for the render after which the focus is given back
   * @param control the control that starts the action (focused again when the focus fell to the page)
   */
  constructor(
    private readonly injector: Injector,
    private readonly control: () => HTMLElement | null | undefined,
  ) {}

  /**
   * Runs `work`; resolves true when it succeeded, false when it failed (then `error`
   * holds `failure(rejection)`) or another run was still under way. Never rejects.
   */
  async run(work: () => Promise<unknown>, failure: (error: unknown) => string): Promise<boolean> {
    if (this.busyState()) {
      return false;
    }
    this.busyState.set(true);
    this.errorState.set(null);
    try {
      await work();
      return true;
    } catch (error) {
      this.errorState.set(failure(error));
      return false;
    } finally {
      this.busyState.set(false);
      refocusIfLost(this.control, this.injector);
    }
  }

  /** Takes the last failure's words off the screen (the person went back, or started over). */
  clear(): void {
    this.errorState.set(null);
  }
}
