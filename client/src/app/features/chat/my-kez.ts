import { ChangeDetectionStrategy, Component, DestroyRef, inject, input, signal } from '@angular/core';

import { Account } from '../../core/account';

/**
 * "Your KEZ": the address others use to reach you, with one-click copy. It shows its
 * own "Your KEZ" label, unless `labelledBy` names an element that already says it
 * (Settings' section heading), so the words are not there twice.
 */
@Component({
  selector: 'kez-my-kez',
  template: `
    @if (kez(); as address) {
      @if (labelledBy() === null) {
        <p class="label" id="my-kez-label">Your KEZ</p>
      }
      <div class="row">
        <output class="kez" [attr.aria-labelledby]="labelledBy() ?? 'my-kez-label'">{{ address }}</output>
        <button type="button" class="button button--quiet" (click)="copy(address)" [attr.aria-label]="'Copy ' + address">
          {{ copied() ? 'Copied' : 'Copy' }}
        </button>
      </div>
      <span class="visually-hidden" role="status">{{ copied() ? 'Copied to the clipboard' : '' }}</span>
    }
  `,
  styles: `
    :host {
      display: block;
      margin: 0 var(--space-3) var(--space-3);
      padding: var(--space-2) var(--space-2) var(--space-2) var(--space-3);
      border-radius: var(--radius-md);
      background: var(--color-surface-sunken);
    }
    .label {
      margin: 0;
      color: var(--color-text-muted);
      font-size: 0.75rem;
      font-weight: 600;
      letter-spacing: 0.03em;
      text-transform: uppercase;
    }
    .row {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: var(--space-2);
    }
    .row .button {
      flex: none;
    }
    /* A long address wraps (inside a word when it must) instead of being cut: it is read whole. */
    .kez {
      min-width: 0;
      font-weight: 600;
      overflow-wrap: anywhere;
      user-select: all;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MyKez {
  /** The id of an element on the page that labels the address; null: the component shows its own label. */
  readonly labelledBy = input<string | null>(null);
  protected readonly kez = inject(Account).kez;
  protected readonly copied = signal(false);
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.timer));
  }

  protected async copy(address: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(address);
    } catch {
      // No clipboard (an insecure origin, or refused): the text is selectable on its own.
      return;
    }
    this.copied.set(true);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.copied.set(false), 2000);
  }
}
