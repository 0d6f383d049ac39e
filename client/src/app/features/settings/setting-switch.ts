import { ChangeDetectionStrategy, Component, computed, type ElementRef, inject, Injector, input, signal, viewChild } from '@angular/core';

import { refocusIfLost } from '../../shared/focus-after-render';

let nextId = 0;

/** What a switch says when a change failed and its owner gave no words for it. */
function defaultFailure(error: unknown): string {
  return error instanceof Error && error.message !== '' ? `Not changed: ${error.message}` : 'Not changed. Try again.';
}

/**
 * Every Settings switch, with its status line and the reason of a failure under it.
 * The switch moves at the click while `apply` works, then shows `checked` again, so a
 * change that failed never leaves it showing a state that is not true; the reason
 * (`apply`'s rejection put in words by `failure`, or the owner's own `error`) shows
 * in one place, as an alert tied to the switch. The status text is the content, read
 * out as it changes (`role="status"`). Focus stays on the switch even when it was
 * disabled while `apply` ran.
 */
@Component({
  selector: 'kez-setting-switch',
  template: `
    <label class="switch">
      <input
        #box
        [id]="switchId"
        type="checkbox"
        role="switch"
        [checked]="checked()"
        [disabled]="disabled()"
        (change)="change($event)"
        [attr.aria-describedby]="shownError() ? statusId + ' ' + errorId : statusId"
      />
      <span>{{ label() }}</span>
    </label>
    <p [id]="statusId" class="field__hint" role="status"><ng-content /></p>
    @if (shownError(); as message) {
      <p [id]="errorId" class="field__error" role="alert">{{ message }}</p>
    }
  `,
  styles: `
    :host {
      display: grid;
      gap: var(--space-2);
    }
    .switch {
      display: flex;
      align-items: center;
      gap: var(--space-2);
      font-weight: 600;
    }
    .switch input {
      flex: none;
      width: 1.25rem;
      height: 1.25rem;
      accent-color: var(--color-accent);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SettingSwitch {
  readonly label = input.required<string>();
  /** The real state, which the switch shows once `apply` is done. */
  readonly checked = input.required<boolean>();
  readonly disabled = input(false);
  /** Carries out the state the person asked for; `checked` follows once it is true. A rejection is shown as `failure` words it. */
  readonly apply = input.required<(on: boolean) => Promise<void>>();
  /** Words for `apply`'s rejection when the person asked for `on`; by default, the error's own message. */
  readonly failure = input<(error: unknown, on: boolean) => string>(defaultFailure);
  /** A failure the owner's service reports itself (instead of rejecting), shown the same way. */
  readonly error = input<string | null>(null);

  protected readonly switchId = `setting-switch-${nextId}`;
  protected readonly statusId = `setting-status-${nextId}`;
  protected readonly errorId = `setting-error-${nextId++}`;
  /** The reason the last change through this switch failed; cleared at the next try. */
  private readonly rejection = signal<string | null>(null);
  protected readonly shownError = computed(() => this.error() ?? this.rejection());
  private readonly injector = inject(Injector);
  private readonly box = viewChild.required<ElementRef<HTMLInputElement>>('box');

  /** The switch itself: for an owner that finishes a change elsewhere (a confirmation) and gives the focus back to it. */
  control(): HTMLInputElement {
    return this.box().nativeElement;
  }

  protected async change(event: Event): Promise<void> {
    const box = event.target as HTMLInputElement;
    const on = box.checked;
    this.rejection.set(null);
    try {
      await this.apply()(on);
    } catch (error) {
      this.rejection.set(this.failure()(error, on));
    } finally {
      // The binding alone would not undo the click when the real state never changed.
      box.checked = this.checked();
      // Disabled while apply ran, the switch lost the focus to the page: give it back.
      refocusIfLost(() => this.box().nativeElement, this.injector);
    }
  }
}
