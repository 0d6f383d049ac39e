import { afterNextRender, type Injector } from '@angular/core';

/**
 * After the next render, focuses `target()` if the focus was lost: a button disabled
 * while its work ran drops the focus to `<body>`, and a keyboard user would start
 * again from the top of the page. Leaves the focus alone when it is anywhere else
 * (the person moved on). `target` may return undefined (element gone): nothing happens.
 */
export function refocusIfLost(target: () => HTMLElement | undefined, injector: Injector): void {
  afterNextRender(
    () => {
      if (document.activeElement === null || document.activeElement === document.body) {
        target()?.focus();
      }
    },
    { injector },
  );
}
