import { ChangeDetectionStrategy, Component, computed, input, output, signal } from '@angular/core';

import { MIN_PASSPHRASE_LENGTH, passphraseProblem } from '../../core/identity/passphrase-rules';
import { FocusOnInit } from '../../shared/focus-on-init';

/** Chooses a new passphrase (typed twice) and shows progress while the key is derived. */
@Component({
  selector: 'kez-passphrase-form',
  imports: [FocusOnInit],
  templateUrl: './passphrase-form.html',
  styleUrl: './passphrase-form.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PassphraseForm {
  readonly submitLabel = input.required<string>();
  /** What a password manager files the passphrase under. */
  readonly username = input('KEZ chat identity');
  /** 0..1 while the caller works with the passphrase, else null. */
  readonly progress = input<number | null>(null);
  readonly submitted = output<string>();

  protected readonly minLength = MIN_PASSPHRASE_LENGTH;
  protected readonly passphrase = signal('');
  protected readonly confirmation = signal('');
  protected readonly visible = signal(false);
  protected readonly attempted = signal(false);
  protected readonly problem = computed(() => passphraseProblem(this.passphrase(), this.confirmation()));
  protected readonly busy = computed(() => this.progress() !== null);
  protected readonly percent = computed(() => Math.round((this.progress() ?? 0) * 100));

  protected submit(event: Event): void {
    event.preventDefault();
    this.attempted.set(true);
    if (this.problem() === null && !this.busy()) {
      this.submitted.emit(this.passphrase());
    }
  }
}
