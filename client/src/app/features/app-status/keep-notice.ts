import { ChangeDetectionStrategy, Component, type ElementRef, inject, Injector, viewChild } from '@angular/core';

import { errorReason } from '../../core/error-reason';
import { KeepNotice } from '../../core/keep-notice';
import { focusAfterRender } from '../../shared/focus-after-render';
import { PendingAction } from '../../shared/pending-action';

/**
 * A bar above every screen after an unlock that could not keep this device unlocked
 * (core/keep-notice.ts): why, that the passphrase is asked next time, and Try again
 * or Dismiss. When the bar goes, the focus goes to the screen's main region.
 */
@Component({
  selector: 'kez-keep-notice',
  template: `
    @if (notice.message(); as message) {
      <div class="bar bar--warning" role="group" aria-label="This device is not kept unlocked">
        <p role="alert">{{ message }}</p>
        <div class="bar__actions">
          <button
            #retryButton
            type="button"
            class="button button--secondary"
            (click)="retry()"
            [disabled]="retrying.busy()"
            [attr.aria-describedby]="retrying.error() ? retrying.errorId : null"
          >
            {{ retrying.busy() ? 'Trying…' : 'Try again' }}
          </button>
          <button type="button" class="button button--quiet" (click)="dismiss()">Dismiss</button>
        </div>
        @if (retrying.error(); as failure) {
          <p [id]="retrying.errorId" class="field__error bar__error" role="alert">{{ failure }}</p>
        }
      </div>
    }
  `,
  styleUrl: './app-status.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class KeepNoticeBar {
  protected readonly notice = inject(KeepNotice);
  private readonly injector = inject(Injector);
  private readonly retryButton = viewChild<ElementRef<HTMLButtonElement>>('retryButton');
  protected readonly retrying = new PendingAction(this.injector, () => this.retryButton()?.nativeElement);

  protected async retry(): Promise<void> {
    const kept = await this.retrying.run(
      () => this.notice.retry(),
      (error) => `Still not kept unlocked${errorReason(error) === null ? '' : ` (${errorReason(error)})`}.`,
    );
    if (kept) {
      this.toMain();
    }
  }

  protected dismiss(): void {
    this.notice.dismiss();
    this.retrying.clear();
    this.toMain();
  }

  /** The bar is gone with the focus on it: the screen's main region takes it (every layout has #main). */
  private toMain(): void {
    focusAfterRender(() => document.getElementById('main'), this.injector);
  }
}
