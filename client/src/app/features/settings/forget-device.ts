import { afterNextRender, ChangeDetectionStrategy, Component, type ElementRef, inject, Injector, signal, viewChild } from '@angular/core';

import { DeviceReset, eraseFailure } from '../../core/device-reset';
import { FocusOnInit } from '../../shared/focus-on-init';
import { PendingAction } from '../../shared/pending-action';

/**
 * "Forget this device", in two steps: a clear statement of what goes and what it
 * means without the recovery phrase, then the erase (DeviceReset). The question takes
 * focus on its safe answer (Cancel), and Cancel gives it back to the button that asked.
 * An erase that fails leaves the question open with the reason, tied to its button.
 */
@Component({
  selector: 'kez-forget-device',
  imports: [FocusOnInit],
  template: `
    @if (confirming()) {
      <div class="confirm" role="alertdialog" aria-labelledby="forget-question" aria-describedby="forget-consequence">
        <p id="forget-question"><strong>Forget this device?</strong></p>
        <p id="forget-consequence">
          Your identity, your conversations and their history are erased from this browser. Others can still write to you, but you can read those messages only
          after restoring your identity from its recovery phrase. Without the phrase this identity is gone.
        </p>
        <div class="actions">
          <button
            #erase
            type="button"
            class="button button--danger"
            (click)="forget()"
            [disabled]="erasing.busy()"
            [attr.aria-describedby]="erasing.error() ? erasing.errorId : null"
          >
            {{ erasing.busy() ? 'Erasing…' : 'Erase everything on this device' }}
          </button>
          <button type="button" class="button button--secondary" (click)="cancel()" [disabled]="erasing.busy()" kezFocusOnInit>Cancel</button>
        </div>
        @if (erasing.error(); as message) {
          <p [id]="erasing.errorId" class="field__error" role="alert">{{ message }}</p>
        }
      </div>
    } @else {
      <p class="field__hint">Remove your identity and all conversations from this browser, for instance before giving the device away.</p>
      <button #ask type="button" class="button button--secondary" (click)="confirming.set(true)">Forget this device…</button>
    }
  `,
  host: { class: 'setting-body' },
  styles: `
    .confirm {
      display: grid;
      gap: var(--space-3);
    }
    .confirm p {
      margin: 0;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: var(--space-2);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ForgetDevice {
  private readonly reset = inject(DeviceReset);
  private readonly injector = inject(Injector);
  private readonly ask = viewChild<ElementRef<HTMLButtonElement>>('ask');
  private readonly erase = viewChild<ElementRef<HTMLButtonElement>>('erase');
  protected readonly confirming = signal(false);
  protected readonly erasing = new PendingAction(this.injector, () => this.erase()?.nativeElement);

  protected cancel(): void {
    this.confirming.set(false);
    this.erasing.clear();
    afterNextRender(() => this.ask()?.nativeElement.focus(), { injector: this.injector });
  }

  protected forget(): Promise<boolean> {
    return this.erasing.run(() => this.reset.forget(), eraseFailure);
  }
}
