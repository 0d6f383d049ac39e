import { ChangeDetectionStrategy, Component, DestroyRef, inject, input, signal } from '@angular/core';

import { Account } from '../../core/account';

/** Addresses longer than this show two lines until "Show all" (a server name may have 253 characters). */
const LONG_ADDRESS = 48;

/**
 * "Your KEZ": the address others use to reach you, with one-click copy. It shows its
 * own "Your KEZ" label, unless `labelledBy` names an element that already says it
 * (Settings' section heading), so the words are not there twice. A very long address
 * shows its first two lines and a "Show all" toggle, so it never pushes the screen's
 * controls out of view yet can always be read whole; Copy copies all of it.
 */
@Component({
  selector: 'kez-my-kez',
  template: `
    @if (kez(); as address) {
      @if (labelledBy() === null) {
        <p class="label" id="my-kez-label">Your KEZ</p>
      }
      <div class="row">
        <output
          id="my-kez-address"
          class="kez"
          [class.kez--long]="address.length > longAddress"
          [class.kez--clamped]="address.length > longAddress && !expanded()"
          [attr.aria-labelledby]="labelledBy() ?? 'my-kez-label'"
          >{{ address }}</output
        >
        <button
          type="button"
          class="button button--quiet"
          (click)="copy(address)"
          [attr.aria-label]="'Copy ' + address"
          [attr.aria-describedby]="copied() === 'failed' ? 'my-kez-copy-error' : null"
        >
          {{ copied() === 'done' ? 'Copied' : 'Copy' }}
        </button>
      </div>
      @if (address.length > longAddress) {
        <button
          type="button"
          class="button button--quiet toggle"
          aria-controls="my-kez-address"
          [attr.aria-expanded]="expanded()"
          (click)="expanded.set(!expanded())"
        >
          {{ expanded() ? 'Show less' : 'Show all' }}
        </button>
      }
      @if (copied() === 'failed') {
        <p class="field__error" id="my-kez-copy-error" role="alert">Could not copy: this browser refused the clipboard. Select the address and copy it.</p>
      }
      <span class="visually-hidden" role="status">{{ copied() === 'done' ? 'Copied to the clipboard' : '' }}</span>
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
    /* A very long one fills its lines at a smaller size, two of them until "Show all". */
    .kez--long {
      font-size: 0.8125rem;
      word-break: break-all;
    }
    .kez--clamped {
      display: -webkit-box;
      overflow: hidden;
      -webkit-box-orient: vertical;
      -webkit-line-clamp: 2;
      line-clamp: 2;
    }
    .toggle {
      margin-top: var(--space-1);
      font-size: 0.8125rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MyKez {
  /** The id of an element on the page that labels the address; null: the component shows its own label. */
  readonly labelledBy = input<string | null>(null);
  protected readonly kez = inject(Account).kez;
  protected readonly longAddress = LONG_ADDRESS;
  protected readonly expanded = signal(false);
  protected readonly copied = signal<'done' | 'failed' | null>(null);
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.timer));
  }

  protected async copy(address: string): Promise<void> {
    clearTimeout(this.timer);
    try {
      await navigator.clipboard.writeText(address);
    } catch {
      // No clipboard (an insecure origin, or refused): say so; the text is selectable on its own.
      this.copied.set('failed');
      return;
    }
    this.copied.set('done');
    this.timer = setTimeout(() => this.copied.set(null), 2000);
  }
}
