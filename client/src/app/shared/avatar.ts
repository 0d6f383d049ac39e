import { ChangeDetectionStrategy, Component, computed, effect, inject, input, untracked } from '@angular/core';

import { Faces } from '../core/faces';

/**
 * A person's face in a circle: their profile picture when we may see it (unscrambled
 * for contacts), else the identicon of their key, so the same person always looks the
 * same. Loads the face on first show (core/faces.ts). Decorative: the name is written
 * next to it. A thin ring in the border colour keeps the circle's edge visible when the
 * picture is white (or dark) where it meets the background.
 */
@Component({
  selector: 'kez-avatar',
  template: `<img class="face" [src]="url()" alt="" draggable="false" />`,
  styles: `
    :host {
      position: relative;
      display: inline-block;
      flex: none;
      width: var(--avatar-size, 2.5rem);
      height: var(--avatar-size, 2.5rem);
      border-radius: 50%;
      overflow: hidden;
      background: var(--color-surface-2, #eee);
      user-select: none;
    }
    /* Pictures are opaque and often white at the edge (a logo's transparent parts come
       out white): a ring drawn over the picture keeps the circle visible on any background. */
    :host::after {
      content: '';
      position: absolute;
      inset: 0;
      border-radius: 50%;
      box-shadow: inset 0 0 0 1px var(--color-border);
      pointer-events: none;
    }
    .face {
      display: block;
      width: 100%;
      height: 100%;
      object-fit: cover;
    }
  `,
  host: { 'aria-hidden': 'true', '[attr.data-primary]': 'seed()' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Avatar {
  private readonly faces = inject(Faces);
  /** The person's handle, used to find their nostr address. */
  readonly name = input<string | null>(null);
  /** The person's primary. */
  readonly seed = input.required<string>();

  protected readonly url = computed(() => this.faces.urlOf(this.seed()));

  constructor() {
    effect(() => {
      const primary = this.seed();
      const handle = this.name();
      untracked(() => void this.faces.load(primary, handle));
    });
  }
}
