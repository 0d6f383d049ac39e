import { afterRenderEffect, ChangeDetectionStrategy, Component, computed, type ElementRef, inject, Injector, input, signal, viewChild } from '@angular/core';

import { refocusIfLost } from '../../shared/focus-after-render';
import { applySwitch, switchShown } from './switch-state';

let nextId = 0;

/** What a switch says when a change failed and its owner gave no words for it. */
function defaultFailure(error: unknown): string {
  return error instanceof Error && error.message !== '' ? `Not changed: ${error.message}` : 'Not changed. Try again.';
}

/**
 * Every Settings switch, with its status line and the reason of a failure under it.
 * It takes no click while its state is unknown (`checked` null: "Checking…") or a
 * change is under way (its own: "Saving…"; its owner's `saving`: `savingWords`), the
 * reason shown in its status line, so no click lands on a state about to be replaced. The switch
 * moves at the click while `apply` works, then shows `checked` again, so a change
 * that failed never leaves it showing a state that is not true; the reason (`apply`'s
 * rejection put in words by `failure`, or the owner's own `error`) shows in one place,
 * as an alert tied to the switch. The status text is the content, read out as it
 * changes (`role="status"`). Focus stays on the switch even though it was disabled
 * while `apply` ran.
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
        [disabled]="shown().disabled"
        (change)="change($event)"
        [attr.aria-describedby]="shownError() ? statusId + ' ' + errorId : statusId"
      />
      <span>{{ label() }}</span>
    </label>
    <p [id]="statusId" class="field__hint" role="status">
      @switch (shown().wait) {
        @case ('checking') {
          Checking…
        }
        @case ('applying') {
          Saving…
        }
        @case ('saving') {
          {{ savingWords() }}
        }
      }
      <!-- The owner's words describe a settled state: hidden while the switch waits. -->
      <span [hidden]="shown().wait !== null"><ng-content /></span>
    </p>
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
  /** The real state, which the switch shows once `apply` is done; null while it is not known yet. */
  readonly checked = input.required<boolean | null>();
  /** The owner refuses clicks for a reason its content gives. */
  readonly disabled = input(false);
  /** A change of the state the owner started elsewhere is under way. */
  readonly saving = input(false);
  /** What the status line says while the owner's `saving` change is under way. */
  readonly savingWords = input('Saving…');
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
  /** The state the click asked for, while `apply` runs. */
  private readonly requested = signal<boolean | null>(null);
  protected readonly shown = computed(() =>
    switchShown({ checked: this.checked(), requested: this.requested(), saving: this.saving(), disabled: this.disabled() }),
  );
  protected readonly shownError = computed(() => this.error() ?? this.rejection());
  private readonly injector = inject(Injector);
  private readonly box = viewChild.required<ElementRef<HTMLInputElement>>('box');

  constructor() {
    // The box shows what `shown` says after every render. A [checked] binding would
    // not do: it writes only when its value changes, and a click flips the box by
    // itself, so a change that ended where it began (a failure, or a switch that only
    // asks first) would leave the box showing the click.
    afterRenderEffect(() => {
      this.box().nativeElement.checked = this.shown().on;
    });
  }

  /** The switch itself: for an owner that finishes a change elsewhere (a confirmation) and gives the focus back to it. */
  control(): HTMLInputElement {
    return this.box().nativeElement;
  }

  protected async change(event: Event): Promise<void> {
    const on = (event.target as HTMLInputElement).checked;
    this.rejection.set(null);
    this.requested.set(on);
    const failed = await applySwitch(on, this.apply(), this.failure());
    this.rejection.set(failed);
    this.requested.set(null);
    // Disabled while apply ran, the switch lost the focus to the page: give it back.
    refocusIfLost(() => this.box().nativeElement, this.injector);
  }
}
