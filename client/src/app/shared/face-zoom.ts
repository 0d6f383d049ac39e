import { ChangeDetectionStrategy, Component, computed, DestroyRef, type ElementRef, inject, input, output, viewChild } from '@angular/core';

import { Faces } from '../core/faces';
import { FocusOnInit } from './focus-on-init';

/**
 * A person's picture full screen; closes on the button, a tap anywhere or Escape.
 * A modal dialog: Tab stays on its Close button, Escape works wherever the focus is,
 * and closing gives the focus back to what opened it (the header avatar). The tap
 * anywhere is the backdrop's: a pointer shortcut for the button and Escape, so the
 * backdrop is presentation and the dialog inside it holds the content.
 */
@Component({
  selector: 'kez-face-zoom',
  imports: [FocusOnInit],
  template: `
    <div class="zoom" role="presentation" (click)="closed.emit()">
      <div class="zoom__dialog" role="dialog" aria-modal="true" [attr.aria-label]="name() + '’s picture'">
        <img class="zoom__face" [src]="url()" [alt]="name() + '’s picture'" />
        <p class="zoom__name">{{ name() }}</p>
        <button #close type="button" class="button button--secondary zoom__close" kezFocusOnInit (click)="closed.emit()">Close</button>
      </div>
    </div>
  `,
  styles: `
    .zoom {
      position: fixed;
      inset: 0;
      z-index: 50;
      display: grid;
      place-items: center;
      padding: var(--space-4, 1rem);
      background: rgb(0 0 0 / 0.88);
    }
    .zoom__dialog {
      display: grid;
      place-items: center;
      gap: var(--space-4, 1rem);
    }
    /* Pictures are 256 px a side (prepare-picture.ts): shown at most that many CSS
       pixels, the size they stay sharp at, never stretched to the screen. */
    .zoom__face {
      width: min(256px, 90vw, 90dvh - 8rem);
      height: auto;
      aspect-ratio: 1;
      border-radius: 0.75rem;
      box-shadow:
        0 0 0 1px rgb(255 255 255 / 0.2),
        0 1rem 3rem rgb(0 0 0 / 0.5);
    }
    .zoom__name {
      max-width: min(32rem, 90vw);
      margin: 0;
      color: #fff;
      font-size: var(--text-lg, 1.125rem);
      font-weight: 600;
      text-align: center;
      overflow-wrap: anywhere;
    }
  `,
  host: { '(document:keydown)': 'keydown($event)' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FaceZoom {
  private readonly faces = inject(Faces);
  readonly primary = input.required<string>();
  readonly name = input.required<string>();
  readonly closed = output<void>();

  protected readonly url = computed(() => this.faces.urlOf(this.primary()));
  private readonly close = viewChild.required<ElementRef<HTMLButtonElement>>('close');

  constructor() {
    const opener = document.activeElement;
    inject(DestroyRef).onDestroy(() => {
      if (opener instanceof HTMLElement && opener.isConnected) {
        opener.focus();
      }
    });
  }

  protected keydown(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      this.closed.emit();
    } else if (event.key === 'Tab') {
      // Close is the one control: Tab and Shift+Tab stay on it instead of reaching the page behind.
      event.preventDefault();
      this.close().nativeElement.focus();
    }
  }
}
