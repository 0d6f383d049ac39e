import { ChangeDetectionStrategy, Component } from '@angular/core';

/** The KEZ chat mark: a speech bubble on the accent colour. Decorative; label its link instead. */
@Component({
  selector: 'kez-brand-mark',
  template: `
    <svg viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" fill="currentColor" />
      <path d="M9 9.5h14a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2h-7l-5 4v-4H9a2 2 0 0 1-2-2v-8a2 2 0 0 1 2-2Z" fill="var(--color-surface)" />
    </svg>
  `,
  styles: `
    :host {
      display: inline-flex;
      width: 2rem;
      height: 2rem;
      color: var(--color-accent);
    }
    svg {
      width: 100%;
      height: 100%;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BrandMark {}
