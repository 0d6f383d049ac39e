import { ChangeDetectionStrategy, Component, computed, DestroyRef, effect, inject, Injector, input, signal } from '@angular/core';
import { Router } from '@angular/router';

import { generateSeed, seedToPhrase } from '@kez/crypto';

import { Account } from '../../core/account';
import { pickPositions, wordMatches } from '../../core/identity/recovery-check';
import { focusAfterRender } from '../../shared/focus-after-render';
import { FocusOnInit } from '../../shared/focus-on-init';
import { PassphraseForm } from './passphrase-form';
import { REGISTER_STEP } from './register-step';

const STEPS = ['phrase', 'check', 'protect'] as const;
type Step = (typeof STEPS)[number];

/** How many words the person types back before going on. */
const WORDS_TO_CHECK = 3;

/**
 * A new identity: see the recovery phrase, prove it was written down, protect it with
 * a passphrase (then register a handle, step 4). The step is in the URL (`?step=`), so
 * the browser's Back and Forward move between steps of the same phrase; a step not
 * reached yet on this screen (a typed or stale URL) shows the phrase instead.
 */
@Component({
  selector: 'kez-create-identity',
  imports: [FocusOnInit, PassphraseForm],
  templateUrl: './create-identity.html',
  styleUrls: ['./onboarding.css', './create-identity.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CreateIdentity {
  private readonly account = inject(Account);
  private readonly router = inject(Router);
  private readonly injector = inject(Injector);
  private readonly seed = generateSeed();

  /** The route's `?step=`. */
  // eslint-disable-next-line @angular-eslint/no-input-rename -- the router binds the query parameter by its URL name; `step` is the step shown
  readonly stepParam = input<string | undefined>(undefined, { alias: 'step' });
  /** Steps this screen has shown, in order: the furthest the URL may point to. */
  private readonly reached = signal(0);
  protected readonly words = seedToPhrase(this.seed).split(' ');
  protected readonly step = computed<Step>(() => {
    const index = STEPS.indexOf(this.stepParam() as Step);
    return index > 0 && index <= this.reached() ? STEPS[index]! : 'phrase';
  });
  protected readonly positions = pickPositions(WORDS_TO_CHECK, this.words.length);
  protected readonly answers = signal<readonly string[]>(this.positions.map(() => ''));
  protected readonly wrong = signal<readonly number[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly progress = this.account.progress;
  /** Creating here replaces the identity this browser already holds. */
  protected readonly replacing = this.account.stage() === 'locked';
  protected readonly wrongText = computed(() => {
    const numbers = this.wrong().map((position) => `#${position + 1}`);
    return numbers.length === 0 ? null : `Word ${numbers.join(', ')} ${numbers.length === 1 ? 'doesn’t' : 'don’t'} match. Check your list.`;
  });

  constructor() {
    // The seed lives only as long as this screen; the wrapped copy is what stays.
    inject(DestroyRef).onDestroy(() => this.seed.fill(0));
    // A URL pointing past what this screen has shown (typed, or Forward into a new phrase) falls back to the phrase.
    effect(() => {
      const asked = this.stepParam();
      if (asked !== undefined && asked !== this.step()) {
        void this.router.navigate([], { queryParams: { step: null }, replaceUrl: true });
      }
    });
  }

  /** Moves to `step` as a new history entry. */
  protected go(step: Step): void {
    this.reached.update((furthest) => Math.max(furthest, STEPS.indexOf(step)));
    void this.router.navigate([], { queryParams: { step: step === 'phrase' ? null : step } });
  }

  protected answer(index: number, value: string): void {
    this.answers.update((answers) => answers.map((existing, i) => (i === index ? value : existing)));
  }

  protected check(event: Event): void {
    event.preventDefault();
    const answers = this.answers();
    this.wrong.set(this.positions.filter((position, i) => !wordMatches(this.words, position, answers[i] ?? '')));
    const [firstWrong] = this.wrong();
    if (firstWrong === undefined) {
      this.go('protect');
    } else {
      // To the first word to fix, described by the message that names it.
      focusAfterRender(() => document.getElementById(`word-${firstWrong}`), this.injector, { select: true });
    }
  }

  protected back(): void {
    this.wrong.set([]);
    this.go('phrase');
  }

  protected async protect(passphrase: string): Promise<void> {
    this.error.set(null);
    try {
      // A copy: the account wipes what it is given, and this screen may still be needed on failure.
      await this.account.create(this.seed.slice(), passphrase);
      await this.router.navigateByUrl('/register', { state: { [REGISTER_STEP]: 'Step 4 of 4' } });
    } catch {
      this.error.set('Your identity could not be saved in this browser. Check that it allows site storage, then try again.');
    }
  }
}
