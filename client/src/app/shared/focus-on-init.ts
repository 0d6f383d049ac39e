import { afterNextRender, Directive, ElementRef, inject } from '@angular/core';

/**
 * Moves keyboard focus to its element once rendered: the first field of a form, or
 * the heading of a step that replaced the previous one, so screen readers follow.
 */
@Directive({ selector: '[kezFocusOnInit]' })
export class FocusOnInit {
  constructor() {
    const element = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
    afterNextRender(() => element.focus());
  }
}
