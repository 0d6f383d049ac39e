import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/**
 * A round badge with the first letter of a handle, tinted by the person's key so the
 * same person always gets the same colour. Decorative: the name is written next to it.
 */
@Component({
  selector: 'kez-avatar',
  template: `{{ initial() }}`,
  styles: `
    :host {
      display: inline-grid;
      flex: none;
      place-items: center;
      width: 2.5rem;
      height: 2.5rem;
      border-radius: 50%;
      background: hsl(var(--hue) 55% 88%);
      color: hsl(var(--hue) 45% 28%);
      font-weight: 650;
      text-transform: uppercase;
      user-select: none;
    }
    @media (prefers-color-scheme: dark) {
      :host {
        background: hsl(var(--hue) 35% 28%);
        color: hsl(var(--hue) 60% 86%);
      }
    }
  `,
  host: { 'aria-hidden': 'true', '[style.--hue]': 'hue()' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Avatar {
  readonly name = input<string | null>(null);
  /** Anything stable per person; their primary. */
  readonly seed = input.required<string>();

  protected readonly initial = computed(() => this.name()?.charAt(0) ?? '?');
  protected readonly hue = computed(() => {
    let hash = 0;
    for (const char of this.seed()) {
      hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
    }
    return hash % 360;
  });
}
