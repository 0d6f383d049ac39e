import { afterNextRender, type Injector } from '@angular/core';

/**
 * Moves keyboard focus to `target()` once the next render is done: where a failed
 * submit sends the person (the field in error, its message tied to it by
 * `aria-describedby`), because the control that had focus was disabled while the
 * work ran, or replaced, and focus fell to the page. `select` also selects the
 * field's text, ready to be typed over. Nothing happens when `target()` is gone.
 */
export function focusAfterRender(target: () => HTMLElement | null | undefined, injector: Injector, options: { select?: boolean } = {}): void {
  afterNextRender(
    () => {
      const element = target();
      element?.focus();
      if (options.select && (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement)) {
        element.select();
      }
    },
    { injector },
  );
}

/**
 * Gives the focus back to `target()` after the next render, only when it fell to the
 * page meanwhile (the control that had it was disabled while its work ran, or went
 * away): a person who moved on elsewhere is left there.
 */
export function refocusIfLost(target: () => HTMLElement | null | undefined, injector: Injector): void {
  focusAfterRender(() => (document.activeElement === null || document.activeElement === document.body ? target() : null), injector);
}
