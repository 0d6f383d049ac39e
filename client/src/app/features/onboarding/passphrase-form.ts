import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  type ElementRef,
  inject,
  Injector,
  input,
  output,
  signal,
  untracked,
  viewChild,
} from '@angular/core';

import { MIN_PASSPHRASE_LENGTH, passphraseProblem } from '../../core/identity/passphrase-rules';
import { rateStrength, type Strength } from '../../core/identity/passphrase-strength';
import { focusAfterRender } from '../../shared/focus-after-render';
import { FocusOnInit } from '../../shared/focus-on-init';

const UNRATED = 'The passphrase strength check could not be loaded: the server can’t be reached. Try again in a moment.';

/**
 * Chooses a new passphrase (typed twice), rated as it is typed (zxcvbn-ts: the weakest
 * are refused with the reason), and shows progress while the key is derived. When the
 * passphrase is refused, or the caller's work with it fails (`failure`), the first
 * field takes the focus back, described by the message.
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
  /** Why the caller's work with the submitted passphrase failed, shown in the form; null while nothing failed. */
  readonly failure = input<string | null>(null);
  readonly submitted = output<string>();

  private readonly injector = inject(Injector);
  private readonly field = viewChild.required<ElementRef<HTMLInputElement>>('field');

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
  /** The ids of the messages on screen, for the fields' `aria-describedby` (each with a leading space). */
  protected readonly errorIds = computed(
    () => (this.attempted() && this.problem() !== null ? ' passphrase-problem' : '') + (this.failure() !== null ? ' passphrase-failure' : ''),
  );

  constructor() {
    effect(() => {
      const passphrase = this.passphrase();
      if (passphrase !== '') {
        void this.rate(passphrase);
      }
    });
    // The fields were disabled while the caller worked, which took the focus.
    effect(() => {
      if (this.failure() !== null) {
        untracked(() => this.refocus());
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
    } else if (this.problem() !== null) {
      this.refocus();
    }
  }

  private refocus(): void {
    focusAfterRender(() => this.field().nativeElement, this.injector, { select: true });
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
