import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';

import { Faces } from '../core/faces';
import { FocusOnInit } from './focus-on-init';

/** A person's picture full screen; closes on the button, a tap anywhere or Escape. */
@Component({
  selector: 'kez-face-zoom',
  imports: [FocusOnInit],
  template: `
    <div class="zoom" role="dialog" aria-modal="true" [attr.aria-label]="name() + '’s picture'" (click)="closed.emit()" (keydown.escape)="closed.emit()">
      <img class="zoom__face" [src]="url()" [alt]="name() + '’s picture'" />
      <button type="button" class="button button--secondary zoom__close" kezFocusOnInit (click)="closed.emit()">Close</button>
    </div>
  `,
  styles: `
    .zoom {
      position: fixed;
      inset: 0;
      z-index: 50;
      display: grid;
      place-items: center;
      align-content: center;
      gap: var(--space-4, 1rem);
      padding: var(--space-4, 1rem);
      background: rgb(0 0 0 / 0.88);
    }
    .zoom__face {
      width: min(90vw, 90dvh - 5rem);
      height: auto;
      aspect-ratio: 1;
      border-radius: 0.75rem;
      image-rendering: auto;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FaceZoom {
  private readonly faces = inject(Faces);
  readonly primary = input.required<string>();
  readonly name = input.required<string>();
  readonly closed = output<void>();

  protected readonly url = computed(() => this.faces.urlOf(this.primary()));
}
