import { ChangeDetectionStrategy, Component, computed, effect, input, output, signal } from '@angular/core';

import { MIN_PASSPHRASE_LENGTH, passphraseProblem } from '../../core/identity/passphrase-rules';
import { rateStrength, type Strength } from '../../core/identity/passphrase-strength';
import { FocusOnInit } from '../../shared/focus-on-init';

const UNRATED = 'The passphrase strength check could not be loaded: the server can’t be reached. Try again in a moment.';

/**
 * Chooses a new passphrase (typed twice), rated as it is typed (zxcvbn-ts: the weakest
 * are refused with the reason), and shows progress while the key is derived.
 */
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
  /** The rating of the passphrase as typed; null until the estimator has answered for it. */
  protected readonly strength = signal<{ passphrase: string; rating: Strength } | null>(null);
  protected readonly rating = computed(() => {
    const strength = this.strength();
    return strength !== null && strength.passphrase === this.passphrase() ? strength.rating : null;
  });
  /** Set while the estimator cannot be downloaded: no passphrase is accepted unrated. */
  protected readonly unrated = signal(false);
  protected readonly problem = computed(
    () =>
      passphraseProblem(this.passphrase(), this.confirmation()) ??
      (this.rating()?.acceptable === false ? this.rating()!.problem : null) ??
      (this.unrated() && this.rating() === null ? UNRATED : null),
  );
  protected readonly busy = computed(() => this.progress() !== null);
  protected readonly percent = computed(() => Math.round((this.progress() ?? 0) * 100));

  constructor() {
    effect(() => {
      const passphrase = this.passphrase();
      if (passphrase !== '') {
        void this.rate(passphrase);
      }
    });
  }

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    this.attempted.set(true);
    const passphrase = this.passphrase();
    if (this.rating() === null && passphrase !== '') {
      await this.rate(passphrase);
    }
    if (this.problem() === null && !this.busy() && this.passphrase() === passphrase) {
      this.submitted.emit(passphrase);
    }
  }

  private async rate(passphrase: string): Promise<void> {
    let rating: Strength;
    try {
      rating = await rateStrength(passphrase, [this.username()]);
    } catch {
      this.unrated.set(true);
      return;
    }
    this.unrated.set(false);
    if (this.passphrase() === passphrase) {
      this.strength.set({ passphrase, rating });
    }
  }
}
